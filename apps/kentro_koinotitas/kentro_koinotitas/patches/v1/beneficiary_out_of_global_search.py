"""People are found by the registry's own search (`registry/search.py`), never through Frappe's
`__global_search` table: the copies of their names, ΑΜΚΑ, ΑΦΜ and phones that Frappe kept there (the
Beneficiary's fields were marked `in_global_search`) were read by nothing and isolated by no centre.
Remove them, including the ones still queued in Redis for the next sync."""

import frappe
from frappe.utils.global_search import sync_global_search


def execute():
	sync_global_search()  # what is queued is written first, then removed with the rest
	frappe.db.delete("__global_search", {"doctype": "Beneficiary"})
