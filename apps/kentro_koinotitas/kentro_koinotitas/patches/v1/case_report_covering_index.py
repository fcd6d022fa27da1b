"""Sites installed before the Case's report index held the person: add it (a migration only runs
`on_doctype_update` when the DocType itself changes) and drop the `(centre, opened_on)` index it replaces."""

import frappe

from kentro_koinotitas.casework.doctype.case.case import on_doctype_update

SUPERSEDED = "centre_opened_on_index"


def execute():
	on_doctype_update()
	if frappe.db.has_index("tabCase", SUPERSEDED):
		frappe.db.sql_ddl(f"alter table `tabCase` drop index `{SUPERSEDED}`")
