"""The access log of personal data (DocType "Personal Data Access"): who read a record about a person,
when, from where and how.

Recorded for the records of `TRACKED` on every read path: the desk form (`access/api.getdoc`), REST reads
of the document (`/api/resource`, `/api/v2/document` through the `after_request` hook, and
`frappe.client.get`), values and lists (`access/audit_lists.py`, which says which list reads), print and PDF (`access/printing.py`), the rows of a report that name such records
(`access/api.run_report`) and exports (`access/api.export_data`, `export_query`). The subject-access
pack writes its own row (`data_protection/access_pack.py`).

Cheap by construction: a read adds rows to a buffer of the request, written with one multi-row INSERT and
a commit after the response has been sent (`frappe.request.after_response`); outside a request (jobs,
console, tests in-process) they are written at once, in the caller's transaction. A row holds the
person's ID, never a name, so anonymising a person leaves nothing of them in the log; the rows stay as
the record of who processed the data (Art. 5(2) GDPR). `purge_for` removes a person's rows for a
deletion that must reach them.

Rows are never changed: the DocType grants no role write, create or delete, and its controller refuses
every insert, change, rename or deletion that goes through the ORM (`refuse_change`).
"""

from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils import now_datetime

LOG = "Personal Data Access"
BENEFICIARY = "Beneficiary"
TRACKED = ("Beneficiary", "Case", "Service Delivery", "Referral", "Consent", "Household")
FORM, REST, LIST, PRINT, PDF, REPORT, EXPORT, ACCESS_PACK = (
	"Form",
	"REST read",
	"List",
	"Print",
	"PDF",
	"Report",
	"Export",
	"Access pack",
)
# what a partner organisation saw or answered from its link or login (partners/answers.py)
PARTNER_PORTAL = "Partner portal"
LIMIT = 1000  # rows logged for one report run or export (the records it names first)
COLUMNS = (
	"name",
	"accessed_on",
	"user",
	"access_kind",
	"ip_address",
	"beneficiary",
	"reference_doctype",
	"reference_name",
	"detail",
	"creation",
	"modified",
	"owner",
	"modified_by",
)
REST_PATHS = ("/api/resource/", "/api/v1/resource/", "/api/v2/document/")


def refuse_change(doc=None, method=None) -> None:
	"""The controller's check for insert, save, rename and delete: the log is written by this module only."""
	frappe.throw(
		_("The access log of personal data cannot be changed or deleted."),
		frappe.PermissionError,
		title=_("Not permitted"),
	)


# Who a record is about
# ---------------------


def _links(meta) -> list[str]:
	return [df.fieldname for df in meta.get_link_fields() if df.options == BENEFICIARY]


def _table_links(meta) -> list[tuple[str, str, str]]:
	"""(table field, child DocType, link field) of every child column that names a Beneficiary."""
	return [
		(table.fieldname, table.options, fieldname)
		for table in meta.get_table_fields()
		for fieldname in _links(frappe.get_meta(table.options))
	]


def people_of_doc(doc) -> list[str]:
	"""The people a loaded document is about: the Beneficiary itself, else its Links to Beneficiary and
	the rows of its tables that name one (a household's members, a group session's participants)."""
	if doc.doctype == BENEFICIARY:
		return [doc.name]
	meta = frappe.get_meta(doc.doctype)
	people = [doc.get(fieldname) for fieldname in _links(meta)]
	for table, _child, fieldname in _table_links(meta):
		people.extend(row.get(fieldname) for row in doc.get(table) or [])
	return list(dict.fromkeys(person for person in people if person))


def people_of(doctype: str, names: Iterable[str]) -> dict[str, list[str]]:
	"""`people_of_doc` for stored records, by name, in one query per place a person is named."""
	names = list(dict.fromkeys(name for name in names if name))
	found: dict[str, list[str]] = {name: [] for name in names}
	if not names:
		return found
	if doctype == BENEFICIARY:
		return {name: [name] for name in names}
	meta = frappe.get_meta(doctype)
	if links := _links(meta):
		for row in frappe.db.get_values(doctype, {"name": ("in", names)}, ["name", *links], as_dict=True):
			if row.name in found:
				found[row.name].extend(row[fieldname] for fieldname in links if row[fieldname])
	for table, child, fieldname in _table_links(meta):
		rows = frappe.db.get_values(
			child,
			{"parenttype": doctype, "parentfield": table, "parent": ("in", names)},
			["parent", fieldname],
			as_dict=True,
		)
		for row in rows:
			if row[fieldname] and row.parent in found:
				found[row.parent].append(row[fieldname])
	return {name: list(dict.fromkeys(people)) for name, people in found.items()}


