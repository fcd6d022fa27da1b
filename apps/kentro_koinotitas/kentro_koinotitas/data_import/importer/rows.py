"""A spreadsheet row read into the documents it stands for (its plan), and what became of each row."""

import datetime
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.model.document import Document

from kentro_koinotitas.data_import.importer import values
from kentro_koinotitas.data_import.importer.columns import (
	LIST_FIELDS,
	LIST_SEPARATOR,
	SELECT_FIELDS,
	TEXT_FIELDS,
	header,
	key,
)
from kentro_koinotitas.registry import identity


@dataclass
class RowResult:
	number: int  # the row's number in the sheet (the header is row 1)
	values: list
	errors: list[str] = field(default_factory=list)
	beneficiary: str | None = None
	skipped: str | None = None


@dataclass
class ImportResult:
	headers: list[str]
	mapping: dict[str, int]
	rows: list[RowResult]
	dry_run: bool

	@property
	def failed(self) -> list[RowResult]:
		return [r for r in self.rows if r.errors]

	@property
	def imported(self) -> list[RowResult]:
		return [r for r in self.rows if r.beneficiary and not r.skipped and not r.errors]

	@property
	def skipped(self) -> list[RowResult]:
		return [r for r in self.rows if r.skipped]

	def summary(self) -> dict:
		return {
			"total": len(self.rows),
			"imported": len(self.imported),
			"skipped": len(self.skipped),
			"failed": len(self.failed),
		}


@dataclass
class RowPlan:
	"""One row read and checked against the masters: what it will create."""

	outcome: RowResult
	doc: dict
	household: str = ""
	relationship: str | None = None
	consents: list[str] = field(default_factory=list)
	consent_date: datetime.date | None = None
	requests: list[str] = field(default_factory=list)
	case_opened_on: datetime.date | None = None
	beneficiary: Document | None = None


class RowReader:
	"""Turns one spreadsheet row into the documents it stands for, collecting what is wrong with it."""

	def __init__(self, mapping: dict[str, int], centre: str):
		self.mapping = mapping
		self.centre = centre
		self.options = {f: values.select_options(f) for f in SELECT_FIELDS}
		self.masters = {
			column: {key(n): n for n in frappe.get_all(doctype, pluck="name")}
			for column, doctype in LIST_FIELDS.items()
		}
		self.document_types = {key(n): n for n in frappe.get_all("Identity Document Type", pluck="name")}
		self.relationships = values.select_options("relationship", "Household Member")

	def raw(self, row: list, column: str):
		position = self.mapping.get(column)
		if position is None or position >= len(row):
			return None
		value = row[position]
		return value.strip() if isinstance(value, str) else value

	def text(self, row, column) -> str:
		return values.number(self.raw(row, column)) if self.raw(row, column) is not None else ""

	def date(self, row, column, errors) -> datetime.date | None:
		return values.date(self.raw(row, column), _(header(column)), errors)

	def listed(self, row, column, errors) -> list[str]:
		names = []
		for item in filter(None, (p.strip() for p in self.text(row, column).split(LIST_SEPARATOR))):
			name = self.masters[column].get(key(item))
			if not name:
				errors.append(
					_("{0}: «{1}» is not in the list of {2}.").format(
						_(header(column)), item, _(LIST_FIELDS[column])
					)
				)
			else:
				names.append(name)
		return names

	def option(self, options: dict[str, str], row: list, column: str, errors: list[str]) -> str | None:
		value = self.text(row, column)
		if not value:
			return None
		option = options.get(key(value))
		if not option:
			errors.append(_("{0}: «{1}» is not one of the options.").format(_(header(column)), value))
		return option

	def plans(self, rows: list[list]) -> list[RowPlan]:
		"""Every row read, with what is wrong with it on its own or against the rows above it."""
		plans = []
		seen: dict[tuple, int] = {}
		for index, row in enumerate(rows):
			outcome = RowResult(number=index + 2, values=list(row))
			errors = outcome.errors
			doc = self.beneficiary(row, errors)
			self.check_against_earlier_rows(doc, outcome, seen)
			plans.append(
				RowPlan(
					outcome=outcome,
					doc=doc,
					consents=self.listed(row, "consents", errors),
					consent_date=self.date(row, "consent_date", errors),
					requests=self.listed(row, "case_requests", errors),
					case_opened_on=self.date(row, "case_opened_on", errors),
					relationship=self.option(self.relationships, row, "relationship", errors),
					household=self.text(row, "household"),
				)
			)
		return plans

	@staticmethod
	def check_against_earlier_rows(doc: dict, outcome: RowResult, seen: dict[tuple, int]) -> None:
		"""The same person as a row above (name and birth date) is skipped; a row with the ΑΜΚΑ or ΑΦΜ of
		a row above is an error."""
		if not outcome.errors and doc.get("date_of_birth"):
			person = ("name", identity.name_key(doc["first_name"], doc["last_name"]), doc["date_of_birth"])
			earlier = seen.setdefault(person, outcome.number)
			if earlier != outcome.number:
				outcome.skipped = _("The same person as row {0} (name and date of birth)").format(earlier)
		for fieldname in ("amka", "afm"):
			if value := doc.get(fieldname):
				earlier = seen.setdefault((fieldname, value), outcome.number)
				if earlier != outcome.number:
					outcome.errors.append(
						_("{0} {1} appears again: row {2} has it too.").format(
							_(fieldname.upper()), value, earlier
						)
					)

	def beneficiary(self, row: list, errors: list[str]) -> dict:
		doc = {"doctype": "Beneficiary", "home_centre": self.centre}
		for column in TEXT_FIELDS:
			if value := self.text(row, column):
				doc[column] = value
		for column in SELECT_FIELDS:
			if option := self.option(self.options[column], row, column, errors):
				doc[column] = option
		for column in ("date_of_birth", "registration_date"):
			if value := self.date(row, column, errors):
				doc[column] = value
		if doc.get("amka"):
			doc["amka"] = doc["amka"].zfill(11)
		if self.text(row, "document_type") or self.text(row, "document_number"):
			document_type = self.document_types.get(key(self.text(row, "document_type")))
			if not document_type:
				errors.append(
					_("{0}: «{1}» is not a known identity document type.").format(
						_(header("document_type")), self.text(row, "document_type")
					)
				)
			else:
				doc["identity_documents"] = [
					{"document_type": document_type, "document_number": self.text(row, "document_number")}
				]
		doc["vulnerable_groups"] = [
			{"vulnerable_group": g} for g in self.listed(row, "vulnerable_groups", errors)
		]
		if not doc.get("last_name") or not doc.get("first_name"):
			errors.append(_("First name and last name are required."))
		return doc
