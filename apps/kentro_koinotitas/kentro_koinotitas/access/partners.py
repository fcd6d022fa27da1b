"""Who may see and answer a referral from outside the desk (the partner portal, `partners/`).

Two ways in, both ending at one open referral addressed to one partner organisation:

- **A link** (`/p/<token>`): the token is 128 random bits; only its SHA-256 is stored (DocType
  "Referral Access Token"). It is valid while it is not revoked, not past its expiry, its referral is
  still open (Sent or Acknowledged) and addressed to the same organisation, and the person has not
  withdrawn their partner-sharing consent. Every failure looks the same to the caller (`None`).
- **A partner login**: a website user with the role Partner, named as the portal user of a contact of
  the organisation (Partner Organisation Contact). They reach the open referrals addressed to their
  organisations, under the same conditions.

Partner users hold no DocType permission: the desk, `/api/resource` and `frappe.client.*` give them
nothing. The portal reads a referral with server code only after one of these checks, and shows only
what `partners/disclosure.py` allows.
"""

import hashlib
import re
from contextlib import contextmanager

import frappe
from frappe.utils import get_datetime, now_datetime

from kentro_koinotitas.registry.consent import partner_sharing_withdrawn
from kentro_koinotitas.setup.roles import PARTNER

TOKEN = "Referral Access Token"
OPEN_STATUSES = ("Sent", "Acknowledged")
# The website user (role Partner, disabled: nobody signs in as it) under which answers given through a
# link pass the Referral workflow; the Referral Response names the organisation and the link used.
LINK_USER = "partner-link@kentro.invalid"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def token_hash(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def resolve_token(token: str | None) -> frappe._dict | None:
	"""The access a link gives (referral, organisation, token record), or None for a wrong, expired or
	revoked token, a closed referral or a withdrawn consent: the caller cannot tell which."""
	if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
		return None
	row = frappe.db.get_value(
		TOKEN,
		{"token_hash": token_hash(token)},
		["name", "referral", "partner_organisation", "revoked", "expires_on"],
		as_dict=True,
	)
	if not row or row.revoked or not row.expires_on or get_datetime(row.expires_on) <= now_datetime():
		return None
	return open_referral(row.referral, row.partner_organisation, token=row.name, channel="Link")


def open_referral(referral: str, organisation: str | None, **access) -> frappe._dict | None:
	"""The referral, if it is still open to the organisation."""
	if not referral or not organisation:
		return None
	ref = frappe.db.get_value(
		"Referral",
		referral,
		["name", "status", "referral_type", "partner_organisation", "beneficiary"],
		as_dict=True,
	)
	if not ref or ref.referral_type != "External" or ref.partner_organisation != organisation:
		return None
	if ref.status not in OPEN_STATUSES or partner_sharing_withdrawn(ref.beneficiary):
		return None
	return frappe._dict(referral=ref.name, organisation=organisation, **access)


def is_partner_user(user: str | None = None) -> bool:
	"""A website user with the Partner role. A desk user who was also given the role is not one: the
	partner's sign-in by e-mail link would let them skip their second factor."""
	user = user or frappe.session.user
	return (
		user not in ("Guest", LINK_USER)
		and PARTNER in frappe.get_roles(user)
		and frappe.db.get_value("User", user, "user_type") == "Website User"
	)


def partner_organisations(user: str | None = None) -> list[str]:
	"""The organisations whose contacts name the user as their portal user (a Partner user only)."""
	user = user or frappe.session.user
	if not is_partner_user(user):
		return []
	return sorted(
		set(
			frappe.get_all(
				"Partner Organisation Contact",
				filters={"portal_user": user, "parenttype": "Partner Organisation"},
				pluck="parent",
			)
		)
	)


def resolve_login(referral: str | None, user: str | None = None) -> frappe._dict | None:
	"""The access a partner user has to one referral (None when it is not theirs or no longer open)."""
	if not isinstance(referral, str):
		return None
	organisation = frappe.db.get_value("Referral", referral, "partner_organisation")
	if organisation not in partner_organisations(user):
		return None
	return open_referral(referral, organisation, token=None, channel="Partner login")


def partner_referrals(user: str | None = None) -> list[frappe._dict]:
	"""The open referrals addressed to the partner user's organisations (their portal list)."""
	organisations = partner_organisations(user)
	if not organisations:
		return []
	rows = frappe.get_all(
		"Referral",
		filters={
			"referral_type": "External",
			"partner_organisation": ("in", organisations),
			"status": ("in", OPEN_STATUSES),
		},
		fields=["name", "beneficiary", "beneficiary_name", "partner_organisation", "status", "sent_on"],
		order_by="sent_on asc, name asc",
	)
	return [row for row in rows if not partner_sharing_withdrawn(row.beneficiary)]


def can_edit_directory(organisation: str | None, user: str | None = None) -> bool:
	return bool(organisation) and organisation in partner_organisations(user)


@contextmanager
def acting_for(access: frappe._dict):
	"""Run the answer under a user holding the role Partner: the signed-in partner user, or for a link
	the portal's link user. Frappe's workflow then checks the partner's transitions (and reads the
	referral as that user: `acting_on` lets it, for this referral and only inside this block); the
	session is restored afterwards."""
	previous = frappe.session.user
	if access.channel == "Link":
		frappe.set_user(LINK_USER)
	frappe.local.kentro_partner_referral = access.referral
	try:
		yield
	finally:
		frappe.local.kentro_partner_referral = None
		if frappe.session.user != previous:
			frappe.set_user(previous)


def acting_on(doc, user: str) -> bool | None:
	"""The record-level rule for a Partner user (`access/scope.has_permission`): a Referral only while
	`acting_for` answers that referral (the role's read permission exists for Frappe's workflow check
	alone); nothing else, and never through the desk or REST. None: not a Partner user."""
	roles = set(frappe.get_roles(user))
	if PARTNER not in roles or roles - {PARTNER, "All", "Guest"}:
		return None  # not a partner user (a staff user who also held the role: the centre rules decide)
	return doc.doctype == "Referral" and getattr(frappe.local, "kentro_partner_referral", None) == doc.name


def answering(doc) -> bool:
	"""The partner's own record of its answer, written inside `acting_for` for that referral (the centre
	check of `access/records.py` lets it through: the centre is the referral's, set by server code)."""
	current = getattr(frappe.local, "kentro_partner_referral", None)
	return bool(current) and doc.doctype == "Referral Response" and doc.referral == current


def install_link_user() -> None:
	"""The disabled website user under which link answers pass the workflow (idempotent)."""
	if frappe.db.exists("User", LINK_USER):
		return
	frappe.get_doc(
		{
			"doctype": "User",
			"email": LINK_USER,
			"first_name": "Συνεργαζόμενος φορέας (σύνδεσμος)",
			"user_type": "Website User",
			"enabled": 0,
			"send_welcome_email": 0,
			"roles": [{"role": PARTNER}],
		}
	).insert(ignore_permissions=True)
