"""The files of the subject-access pack: a Greek PDF a citizen can read (Jinja template
`data_protection/templates/access_pack.html` through Frappe's PDF path), and the same data as JSON and as
an .xlsx workbook (openpyxl) with one sheet per DocType and per table."""

import io
import json

import frappe
from frappe.utils import cint, formatdate, get_datetime, getdate
from frappe.utils.pdf import get_pdf
from openpyxl import Workbook
from openpyxl.styles import Font

from kentro_koinotitas.access.audit import LOG
from kentro_koinotitas.data_protection.subject_data import LAYOUT

LANG = "el"
TEMPLATE = "kentro_koinotitas/data_protection/templates/access_pack.html"
PDF_LOG_ROWS = 500  # the PDF lists the latest reads; the JSON and .xlsx list every one
TABLES = ("Table", "Table MultiSelect")
TRANSLATED_LINKS = ("DocType", "Workflow State")


def el(text, context: str | None = None) -> str:
	return frappe._(str(text), lang=LANG, context=context) if text not in (None, "") else ""


def to_json(data: dict) -> str:
	return json.dumps(data, ensure_ascii=False, indent=1, default=str)


# The readable PDF
# ----------------


def display(df, value) -> str:
	"""A value as the citizen reads it: Greek options, yes/no, dd-mm-yyyy dates."""
	if value in (None, ""):
		return ""
	if df.fieldtype == "Check":
		return "Ναι" if cint(value) else "Όχι"
	if df.fieldtype == "Date":
		return formatdate(getdate(value), "dd-mm-yyyy")
	if df.fieldtype == "Datetime":
		return get_datetime(value).strftime("%d-%m-%Y %H:%M")
	if df.fieldtype == "Select" or (df.fieldtype == "Link" and df.options in TRANSLATED_LINKS):
		return el(value)
	if df.fieldtype == "Data" and df.fetch_from:  # a copy of an option of another record (a service's axis)
		return el(value)
	return str(value)


def _fields(meta, row: dict) -> list[tuple[str, str]]:
	shown = []
	for df in meta.fields:
		if df.fieldtype in LAYOUT or df.fieldtype in TABLES or df.fieldname not in row:
			continue
		if value := display(df, row[df.fieldname]):
			shown.append((el(df.label), value))
	return shown


def _table(meta, df, rows: list[dict]) -> dict:
	child = frappe.get_meta(df.options)
	columns = [c for c in child.fields if c.fieldtype not in LAYOUT and any(c.fieldname in r for r in rows)]
	return {
		"label": el(df.label),
		"columns": [el(c.label) for c in columns],
		"rows": [[display(c, r.get(c.fieldname)) for c in columns] for r in rows],
	}


def readable_records(records: dict[str, list[dict]]) -> list[dict]:
	"""Each DocType's records as titled label/value tables, with their tables beneath."""
	sections = []
	for doctype, rows in records.items():
		meta = frappe.get_meta(doctype)
		items = []
		for row in rows:
			tables = [
				_table(meta, df, row[df.fieldname]) for df in meta.get_table_fields() if row.get(df.fieldname)
			]
			items.append({"name": row["name"], "fields": _fields(meta, row), "tables": tables})
		sections.append({"label": el(doctype), "records": items})
	return sections


def recipients(records: dict[str, list[dict]]) -> list[dict]:
	"""The partner organisations and programmes the person's data went to, through which referral."""
	rows = []
	for referral in records.get("Referral", []):
		if referral.get("referral_type") == "Internal":
			continue
		rows.append(
			{
				"to": referral.get("partner_organisation") or referral.get("welfare_programme") or "",
				"referral": referral["name"],
				"sent_on": formatdate(getdate(referral["sent_on"]), "dd-mm-yyyy")
				if referral.get("sent_on")
				else "",
				"shares": cint(referral.get("shares_personal_data")),
				"status": el(referral.get("status")),
			}
		)
	return rows


def consents(records: dict[str, list[dict]]) -> list[dict]:
	rows = []
	for consent in records.get("Consent", []):
		for item in consent.get("purposes") or []:
			rows.append(
				{
					"purpose": item.get("consent_purpose"),
					"decision": el(item.get("decision")),
					"date": formatdate(getdate(consent["consent_date"]), "dd-mm-yyyy"),
					"withdrawn_on": formatdate(getdate(item["withdrawn_on"]), "dd-mm-yyyy")
					if item.get("withdrawn_on")
					else "",
				}
			)
	return rows


