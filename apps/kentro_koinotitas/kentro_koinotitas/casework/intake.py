"""From a front-desk contact to a registered beneficiary with an open case, without retyping."""

import frappe
from frappe import _

NO_DOCUMENTS_AT_DESK = "Δεν προσκομίστηκαν στοιχεία ταυτοποίησης στην υποδοχή"


def open_case_from_visit(visit_name: str) -> dict:
	"""Register the visitor (unless already registered) and open a case carrying the visit's request.

	Runs as one transaction: when the beneficiary or the case is refused, nothing is saved.
	"""
	visit = frappe.get_doc("Front Desk Visit", visit_name)
	visit.check_permission("write")
	if visit.case:
		frappe.throw(_("This visit already opened case {0}.").format(visit.case))
	if not visit.beneficiary and not (visit.visitor_first_name and visit.visitor_last_name):
		frappe.throw(
			_("Enter the visitor's first and last name, or choose a registered beneficiary, to open a case.")
		)

	savepoint = "open_case_from_visit"
	frappe.db.savepoint(savepoint)
	try:
		if not visit.beneficiary:
			beneficiary = frappe.get_doc(
				{
					"doctype": "Beneficiary",
					"first_name": visit.visitor_first_name,
					"last_name": visit.visitor_last_name,
					"phone": visit.visitor_phone,
					"amka": visit.visitor_amka,
					"home_centre": visit.centre,
					"no_identity_reason": None if visit.visitor_amka else NO_DOCUMENTS_AT_DESK,
				}
			).insert()
			visit.beneficiary = beneficiary.name
		case = frappe.get_doc(
			{
				"doctype": "Case",
				"beneficiary": visit.beneficiary,
				"centre": visit.centre,
				"channel": visit.channel,
				"front_desk_visit": visit.name,
				"requests": [{"request_category": visit.request_category, "description": visit.notes}],
			}
		).insert()
		visit.case = case.name
		visit.outcome = "Case opened"
		visit.save()
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		raise
	return {"beneficiary": visit.beneficiary, "case": case.name}
