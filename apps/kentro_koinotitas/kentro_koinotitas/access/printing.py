"""Printing shows what the form shows.

`before_print` of every DocType (hooks.py, "*"), for the app's DocTypes: fields above the user's
permission level are removed before any print format (the app's, Frappe's standard one or a copy made by
municipal IT) renders the document; and a document passed to the print preview unsaved or changed
(`frappe.www.printview.get_html_and_style` accepts one) may name only records the user may read, exactly
as saving it would require. The print helpers check every record they load as well
(`reporting/print_helpers.py`).
"""

import frappe

from kentro_koinotitas.access import audit
from kentro_koinotitas.access.records import check_links
from kentro_koinotitas.access.scope import has_permission
from kentro_koinotitas.meta import app_doctypes_only


@app_doctypes_only
def hide_unreadable_fields(doc, method=None, settings=None) -> None:
	if has_permission(doc, "print") is False:
		raise frappe.PermissionError
	stored = (
		frappe.get_doc(doc.doctype, doc.name)
		if doc.name and frappe.db.exists(doc.doctype, doc.name)
		else None
	)
	if stored is not None and has_permission(stored, "read") is False:
		raise frappe.PermissionError  # a document sent to the preview under another record's name
	check_links(doc, before=stored, refuse_missing=True)
	doc.apply_fieldlevel_read_permissions()
	audit.record_doc(stored, audit.print_kind())
