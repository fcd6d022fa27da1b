"""No oracles: a permission-checked query of an app DocType may name only fields the user may read.

Frappe removes unreadable columns from a query's select list, but lets filters, sorting and grouping use
any column, and reads a child table's columns at the child's own level whatever the level of the parent's
table field. So a receptionist could ask "is there a delivery whose session notes start with 'a'" or list
the vulnerable groups of a Beneficiary through a join, one yes/no at a time.

Every list, count, report view, export, link search and `frappe.client` read goes through
`DatabaseQuery.execute`. `install()` (run by the `before_request` and `before_job` hooks) wraps it once
per process: when the query applies permissions and its DocType belongs to the app, every field it names
in filters, sort, grouping or a child-table column must be one the user may read, else the query is
refused with the same message whatever the data. Queries run with `ignore_permissions` (the app's own
code) are not touched.

Written for Frappe v15 (checked on v15.55.1): `install` refuses to wrap a `DatabaseQuery.execute` whose
parameters differ from the ones read here, so an upgrade cannot silently switch the guard off.
"""

import inspect
import re

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery

from kentro_koinotitas.access.fields import readable_table, unreadable_fields
from kentro_koinotitas.meta import is_app_doctype

READS = ("fields", "filters", "or_filters", "order_by", "group_by", "ignore_permissions", "user")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
TABLE = re.compile(r"`?tab([A-Za-z0-9 _-]+?)`?\.")


class FieldNotPermittedError(frappe.PermissionError):
	pass


def install() -> None:
	"""Wrap `DatabaseQuery.execute` once per process (idempotent)."""
	current = DatabaseQuery.execute
	if getattr(current, "kentro_guard", False):
		return
	parameters = inspect.signature(current).parameters
	missing = [name for name in (*READS, "parent_doctype") if name not in parameters]
	if not frappe.__version__.startswith("15.") or missing:
		raise RuntimeError(
			f"kentro_koinotitas.access.query was written for Frappe v15's DatabaseQuery.execute; "
			f"found Frappe {frappe.__version__}, missing parameters {missing}. Review the guard."
		)
	signature = inspect.signature(current)

	def execute(self, *args, **kwargs):
		arguments = signature.bind(self, *args, **kwargs).arguments
		if not arguments.get("ignore_permissions"):
			check_query(
				self.doctype,
				fields=arguments.get("fields"),
				filters=arguments.get("filters"),
				or_filters=arguments.get("or_filters"),
				order_by=arguments.get("order_by"),
				group_by=arguments.get("group_by"),
				user=arguments.get("user"),
				parent_doctype=arguments.get("parent_doctype"),
			)
		return current(self, *args, **kwargs)

	execute.kentro_guard = True
	execute.__wrapped__ = current
	DatabaseQuery.execute = execute


def refuse() -> None:
	frappe.throw(
		_("You cannot filter, sort or group by a field you are not permitted to read."),
		FieldNotPermittedError,
		title=_("Not permitted"),
	)


def check_query(
	doctype: str,
	*,
	fields=None,
	filters=None,
	or_filters=None,
	order_by=None,
	group_by=None,
	user: str | None = None,
	parent_doctype: str | None = None,
) -> None:
	user = user or frappe.session.user
	if user == "Administrator" or not is_app_doctype(doctype):
		return
	check = _Checker(doctype, user, parent_doctype)
	for value in (filters, or_filters):
		check.filters(value)
	# Frappe takes fields given as a dict or a list of lists for the filters
	if isinstance(fields, dict) or (
		isinstance(fields, list | tuple) and fields and isinstance(fields[0], list | tuple)
	):
		check.filters(fields)
	else:
		check.expressions(fields, select=True)
	for value in (order_by, group_by):
		check.expressions(value)


class _Checker:
	def __init__(self, doctype: str, user: str, parent_doctype: str | None):
		self.doctype, self.user, self.parent_doctype = doctype, user, parent_doctype
		self.children = {
			df.options for df in frappe.get_meta(doctype).get_table_fields() if is_app_doctype(df.options)
		}

	def hidden(self, doctype: str) -> set[str]:
		if doctype == self.doctype:
			return unreadable_fields(doctype, self.user, self.parent_doctype)
		if doctype in self.children:
			return unreadable_fields(doctype, self.user, self.doctype)
		return set()

	def field(self, doctype: str | None, fieldname) -> None:
		if not isinstance(fieldname, str):
			return
		doctype = doctype or self.doctype
		if "." in fieldname:
			table, fieldname = fieldname.split(".", 1)
			doctype = table.strip("`").removeprefix("tab")
		fieldname = fieldname.strip("` ")
		if doctype in self.children and not readable_table(self.doctype, doctype, self.user):
			refuse()
		if fieldname in self.hidden(doctype):
			refuse()

	def filters(self, value) -> None:
		if not value:
			return
		if isinstance(value, str):
			value = frappe.parse_json(value) if value.strip()[:1] in "[{" else value
		if isinstance(value, dict):
			for key in value:
				self.field(None, key)
			return
		if not isinstance(value, list | tuple):
			return
		for item in value:
			if isinstance(item, dict):
				self.filters(item)
			elif isinstance(item, list | tuple) and len(item) >= 4 and isinstance(item[0], str):
				self.field(item[0], item[1])
			elif isinstance(item, list | tuple) and item:
				self.field(None, item[0])
			elif isinstance(item, str):
				self.expressions(item)  # a raw SQL condition

	def expressions(self, value, select: bool = False) -> None:
		"""Columns named in sort and grouping (raw SQL fragments) and child tables named in the select
		list (Frappe itself drops the parent's unreadable columns from the select list)."""
		if not value or not isinstance(value, str | list | tuple):
			return
		for expression in [value] if isinstance(value, str) else value:
			if not isinstance(expression, str):
				continue
			for child in self.children:
				if f"tab{child}" in expression and not readable_table(self.doctype, child, self.user):
					refuse()
			words = set(IDENTIFIER.findall(expression))
			if not select and words & self.hidden(self.doctype):
				refuse()
			for child in self.children & {m.strip() for m in TABLE.findall(expression)}:
				if words & self.hidden(child):
					refuse()
