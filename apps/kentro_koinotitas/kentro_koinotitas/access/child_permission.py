"""A fix to Frappe's permission check of a child-table row loaded on its own.

`frappe.permissions.has_child_permission` (v15.55.1) checks the parent with
`getattr(child_doc, "parent_doc", child_doc.parent)`: a row loaded by name (`frappe.get_doc("Case Need
Assessment", name)`, as `frappe.client.get`, `getdoc`, the print view and `run_doc_method` do) has a
`parent_doc` property that answers None, so the parent is checked as a DocType, not as the record, and
any user who may read Cases reads every Case's rows. `install()` (with the query guard, per process)
hands the check a row whose parent is named, so the parent record itself is checked — centre, permission
level of the table field and all. Remove when Frappe resolves the parent record itself.
"""

from types import SimpleNamespace

import frappe
import frappe.permissions
from frappe.model.base_document import BaseDocument

_original = frappe.permissions.has_child_permission


def has_child_permission(
	child_doctype,
	ptype="read",
	child_doc=None,
	user=None,
	raise_exception=True,
	parent_doctype=None,
	*,
	debug=False,
):
	if isinstance(child_doc, str):
		# a row named by the caller (the socket.io server's `can_subscribe_doc`): Frappe loads it as a
		# `frappe._dict`, whose missing `parent_doc` is None, and checks only the parent's DocType
		child_doc = frappe.db.get_value(
			child_doctype, child_doc, ["name", "parent", "parenttype", "parentfield"], as_dict=True
		)
		if not child_doc:
			return _original(child_doctype, ptype, None, user, raise_exception, parent_doctype, debug=debug)
	if isinstance(child_doc, dict) and child_doc.get("parent"):
		child_doc = SimpleNamespace(
			name=child_doc.get("name"),
			parent=child_doc.get("parent"),
			parenttype=child_doc.get("parenttype"),
			parentfield=child_doc.get("parentfield"),
		)
	elif isinstance(child_doc, BaseDocument) and child_doc.parent and child_doc.parent_doc is None:
		child_doc = SimpleNamespace(
			name=child_doc.name,
			parent=child_doc.parent,
			parenttype=child_doc.parenttype,
			parentfield=child_doc.parentfield,
		)
	return _original(
		child_doctype,
		ptype,
		child_doc,
		user,
		raise_exception,
		parent_doctype,
		debug=debug,
	)


def install() -> None:
	if frappe.permissions.has_child_permission is not has_child_permission:
		frappe.permissions.has_child_permission = has_child_permission
