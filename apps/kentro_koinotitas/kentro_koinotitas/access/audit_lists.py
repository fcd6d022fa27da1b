"""The access log of personal data for reads of values and lists (`access/audit.py` logs forms, REST reads
of a document, prints, reports and exports).

What is logged, row by row (the records of `audit.TRACKED` an answer names, at most `audit.LIMIT`):

- `frappe.client.get_value`: always (one record; kind "REST read", detail "get_value").
- List reads (`frappe.client.get_list`, `frappe.desk.reportview.get` and `get_list`, and the REST lists
  `/api/resource/<DocType>` and `/api/v2/document/<DocType>`; kind "List"), when the answer
  - names at most `LOOKUP` records: a look-up of a person (filtered by ΑΜΚΑ, name or phone), or
  - names more than `BULK` records: a bulk read, or
  - holds a field above permission level 0 (special categories, session notes).

Not logged: browsing a list page (6 to 100 records with level-0 fields, which is what the desk's list
views show), group-by counts (no record is named), link search and the awesome bar (they name a person
the user then opens, and that read is logged). Logging every row of every page view would add 20 rows
per page load and refresh and drown the reads a Data Protection Officer looks for.
"""

import json
import re

import frappe
from frappe import client
from frappe.desk import reportview

from kentro_koinotitas.access import audit

LIST = "List"
LOOKUP = 5
BULK = 100
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _fields(fields) -> list[str]:
	if isinstance(fields, str):
		try:
			fields = json.loads(fields)
		except ValueError:
			fields = [fields]
	return [field for field in fields or [] if isinstance(field, str)]


def _above_level_0(doctype: str, fields) -> bool:
	"""Whether the requested fields name a field (or a table) above permission level 0."""
	meta = frappe.get_meta(doctype)
	levels = {df.fieldname: df.permlevel or 0 for df in meta.fields}
	return any(levels.get(word, 0) > 0 for field in _fields(fields) for word in _WORD.findall(field))


def _should_log(doctype: str, count: int, fields) -> bool:
	if doctype not in audit.TRACKED or not count:
		return False
	return count <= LOOKUP or count > BULK or _above_level_0(doctype, fields)


def _names_of(rows: list, keys: list | None = None) -> list[str] | None:
	"""The `name` of each row (dicts, or lists with `keys`), None when the answer does not hold it."""
	if keys is not None:
		if "name" not in keys:
			return None
		index = keys.index("name")
		return [row[index] for row in rows if len(row) > index]
	if rows and all(isinstance(row, dict) and row.get("name") for row in rows):
		return [row["name"] for row in rows]
	return None


def log_list(doctype: str, rows: list, fields, args: dict, keys: list | None = None) -> None:
	"""Log the records of a list answer (found again by the request's filters when it has no `name`)."""
	if not isinstance(rows, list) or args.get("group_by") or not _should_log(doctype, len(rows), fields):
		return
	names = _names_of(rows, keys)
	if names is None:
		names = frappe.get_list(
			doctype,
			filters=args.get("filters"),
			or_filters=args.get("or_filters"),
			order_by=args.get("order_by"),
			limit_start=args.get("limit_start") or args.get("start") or 0,
			limit_page_length=len(rows),
			pluck="name",
		)
	audit.record(doctype, names, LIST, detail=frappe.form_dict.get("cmd") or "REST")


@frappe.whitelist()
def get_value(doctype, fieldname, filters=None, as_dict=True, debug=False, parent=None):
	"""`frappe.client.get_value`, logged."""
	value = client.get_value(doctype, fieldname, filters=filters, as_dict=as_dict, debug=debug, parent=parent)
	if doctype in audit.TRACKED and value:
		parsed = (
			frappe.parse_json(filters)
			if isinstance(filters, str) and filters.startswith(("{", "["))
			else filters
		)
		if isinstance(parsed, str):
			names = [parsed] if frappe.db.exists(doctype, parsed) else []
		else:
			names = frappe.get_list(doctype, filters=parsed, pluck="name", limit_page_length=1)
		audit.record(doctype, names, audit.REST, detail="get_value")
	return value


@frappe.whitelist()
def get_list(
	doctype,
	fields=None,
	filters=None,
	group_by=None,
	order_by=None,
	limit_start=None,
	limit_page_length=20,
	parent=None,
	debug: bool = False,
	as_dict: bool = True,
	or_filters=None,
):
	"""`frappe.client.get_list`, logged as the module says."""
	rows = client.get_list(
		doctype,
		fields=fields,
		filters=filters,
		group_by=group_by,
		order_by=order_by,
		limit_start=limit_start,
		limit_page_length=limit_page_length,
		parent=parent,
		debug=debug,
		as_dict=as_dict,
		or_filters=or_filters,
	)
	args = {"filters": filters, "or_filters": or_filters, "order_by": order_by, "limit_start": limit_start}
	log_list(doctype, rows, fields, {**args, "group_by": group_by})
	return rows


@frappe.whitelist()
@frappe.read_only()
def reportview_get():
	"""`frappe.desk.reportview.get` (the desk's list and report views), logged as the module says."""
	args = reportview.get_form_params()
	data = reportview.get()
	if isinstance(data, dict):
		log_list(args.doctype, data.get("values") or [], args.fields, args, keys=data.get("keys") or [])
	return data


@frappe.whitelist()
@frappe.read_only()
def reportview_get_list():
	"""`frappe.desk.reportview.get_list`, logged as the module says."""
	args = reportview.get_form_params()
	data = reportview.get_list()
	log_list(args.doctype, data, args.fields, args)
	return data


def after_rest_list(response, doctype: str) -> None:
	"""The REST lists (API v1 and v2), from `audit.after_request`."""
	if doctype not in audit.TRACKED:
		return
	try:
		rows = json.loads(response.get_data()).get("data")
	except (ValueError, AttributeError):
		return
	form = frappe.form_dict
	args = {key: form.get(key) for key in ("filters", "or_filters", "order_by", "limit_start", "group_by")}
	log_list(doctype, rows, form.get("fields"), args)