# Recording
# ---------


def _rows(doctype: str, people: dict[str, list[str]], kind: str, detail: str | None) -> list[tuple]:
	now = now_datetime()
	user = frappe.session.user
	ip = getattr(frappe.local, "request_ip", None)
	detail = (detail or "")[:140] or None
	rows = []
	for name, persons in people.items():
		for person in persons or [None]:
			row = (now, user, kind, ip, person, doctype, name, detail, now, now, user, user)
			rows.append((frappe.generate_hash(length=12), *row))
	return rows[:LIMIT]


def _write(rows: list[tuple]) -> None:
	if not rows:
		return
	callbacks = getattr(getattr(frappe.local, "request", None), "after_response", None)
	if callbacks is None:
		frappe.db.bulk_insert(LOG, COLUMNS, rows)
		return
	buffer = getattr(frappe.local, "kentro_access_log", None)
	if buffer is None:
		buffer = frappe.local.kentro_access_log = []
		callbacks.add(flush)
	buffer.extend(rows)


def flush() -> None:
	"""Write the rows a request buffered (after its response has been sent) and commit them."""
	rows = getattr(frappe.local, "kentro_access_log", None)
	frappe.local.kentro_access_log = None
	if not rows:
		return
	try:
		frappe.db.bulk_insert(LOG, COLUMNS, rows)
		frappe.db.commit()  # the request's own transaction ended before the response was sent
	except Exception:
		frappe.db.rollback()
		frappe.logger("kentro_access_log").error(f"access log rows not written: {rows!r}", exc_info=True)


def record_doc(doc, kind: str, detail: str | None = None) -> None:
	"""Log a read of a loaded document of a tracked DocType."""
	if doc is None or doc.doctype not in TRACKED or not doc.name or doc.is_new():
		return
	_write(_rows(doc.doctype, {doc.name: people_of_doc(doc)}, kind, detail))


def record(doctype: str, names: Iterable[str], kind: str, detail: str | None = None) -> None:
	"""Log reads of stored records of a tracked DocType, by name (at most `LIMIT` rows)."""
	if doctype not in TRACKED:
		return
	names = list(dict.fromkeys(names))[:LIMIT]
	_write(_rows(doctype, people_of(doctype, names), kind, detail))


def record_many(references: Iterable[tuple[str, str]], kind: str, detail: str | None = None) -> None:
	"""Log reads of records named as (DocType, name) pairs, of any tracked DocTypes (at most `LIMIT`)."""
	by_doctype: dict[str, list[str]] = {}
	for doctype, name in references:
		if doctype in TRACKED and name:
			by_doctype.setdefault(doctype, []).append(name)
	rows = []
	for doctype, names in by_doctype.items():
		rows.extend(_rows(doctype, people_of(doctype, list(dict.fromkeys(names))[:LIMIT]), kind, detail))
	_write(rows[:LIMIT])


def record_pack(person: str, doctype: str, name: str) -> None:
	"""Log a subject-access pack built for a person (the record: the request it answers)."""
	_write(_rows(doctype, {name: [person]}, ACCESS_PACK, None))


def print_kind() -> str:
	"""PDF when the print goes through one of Frappe's PDF methods, else Print."""
	request = getattr(frappe.local, "request", None)
	path = f"{frappe.form_dict.get('cmd') or ''} {getattr(request, 'path', '') or ''}".lower()
	return PDF if "pdf" in path else PRINT


# Read paths without a hook of their own
# --------------------------------------


