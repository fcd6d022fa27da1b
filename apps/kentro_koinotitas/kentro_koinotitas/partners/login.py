"""Sign-in by e-mail link for partner users (`/partner`): Frappe's own "login with email link" is a
site-wide setting that would also let staff skip their second factor, and its answer tells whether an
address has an account. This one serves website users holding the role Partner only, answers every
address the same way, keeps only a hash of the one-time key (in Redis, `LINK_MINUTES` minutes) and is
rate-limited like the partner's pages.
"""

import hashlib
import secrets

import frappe
from frappe.utils import get_url, validate_email_address

from kentro_koinotitas.access.partners import is_partner_user

LINK_MINUTES = 15
CACHE_PREFIX = "kentro_partner_login:"


def _cache_key(key: str) -> str:
	return CACHE_PREFIX + hashlib.sha256(key.encode()).hexdigest()


def send_link(email: str | None) -> None:
	"""E-mail a one-time sign-in link if the address is an enabled partner user's; silently nothing
	otherwise (the page says the same in both cases)."""
	email = (email or "").strip().lower()
	if not email or not validate_email_address(email):
		return
	user = frappe.db.get_value("User", {"name": email, "enabled": 1}, "name")
	if not user or not is_partner_user(user):
		return
	key = secrets.token_urlsafe(24)
	frappe.cache.set_value(_cache_key(key), user, expires_in_sec=LINK_MINUTES * 60)
	frappe.sendmail(
		recipients=[user],
		subject="Σύνδεση στην πύλη συνεργαζόμενων φορέων",
		message=(
			"<p>Για να συνδεθείτε στην πύλη των συνεργαζόμενων φορέων του Κέντρου Κοινότητας, ανοίξτε τον "
			f'σύνδεσμο: <a href="{get_url("/partner")}?key={key}">{get_url("/partner")}?key={key}</a></p>'
			f"<p>Ισχύει {LINK_MINUTES} λεπτά και μία φορά. Αν δεν τον ζητήσατε, αγνοήστε το μήνυμα.</p>"
		),
	)


def sign_in(key: str | None) -> bool:
	"""Sign in with a one-time key (once); False for an unknown or used key."""
	if not isinstance(key, str) or not 20 <= len(key) <= 64:
		return False
	user = frappe.cache.get_value(_cache_key(key))
	if not user:
		return False
	frappe.cache.delete_value(_cache_key(key))
	if not is_partner_user(user) or not frappe.db.get_value("User", user, "enabled"):
		return False
	frappe.local.login_manager.login_as(user)
	return True
