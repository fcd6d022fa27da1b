"""Link integrity for the app's DocTypes.

Frappe v15 (seen on v15.55.1, ``BaseDocument.get_invalid_links``) skips the existence check of a Link
field that other fields fetch from when the linked record does not exist: ``get_value`` returns None
and the branch that reports the invalid link never runs. This hook reports such links for the app's
own DocTypes, with Frappe's own (translated) message.
"""

import frappe
from frappe import _

from kentro_koinotitas.meta import app_doctypes_only


@app_doctypes_only
def validate_fetched_links(doc, method=None) -> None:
	if doc.flags.ignore_links:
		return
	missing = []
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.get_link_fields():
			value = row.get(df.fieldname)
			if not value or not row.meta.get_fields_to_fetch(df.fieldname):
				continue
			if not frappe.db.exists(df.options, value):
				missing.append(link_label(row, df, value))
	if missing:
		throw_not_found(missing)


def link_label(row, df, value: str) -> str:
	"""How Frappe names a link it could not find (`BaseDocument.get_invalid_links`)."""
	label = _(df.label, context=df.parent)
	return f"{_('Row')} #{row.idx}: {label}: {value}" if row.get("parentfield") else f"{label}: {value}"


def throw_not_found(labels: list[str]) -> None:
	"""Frappe's own answer for links to records that do not exist (`Document._validate_links`)."""
	frappe.throw(_("Could not find {0}").format(", ".join(labels)), frappe.LinkValidationError)
