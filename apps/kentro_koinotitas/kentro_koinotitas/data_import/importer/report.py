"""The .xlsx files the importer hands to staff: the error report of the rejected rows, and the template."""

import io

import frappe
from frappe import _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kentro_koinotitas.data_import.importer.columns import (
	COLUMNS,
	ERROR_COLUMN,
	EXAMPLE_ROW,
	LIST_FIELDS,
	SELECT_FIELDS,
	header,
)
from kentro_koinotitas.data_import.importer.rows import ImportResult
from kentro_koinotitas.data_import.importer.values import select_options

TEMPLATE_ROWS = 5000  # the rows of the template that get the drop-down lists


def error_report(result: ImportResult) -> bytes:
	"""The rejected rows as they were, with their reasons in an extra column."""
	book = Workbook()
	sheet = book.active
	sheet.title = _("Rejected rows")[:31]
	sheet.append([*result.headers, ERROR_COLUMN, _("Row in the file")])
	for cell in sheet[1]:
		cell.font = Font(bold=True)
	for row in result.failed:
		values = [*row.values, *[None] * (len(result.headers) - len(row.values))][: len(result.headers)]
		sheet.append([*values, "\n".join(row.errors), row.number])
	sheet.freeze_panes = "A2"
	return _save(book)


def template() -> bytes:
	"""An .xlsx with the Greek headers, a drop-down list for every master and an example row."""
	book = Workbook()
	sheet = book.active
	sheet.title = "Μητρώο"
	lists = book.create_sheet("Λίστες")
	columns = list(COLUMNS)
	sheet.append([header(c) for c in columns])
	for cell in sheet[1]:
		cell.font = Font(bold=True)
		cell.fill = PatternFill("solid", fgColor="DDE6F0")
	sheet.append([EXAMPLE_ROW.get(c, "") for c in columns])
	sheet.freeze_panes = "A2"

	for list_column, (column, values) in enumerate(_choices().items(), start=1):
		values = list(dict.fromkeys(values))
		letter = lists.cell(row=1, column=list_column).column_letter
		lists.cell(row=1, column=list_column, value=header(column)).font = Font(bold=True)
		for offset, value in enumerate(values, start=2):
			lists.cell(row=offset, column=list_column, value=value)
		target = sheet.cell(row=2, column=columns.index(column) + 1).column_letter
		validation = DataValidation(
			type="list",
			formula1=f"=Λίστες!${letter}$2:${letter}${len(values) + 1}",
			allow_blank=True,
			showErrorMessage=column not in LIST_FIELDS,  # list columns may hold several, separated by ;
		)
		sheet.add_data_validation(validation)
		validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
	for index, column in enumerate(columns, start=1):
		sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
			14, len(header(column)) + 2
		)
	return _save(book)


def _choices() -> dict[str, list[str]]:
	"""The values each drop-down column offers, in Greek."""
	return {
		**{c: [frappe._(o, lang="el") for o in select_options(c).values()] for c in SELECT_FIELDS},
		**{c: frappe.get_all(d, pluck="name", order_by="name asc") for c, d in LIST_FIELDS.items()},
		"document_type": frappe.get_all("Identity Document Type", pluck="name", order_by="name asc"),
		"relationship": [
			frappe._(o, lang="el") for o in select_options("relationship", "Household Member").values()
		],
	}


def _save(book: Workbook) -> bytes:
	stream = io.BytesIO()
	book.save(stream)
	return stream.getvalue()
