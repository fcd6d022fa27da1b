"""The partner's links: issued when a referral is sent, e-mailed to the partner through Frappe's e-mail
queue and printed on the referral letter, revocable, and ended when the referral closes.

A link is `<site>/p/<token>`: `secrets.token_urlsafe(16)`, 128 random bits. Only its SHA-256 is stored;
the token itself exists only in the e-mail sent and on the printed letter (each print of the letter
carries a fresh link; every link of a referral ends together). A link lives `LIFETIME_DAYS` days (site
config `kentro_partner_link_days`), and never longer than its referral stays open and the person's
partner-sharing consent stands (`access/partners.py`).
"""

import secrets

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_url, now_datetime

from kentro_koinotitas.access.partners import TOKEN, token_hash
from kentro_koinotitas.partners.disclosure import shared_categories

# what users read, stored (timeline, notifications) or shown outside the desk, is Greek
STORED = "el"

LIFETIME_DAYS = 90
CLOSED_STATUSES = ("Completed", "Rejected", "Cancelled", "Expired")


def lifetime_days() -> int:
	return cint(frappe.conf.get("kentro_partner_link_days")) or LIFETIME_DAYS


def link_url(token: str) -> str:
	return get_url(f"/p/{token}")


def issue(referral, channel: str, sent_to: str | None = None) -> str:
	"""A new link to the referral for its partner organisation; returns the token (never stored)."""
	token = secrets.token_urlsafe(16)
	categories, special = shared_categories(referral)
	frappe.get_doc(
		{
			"doctype": TOKEN,
			"referral": referral.name,
			"partner_organisation": referral.partner_organisation,
			"centre": referral.from_centre,
			"channel": channel,
			"sent_to": sent_to,
			"token_hash": token_hash(token),
			"expires_on": add_days(now_datetime(), lifetime_days()),
			"shared_data": "\n".join(categories),
			"special_category_shared": int(special),
		}
	).insert(ignore_permissions=True)
	frappe.local.flags.commit = True  # a letter is printed through a GET request, which Frappe rolls back
	return token


def partner_email(organisation: str | None) -> str | None:
	"""The partner's address for referrals: its first contact with an e-mail, else its own e-mail."""
	if not organisation:
		return None
	contacts = frappe.get_all(
		"Partner Organisation Contact",
		filters={"parent": organisation, "parenttype": "Partner Organisation", "email": ("is", "set")},
		pluck="email",
		order_by="idx asc",
		limit=1,
	)
	return contacts[0] if contacts else frappe.db.get_value("Partner Organisation", organisation, "email")


def can_send_email() -> bool:
	return bool(frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}))


def email_link(referral, channel: str = "E-mail") -> str | None:
	"""E-mail the partner a new link (Greek, through Frappe's queue). Returns the address, or None when
	the partner has no e-mail or the site has no outgoing account (the printed letter's link remains)."""
	recipient = partner_email(referral.partner_organisation)
	if not recipient or not can_send_email():
		return None
	token = issue(referral, channel, sent_to=recipient)
	centre = frappe.db.get_value("Community Centre", referral.from_centre, "centre_name")
	reminder = channel == "Reminder"
	subject = (
		f"Υπενθύμιση: παραπομπή {referral.name} από {centre}"
		if reminder
		else f"Νέα παραπομπή {referral.name} από {centre}"
	)
	frappe.sendmail(
		recipients=[recipient],
		subject=subject,
		template="partner_referral_link",
		args={
			"centre": centre,
			"organisation": referral.partner_organisation,
			"referral": referral.name,
			"link": link_url(token),
			"days": lifetime_days(),
			"acknowledge_by": referral.get("acknowledge_by"),
			"reminder": reminder,
		},
		reference_doctype="Referral",
		reference_name=referral.name,
	)
	return recipient


def revoke_all(referral: str, reason: str) -> int:
	"""End every link of a referral; returns how many were still valid."""
	names = frappe.get_all(TOKEN, filters={"referral": referral, "revoked": 0}, pluck="name")
	for name in names:
		frappe.db.set_value(
			TOKEN,
			name,
			{
				"revoked": 1,
				"revoked_on": now_datetime(),
				"revoked_by": frappe.session.user,
				"revocation_reason": reason[:140],
			},
		)
	return len(names)


def letter_link(referral) -> str | None:
	"""A fresh link for a printed letter of a sent external referral (None before it is sent)."""
	if referral.referral_type != "External" or referral.status not in ("Sent", "Acknowledged"):
		return None
	if not frappe.db.exists("Referral", referral.name):
		return None
	return link_url(issue(referral, "Letter"))


# Staff actions on the Referral form
# ----------------------------------


def _referral_for_staff(referral: str):
	doc = frappe.get_doc("Referral", referral)
	doc.check_permission("write")
	if doc.referral_type != "External":
		frappe.throw(_("Only a referral to a partner organisation has partner links.", lang=STORED))
	return doc


@frappe.whitelist(methods=["POST"])
def revoke_links(referral: str) -> int:
	"""Revoke every link of the referral (staff who may edit it)."""
	doc = _referral_for_staff(referral)
	count = revoke_all(doc.name, _("Revoked by {0}", lang=STORED).format(frappe.session.user))
	doc.add_comment("Info", _("The partner's links were revoked.", lang=STORED))
	return count


@frappe.whitelist(methods=["POST"])
def send_new_link(referral: str) -> str:
	"""E-mail the partner a new link (staff who may edit an open referral)."""
	doc = _referral_for_staff(referral)
	if doc.status not in ("Sent", "Acknowledged"):
		frappe.throw(_("The referral is not open: the partner cannot answer it any more.", lang=STORED))
	recipient = email_link(doc)
	if not recipient:
		frappe.throw(
			_("The partner organisation has no e-mail address, or the site sends no e-mail.", lang=STORED)
		)
	doc.add_comment("Info", _("A new link was e-mailed to {0}.", lang=STORED).format(recipient))
	return recipient


@frappe.whitelist(methods=["GET"])
def link_status(referral: str) -> list[dict]:
	"""The referral's links (never the tokens), for the Referral form."""
	frappe.has_permission("Referral", "read", doc=referral, throw=True)
	return frappe.get_all(
		TOKEN,
		filters={"referral": referral},
		fields=["channel", "sent_to", "creation", "expires_on", "last_used_on", "revoked"],
		order_by="creation desc",
		limit_page_length=20,
	)
