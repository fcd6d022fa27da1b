"""Rules about a record's case that several casework DocTypes share."""

import frappe
from frappe import _


def validate_case_beneficiary(case: str | None, beneficiary: str | None) -> None:
	"""A record filed under a case is about that case's beneficiary (Programme Application, Referral,
	Service Delivery). A group session has no beneficiary of its own and is not checked."""
	if case and beneficiary and frappe.db.get_value("Case", case, "beneficiary") != beneficiary:
		frappe.throw(_("Case {0} belongs to another beneficiary.").format(case))
