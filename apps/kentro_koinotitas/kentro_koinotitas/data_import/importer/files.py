"""Reading a registry file: the header row and the data rows of an .xlsx or a .csv as Excel or LibreOffice
write them (UTF-8 with or without a byte-order mark, or Windows-1253; comma, semicolon or tab)."""

import csv
import io

import frappe
from frappe import _
from frappe.utils import cstr
from openpyxl import load_workbook

BOM = "\ufeff"


def read_rows(content: bytes | str, filename: str) -> tuple[list[str], list[list]]:
	"""The header row and the data rows of an .xlsx or .csv file.

	`content` may be text: Frappe's `File.get_content` returns a file that decodes as UTF-8 already
	decoded (with its byte-order mark still in front), and any other file as bytes."""
	if filename.lower().endswith((".xlsx", ".xlsm")):
		if isinstance(content, str):  # get_content decoded it as UTF-8: encoding gives the same bytes back
			content = content.encode()
		sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
		rows = [list(row) for row in sheet.iter_rows(values_only=True)]
	elif filename.lower().endswith(".csv"):
		text = decode(content)
		dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
		rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
	else:
		frappe.throw(_("Upload an .xlsx or .csv file."), title=_("Unsupported file"))
	rows = [row for row in rows if any(cstr(v).strip() for v in row)]
	if not rows:
		frappe.throw(_("The file has no rows."), title=_("Empty file"))
	headers = [cstr(h).strip() for h in rows[0]]
	return headers, rows[1:]


def decode(content: bytes | str) -> str:
	"""The text of a .csv file, without a byte-order mark."""
	if isinstance(content, str):
		return content.removeprefix(BOM)
	for encoding in ("utf-8-sig", "cp1253"):  # Excel writes UTF-8 with a BOM, or Windows-1253 (Greek)
		try:
			return content.decode(encoding)
		except UnicodeDecodeError:
			continue
	frappe.throw(_("The file is not UTF-8 or Windows-1253 text."))
