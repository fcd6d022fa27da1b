"""Who may do what to a transfer of a case (casework/transfers.py).

- Reading: the staff of the sending and of the receiving centre (`scope.SHARED_CENTRE_FIELDS`), every
  read path alike. The transfer holds only the summary; the case and the person stay readable by the
  sending centre alone until the transfer is accepted, and by the receiving centre alone after it (the
  services the sender delivered stay at the sender).
- Writing: after the request nothing of it changes but its decision. Only staff of the receiving centre
  accept or reject it, only staff of the sending centre cancel it (the workflow's conditions offer the
  actions to them; this check holds for every path that saves).
"""

import frappe
from frappe import _

from kentro_koinotitas.access.centres import can_read_centre
from kentro_koinotitas.access.workflow import trusted_server_code

# set by the workflow and the decision's bookkeeping
DECISION_FIELDS = frozenset(
	{"workflow_state", "status", "decided_by", "transferred_on", "home_centre_moved"}
	| {"imported_beneficiary", "imported_case"}
)
# what the deciding centre fills in while the transfer is pending
PENDING_FIELDS = {
	"Case Transfer": frozenset({"decision_note"}),
	"Incoming Case Transfer": frozenset({"decision_note", "person_consents", "consent_note"}),
}
# the status a decision leads to -> the field naming the centre whose staff may take it
DECIDED_BY_CENTRE = {"Accepted": "to_centre", "Rejected": "to_centre", "Cancelled": "from_centre"}


def staff_condition(field: str) -> str:
	"""A workflow transition's condition: the current user is on the staff list of the centre in `field`."""
	return (
		"frappe.db.get_value('Community Centre Staff', {'parenttype': 'Community Centre',"
		f" 'parent': doc.{field}, 'user': frappe.session.user}})"
	)


def check_transfer_change(transfer, method=None) -> None:
	"""`validate` of Case Transfer and Incoming Case Transfer."""
	if transfer.is_new() or trusted_server_code():
		return
	before = transfer.get_doc_before_save()
	if not before:
		return
	if before.status != "Pending":
		frappe.throw(
			_("A decided transfer does not change."), frappe.PermissionError, title=_("Not permitted")
		)
	changed = {
		df.fieldname
		for df in transfer.meta.fields
		if df.fieldtype not in ("Section Break", "Column Break", "Tab Break")
		and transfer.get(df.fieldname) != before.get(df.fieldname)
	}
	editable = PENDING_FIELDS.get(transfer.doctype, frozenset())
	if changed - DECISION_FIELDS - editable:
		frappe.throw(
			_("A transfer request does not change after it is made: cancel it and make a new one."),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	if transfer.status == before.status:
		if changed - editable:
			frappe.throw(
				_("The status of a transfer changes only through its actions."), frappe.PermissionError
			)
		return
	field = DECIDED_BY_CENTRE.get(transfer.status)
	if not field or not transfer.meta.has_field(field) or not can_read_centre(transfer.get(field)):
		frappe.throw(
			_(
				"Only the staff of the receiving centre accept or reject a transfer, and only the sending centre cancels it."
			),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
