"""Legal holds: a beneficiary whose records a court, prosecutor, child-protection service, programme or
audit still needs is not anonymised or deleted (by the DPO's erasure or by the retention schedule).

A hold is a Legal Hold record that has not been lifted, or implicitly an open Programme Application of
the person: the programme's authority may still ask for the file behind it."""

import frappe
from frappe import _
from frappe.utils import getdate, today

# Programme Application statuses of an application not yet decided (Preparing, Submitted, Needs documents)
OPEN_APPLICATION_STATUSES = ("Preparing", "Submitted", "Needs documents")
IMPLICIT_HOLD_TYPE = "Open programme application"


def check_dates(doc) -> None:
	doc.reason = (doc.reason or "").strip()
	if not doc.reason:
		frappe.throw(_("Record the reason of the legal hold and the reference of the order or file."))
	if doc.lifted_on and doc.date_from and getdate(doc.lifted_on) < getdate(doc.date_from):
		frappe.throw(_("A legal hold cannot be lifted before the date it starts."))


def active_holds(beneficiary: str) -> list[dict]:
	"""The holds in force today on the person: each a dict of source (Legal Hold or Programme
	Application), name, hold_type, reason and date_from. Empty when nothing holds the person's records."""
	on = getdate(today())
	holds = [
		{"source": "Legal Hold", **row}
		for row in frappe.get_all(
			"Legal Hold",
			filters={"beneficiary": beneficiary, "date_from": ("<=", on)},
			or_filters=[["lifted_on", "is", "not set"], ["lifted_on", ">", on]],
			fields=["name", "hold_type", "reason", "date_from"],
			order_by="date_from asc",
		)
	]
	for row in frappe.get_all(
		"Programme Application",
		filters={"beneficiary": beneficiary, "status": ("in", OPEN_APPLICATION_STATUSES)},
		fields=["name", "programme", "status", "submitted_on", "creation"],
		order_by="creation asc",
	):
		holds.append(
			{
				"source": "Programme Application",
				"name": row.name,
				"hold_type": IMPLICIT_HOLD_TYPE,
				"reason": _("Application {0} to {1} is still open ({2}).").format(
					row.name, row.programme, _(row.status)
				),
				"date_from": row.submitted_on or getdate(row.creation),
			}
		)
	return holds


def is_on_hold(beneficiary: str) -> bool:
	return bool(active_holds(beneficiary))