def after_request(response, request) -> None:
	"""`after_request` hook: a successful REST read of one document (API v1 or v2)."""
	if response is None or request.method != "GET" or response.status_code != 200:
		return
	if not request.path.startswith(REST_PATHS):
		return
	from frappe.api import API_URL_MAP, v1, v2
	from werkzeug.exceptions import HTTPException

	try:
		endpoint, arguments = API_URL_MAP.bind_to_environ(request.environ).match()
	except HTTPException:
		return
	if endpoint in (v1.read_doc, v2.read_doc) and "run_method" not in frappe.form_dict:
		record(arguments.get("doctype"), [arguments.get("name")], REST)
	elif endpoint in (v1.document_list, v2.document_list):
		from kentro_koinotitas.access import audit_lists

		audit_lists.after_rest_list(response, arguments.get("doctype"))


def _referenced(columns: list, rows: list) -> list[tuple[str, str]]:
	"""(DocType, name) of every Link and Dynamic Link cell of a report's rows."""
	specs = []
	for index, column in enumerate(columns or []):
		if isinstance(column, str):  # "Label:Link/DocType:120"
			parts = column.split(":")
			kind = parts[1] if len(parts) > 1 else ""
			fieldtype, _slash, options = kind.partition("/")
			column = {"fieldname": parts[0], "fieldtype": fieldtype, "options": options}
		if column.get("fieldtype") in ("Link", "Dynamic Link"):
			specs.append((index, column.get("fieldname"), column["fieldtype"], column.get("options")))
	references = []
	for row in rows or []:
		for index, fieldname, fieldtype, options in specs:
			value = row.get(fieldname) if isinstance(row, dict) else row[index] if index < len(row) else None
			doctype = row.get(options) if fieldtype == "Dynamic Link" and isinstance(row, dict) else options
			if value and isinstance(value, str) and doctype in TRACKED:
				references.append((doctype, value))
		if len(references) >= LIMIT:
			break
	return references


def record_report(report_name: str, result: dict | None, kind: str = REPORT) -> None:
	"""Log the tracked records named in the rows of a report run or export (its Link and Dynamic Link
	columns)."""
	if not isinstance(result, dict):
		return
	record_many(_referenced(result.get("columns"), result.get("result")), kind, report_name)


def record_export(doctype: str, filters=None, or_filters=None, detail: str | None = None) -> None:
	"""Log the records an export of a tracked DocType holds: the user's records matching its filters."""
	if doctype not in TRACKED:
		return
	names = frappe.get_list(
		doctype,
		filters=frappe.parse_json(filters) if isinstance(filters, str) else filters,
		or_filters=frappe.parse_json(or_filters) if isinstance(or_filters, str) else or_filters,
		pluck="name",
		limit_page_length=LIMIT,
		order_by="",
	)
	record(doctype, names, EXPORT, detail)


# Reading the log and erasure
# ---------------------------


def history(beneficiary: str, limit: int = 200) -> list[dict]:
	"""The latest reads of the records about a person (for the DPO's "who accessed this record" and the
	access pack). Only reads since the person was registered: Frappe gives a deleted person's ID to the
	next person registered (deleting the latest record of a naming series turns the series back), and
	the rows about the deleted one stay in the log."""
	filters = {"beneficiary": beneficiary}
	if created := frappe.db.get_value(BENEFICIARY, beneficiary, "creation"):
		filters["accessed_on"] = (">=", created)
	return frappe.get_all(
		LOG,
		filters=filters,
		fields=["accessed_on", "user", "access_kind", "reference_doctype", "reference_name", "detail"],
		order_by="accessed_on desc",
		limit_page_length=limit,
	)


def purge_for(beneficiary: str) -> int:
	"""Remove every log row about a person (server code only: a deletion that must reach the log).
	Anonymisation does not need it: the rows hold the person's ID only."""
	count = frappe.db.count(LOG, {"beneficiary": beneficiary})
	frappe.db.delete(LOG, {"beneficiary": beneficiary})
	return count


@frappe.whitelist()
def export_query():
	"""Frappe's export from the list and report views (`frappe.desk.reportview.export_query`), logged:
	the records it exported, found again by its filters or its selection."""
	from frappe.desk import reportview

	from kentro_koinotitas.access import restriction

	restriction.restrict_export_request()  # a restricted person's records stay out (Art. 18)
	params = reportview.get_form_params()
	result = reportview.export_query()
	if params.doctype in TRACKED:
		filters = params.filters
		if selection := params.get("selected_items"):
			filters = {"name": ("in", frappe.parse_json(selection))}
		record_export(params.doctype, filters, params.or_filters, detail=params.get("file_format_type"))
	return result
