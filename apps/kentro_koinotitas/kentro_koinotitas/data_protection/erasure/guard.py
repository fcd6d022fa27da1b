"""«Ανωνυμοποιημένος» is reached only through the DPO's anonymisation (which writes the record directly,
never through a save): a save that sets the status, or that changes a record already anonymised, is
refused. Registered as a `validate` hook of Beneficiary (hooks.py)."""

import frappe
from frappe import _

ANONYMISED = "Anonymised"


def check_anonymised_status(doc, method=None) -> None:
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before and before.status == ANONYMISED:
		frappe.throw(
			_("This person has been anonymised: the record can no longer be changed."),
			frappe.PermissionError,
			title=_("Anonymised"),
		)
	if doc.status == ANONYMISED:
		frappe.throw(
			_(
				"A person is anonymised only by the Data Protection Officer, from an approved erasure request or retention review."
			),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
