"""Record-level access for every DocType of the app: Frappe's `permission_query_conditions` and
`has_permission` hooks (registered for "*" in hooks.py, acting only on the app's DocTypes).

- A DocType with a Link to Community Centre is read within the user's centres (`access/centres.py`);
  the Community Centre itself by its name.
- A child table is read only through a parent the user may read, and only when the user may read the
  permission level of the parent's table field: listing `Beneficiary Vulnerable Group` directly gives
  what the Beneficiary form gives, not more.
- A master without a centre (services, vulnerable groups, partner organisations) follows its role
  permissions alone.
- A record between two centres (`SHARED_CENTRE_FIELDS`: a case transfer) is read by the staff of either
  centre; it holds only what both may know (`access/transfers.py`).

These hooks apply to list and report views, `frappe.client.*`, link search, counts, exports and every
`frappe.get_list` that does not ignore permissions, and to every document-level permission check (form,
REST, print, attachments).
"""

import frappe
from frappe.utils.caching import site_cache

from kentro_koinotitas.access import centres, partners
from kentro_koinotitas.meta import from_meta, is_app_doctype

CENTRE = "Community Centre"
# Records read from each of several centres: the first field is the record's own centre (it is created
# there, `records.check_centre`), the others the centres it is addressed to
SHARED_CENTRE_FIELDS = {"Case Transfer": ("from_centre", "to_centre")}


def centre_field(doctype: str) -> str | None:
	"""The field holding a record's centre: `name` for the centre itself, else its first Link to a
	Community Centre (a DocType without one is not centre-bound)."""
	if doctype == CENTRE:
		return "name"
	return from_meta(doctype, _centre_link)


def _centre_link(meta) -> str | None:
	if meta.istable:
		return None
	return next((df.fieldname for df in meta.get_link_fields() if df.options == CENTRE), None)


@site_cache()
def table_parents(child_doctype: str) -> list[tuple[str, str, int]]:
	"""(parent DocType, table field, permission level) of every app DocType that holds this table."""
	return [
		(row.parent, row.fieldname, row.permlevel or 0)
		for row in frappe.get_all(
			"DocField",
			filters={"fieldtype": ("in", ("Table", "Table MultiSelect")), "options": child_doctype},
			fields=["parent", "fieldname", "permlevel"],
			order_by="parent, idx",
		)
		if is_app_doctype(row.parent)
	]


def can_read_level(doctype: str, permlevel: int, user: str, ptype: str = "read") -> bool:
	if not permlevel or user == "Administrator":
		return True
	return permlevel in frappe.get_meta(doctype).get_permlevel_access(ptype, user=user)


def centre_fields(doctype: str) -> tuple[str, ...]:
	"""Every field whose centre lets its staff read the record (none: not centre-bound)."""
	if doctype in SHARED_CENTRE_FIELDS:
		return SHARED_CENTRE_FIELDS[doctype]
	field = centre_field(doctype)
	return (field,) if field else ()


def parent_condition(doctype: str, user: str) -> str:
	"""The centre condition of a (non-child) app DocType as SQL on its own table ('' for none)."""
	conditions = [
		centres.sql_condition(f"`tab{doctype}`.`{field}`", user) for field in centre_fields(doctype)
	]
	if not conditions or "" in conditions:
		return ""
	return conditions[0] if len(conditions) == 1 else f"({' OR '.join(conditions)})"


def records_subquery(doctype: str, user: str) -> str:
	"""`SELECT name` of the records of a centre-bound DocType the user may read ('' when all of them)."""
	if scope := parent_condition(doctype, user):
		return f"SELECT `tab{doctype}`.name FROM `tab{doctype}` WHERE {scope}"  # nosec B608 # metadata names
	return ""


def child_condition(doctype: str, user: str) -> str:
	parts = []
	for parent, fieldname, permlevel in table_parents(doctype):
		if not frappe.has_permission(parent, "read", user=user) or not can_read_level(
			parent, permlevel, user
		):
			continue
		condition = (
			f"`tab{doctype}`.parenttype = {frappe.db.escape(parent)}"
			f" AND `tab{doctype}`.parentfield = {frappe.db.escape(fieldname)}"
		)
		if subquery := records_subquery(parent, user):
			condition += f" AND `tab{doctype}`.parent IN ({subquery})"
		parts.append(f"({condition})")
	return f"({' OR '.join(parts)})" if parts else "1=0"


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for every app DocType."""
	user = user or frappe.session.user
	if not doctype or user == "Administrator" or not is_app_doctype(doctype):
		return ""
	if frappe.get_meta(doctype).istable:
		return child_condition(doctype, user)
	return parent_condition(doctype, user)


def record_centre(doc) -> str | None:
	field = centre_field(doc.doctype)
	return doc.get(field) if field else None


def in_scope(doc, user: str | None = None) -> bool:
	"""Whether the user's centres cover the record (a record with no centre field always is)."""
	fields = centre_fields(doc.doctype)
	return not fields or any(centres.can_read_centre(doc.get(field), user) for field in fields)


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` for every app DocType: deny a record outside the user's centres (None: no
	objection, Frappe's role permissions decide)."""
	user = user or frappe.session.user
	if user == "Administrator" or not is_app_doctype(doc.doctype):
		return None
	partner = partners.acting_on(doc, user)
	if partner is not None:
		return None if partner else False
	field = centre_field(doc.doctype)
	if not field:
		return None
	if doc.get(field) is None and doc.is_new() and ptype == "create":
		return None  # the controller fills the centre in `validate`; `check_record` then decides
	fields = centre_fields(doc.doctype)
	if not any(centres.can_read_centre(doc.get(f), user) for f in fields):
		if ptype == "create" and doc.is_new() and user == frappe.session.user:
			# Frappe has filled in the centre from a linked record (`fetch_from`) before asking: a link to
			# another centre's record gets the answer for a record that does not exist
			from kentro_koinotitas.access.records import check_links

			check_links(doc, refuse_missing=True)
		return False
	if field != "name" and doc.name and not doc.is_new():
		# a document sent by the client (print preview, API v2 methods) may claim another centre than
		# the record stored under its name: the stored record decides
		stored = frappe.db.get_value(doc.doctype, doc.name, list(fields), as_dict=True)
		if (
			stored
			and any(stored.get(f) != doc.get(f) for f in fields)
			and not any(centres.can_read_centre(stored.get(f), user) for f in fields)
		):
			return False
	return None
