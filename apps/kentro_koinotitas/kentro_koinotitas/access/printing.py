"""Printing shows what the form shows: fields above the user's permission level are removed before any
print format (the app's, Frappe's standard one or a copy made by municipal IT) renders the document."""

APP_MODULES = {"Registry", "Directory", "Casework", "Reporting"}


def hide_unreadable_fields(doc, method=None, settings=None) -> None:
	if doc.meta.module in APP_MODULES:
		doc.apply_fieldlevel_read_permissions()
