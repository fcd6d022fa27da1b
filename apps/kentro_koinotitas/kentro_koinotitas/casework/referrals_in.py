"""Referrals in: an agency (a school, a health service, ΔΥΠΑ, an NGO) refers a person to a community
centre from the public page `/refer` (www/refer.py), without an account.

A referral lands as an Inbound Referral and a Front Desk Visit (channel «Παραπομπή από φορέα») of the
chosen centre, in its front desk's queue. The agency gets a status link `/refer/<token>`: the token is
random (192 bits) and only its SHA-256 is stored, so the link cannot be rebuilt from the database. The
status page shows the reference, the centre, the date and the status, nothing of the person; a wrong
token gets the same page as no token at all.
"""

import hashlib
import secrets

import frappe
from frappe.utils import cstr, now_datetime, validate_email_address

from kentro_koinotitas.registry import identity

STATUS_LABELS = {
	"Received": "Η παραπομπή παραλήφθηκε από το Κέντρο και περιμένει την υποδοχή.",
	"In progress": "Το Κέντρο επικοινωνεί με το άτομο.",
	"Case opened": "Το Κέντρο άνοιξε φάκελο για το άτομο και το υποστηρίζει.",
	"Closed": "Η παραπομπή ολοκληρώθηκε.",
}
FIELDS = (
	"centre",
	"request_category",
	"agency_name",
	"agency_contact",
	"agency_phone",
	"agency_email",
	"person_first_name",
	"person_last_name",
	"person_phone",
	"reason",
	"person_agreed",
)
REQUIRED = {
	"centre": "Επιλέξτε το Κέντρο Κοινότητας.",
	"request_category": "Επιλέξτε το θέμα της παραπομπής.",
	"agency_name": "Γράψτε το όνομα του φορέα σας.",
	"agency_contact": "Γράψτε ποιος/ποια κάνει την παραπομπή.",
	"person_first_name": "Γράψτε το όνομα του ατόμου.",
	"person_last_name": "Γράψτε το επώνυμο του ατόμου.",
	"person_phone": "Γράψτε ένα τηλέφωνο του ατόμου.",
	"reason": "Γράψτε τον λόγο της παραπομπής.",
}
MAX_LENGTH = {"reason": 2000}


class ReferralInError(Exception):
	"""A problem with what the agency typed: its message is shown on the page, in Greek."""


def hash_token(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def choices() -> dict:
	"""The centres and the request categories the form offers."""
	return {
		"centres": frappe.get_all("Community Centre", pluck="name", order_by="centre_name asc"),
		"categories": frappe.get_all("Request Category", pluck="name", order_by="name asc"),
	}


def clean(form: dict) -> dict:
	"""The submitted values, checked; ReferralInError with the first problem otherwise."""
	values = {field: cstr(form.get(field)).strip()[: MAX_LENGTH.get(field, 140)] for field in FIELDS}
	for field, message in REQUIRED.items():
		if not values[field]:
			raise ReferralInError(message)
	offered = choices()
	if values["centre"] not in offered["centres"]:
		raise ReferralInError(REQUIRED["centre"])
	if values["request_category"] not in offered["categories"]:
		raise ReferralInError(REQUIRED["request_category"])
	if values["person_agreed"] not in ("1", "on"):
		raise ReferralInError("Η παραπομπή γίνεται μόνο αν το άτομο συμφωνεί: ρωτήστε το πρώτα.")
	values["person_agreed"] = 1
	if not (values["agency_phone"] or values["agency_email"]):
		raise ReferralInError("Γράψτε ένα τηλέφωνο ή ένα e-mail του φορέα, για να σας απαντήσει το Κέντρο.")
	if values["agency_email"] and not validate_email_address(values["agency_email"]):
		raise ReferralInError("Το e-mail του φορέα δεν είναι έγκυρο.")
	try:
		values["person_phone"] = identity.normalise_phone(values["person_phone"])
		if values["agency_phone"]:
			values["agency_phone"] = identity.normalise_phone(values["agency_phone"])
	except frappe.ValidationError:
		frappe.local.message_log = []
		raise ReferralInError("Ο αριθμός τηλεφώνου δεν είναι έγκυρος.") from None
	return values


def submit(values: dict) -> tuple[str, str]:
	"""Record a checked referral: (the Inbound Referral's name, the status token to give the agency).
	The public page runs as Guest; the records are written as the system, for the chosen centre."""
	token = secrets.token_urlsafe(24)
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		visit = frappe.get_doc(
			{
				"doctype": "Front Desk Visit",
				"centre": values["centre"],
				"visit_datetime": now_datetime(),
				"channel": "Referred by agency",
				"request_category": values["request_category"],
				"visitor_first_name": values["person_first_name"],
				"visitor_last_name": values["person_last_name"],
				"visitor_phone": values["person_phone"],
				"notes": (
					f"Παραπομπή από {values['agency_name']} ({values['agency_contact']}, "
					f"{values['agency_phone'] or values['agency_email']}): {values['reason']}"
				)[:2000],
			}
		).insert(ignore_permissions=True)
		referral = frappe.get_doc(
			{
				"doctype": "Inbound Referral",
				**values,
				"submitted_on": now_datetime(),
				"front_desk_visit": visit.name,
				"status": "Received",
				"token_hash": hash_token(token),
			}
		).insert(ignore_permissions=True)
	finally:
		frappe.set_user(user)
	return referral.name, token


def status_of(token: str | None) -> dict | None:
	"""What the agency's link shows, or None for a token that matches nothing."""
	if not token or len(token) > 100:
		return None
	row = frappe.db.get_value(
		"Inbound Referral",
		{"token_hash": hash_token(token)},
		["name", "centre", "submitted_on", "status", "front_desk_visit"],
		as_dict=True,
	)
	if not row:
		return None
	status = row.status
	if status in ("Received", "In progress") and row.front_desk_visit:
		if frappe.db.get_value("Front Desk Visit", row.front_desk_visit, "case"):
			status = "Case opened"
	return {
		"reference": row.name,
		"centre": row.centre,
		"submitted_on": row.submitted_on,
		"status": STATUS_LABELS.get(status, STATUS_LABELS["Received"]),
	}
