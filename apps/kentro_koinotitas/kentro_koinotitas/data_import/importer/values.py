"""Turning one cell into the value a field stores: a date, a select option, a number kept as text."""

import datetime

import frappe
from frappe import _
from frappe.utils import cstr

from kentro_koinotitas.data_import.importer.columns import key

DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


def date(value, label: str, errors: list[str]) -> datetime.date | None:
	"""A date cell (a real date, or text as dd-mm-yyyy and its variants); a reason in `errors` if not."""
	if value in (None, ""):
		return None
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	text = cstr(value).strip()
	for fmt in DATE_FORMATS:
		try:
			return datetime.datetime.strptime(text, fmt).date()
		except ValueError:
			continue
	errors.append(_("{0}: «{1}» is not a date (use dd-mm-yyyy).").format(label, text))
	return None


def select_options(fieldname: str, doctype: str = "Beneficiary") -> dict[str, str]:
	"""Select options by their English value and by their Greek translation, accents ignored."""
	options = frappe.get_meta(doctype).get_field(fieldname).options.split("\n")
	lookup = {}
	for option in filter(None, options):
		lookup[key(option)] = option
		lookup[key(frappe._(option, lang="el"))] = option
	return lookup


def number(value) -> str:
	"""A cell as text; a whole number that a spreadsheet stored as 6912345678.0 loses its ".0"."""
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	return cstr(value).strip()
