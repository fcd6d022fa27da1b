"""The rules of a Data Subject Request (GDPR Art. 12 and 15-21): its deadline, who made it, its decision
and the exemption the DPO records for the access pack. Called by the DocType's controller."""

import frappe
from frappe import _
from frappe.utils import add_months, getdate, today

ONE_MONTH, EXTENDED_MONTHS = 1, 3  # Art. 12(3): one month, extendable by two further months
OPEN_STATUSES = ("Received", "Identity verified", "In progress", "Extended")
CLOSED_STATUSES = ("Completed", "Refused")
GRANTED = ("Granted", "Partly granted")
ERASURE = "Erasure (Art. 17)"
PACK_TYPES = ("Access (Art. 15)", "Portability (Art. 20)")
# An erasure request in these states with a granting decision lets the DPO anonymise the person
APPROVED_STATUSES = ("In progress", "Extended", "Completed")


def set_due_date(doc) -> None:
	if doc.status == "Extended":
		doc.extended = 1
	if doc.received_on:
		doc.due_date = add_months(getdate(doc.received_on), EXTENDED_MONTHS if doc.extended else ONE_MONTH)


def check_dates(doc) -> None:
	if doc.received_on and getdate(doc.received_on) > getdate(today()):
		frappe.throw(_("The date the request was received cannot be in the future."))
	if doc.response_date and doc.received_on and getdate(doc.response_date) < getdate(doc.received_on):
		frappe.throw(_("The response date cannot be before the date the request was received."))


def check_requester(doc) -> None:
	doc.requester_name = (doc.requester_name or "").strip()
	if not doc.beneficiary and not doc.requester_name:
		frappe.throw(
			_("Choose the beneficiary, or enter the name of a requester who is not in the registry.")
		)


def check_extension(doc) -> None:
	if doc.extended and not (doc.extension_reason or "").strip():
		frappe.throw(_("Record why the deadline is extended (GDPR Art. 12(3))."))
	before = doc.get_doc_before_save()
	if before and before.extended and not doc.extended:
		frappe.throw(_("An extended deadline cannot be shortened again."))


def check_decision(doc) -> None:
	if doc.decision == "Refused" and not (doc.refusal_legal_basis or "").strip():
		frappe.throw(_("A refusal needs its legal basis (the provision that allows it)."))
	if doc.status == "Completed" and doc.decision not in GRANTED:
		frappe.throw(_("Record the decision (granted or partly granted) before completing the request."))
	if doc.status == "Refused" and doc.decision != "Refused":
		frappe.throw(_("Set the decision to Refused, with its legal basis, before refusing the request."))
	if doc.status in CLOSED_STATUSES and not doc.response_date:
		doc.response_date = today()


def check_exemption(doc) -> None:
	if not doc.exempt_psychological_notes:
		return
	if doc.request_type not in PACK_TYPES:
		frappe.throw(
			_("An exemption of the psychologists' notes applies only to access and portability requests.")
		)
	if not (doc.exemption_reason or "").strip():
		frappe.throw(_("Record the reason the psychologists' notes are left out of the access pack."))


def is_approved_erasure(request: str, beneficiary: str) -> bool:
	"""An erasure request of this person, granted, in a state past identity verification."""
	row = frappe.db.get_value(
		"Data Subject Request",
		request,
		["request_type", "beneficiary", "status", "decision", "anonymised_on"],
		as_dict=True,
	)
	return bool(
		row
		and row.request_type == ERASURE
		and row.beneficiary == beneficiary
		and row.status in APPROVED_STATUSES
		and row.decision in GRANTED
		and not row.anonymised_on
	)
