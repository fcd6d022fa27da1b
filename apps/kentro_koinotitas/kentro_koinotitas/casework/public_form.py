"""What a public form of the app (no login) needs against abuse: a rate limit per IP address and a simple
human check. Used by the referral form (`www/refer.py`); kept apart so another public form can use it.

- **Rate limit**: Frappe's `rate_limit` per IP address and per form (`scope`), a limit per window from the
  site config (`kentro_public_form_limits`: {"<scope>": [requests, seconds]}) or the form's default.
  Past it the page answers 429.
- **Human check**: a small sum to solve ("Πόσο κάνει 4 + 7;"). The page carries a signed challenge: the
  moment it was made, a random nonce and an HMAC (key derived from the site's encryption key) over them and
  the right answer, so the server keeps nothing until an answer comes back. An answer counts when the HMAC
  matches, the form was open at least `MIN_SECONDS` (a script posting at once fails) and at most
  `MAX_SECONDS`, and the nonce was not used before (one answer per challenge, remembered in the cache until
  the challenge expires). A hidden field that people never see and bots fill in (a honeypot) must stay
  empty.
"""

import hashlib
import hmac
import secrets
import time

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils.password import get_encryption_key

SCOPE_FIELD = "kentro_public_scope"
HONEYPOT = "website"
MIN_SECONDS = 3
MAX_SECONDS = 60 * 60
DEFAULT_LIMITS = {"refer": (10, 60 * 60), "refer-status": (60, 10 * 60)}


class HumanCheckFailed(Exception):
	pass


def _limits(scope: str) -> tuple[int, int]:
	configured = (frappe.conf.get("kentro_public_form_limits") or {}).get(scope)
	return tuple(configured) if configured else DEFAULT_LIMITS.get(scope, (30, 60 * 60))


def count_request(scope: str) -> None:
	"""Count this request against the form's rate limit; past it, RateLimitExceededError (HTTP 429)."""
	requests, window = _limits(scope)

	@rate_limit(key=SCOPE_FIELD, limit=requests, seconds=window)
	def _count() -> None:
		pass

	frappe.form_dict[SCOPE_FIELD] = scope
	try:
		_count()
	finally:
		frappe.form_dict.pop(SCOPE_FIELD, None)


def _mac(issued: int, nonce: str, answer: int) -> str:
	key = hmac.new(get_encryption_key().encode(), b"kentro-public-form-challenge", hashlib.sha256).digest()
	return hmac.new(key, f"{issued}.{nonce}.{answer}".encode(), hashlib.sha256).hexdigest()


def new_challenge() -> dict:
	"""A sum for the page to ask, and the signed token the form sends back with the answer."""
	first, second = 2 + secrets.randbelow(8), 2 + secrets.randbelow(8)
	issued, nonce = int(time.time()), secrets.token_urlsafe(12)
	return {
		"question": f"Πόσο κάνει {first} + {second};",
		"token": f"{issued}.{nonce}.{_mac(issued, nonce, first + second)}",
	}


def check_human(token: str | None, answer: str | None, honeypot: str | None) -> None:
	"""Raise HumanCheckFailed unless the answer solves the challenge in time, once, and the honeypot is
	empty."""
	if honeypot:
		raise HumanCheckFailed
	try:
		issued_text, nonce, mac = (token or "").split(".")
		issued, value = int(issued_text), int((answer or "").strip())
	except ValueError:
		raise HumanCheckFailed from None
	age = time.time() - issued
	if not (MIN_SECONDS <= age <= MAX_SECONDS) or not hmac.compare_digest(mac, _mac(issued, nonce, value)):
		raise HumanCheckFailed
	used = f"kentro-public-form-nonce:{nonce}"
	if frappe.cache.get_value(used, expires=True):
		raise HumanCheckFailed
	frappe.cache.set_value(used, 1, expires_in_sec=MAX_SECONDS)
