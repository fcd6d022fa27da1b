"""Which fields of an app DocType a user may read, by permission level, including child tables.

Frappe drops unreadable columns from a query's select list, but not from its filters, sort or grouping,
and it reads a child table's columns at the child's own level (0) whatever the level of the parent's
table field. These helpers give the whole answer, for the query guard, change logs and print.
"""

import frappe

from kentro_koinotitas.access.scope import can_read_level
from kentro_koinotitas.meta import is_app_doctype


def unreadable_fields(doctype: str, user: str | None = None, parent_doctype: str | None = None) -> set[str]:
	"""Fieldnames of the DocType above the user's level (for a child table read through its parent: every
	field when the parent's table field is above the user's level)."""
	user = user or frappe.session.user
	if user == "Administrator" or not is_app_doctype(doctype):
		return set()
	meta = frappe.get_meta(doctype)
	levels = {0}
	if meta.istable:
		if parent_doctype and not readable_table(parent_doctype, doctype, user):
			return {df.fieldname for df in meta.fields}
		if parent_doctype:
			levels.update(frappe.get_meta(parent_doctype).get_permlevel_access("read", user=user))
	else:
		levels.update(meta.get_permlevel_access("read", user=user))
	return {df.fieldname for df in meta.fields if (df.permlevel or 0) not in levels}


def readable_table(parent_doctype: str, child_doctype: str, user: str | None = None) -> bool:
	"""Whether the user may read every table field of the parent that holds this child DocType."""
	user = user or frappe.session.user
	meta = frappe.get_meta(parent_doctype)
	fields = [df for df in meta.get_table_fields() if df.options == child_doctype]
	return bool(fields) and all(can_read_level(parent_doctype, df.permlevel or 0, user) for df in fields)