def purposes() -> list[dict]:
	return frappe.get_all(
		"Consent Purpose",
		filters={"enabled": 1},
		fields=["purpose_name", "description"],
		order_by="purpose_name",
	)


def retention_rules() -> list[dict]:
	"""The municipality's retention rules in force (Retention Rule), in Greek."""
	if not frappe.db.table_exists("Retention Rule"):
		return []
	rules = frappe.get_all(
		"Retention Rule",
		filters={"enabled": 1},
		fields=["record_type", "trigger", "period_months", "action", "legal_basis"],
		order_by="record_type",
	)
	return [
		{
			"record_type": el(rule.record_type),
			"trigger": el(rule.trigger),
			"period_months": rule.period_months,
			"action": el(rule.action),
			"legal_basis": rule.legal_basis or "",
		}
		for rule in rules
	]


def centre_of(records: dict[str, list[dict]]) -> str | None:
	person = (records.get("Beneficiary") or [{}])[0]
	return person.get("home_centre")


def pdf(data: dict, doc) -> bytes:
	records = data["records"]
	log = data["access_log"]
	context = {
		"doc": doc,
		"data": data,
		"centre": centre_of(records),
		"person": (records.get("Beneficiary") or [{}])[0],
		"sections": readable_records(records),
		"recipients": recipients(records),
		"consents": consents(records),
		"purposes": purposes(),
		"retention": retention_rules(),
		"log": [
			{
				**row,
				"accessed_on": get_datetime(row["accessed_on"]).strftime("%d-%m-%Y %H:%M"),
				"kind": el(row["access_kind"], LOG),
				"type": el(row["reference_doctype"]),
			}
			for row in log[:PDF_LOG_ROWS]
		],
		"log_total": len(log),
		"generated_on": get_datetime(data["generated_on"]).strftime("%d-%m-%Y %H:%M"),
	}
	return get_pdf(frappe.render_template(TEMPLATE, context))


# The workbook
# ------------


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
	used = {sheet.title for sheet in book.worksheets}
	title = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Φύλλο"
	base, n = title, 2
	while title in used:
		title, n = f"{base[:25]} {n}", n + 1
	sheet = book.create_sheet(title)
	sheet.append(header)
	for cell in sheet[1]:
		cell.font = Font(bold=True)
	sheet.freeze_panes = "A2"
	for row in rows:
		sheet.append(
			[value if isinstance(value, int | float) or value is None else str(value) for value in row]
		)


def xlsx(data: dict) -> bytes:
	book = Workbook()
	book.remove(book.active)
	for doctype, rows in data["records"].items():
		meta = frappe.get_meta(doctype)
		columns = [df for df in meta.fields if df.fieldtype not in LAYOUT and df.fieldtype not in TABLES]
		columns = [df for df in columns if any(df.fieldname in row for row in rows)]
		_sheet(
			book,
			el(doctype),
			["ID", *(el(df.label) for df in columns)],
			[[row["name"], *(row.get(df.fieldname) for df in columns)] for row in rows],
		)
		for table in meta.get_table_fields():
			children = [(row["name"], child) for row in rows for child in row.get(table.fieldname) or []]
			if not children:
				continue
			child_columns = [
				df
				for df in frappe.get_meta(table.options).fields
				if df.fieldtype not in LAYOUT and any(df.fieldname in child for _parent, child in children)
			]
			_sheet(
				book,
				f"{el(doctype)} - {el(table.label)}",
				[el(doctype), *(el(df.label) for df in child_columns)],
				[[parent, *(child.get(df.fieldname) for df in child_columns)] for parent, child in children],
			)
	log_keys = ("accessed_on", "user", "access_kind", "reference_doctype", "reference_name", "detail")
	_sheet(
		book,
		el(LOG),
		[el(label) for label in ("Accessed On", "User", "Access Kind", "Record Type", "Record", "Detail")],
		[
			[
				*(row[key] for key in log_keys[:2]),
				el(row["access_kind"], LOG),
				*(row[key] for key in log_keys[3:]),
			]
			for row in data["access_log"]
		],
	)
	comment_keys = ("creation", "reference_doctype", "reference_name", "comment_email", "content")
	_sheet(
		book,
		el("Comments"),
		[el(label) for label in ("Date", "Record Type", "Record", "User", "Comment")],
		[[row[key] for key in comment_keys] for row in data["comments"]],
	)
	output = io.BytesIO()
	book.save(output)
	return output.getvalue()
