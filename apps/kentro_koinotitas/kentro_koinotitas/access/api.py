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
  the user's own. Its export (`export_query`) called `run` directly: the same check, a restricted
  person's rows left out, and the rows that name people logged (`export_report`).
- Frappe's Data Export and Data Import template export read child tables with unchecked queries: an
  export may include only the tables whose permission level the user reads.
- `frappe.desk.search.get_link_title` answers any record's title; `run_doc_method` returns the whole
  document it ran a method of. API v2's `run_doc_method` (a route of its own, not a whitelisted method:
  `v2_run_doc_method`, from the `before_request` hook) compared the document sent with the stored record
  before it asked for permission, and its message gave the stored record's time of change.
- `frappe.desk.doctype.dashboard_chart.dashboard_chart.get` takes a chart as JSON from the client and
  counts or sums (any column) a heatmap's DocType with `frappe.get_all`, without any check; it also
  serves one cached result of a saved chart to every user. Here the chart must be readable, a heatmap is
  counted through `frappe.get_list` and nothing is served from another user's cache.
- `frappe.desk.form.utils.get_next` (the form's next/previous record) compared the user's records with
  the sort field of the record named in `value`, read without a check: an oracle on another centre's
  values. The record must be readable.
- `frappe.desk.doctype.tag.tag.get_tagged_docs` listed every record of a DocType the user reads at all
  whose tags match: listed here through `frappe.get_list`.
- `frappe.core.doctype.prepared_report.prepared_report.make_prepared_report` queued any report, the roles
  of the report and the DocType's report permission unchecked, and its result file is its owner's to
  download: here the checks of a run (`get_report_doc`) come first.
"""

import inspect

import frappe
from frappe import _, handler
from frappe.client import check_parent_permission
from frappe.core.doctype.data_export import exporter
from frappe.core.doctype.data_import import data_import
from frappe.core.doctype.prepared_report import prepared_report
from frappe.desk import search
from frappe.desk.doctype.dashboard_chart import dashboard_chart as frappe_chart
from frappe.desk.form import load
from frappe.desk.form import utils as form_utils
from frappe.desk.query_report import get_report_doc
from frappe.desk.query_report import run as frappe_run_report
from frappe.utils import cint, getdate

from kentro_koinotitas.access import audit, restriction
from kentro_koinotitas.access.scope import can_read_level
from kentro_koinotitas.access.versions import filter_docinfo_versions
from kentro_koinotitas.meta import is_app_doctype


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
	doc = frappe.client.get(doctype, name=name, parent=parent)
	audit.record(doctype, [doc.get("name")], audit.REST)
	return doc


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
	audit.record_doc(next(iter(frappe.response.get("docs") or []), None), audit.FORM)
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
	_check_own_prepared_report(filters)
	result = frappe_run_report(
		report_name,
		filters=filters,
		user=frappe.session.user,
		ignore_prepared_report=ignore_prepared_report,
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)
	audit.record_report(report_name, result)
	return result


@frappe.whitelist()
def make_prepared_report(report_name: str, filters: dict | str | None = None):
	get_report_doc(report_name)  # the report's roles and the DocType's report permission, as a run checks
	return prepared_report.make_prepared_report(report_name, filters)


def _check_own_prepared_report(filters) -> None:
	parsed = frappe.parse_json(filters) if filters else {}
	if isinstance(parsed, dict) and parsed.get("prepared_report_name"):
		owner = frappe.db.get_value("Prepared Report", parsed["prepared_report_name"], "owner")
		if owner != frappe.session.user:
			frappe.throw(_("You can open only the prepared reports you ran."), frappe.PermissionError)


@frappe.whitelist()
def export_report():
	"""`frappe.desk.query_report.export_query` (a report's CSV/Excel export), which called Frappe's `run`
	directly: here a stored prepared result only of the user's own, a restricted person's rows left out
	(Art. 18) and the exported rows that name people logged. The file is built as Frappe builds it."""
	from frappe.desk import query_report
	from frappe.desk.reportview import clean_params, parse_json
	from frappe.desk.utils import get_csv_bytes, pop_csv_params, provide_binary_file
	from frappe.utils.xlsxutils import make_xlsx

	form_params = frappe._dict(frappe.local.form_dict)
	csv_params = pop_csv_params(form_params)
	clean_params(form_params)
	parse_json(form_params)
	report_name = form_params.report_name
	frappe.permissions.can_export(
		frappe.get_cached_value("Report", report_name, "ref_doctype"), raise_exception=True
	)
	_check_own_prepared_report(form_params.filters)
	visible_idx = form_params.visible_idx
	if isinstance(visible_idx, str):
		visible_idx = frappe.parse_json(visible_idx)
	data = frappe_run_report(
		report_name,
		form_params.filters,
		custom_columns=frappe.parse_json(form_params.custom_columns or "[]"),
		are_default_filters=False,
	)
	data = frappe._dict(restriction.filter_report_result(data))
	data.filters = form_params.applied_filters
	if not data.columns:
		frappe.respond_as_web_page(
			_("No data to export"), _("You can try changing the filters of your report.")
		)
		return
	audit.record_report(report_name, data, audit.EXPORT)
	query_report.format_duration_fields(data)
	xlsx_data, column_widths = query_report.build_xlsx_data(
		data, visible_idx, form_params.include_indentation, include_filters=form_params.include_filters
	)
	if form_params.file_format_type == "Excel":
		content = make_xlsx(xlsx_data, "Query Report", column_widths=column_widths).getvalue()
		provide_binary_file(report_name, "xlsx", content)
	else:
		provide_binary_file(report_name, "csv", get_csv_bytes(xlsx_data, csv_params))


def _refuse_unreadable_tables(doctype: str, table_fields: list[str] | None) -> None:
	"""Frappe's two exporters read child tables with unchecked queries: an export may include only the
	tables whose permission level the user reads (None: every table of the DocType)."""
	if not is_app_doctype(doctype):
		return
	meta = frappe.get_meta(doctype)
	for df in meta.get_table_fields():
		if table_fields is not None and df.fieldname not in table_fields:
			continue
		if not can_read_level(doctype, df.permlevel or 0, frappe.session.user):
			frappe.throw(
				_("The export includes the table {0}, which you are not permitted to read.").format(
					_(df.label, context=doctype)
				),
				frappe.PermissionError,
				title=_("Not permitted"),
			)


@frappe.whitelist()
def export_data(
	doctype: str | list | None = None,
	parent_doctype: str | None = None,
	all_doctypes: bool | str = True,
	with_data: bool | str = False,
	select_columns: str | dict | None = None,
	file_type: str = "CSV",
	template: bool | str = False,
	filters: str | dict | list | None = None,
	export_without_column_meta: bool | str = False,
):
	name = doctype[0] if isinstance(doctype, list) else doctype
	if frappe.utils.sbool(all_doctypes):
		_refuse_unreadable_tables(name, None)
	filters = restriction.export_filters(name, filters)  # a restricted person's records stay out (Art. 18)
	if frappe.utils.sbool(with_data):
		audit.record_export(name, filters, detail=file_type)
	return exporter.export_data(
		doctype=doctype,
		parent_doctype=parent_doctype,
		all_doctypes=all_doctypes,
		with_data=with_data,
		select_columns=select_columns,
		file_type=file_type,
		template=template,
		filters=filters,
		export_without_column_meta=export_without_column_meta,
	)


@frappe.whitelist()
def download_template(
	doctype: str,
	export_fields: str | dict | None = None,
	export_records: str | None = None,
	export_filters: str | dict | list | None = None,
	file_type: str = "CSV",
):
	fields = frappe.parse_json(export_fields) or {}
	_refuse_unreadable_tables(doctype, [key for key in fields if key != doctype] if fields else None)
	return data_import.download_template(doctype, export_fields, export_records, export_filters, file_type)


@frappe.whitelist()
def get_link_title(doctype: str, docname: str) -> str | None:
	"""Frappe answers the title of any record by name; the app's records only to who may read them."""
	if is_app_doctype(doctype) and (
		not frappe.db.exists(doctype, docname) or not frappe.has_permission(doctype, "read", doc=docname)
	):
		return None
	return search.get_link_title(doctype, docname)


V2_RUN_DOC_METHOD = "/api/v2/method/run_doc_method"


def v2_run_doc_method() -> None:
	"""`before_request`: for `POST /api/v2/method/run_doc_method`, a stored app record the user may not
	read gets the answer for a record that does not exist (`Document.load_from_db`'s)."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.rstrip("/") != V2_RUN_DOC_METHOD:
		return
	sent = frappe.form_dict.get("document")
	try:
		sent = frappe.parse_json(sent) if isinstance(sent, str) else sent
	except ValueError:
		return  # Frappe answers the malformed request itself
	if not isinstance(sent, dict) or not sent.get("name") or not isinstance(sent.get("doctype"), str):
		return
	doctype, name = sent["doctype"], str(sent["name"])
	if is_app_doctype(doctype) and frappe.db.exists(doctype, name):
		if not frappe.has_permission(doctype, "read", doc=name):
			frappe.throw(_("{0} {1} not found").format(_(doctype), name), frappe.DoesNotExistError)


@frappe.whitelist()
def run_doc_method(
	method: str,
	docs: str | dict | None = None,
	dt: str | None = None,
	dn: str | None = None,
	arg: str | None = None,
	args: str | dict | None = None,
):
	"""Frappe returns the whole document after running one of its methods: only the fields the user
	reads go back."""
	sent = frappe.parse_json(docs) if docs else None
	if isinstance(sent, dict) and sent.get("doctype") and sent.get("name"):
		stored = sent["doctype"], sent["name"]
		if is_app_doctype(stored[0]) and frappe.db.exists(*stored):
			if not frappe.has_permission(stored[0], "read", doc=stored[1]):
				raise frappe.PermissionError  # the check must not run on the client's copy of the record
	handler.run_doc_method(method, docs=docs, dt=dt, dn=dn, arg=arg, args=args)
	for doc in frappe.response.get("docs") or []:
		if hasattr(doc, "apply_fieldlevel_read_permissions") and is_app_doctype(doc.doctype):
			doc.apply_fieldlevel_read_permissions()


@frappe.whitelist()
def dashboard_chart(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | list | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: int | str | None = None,
	refresh: int | str | None = None,
) -> dict | None:
	"""Frappe's chart data, always counted for the current user (never another user's cached result);
	a heatmap through `frappe.get_list` (Frappe's reads with `frappe.get_all`)."""
	if chart_name:
		source = frappe.get_doc("Dashboard Chart", chart_name)
		source.check_permission("read")
	else:
		source = frappe._dict(frappe.parse_json(chart) or {})
	if source.get("type") == "Heatmap":
		return _heatmap(source, filters, heatmap_year)
	compute = inspect.unwrap(frappe_chart.get)  # Frappe's, without its `cache_source`
	return compute(
		chart_name=chart_name,
		chart=None if chart_name else chart,
		no_cache=1,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
	)


def _heatmap(chart, filters, heatmap_year) -> dict:
	"""Frappe's `get_heatmap_chart_config`, with the user's permissions."""
	doctype, datefield = chart.get("document_type"), chart.get("based_on")
	value_field = chart.get("value_based_on") or None
	meta = frappe.get_meta(doctype)
	for fieldname in filter(None, (datefield, value_field)):
		if fieldname not in frappe.model.default_fields and not meta.has_field(fieldname):
			frappe.throw(_("Not permitted"), frappe.PermissionError)
	filters = frappe.parse_json(filters) or frappe.parse_json(chart.get("filters_json")) or []
	year = cint(heatmap_year or chart.get("heatmap_year")) or getdate().year
	filters = [
		*filters,
		[doctype, "docstatus", "<", 2, False],
		[doctype, datefield, ">", f"{year}-01-01", False],
		[doctype, datefield, "<", f"{year + 1}-01-01", False],
	]
	aggregate = frappe_chart.get_aggregate_function(chart.get("chart_type"))
	rows = frappe.get_list(
		doctype,
		fields=[f"unix_timestamp({datefield})", f"{aggregate}({value_field or '1'})"],
		filters=filters,
		group_by=f"date({datefield})",
		order_by=f"{datefield} asc",
		as_list=True,
		parent_doctype=chart.get("parent_document_type"),
		ignore_ifnull=True,
		limit_page_length=0,
	)
	return {"labels": [], "dataPoints": dict(rows)}


@frappe.whitelist()
def get_next(
	doctype: str,
	value: str,
	prev: int | str,
	filters: str | list | None = None,
	sort_order: str = "desc",
	sort_field: str = "modified",
) -> str | None:
	"""The form's next or previous record, from a record the user may read (the same refusal whether the
	record exists or not)."""
	if not frappe.db.exists(doctype, value) or not frappe.has_permission(doctype, "read", doc=value):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	return form_utils.get_next(doctype, value, prev, filters, sort_order, sort_field)


@frappe.whitelist()
def get_tagged_docs(doctype: str, tag: str) -> list:
	"""The records carrying a tag, among those the user may read."""
	return frappe.get_list(
		doctype,
		fields=["name"],
		filters=[[doctype, "_user_tags", "like", tag]],
		as_list=True,
		order_by="",
		limit_page_length=0,
	)
