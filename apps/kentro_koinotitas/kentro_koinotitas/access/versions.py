"""Change logs that show only what the user may read.

Frappe's form timeline (`docinfo.versions`) returns each Version's raw diff to anyone who can open the
record, level-1 vulnerable groups and level-2 session notes included. `filter_version_data` keeps the
changes to fields the user may read; Version and Deleted Document records of an app DocType are readable
directly only by a user who may read every level of it (`has_permission` / `query_conditions` below).
"""

import json

import frappe

from kentro_koinotitas.access.fields import unreadable_fields
from kentro_koinotitas.meta import app_doctypes, is_app_doctype

RECORDS_OF = {"Version": "ref_doctype", "Deleted Document": "deleted_doctype"}


def filter_version_data(doctype: str, data: str | dict, user: str | None = None) -> str:
	"""A Version's `data` with the changes to unreadable fields and tables removed."""
	diff = json.loads(data) if isinstance(data, str) else dict(data)
	hidden = unreadable_fields(doctype, user)
	tables = {df.fieldname: df.options for df in frappe.get_meta(doctype).get_table_fields()}

	def child_hidden(table_field: str) -> set[str] | None:
		"""None: the whole table is hidden."""
		if table_field in hidden or table_field not in tables:
			return None
		return unreadable_fields(tables[table_field], user, doctype)

	diff["changed"] = [row for row in diff.get("changed") or [] if row[0] not in hidden]
	for key in ("added", "removed"):
		kept = []
		for table_field, row in diff.get(key) or []:
			child = child_hidden(table_field)
			if child is None:
				continue
			kept.append([table_field, {k: v for k, v in row.items() if k not in child}])
		diff[key] = kept
	row_changed = []
	for table_field, idx, name, changes in diff.get("row_changed") or []:
		child = child_hidden(table_field)
		if child is None:
			continue
		changes = [change for change in changes if change[0] not in child]
		if changes:
			row_changed.append([table_field, idx, name, changes])
	diff["row_changed"] = row_changed
	return json.dumps(diff, ensure_ascii=False)


def filter_docinfo_versions(docinfo) -> None:
	if not docinfo or not is_app_doctype(docinfo.get("doctype")):
		return
	for version in docinfo.get("versions") or []:
		version["data"] = filter_version_data(docinfo["doctype"], version.get("data") or "{}")


def reads_every_level(doctype: str, user: str) -> bool:
	return not unreadable_fields(doctype, user) and all(
		not unreadable_fields(df.options, user, doctype) for df in frappe.get_meta(doctype).get_table_fields()
	)


def _hidden_doctypes(user: str) -> list[str]:
	return [name for name in app_doctypes() if not reads_every_level(name, user)]


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for Version and Deleted Document."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	hidden = _hidden_doctypes(user)
	if not hidden:
		return ""
	column = f"`tab{doctype}`.`{RECORDS_OF[doctype]}`"
	return f"ifnull({column}, '') NOT IN ({', '.join(frappe.db.escape(d) for d in hidden)})"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	recorded = doc.get(RECORDS_OF[doc.doctype])
	if recorded and is_app_doctype(recorded) and not reads_every_level(recorded, user):
		return False
	return None
