"""The data protection officer's view of the access log of personal data: "who accessed this record" on
a person's form (`js/beneficiary_access_log.js`). The log itself is written by `access/audit.py`."""

import frappe
from frappe.utils import get_fullname

from kentro_koinotitas.access import audit


@frappe.whitelist(methods=["GET"])
def get_access_history(beneficiary: str) -> list[dict]:
	"""The latest reads of the records about a person, for whoever may read the access log (the Data
	Protection Officer and System Manager)."""
	frappe.has_permission(audit.LOG, "read", throw=True)
	frappe.has_permission("Beneficiary", "read", doc=beneficiary, throw=True)
	rows = audit.history(beneficiary)
	for row in rows:
		row.user_name = get_fullname(row.user)
	return rows
