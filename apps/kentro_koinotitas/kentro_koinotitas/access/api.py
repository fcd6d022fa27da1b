"""Frappe's whitelisted methods that read records without the permission checks the rest of Frappe
applies, replaced (hooks: `override_whitelisted_methods`) by versions that answer only from what the user
may read. Each keeps Frappe's signature and response shape.

- `frappe.client.get_count` counts with `frappe.db.count`, ignoring permissions: counted here through
  `frappe.get_list`, within the user's centres and readable fields.
- `frappe.client.get` with filters finds the record with an unchecked query, so "not permitted" and
  "does not exist" told apart records of other centres: found here through `frappe.get_list`.
- `frappe.client.validate_link` answered whether any record of that name exists.
- `frappe.desk.form.load.getdoc` and `get_docinfo` return the change log with every field's old and new
  values: filtered here to the fields the user may read.
- `frappe.desk.query_report.run` loads any stored prepared-report result named in its filters: here only
  the user's own.
"""

import frappe
from frappe import _
from frappe.client import check_parent_permission
from frappe.desk.form import load
from frappe.desk.query_report import run as frappe_run_report

from kentro_koinotitas.access.scope import is_app_doctype
from kentro_koinotitas.access.versions import filter_docinfo_versions


@frappe.whitelist()
def get_count(
	doctype: str,
	filters: dict | list | str | None = None,
	debug: bool = False,
	cache: bool = False,
	parent: str | None = None,
) -> int:
	if frappe.is_table(doctype):
		check_parent_permission(parent, doctype)
	rows = frappe.get_list(
		doctype,
		filters=frappe.client.get_safe_filters(filters),
		fields=["count(*) as total_count"],
		order_by="",
		parent_doctype=parent,
		limit_page_length=0,
	)
	return rows[0].total_count if rows else 0


@frappe.whitelist()
def get(
	doctype: str, name: str | None = None, filters: dict | list | str | None = None, parent: str | None = None
) -> dict:
	if not name and filters not in (None, ""):
		matches = frappe.get_list(
			doctype,
			filters=frappe.parse_json(filters),
			pluck="name",
			limit_page_length=1,
			parent_doctype=parent,
		)
		if not matches:
			raise frappe.DoesNotExistError(_("{0} not found").format(_(doctype)))
		name = matches[0]
	return frappe.client.get(doctype, name=name, parent=parent)


@frappe.whitelist()
def validate_link(doctype: str, docname: str, fields: list | str | None = None) -> dict:
	if is_app_doctype(doctype) and (
		frappe.get_meta(doctype).istable
		or (frappe.db.exists(doctype, docname) and not frappe.has_permission(doctype, "read", doc=docname))
	):
		frappe.clear_last_message()
		return frappe._dict()  # what Frappe answers for a record that does not exist
	return frappe.client.validate_link(doctype, docname, fields)


@frappe.whitelist()
def getdoc(doctype: str, name: str, user: str | None = None):
	load.getdoc(doctype, name)
	filter_docinfo_versions(frappe.response.get("docinfo"))


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	if doc is not None:  # the client may only name a record; a document object is for server callers
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	load.get_docinfo(doctype=doctype, name=name)
	filter_docinfo_versions(frappe.response.get("docinfo"))


@frappe.whitelist()
def run_report(
	report_name: str,
	filters: dict | str | None = None,
	user: str | None = None,
	ignore_prepared_report: bool = False,
	custom_columns: list | str | None = None,
	is_tree: bool = False,
	parent_field: str | None = None,
	are_default_filters: bool = True,
):
	parsed = frappe.parse_json(filters) if filters else {}
	if isinstance(parsed, dict) and parsed.get("prepared_report_name"):
		owner = frappe.db.get_value("Prepared Report", parsed["prepared_report_name"], "owner")
		if owner != frappe.session.user:
			frappe.throw(_("You can open only the prepared reports you ran."), frappe.PermissionError)
	return frappe_run_report(
		report_name,
		filters=filters,
		user=frappe.session.user,
		ignore_prepared_report=ignore_prepared_report,
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)
