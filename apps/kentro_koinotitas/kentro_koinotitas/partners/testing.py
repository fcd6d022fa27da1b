"""Shared set-up of the partner portal's tests (unit tests beside the code and HTTP tests in tests/)."""

import email
import re

import frappe
from frappe.model.workflow import apply_workflow

from kentro_koinotitas.access.partners import token_hash
from kentro_koinotitas.setup.roles import PARTNER

ORGANISATION_TYPE = "Φορέας Δοκιμών Πύλης"
SPECIAL = "Επεξεργασία δεδομένων υγείας και αναπηρίας"


def make_partner(
	name: str, email: str | None = "partner@example.org", days: int = 5, expiry: int = 30
) -> str:
	"""A partner organisation accepting referrals, of a type with the given service level."""
	if not frappe.db.exists("Partner Organisation Type", ORGANISATION_TYPE):
		frappe.get_doc(
			{"doctype": "Partner Organisation Type", "type_name": ORGANISATION_TYPE, "enabled": 1}
		).insert(ignore_permissions=True)
	frappe.db.set_value(
		"Partner Organisation Type", ORGANISATION_TYPE, {"acknowledgement_days": days, "expiry_days": expiry}
	)
	if not frappe.db.exists("Partner Organisation", name):
		frappe.get_doc(
			{
				"doctype": "Partner Organisation",
				"organisation_name": name,
				"organisation_type": ORGANISATION_TYPE,
				"level": "Local",
				"accepts_referrals": 1,
				"active": 1,
				"email": email,
				"phone": "2100000000",
			}
		).insert(ignore_permissions=True)
	return name


def make_partner_user(organisation: str, email: str | None = None) -> str:
	"""A website user with the role Partner, the portal user of a contact of the organisation."""
	email = email or f"kk-partner-{frappe.generate_hash(length=8)}@example.org"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Υπάλληλος Φορέα",
			"send_welcome_email": 0,
			"roles": [{"role": PARTNER}],
		}
	).insert(ignore_permissions=True)
	org = frappe.get_doc("Partner Organisation", organisation)
	org.append("contacts", {"contact_name": "Υπάλληλος Φορέα", "email": email, "portal_user": email})
	org.save(ignore_permissions=True)
	return email


def ensure_email_account() -> None:
	if not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "ΚΚ Δοκιμών",
				"email_id": "kentro-tests@example.gov.gr",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"password": "x",
			}
		).insert(ignore_permissions=True)


def send(referral):
	"""Submit and approve a referral as set-up code (Administrator outside a request)."""
	previous = frappe.session.user
	frappe.set_user("Administrator")
	try:
		referral = apply_workflow(referral, "Submit for Approval")
		return apply_workflow(referral, "Approve and Send")
	finally:
		frappe.set_user(previous)


def tokens_emailed(referral: str) -> list[str]:
	"""The tokens of the links e-mailed for a referral, read from Frappe's e-mail queue (the partner's
	mailbox in tests)."""
	found = []
	created = frappe.db.get_value("Referral", referral, "creation")
	for raw in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Referral", "reference_name": referral, "creation": (">=", created)},
		pluck="message",
		order_by="creation asc",
	):
		for part in email.message_from_string(raw).walk():
			if part.get_content_type() == "text/html":
				html = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
				found += re.findall(r"/p/([A-Za-z0-9_-]{20,64})", html)
	issued = set(frappe.get_all("Referral Access Token", filters={"referral": referral}, pluck="token_hash"))
	return [token for token in dict.fromkeys(found) if token_hash(token) in issued]
