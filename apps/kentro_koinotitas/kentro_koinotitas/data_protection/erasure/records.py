"""The person's records in every DocType of the app, found from the metadata (every Link to Beneficiary,
in a DocType or in one of its child tables), and the clearing of their text.

- The person's own records (a case, a service delivered to them, a referral, a consent...): every text
  field is emptied (Data, Small Text, Text, Long Text, Text Editor, Code, Attach...) in the record and in
  its child tables, except the few fields the indicators group by (`KEEP`), which are only redacted.
  Dates, numbers, Selects, Checks and Links (types, categories, centres, services) stay: the de-identified
  facts the indicators count.
- Records the person shares with others (a household, a group session, a group activity): the person's
  row keeps its link (the indicators count participants) but loses its text; household membership is
  removed; the rest of the record's text is redacted (the person's names and numbers replaced).
"""

from collections import defaultdict

import frappe
from frappe import _

from kentro_koinotitas.data_protection.erasure.people import Person
from kentro_koinotitas.meta import app_doctypes, app_modules

BENEFICIARY = "Beneficiary"
TEXT_FIELDTYPES = frozenset(
	{
		"Data",
		"Small Text",
		"Text",
		"Long Text",
		"Text Editor",
		"Markdown Editor",
		"HTML Editor",
		"Code",
		"JSON",
		"Phone",
		"Autocomplete",
		"Barcode",
		"Signature",
		"Attach",
		"Attach Image",
	}
)
# Text fields kept (redacted) in the person's own records: what the indicators group by and the DPO's own
# record of a request, a hold or an access
KEEP = {
	"Service Delivery": {"axis"},
	"Data Subject Request": {
		"extension_reason",
		"refusal_legal_basis",
		"exemption_reason",
		"response_summary",
	},
	"Legal Hold": {"reason"},
	"Personal Data Access": {"ip_address", "detail"},
}
# Household membership is removed: the member row goes, the head of household link is emptied
MEMBERSHIP_TABLES = {"Household Member"}
MEMBERSHIP_LINKS = {("Household", "head_of_household"), (BENEFICIARY, "household")}


def placeholder() -> str:
	return _("Anonymised person")


def text_fields(doctype: str) -> list:
	return [df for df in frappe.get_meta(doctype).fields if df.fieldtype in TEXT_FIELDTYPES]


def person_links(doctype: str) -> list[str]:
	return [df.fieldname for df in frappe.get_meta(doctype).get_link_fields() if df.options == BENEFICIARY]


def table_fields(doctype: str) -> list:
	return frappe.get_meta(doctype).get_table_fields()


def app_child_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType",
		filters={"module": ("in", list(app_modules())), "istable": 1},
		pluck="name",
	)


class PersonRecords:
	"""The person's own and shared records, by DocType."""

	def __init__(self, person: Person):
		self.person = person
		self.own: dict[str, set[str]] = defaultdict(set)
		self.shared: dict[str, set[str]] = defaultdict(set)
		self._find()

	def _find(self) -> None:
		name = self.person.name
		self.own[BENEFICIARY].add(name)
		for doctype in app_doctypes():
			for fieldname in person_links(doctype):
				for record in frappe.get_all(doctype, filters={fieldname: name}, pluck="name"):
					target = self.shared if self._has_others(doctype, record) else self.own
					target[doctype].add(record)
		for child in app_child_doctypes():
			for fieldname in person_links(child):
				for row in frappe.get_all(
					child, filters={fieldname: name}, fields=["parenttype", "parent"], distinct=True
				):
					if row.parent not in self.own[row.parenttype]:
						self.shared[row.parenttype].add(row.parent)
		self.own.pop(None, None)

	def _has_others(self, doctype: str, record: str) -> bool:
		"""Whether a child table of the record names another beneficiary (a household, a group)."""
		for df in table_fields(doctype):
			for fieldname in person_links(df.options):
				if frappe.db.exists(
					df.options,
					{"parenttype": doctype, "parent": record, fieldname: ("not in", ("", self.person.name))},
				):
					return True
		return False

	def all(self) -> list[tuple[str, str]]:
		return [(d, n) for group in (self.own, self.shared) for d, names in group.items() for n in names]

	def own_list(self) -> list[tuple[str, str]]:
		return [(d, n) for d, names in self.own.items() for n in names]

	def counts(self) -> dict[str, int]:
		counts: dict[str, int] = defaultdict(int)
		for doctype, _name in self.all():
			counts[doctype] += 1
		return dict(counts)


def clear_own_record(person: Person, doctype: str, name: str) -> None:
	_update(
		doctype, name, _cleared_values(person, doctype, frappe.db.get_value(doctype, name, "*", as_dict=True))
	)
	for df in table_fields(doctype):
		for row in frappe.get_all(df.options, filters={"parenttype": doctype, "parent": name}, fields=["*"]):
			if df.options in MEMBERSHIP_TABLES and person.name in _linked(df.options, row):
				frappe.db.delete(df.options, {"name": row.name})
			else:
				_update(df.options, row.name, _cleared_values(person, df.options, row))


def redact_shared_record(person: Person, doctype: str, name: str) -> None:
	values = frappe.db.get_value(doctype, name, "*", as_dict=True)
	changes = _redacted_values(person, doctype, values)
	for fieldname in person_links(doctype):
		if values.get(fieldname) == person.name and (doctype, fieldname) in MEMBERSHIP_LINKS:
			changes[fieldname] = None
	_update(doctype, name, changes)
	for df in table_fields(doctype):
		for row in frappe.get_all(df.options, filters={"parenttype": doctype, "parent": name}, fields=["*"]):
			if person.name not in _linked(df.options, row):
				_update(df.options, row.name, _redacted_values(person, df.options, row))
			elif df.options in MEMBERSHIP_TABLES:
				frappe.db.delete(df.options, {"name": row.name})
			else:
				_update(df.options, row.name, _cleared_values(person, df.options, row))


def _linked(doctype: str, row) -> set[str]:
	return {row.get(f) for f in person_links(doctype)}


def _cleared_values(person: Person, doctype: str, row) -> dict:
	keep = KEEP.get(doctype, set())
	values = {}
	for df in text_fields(doctype):
		if df.fieldname in keep:
			values[df.fieldname] = person.redact(row.get(df.fieldname))
		elif (df.fetch_from or "").endswith(".full_name") and row.get(df.fieldname):
			values[df.fieldname] = placeholder()
		else:
			values[df.fieldname] = None
	for link_doctype, fieldname in MEMBERSHIP_LINKS:
		if link_doctype == doctype:
			values[fieldname] = None
	return {k: v for k, v in values.items() if v != row.get(k)}


def _redacted_values(person: Person, doctype: str, row) -> dict:
	values = {}
	for df in text_fields(doctype):
		value = row.get(df.fieldname)
		if person.mentioned_in(value):
			values[df.fieldname] = person.redact(value)
	return values


def _update(doctype: str, name: str, values: dict) -> None:
	if values:
		frappe.db.set_value(doctype, name, values, update_modified=False)
