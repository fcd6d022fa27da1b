"""Rules shared by the DocTypes that list participants (group sessions, group activities)."""

import frappe
from frappe import _


def validate_unique_participants(rows) -> None:
	"""Each beneficiary appears once in a participants table."""
	seen = set()
	for row in rows:
		if row.beneficiary in seen:
			frappe.throw(
				_("Participant row {0}: {1} is listed twice.").format(
					row.idx, row.beneficiary_name or row.beneficiary
				)
			)
		seen.add(row.beneficiary)
