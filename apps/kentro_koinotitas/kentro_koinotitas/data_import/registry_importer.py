"""Bring an existing registry in from a spreadsheet (.xlsx or .csv): beneficiaries with their household,
identity document, vulnerable groups and consents, and an open case when the row asks for one.

Every row goes through the same ORM validations as the forms (ΑΜΚΑ, ΑΦΜ, phones, dates, masters) inside
its own savepoint: a row is imported whole or not at all. Rejected rows come back in an .xlsx error report
with their reasons, so staff fix and re-upload only those. A person already in the registry (same ΑΜΚΑ,
ΑΦΜ, or same name and birth date) is skipped, so running the same file twice creates nothing new.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, getdate
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kentro_koinotitas.data_import import bulk_insert
from kentro_koinotitas.registry import identity

LIST_SEPARATOR = ";"
ERROR_COLUMN = "Σφάλματα"

# canonical column -> (Greek header of the template, other headers recognised)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
	"last_name": ("Επώνυμο", ("last name", "surname", "last_name")),
	"first_name": ("Όνομα", ("first name", "first_name", "ονομα")),
	"father_name": ("Πατρώνυμο", ("father name", "father_name", "όνομα πατέρα")),
	"mother_name": ("Μητρώνυμο", ("mother name", "mother_name", "όνομα μητέρας")),
	"gender": ("Φύλο", ("gender", "sex")),
	"date_of_birth": ("Ημερομηνία γέννησης", ("date of birth", "date_of_birth", "ημ. γέννησης", "γέννηση")),
	"amka": ("ΑΜΚΑ", ("amka", "α.μ.κ.α.")),
	"afm": ("ΑΦΜ", ("afm", "vat", "α.φ.μ.")),
	"document_type": ("Τύπος εγγράφου ταυτοποίησης", ("document type", "τύπος εγγράφου")),
	"document_number": ("Αριθμός εγγράφου", ("document number", "αρ. εγγράφου")),
	"no_identity_reason": ("Λόγος έλλειψης εγγράφων", ("no identity reason",)),
	"phone": ("Τηλέφωνο", ("phone", "κινητό", "τηλ.")),
	"email": ("Email", ("e-mail", "ηλεκτρονικό ταχυδρομείο")),
	"address_street": ("Οδός", ("street", "διεύθυνση")),
	"address_number": ("Αριθμός οδού", ("street number", "αριθμός")),
	"postal_code": ("ΤΚ", ("postal code", "ταχυδρομικός κώδικας", "τ.κ.")),
	"address_municipality": ("Δήμος / Πόλη", ("city", "municipality", "δήμος", "πόλη")),
	"marital_status": ("Οικογενειακή κατάσταση", ("marital status",)),
	"education_level": ("Εκπαίδευση", ("education", "επίπεδο εκπαίδευσης")),
	"employment_status": ("Απασχόληση", ("employment", "employment status", "εργασιακή κατάσταση")),
	"registration_date": ("Ημερομηνία καταγραφής", ("registration date", "ημ. καταγραφής")),
	"vulnerable_groups": ("Ευπαθείς ομάδες", ("vulnerable groups",)),
	"household": ("Κωδικός νοικοκυριού", ("household", "νοικοκυριό")),
	"relationship": ("Σχέση με τον/την αρχηγό", ("relationship", "σχέση")),
	"consents": ("Συγκαταθέσεις", ("consents", "συγκατάθεση")),
	"consent_date": ("Ημερομηνία συγκατάθεσης", ("consent date",)),
	"case_opened_on": ("Άνοιγμα φακέλου", ("case opened on", "ημερομηνία ανοίγματος φακέλου")),
	"case_requests": ("Αιτήματα φακέλου", ("case requests", "αίτημα")),
}
SELECT_FIELDS = ("gender", "marital_status", "education_level", "employment_status")
LIST_FIELDS = {
	"vulnerable_groups": "Vulnerable Group",
	"consents": "Consent Purpose",
	"case_requests": "Request Category",
}
EXAMPLE_ROW = {
	"last_name": "Παπαδοπούλου",
	"first_name": "Μαρία",
	"father_name": "Γεώργιος",
	"gender": "Γυναίκα",
	"date_of_birth": "15-03-1984",
	"amka": "(έγκυρος ΑΜΚΑ)",
	"phone": "6912345678",
	"postal_code": "54631",
	"address_municipality": "Θεσσαλονίκη",
	"employment_status": "Άνεργος",
	"registration_date": "10-01-2025",
	"vulnerable_groups": "Μονογονεϊκή οικογένεια",
	"household": "ΝΚ-1",
	"consents": "Τήρηση στο μητρώο ωφελουμένων",
	"case_opened_on": "10-01-2025",
	"case_requests": "Στέγαση",
}


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


# ----------------------------------------------------------------------------- reading files
def _key(text) -> str:
	return identity.strip_accents(cstr(text)).strip().lower().replace("_", " ")


def detect_mapping(headers: list[str]) -> dict[str, int]:
	"""Column positions by canonical name, from Greek or English headers (accents and case ignored)."""
	known = {}
	for canonical, (greek, others) in COLUMNS.items():
		for header in (greek, canonical, *others):
			known.setdefault(_key(header), canonical)
	mapping: dict[str, int] = {}
	for position, header in enumerate(headers):
		canonical = known.get(_key(header))
		if canonical and canonical not in mapping:
			mapping[canonical] = position
	return mapping


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[list]]:
	"""The header row and the data rows of an .xlsx or .csv file (Excel's or LibreOffice's)."""
	if filename.lower().endswith((".xlsx", ".xlsm")):
		sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
		rows = [list(row) for row in sheet.iter_rows(values_only=True)]
	elif filename.lower().endswith(".csv"):
		text = _decode(content)
		dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
		rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
	else:
		frappe.throw(_("Upload an .xlsx or .csv file."), title=_("Unsupported file"))
	rows = [row for row in rows if any(cstr(v).strip() for v in row)]
	if not rows:
		frappe.throw(_("The file has no rows."), title=_("Empty file"))
	headers = [cstr(h).strip() for h in rows[0]]
	return headers, rows[1:]


def _decode(content: bytes) -> str:
	for encoding in ("utf-8-sig", "cp1253"):  # Excel writes UTF-8 with a BOM, or Windows-1253 (Greek)
		try:
			return content.decode(encoding)
		except UnicodeDecodeError:
			continue
	frappe.throw(_("The file is not UTF-8 or Windows-1253 text."))


# ----------------------------------------------------------------------------- values
def _date(value, label: str, errors: list[str]):
	if value in (None, ""):
		return None
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	text = cstr(value).strip()
	for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
		try:
			return datetime.datetime.strptime(text, fmt).date()
		except ValueError:
			continue
	errors.append(_("{0}: «{1}» is not a date (use dd-mm-yyyy).").format(label, text))


def _select_options(fieldname: str, doctype: str = "Beneficiary") -> dict[str, str]:
	"""Select options by their English value and by their Greek translation, accents ignored."""
	options = frappe.get_meta(doctype).get_field(fieldname).options.split("\n")
	lookup = {}
	for option in filter(None, options):
		lookup[_key(option)] = option
		lookup[_key(frappe._(option, lang="el"))] = option
	return lookup


def _number(value) -> str:
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	return cstr(value).strip()


class RowReader:
	"""Turns one spreadsheet row into the documents it stands for, collecting what is wrong with it."""

	def __init__(self, mapping: dict[str, int], centre: str):
		self.mapping = mapping
		self.centre = centre
		self.options = {f: _select_options(f) for f in SELECT_FIELDS}
		self.masters = {
			column: {_key(n): n for n in frappe.get_all(doctype, pluck="name")}
			for column, doctype in LIST_FIELDS.items()
		}
		self.document_types = {_key(n): n for n in frappe.get_all("Identity Document Type", pluck="name")}
		self.relationships = _select_options("relationship", "Household Member")

	def raw(self, row: list, column: str):
		position = self.mapping.get(column)
		if position is None or position >= len(row):
			return None
		value = row[position]
		return value.strip() if isinstance(value, str) else value

	def text(self, row, column) -> str:
		return _number(self.raw(row, column)) if self.raw(row, column) is not None else ""

	def listed(self, row, column, errors) -> list[str]:
		names = []
		for item in filter(None, (p.strip() for p in self.text(row, column).split(LIST_SEPARATOR))):
			name = self.masters[column].get(_key(item))
			if not name:
				errors.append(
					_("{0}: «{1}» is not in the list of {2}.").format(
						_(COLUMNS[column][0]), item, _(LIST_FIELDS[column])
					)
				)
			else:
				names.append(name)
		return names

	def relationship(self, row: list, errors: list[str]) -> str | None:
		value = self.text(row, "relationship")
		if not value:
			return None
		option = self.relationships.get(_key(value))
		if not option:
			errors.append(
				_("{0}: «{1}» is not one of the options.").format(_(COLUMNS["relationship"][0]), value)
			)
		return option

	def plans(self, rows: list[list]) -> list["RowPlan"]:
		"""Every row read, with what is wrong with it on its own or against the rows above it."""
		plans = []
		seen: dict[tuple, int] = {}
		for index, row in enumerate(rows):
			outcome = RowResult(number=index + 2, values=list(row))
			errors = outcome.errors
			doc = self.beneficiary(row, errors)
			if not errors and doc.get("date_of_birth"):
				person = (
					"name",
					identity.name_key(doc["first_name"], doc["last_name"]),
					doc["date_of_birth"],
				)
				earlier = seen.setdefault(person, outcome.number)
				if earlier != outcome.number:
					outcome.skipped = _("The same person as row {0} (name and date of birth)").format(earlier)
			for fieldname in ("amka", "afm"):
				if value := doc.get(fieldname):
					earlier = seen.setdefault((fieldname, value), outcome.number)
					if earlier != outcome.number:
						errors.append(
							_("{0} {1} appears again: row {2} has it too.").format(
								_(fieldname.upper()), value, earlier
							)
						)
			plans.append(
				RowPlan(
					outcome=outcome,
					doc=doc,
					consents=self.listed(row, "consents", errors),
					consent_date=_date(self.raw(row, "consent_date"), _(COLUMNS["consent_date"][0]), errors),
					requests=self.listed(row, "case_requests", errors),
					case_opened_on=_date(
						self.raw(row, "case_opened_on"), _(COLUMNS["case_opened_on"][0]), errors
					),
					relationship=self.relationship(row, errors),
					household=self.text(row, "household"),
				)
			)
		return plans

	def beneficiary(self, row: list, errors: list[str]) -> dict:
		doc = {"doctype": "Beneficiary", "home_centre": self.centre}
		for column in (
			"last_name",
			"first_name",
			"father_name",
			"mother_name",
			"amka",
			"afm",
			"phone",
			"email",
			"address_street",
			"address_number",
			"postal_code",
			"address_municipality",
			"no_identity_reason",
		):
			if value := self.text(row, column):
				doc[column] = value
		for column in SELECT_FIELDS:
			if value := self.text(row, column):
				option = self.options[column].get(_key(value))
				if option:
					doc[column] = option
				else:
					errors.append(
						_("{0}: «{1}» is not one of the options.").format(_(COLUMNS[column][0]), value)
					)
		for column in ("date_of_birth", "registration_date"):
			if value := _date(self.raw(row, column), _(COLUMNS[column][0]), errors):
				doc[column] = value
		if doc.get("amka"):
			doc["amka"] = doc["amka"].zfill(11)
		if self.text(row, "document_type") or self.text(row, "document_number"):
			document_type = self.document_types.get(_key(self.text(row, "document_type")))
			if not document_type:
				errors.append(
					_("{0}: «{1}» is not a known identity document type.").format(
						_(COLUMNS["document_type"][0]), self.text(row, "document_type")
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


# ----------------------------------------------------------------------------- the import
CHUNK_ROWS = 500


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


def import_rows(
	headers: list[str],
	rows: list[list],
	centre: str,
	dry_run: bool = False,
	mapping: dict[str, int] | None = None,
	progress=None,
	bulk: bool = True,
) -> ImportResult:
	"""Validate (dry run) or import the rows; each row is imported whole or not at all.

	Rows go in chunks of CHUNK_ROWS: every document is checked as `Document.insert` checks it, then the
	chunk is written with multi-row INSERTs (`bulk_insert`). If writing a chunk fails, the chunk is rolled
	back and imported row by row, each row in its own savepoint, so the failing rows get their own reasons.
	`bulk=False` imports every row that way (slower; the benchmark compares both)."""
	if not centre or not frappe.db.exists("Community Centre", centre):
		frappe.throw(_("Choose the Community Centre the people are registered at."))
	if not frappe.has_permission("Community Centre", "read", centre):
		frappe.throw(_("You cannot see the records of {0}.").format(centre), frappe.PermissionError)
	mapping = mapping or detect_mapping(headers)
	if "last_name" not in mapping or "first_name" not in mapping:
		frappe.throw(
			_("The file needs the columns {0} and {1}; found: {2}.").format(
				COLUMNS["last_name"][0], COLUMNS["first_name"][0], ", ".join(headers)
			),
			title=_("Columns not recognised"),
		)
	reader = RowReader(mapping, centre)
	result = ImportResult(headers=headers, mapping=mapping, rows=[], dry_run=dry_run)
	plans = reader.plans(rows)
	result.rows = [plan.outcome for plan in plans]
	households: dict[str, str] = {}
	if dry_run:
		frappe.db.savepoint("registry_import_dry_run")

	for start in range(0, len(plans), CHUNK_ROWS):
		chunk = [
			plan
			for plan in plans[start : start + CHUNK_ROWS]
			if not plan.outcome.errors and not plan.outcome.skipped
		]
		chunk = _skip_existing(chunk)
		if bulk:
			_import_chunk(chunk, centre, households, start)
		else:
			for plan in chunk:
				_import_row(plan, centre, households)
		if progress:
			progress(min(start + CHUNK_ROWS, len(plans)), len(plans))

	if dry_run:
		frappe.db.rollback(save_point="registry_import_dry_run")
	return result


def _skip_existing(plans: list[RowPlan]) -> list[RowPlan]:
	"""Mark the people already in the registry (same ΑΜΚΑ, ΑΦΜ, or name and birth date) as skipped;
	three indexed queries for the whole chunk. Returns the plans still to import."""
	# what each row is looked up by, worked out once: ("amka", n), ("afm", n), ("name", key, birth date)
	lookups = [
		[
			*((f, v) for f in ("amka", "afm") if (v := _identity_number(f, plan.doc.get(f)))),
			*(
				[("name", identity.name_key(plan.doc["first_name"], plan.doc["last_name"]), born)]
				if (born := plan.doc.get("date_of_birth"))
				else []
			),
		]
		for plan in plans
	]
	found: dict[tuple, str] = {}
	for fieldname in ("amka", "afm"):
		values = {key[1] for keys in lookups for key in keys if key[0] == fieldname}
		if values:
			for name, value in frappe.db.sql(
				f"SELECT name, `{fieldname}` FROM `tabBeneficiary` WHERE `{fieldname}` IN %s",  # nosec B608 # fixed names
				[tuple(values)],
			):
				found.setdefault((fieldname, value), name)
	pairs = {key[1:] for keys in lookups for key in keys if key[0] == "name"}
	if pairs:
		for name, key, born in frappe.db.sql(
			f"""SELECT name, name_key, date_of_birth FROM `tabBeneficiary`
			WHERE (name_key, date_of_birth) IN ({", ".join(["(%s, %s)"] * len(pairs))})""",  # nosec B608 # placeholders only
			[value for pair in pairs for value in pair],
		):
			found.setdefault(("name", key, born), name)

	remaining = []
	for plan, keys in zip(plans, lookups, strict=True):
		existing = next((found[key] for key in keys if key in found), None)
		if existing:
			plan.outcome.beneficiary = existing
			plan.outcome.skipped = _("Already in the registry as {0}").format(existing)
		else:
			remaining.append(plan)
	return remaining


def _identity_number(fieldname: str, value: str | None) -> str | None:
	"""The ΑΜΚΑ or ΑΦΜ as the registry stores it, or None when it is not a valid one."""
	if not value:
		return None
	try:
		return identity.validate_amka(value) if fieldname == "amka" else identity.validate_afm(value)
	except frappe.ValidationError:
		frappe.clear_messages()
		return None


def _import_chunk(plans: list[RowPlan], centre: str, households: dict[str, str], start: int) -> None:
	"""Check every row's beneficiary; write the good ones and their households, consents and cases with
	multi-row INSERTs. A failure while writing rolls the chunk back and imports it row by row."""
	checked = []
	for plan in plans:
		try:
			doc = frappe.get_doc(plan.doc)
			doc.flags.registry_checked = True  # `_skip_existing` has looked the chunk up in the registry
			plan.beneficiary = bulk_insert.check(doc)
			checked.append(plan)
		except Exception as error:
			frappe.clear_messages()
			plan.outcome.errors.append(_message(error))
	if not checked:
		return

	savepoint = f"import_chunk_{start}"
	households_before = dict(households)
	frappe.db.savepoint(savepoint)
	try:
		bulk_insert.insert([plan.beneficiary for plan in checked])
		_bulk_households(checked, households)
		dependants = []
		for plan in checked:
			for doc in (_consent(plan, centre), _case(plan, centre)):
				if doc:
					dependants.append(bulk_insert.check(frappe.get_doc(doc)))
		bulk_insert.insert(dependants)
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_messages()
		households.clear()
		households.update(households_before)
		for plan in checked:
			_import_row(plan, centre, households)
		return
	for plan in checked:
		plan.outcome.beneficiary = plan.beneficiary.name


def _bulk_households(plans: list[RowPlan], households: dict[str, str]) -> None:
	"""Rows with the same household code form one household; its first row is the head. A code met in an
	earlier chunk adds the members to that household."""
	new: dict[str, list[RowPlan]] = {}
	for plan in plans:
		if not plan.household:
			continue
		if plan.household in households:
			_join_household(plan.beneficiary, plan.household, households, plan.relationship)
		else:
			new.setdefault(plan.household, []).append(plan)
	docs = []
	for key, members in new.items():
		head = members[0].beneficiary
		docs.append(
			bulk_insert.check(
				frappe.get_doc(
					_household(head, key)
					| {
						"members": [{"beneficiary": head.name, "relationship": "Head"}]
						+ [
							{
								"beneficiary": m.beneficiary.name,
								"relationship": m.relationship or "Other relative",
							}
							for m in members[1:]
						]
					}
				)
			)
		)
	bulk_insert.insert(docs)
	for key, doc in zip(new, docs, strict=True):
		households[key] = doc.name


def _import_row(plan: RowPlan, centre: str, households: dict[str, str]) -> None:
	"""One row through `Document.insert`, in its own savepoint."""
	savepoint = f"import_row_{plan.outcome.number}"
	frappe.db.savepoint(savepoint)
	try:
		beneficiary = frappe.get_doc(plan.doc).insert()
		if plan.household:
			_join_household(beneficiary, plan.household, households, plan.relationship)
		plan.beneficiary = beneficiary
		for doc in (_consent(plan, centre), _case(plan, centre)):
			if doc:
				frappe.get_doc(doc).insert()
		plan.outcome.beneficiary = beneficiary.name
	except Exception as error:
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_messages()
		plan.outcome.errors.append(_message(error))


def _consent(plan: RowPlan, centre: str) -> dict | None:
	if not plan.consents:
		return None
	return {
		"doctype": "Consent",
		"beneficiary": plan.beneficiary.name,
		"centre": centre,
		"consent_date": plan.consent_date or plan.beneficiary.registration_date or getdate(),
		"purposes": [{"consent_purpose": p, "decision": "Given"} for p in plan.consents],
	}


def _case(plan: RowPlan, centre: str) -> dict | None:
	if not (plan.case_opened_on or plan.requests):
		return None
	return {
		"doctype": "Case",
		"beneficiary": plan.beneficiary.name,
		"centre": centre,
		"opened_on": plan.case_opened_on or getdate(),
		"channel": "Walk-in",
		"requests": [{"request_category": r} for r in plan.requests],
	}


def _household(head, key: str) -> dict:
	return {
		"doctype": "Household",
		"household_name": f"{head.last_name} ({key})",
		"head_of_household": head.name,
		"centre": head.home_centre,
	}


def _join_household(beneficiary, key: str, households: dict[str, str], relationship: str | None) -> None:
	"""Rows with the same household code in the file form one household; the first is its head."""
	if key in households:
		household = frappe.get_doc("Household", households[key])
		household.append(
			"members", {"beneficiary": beneficiary.name, "relationship": relationship or "Other relative"}
		)
		household.save()
	else:
		household = frappe.get_doc(
			_household(beneficiary, key)
			| {"members": [{"beneficiary": beneficiary.name, "relationship": "Head"}]}
		).insert()
		households[key] = household.name
	beneficiary.db_set("household", household.name)


def _message(error: Exception) -> str:
	text = cstr(error) or error.__class__.__name__
	return frappe.utils.strip_html(text).strip()


# ----------------------------------------------------------------------------- reports and template
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
	stream = io.BytesIO()
	book.save(stream)
	return stream.getvalue()


def template() -> bytes:
	"""An .xlsx with the Greek headers, a drop-down list for every master and an example row."""
	book = Workbook()
	sheet = book.active
	sheet.title = "Μητρώο"
	lists = book.create_sheet("Λίστες")
	columns = list(COLUMNS)
	sheet.append([COLUMNS[c][0] for c in columns])
	for cell in sheet[1]:
		cell.font = Font(bold=True)
		cell.fill = PatternFill("solid", fgColor="DDE6F0")
	sheet.append([EXAMPLE_ROW.get(c, "") for c in columns])
	sheet.freeze_panes = "A2"

	choices = {
		**{c: [frappe._(o, lang="el") for o in _select_options(c).values()] for c in SELECT_FIELDS},
		**{c: frappe.get_all(d, pluck="name", order_by="name asc") for c, d in LIST_FIELDS.items()},
		"document_type": frappe.get_all("Identity Document Type", pluck="name", order_by="name asc"),
		"relationship": [
			frappe._(o, lang="el") for o in _select_options("relationship", "Household Member").values()
		],
	}
	for list_column, (column, values) in enumerate(choices.items(), start=1):
		values = list(dict.fromkeys(values))
		letter = lists.cell(row=1, column=list_column).column_letter
		lists.cell(row=1, column=list_column, value=COLUMNS[column][0]).font = Font(bold=True)
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
		validation.add(f"{target}2:{target}5000")
	for index, column in enumerate(columns, start=1):
		sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
			14, len(COLUMNS[column][0]) + 2
		)
	stream = io.BytesIO()
	book.save(stream)
	return stream.getvalue()


def import_file(
	path: str, centre: str, dry_run: bool = False, report: str | None = None, commit: bool = True
) -> dict:
	"""Command line: `bench --site SITE execute kentro_koinotitas.data_import.registry_importer.import_file
	--kwargs "{'path': 'registry.xlsx', 'centre': 'Κέντρο Κοινότητας ...'}"`. Writes the error report next to
	the file (or to `report`) when rows are rejected."""
	with open(path, "rb") as handle:
		headers, rows = read_rows(handle.read(), path)
	result = import_rows(headers, rows, centre, dry_run=dry_run)
	if commit and not dry_run:
		frappe.db.commit()
	summary = result.summary()
	if result.failed:
		report = report or f"{path.rsplit('.', 1)[0]}-σφάλματα.xlsx"
		with open(report, "wb") as handle:
			handle.write(error_report(result))
		summary["error_report"] = report
	print(summary)
	return summary
