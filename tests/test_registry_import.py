"""The registry importer with good, bad and mixed files, written the way Excel and LibreOffice write them."""

import csv
import datetime
import io
import json

import frappe
import pytest
from frappe.utils import add_days, today
from kentro_koinotitas.data_import.importer import cli, columns, report
from kentro_koinotitas.data_import.importer.columns import ERROR_COLUMN
from kentro_koinotitas.data_import.importer.files import read_rows
from kentro_koinotitas.data_import.importer.writer import import_rows
from kentro_koinotitas.registry import identity, search_index
from kentro_koinotitas.tests.factories import SHARING, make_centre, next_serial
from openpyxl import Workbook, load_workbook

HEADERS = [
	"Επώνυμο",
	"Όνομα",
	"Φύλο",
	"Ημερομηνία γέννησης",
	"ΑΜΚΑ",
	"Τηλέφωνο",
	"Ευπαθείς ομάδες",
	"Κωδικός νοικοκυριού",
	"Συγκαταθέσεις",
	"Ημερομηνία συγκατάθεσης",
	"Άνοιγμα φακέλου",
	"Αιτήματα φακέλου",
]


def amka(born: str, gender: str) -> str:
	return identity.make_amka(born, gender, next_serial() + 5000)


def good_rows() -> list[list]:
	return [
		["Αντωνίου", "Ελένη", "Γυναίκα", "12-05-1981", amka("1981-05-12", "Female"), "6971112233",
		 "Μονογονεϊκή οικογένεια", "Α1", f"{SHARING}; Τήρηση στο μητρώο ωφελουμένων", "02-02-2025",
		 "03-02-2025", "Στέγαση; Υγεία"],
		["Αντωνίου", "Νίκος", "Άνδρας", datetime.datetime(2008, 9, 1), amka("2008-09-01", "Male"), "",
		 "", "Α1", "", "", "", ""],
		["Ράπτης", "Γιώργος", "Male", "1955-11-30", amka("1955-11-30", "Male"), "2310123456",
		 "", "", "", "", "", ""],
	]  # fmt: skip


def xlsx(headers: list[str], rows: list[list]) -> bytes:
	book = Workbook()
	sheet = book.active
	sheet.append(headers)
	for row in rows:
		sheet.append(row)
	stream = io.BytesIO()
	book.save(stream)
	return stream.getvalue()


def csv_bytes(headers, rows, delimiter=",", encoding="utf-8", bom=False) -> bytes:
	stream = io.StringIO()
	writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
	writer.writerow(headers)
	for row in rows:
		writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, datetime.datetime) else v for v in row])
	return (("\ufeff" if bom else "") + stream.getvalue()).encode(encoding)


@pytest.fixture
def centre():
	return make_centre(f"Κέντρο Εισαγωγής {frappe.generate_hash(length=5)}")


def run(content: bytes, filename: str, centre: str, dry_run=False):
	headers, rows = read_rows(content, filename)
	return import_rows(headers, rows, centre, dry_run=dry_run)


def registry_import_of(centre: str, file_name: str, content: bytes):
	"""A saved Registry Import of the file, uploaded as the desk uploads it (a private File)."""
	file = frappe.get_doc(
		{"doctype": "File", "file_name": file_name, "content": content, "is_private": 1}
	).insert(ignore_permissions=True)
	return frappe.get_doc(
		{"doctype": "Registry Import", "centre": centre, "import_file": file.file_url}
	).insert()


def test_good_excel_file_imports_people_households_consents_and_cases(centre):
	rows = good_rows()
	result = run(xlsx(HEADERS, rows), "μητρώο.xlsx", centre)
	assert result.summary() == {"total": 3, "imported": 3, "skipped": 0, "failed": 0}

	eleni = frappe.get_doc("Beneficiary", {"amka": rows[0][4]})
	assert eleni.home_centre == centre and eleni.gender == "Female"
	assert str(eleni.date_of_birth) == "1981-05-12" and eleni.phone == "+306971112233"
	assert [g.vulnerable_group for g in eleni.vulnerable_groups] == ["Μονογονεϊκή οικογένεια"]
	nikos = frappe.get_doc("Beneficiary", {"amka": rows[1][4]})
	assert eleni.household and eleni.household == nikos.household
	household = frappe.get_doc("Household", eleni.household)
	assert household.head_of_household == eleni.name and len(household.members) == 2
	consent = frappe.get_doc("Consent", {"beneficiary": eleni.name})
	assert {p.consent_purpose for p in consent.purposes} == {SHARING, "Τήρηση στο μητρώο ωφελουμένων"}
	case = frappe.get_doc("Case", {"beneficiary": eleni.name})
	assert str(case.opened_on) == "2025-02-03" and {r.request_category for r in case.requests} == {
		"Στέγαση",
		"Υγεία",
	}
	assert not frappe.db.exists("Case", {"beneficiary": nikos.name})


@pytest.mark.parametrize(
	"writer",
	[
		pytest.param({"delimiter": ",", "encoding": "utf-8"}, id="libreoffice-utf8-comma"),
		pytest.param({"delimiter": ";", "encoding": "utf-8", "bom": True}, id="excel-utf8-bom-semicolon"),
		pytest.param({"delimiter": ";", "encoding": "cp1253"}, id="excel-windows-1253"),
	],
)
def test_csv_with_greek_headers_as_office_writes_it(centre, writer):
	rows = good_rows()
	result = run(csv_bytes(HEADERS, rows, **writer), "μητρώο.csv", centre)
	assert result.summary()["imported"] == 3, [r.errors for r in result.failed]
	assert frappe.db.get_value("Beneficiary", {"amka": rows[1][4]}, "date_of_birth") == datetime.date(
		2008, 9, 1
	)


def test_headers_are_recognised_without_accents_in_any_case_and_in_english(centre):
	headers = ["ΕΠΩΝΥΜΟ", "ονομα", "date of birth", "amka", "Gender"]
	mapping = columns.detect_mapping(headers)
	assert mapping == {"last_name": 0, "first_name": 1, "date_of_birth": 2, "amka": 3, "gender": 4}


def test_mixed_file_imports_the_good_rows_and_reports_the_bad_ones(centre):
	good = good_rows()
	duplicate = list(good[2])
	duplicate[1] = "Γεώργιος"
	bad_amka = ["Λάθος", "Αριθμός", "Γυναίκα", "01-01-1990", "01019012345", "", "", "", "", "", "", ""]
	bad_group = ["Ομάδα", "Άγνωστη", "Γυναίκα", "01-01-1991", amka("1991-01-01", "Female"), "", "Εξωγήινοι", "",
				 "", "", "", ""]  # fmt: skip
	bad_date = ["Ημερομηνία", "Λάθος", "Άνδρας", "31-02-1990", "", "", "", "", "", "", "", ""]
	future = ["Μελλοντική", "Συγκατάθεση", "Γυναίκα", "02-02-1992", amka("1992-02-02", "Female"), "", "", "",
			  SHARING, frappe.utils.formatdate(add_days(today(), 30), "dd-mm-yyyy"), "", ""]  # fmt: skip
	rows = [good[0], good[2], duplicate, bad_amka, bad_group, bad_date, future]
	before = frappe.db.count("Beneficiary")
	result = run(xlsx(HEADERS, rows), "μικτό.xlsx", centre)

	assert result.summary() == {"total": 7, "imported": 2, "skipped": 0, "failed": 5}
	assert frappe.db.count("Beneficiary") == before + 2
	reasons = {r.number: " ".join(r.errors) for r in result.failed}
	assert "row 3" in reasons[4]  # the ΑΜΚΑ of row 3 again
	assert "ΑΜΚΑ" in reasons[5] or "AMKA" in reasons[5]
	assert "Εξωγήινοι" in reasons[6]
	assert "31-02-1990" in reasons[7]
	assert "future" in reasons[8] or "μέλλον" in reasons[8]
	# all-or-nothing: the person of the row whose consent failed was not kept
	assert not frappe.db.exists("Beneficiary", {"amka": future[4]})

	sheet = load_workbook(io.BytesIO(report.error_report(result))).active
	values = list(sheet.iter_rows(values_only=True))
	assert list(values[0][: len(HEADERS)]) == HEADERS and values[0][len(HEADERS)] == ERROR_COLUMN
	assert [row[0] for row in values[1:]] == ["Ράπτης", "Λάθος", "Ομάδα", "Ημερομηνία", "Μελλοντική"]
	assert all(row[len(HEADERS)] for row in values[1:])


def test_dry_run_saves_nothing_and_rerun_creates_no_duplicates(centre):
	content = xlsx(HEADERS, good_rows())
	before = frappe.db.count("Beneficiary")
	assert run(content, "a.xlsx", centre, dry_run=True).summary()["failed"] == 0
	assert frappe.db.count("Beneficiary") == before
	assert frappe.db.exists("Community Centre", centre)  # the dry run undid only its own rows

	assert run(content, "a.xlsx", centre).summary()["imported"] == 3
	again = run(content, "a.xlsx", centre)
	assert again.summary() == {"total": 3, "imported": 0, "skipped": 3, "failed": 0}
	assert frappe.db.count("Beneficiary") == before + 3
	assert frappe.db.count("Household", {"centre": centre}) == 1


def test_template_has_greek_headers_lists_and_an_example(centre):
	book = load_workbook(io.BytesIO(report.template()))
	sheet = book["Μητρώο"]
	headers = [c.value for c in sheet[1]]
	assert headers[:3] == ["Επώνυμο", "Όνομα", "Πατρώνυμο"] and "ΑΜΚΑ" in headers
	assert sheet.cell(row=2, column=1).value == "Παπαδοπούλου"
	formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
	assert len(formulas) >= 7
	lists = book["Λίστες"]
	columns = {lists.cell(row=1, column=c).value: c for c in range(1, lists.max_column + 1)}
	groups = [lists.cell(row=r, column=columns["Ευπαθείς ομάδες"]).value for r in range(2, lists.max_row + 1)]
	assert "Ρομά" in groups
	genders = [lists.cell(row=r, column=columns["Φύλο"]).value for r in range(2, 6)]
	assert "Γυναίκα" in genders


def test_registry_import_doctype_validates_and_imports(centre):
	doc = registry_import_of(centre, "μητρώο.xlsx", xlsx(HEADERS, good_rows()))
	assert '"amka": 4' in doc.column_mapping
	from kentro_koinotitas.data_import.doctype.registry_import import registry_import

	registry_import.validate_rows(doc.name)
	doc.reload()
	assert doc.status == "Validated" and doc.total_rows == 3 and doc.failed_rows == 0
	assert registry_import.start_import(doc.name) == "done"
	doc.reload()
	assert doc.status == "Completed" and doc.imported_rows == 3


def test_command_line_import_writes_the_error_report(centre, tmp_path):
	rows = [*good_rows(), ["Χωρίς", "", "Γυναίκα", "", "", "", "", "", "", "", "", ""]]
	path = tmp_path / "μητρώο.xlsx"
	path.write_bytes(xlsx(HEADERS, rows))
	summary = cli.import_file(str(path), centre, commit=False)
	assert summary["imported"] == 3 and summary["failed"] == 1
	report = load_workbook(summary["error_report"]).active
	assert report.cell(row=2, column=1).value == "Χωρίς"


def _comparable(name: str) -> dict:
	"""A beneficiary's stored values and child rows, without what differs between two inserts."""
	doc = frappe.get_doc("Beneficiary", name).as_dict(no_default_fields=True)
	for key in ("household", "search_key"):
		doc.pop(key, None)
	doc["vulnerable_groups"] = [g.vulnerable_group for g in doc["vulnerable_groups"]]
	doc["search_tokens"] = sorted(
		frappe.db.sql(f"select token, kind from `{search_index.TABLE}` where beneficiary = %s", name)  # nosec B608
	)
	return doc


def test_bulk_and_row_by_row_imports_store_the_same_records(centre):
	rows = good_rows()
	bulk = run(xlsx(HEADERS, rows), "a.xlsx", centre)
	bulk_records = [_comparable(r.beneficiary) for r in bulk.rows]
	frappe.db.rollback()  # the same people again, now through Document.insert one row at a time
	other = make_centre(f"Κέντρο Εισαγωγής {frappe.generate_hash(length=5)}")
	headers, data = read_rows(xlsx(HEADERS, rows), "a.xlsx")
	single = import_rows(headers, data, other, bulk=False)
	assert single.summary() == bulk.summary() == {"total": 3, "imported": 3, "skipped": 0, "failed": 0}
	for ours, theirs in zip(bulk_records, [_comparable(r.beneficiary) for r in single.rows], strict=True):
		ours.pop("home_centre"), theirs.pop("home_centre")
		assert ours["search_tokens"]  # the bulk insert indexes the people for search too
		assert ours == theirs
	eleni = frappe.get_doc("Beneficiary", single.rows[0].beneficiary)
	assert frappe.db.get_value("Household", eleni.household, "member_count") == 2


def test_bulk_names_follow_the_series_without_gaps_for_rejected_rows(centre):
	rows = [
		*good_rows(),
		["Λάθος", "Άννα", "Γυναίκα", "01-01-1990", "12345678901", "", "", "", "", "", "", ""],
	]
	before = frappe.db.sql("SELECT current FROM tabSeries WHERE name=%s", f"BEN-{today()[:4]}-")
	result = run(xlsx(HEADERS, rows), "a.xlsx", centre)
	assert result.summary()["failed"] == 1 and "AMKA" in result.failed[0].errors[0].upper()
	names = sorted(r.beneficiary for r in result.imported)
	numbers = [int(n.rsplit("-", 1)[1]) for n in names]
	assert numbers == list(range(numbers[0], numbers[0] + 3))
	after = frappe.db.sql("SELECT current FROM tabSeries WHERE name=%s", f"BEN-{today()[:4]}-")[0][0]
	assert after == numbers[-1] and (not before or before[0][0] == numbers[0] - 1)


def test_a_chunk_that_fails_while_writing_is_imported_row_by_row(centre):
	rows = good_rows()
	rows[2][10] = add_days(today(), 5)  # Case.validate refuses a case opened in the future
	rows[2][11] = "Στέγαση"
	result = run(xlsx(HEADERS, rows), "a.xlsx", centre)
	assert result.summary() == {"total": 3, "imported": 2, "skipped": 0, "failed": 1}
	assert "future" in result.failed[0].errors[0] or "μελλοντική" in result.failed[0].errors[0]
	assert not frappe.db.exists("Beneficiary", {"amka": rows[2][4]})  # nothing of the rejected row
	eleni = frappe.get_doc("Beneficiary", {"amka": rows[0][4]})
	assert frappe.db.exists("Case", {"beneficiary": eleni.name}) and eleni.household


def test_same_person_twice_in_the_file_is_imported_once(centre):
	first = good_rows()[2]
	again = [*first[:4], "", "", "", "", "", "", "", ""]  # same name and birth date, no ΑΜΚΑ
	result = run(xlsx(HEADERS, [first, again]), "a.xlsx", centre)
	assert result.summary() == {"total": 2, "imported": 1, "skipped": 1, "failed": 0}
	assert "2" in result.skipped[0].skipped


def test_bulk_insert_keeps_frappe_reactions_where_they_are_configured():
	from kentro_koinotitas.data_import import bulk_insert

	assert bulk_insert.listeners("Beneficiary") == []
	assert "Workflow" in bulk_insert.listeners("Case")
	assert bulk_insert.series_block("Beneficiary", 0) == []
	assert bulk_insert.series_block("Beneficiary Vulnerable Group", 3) is None  # hash-named child rows


@pytest.mark.parametrize("bom", [False, True], ids=["utf8", "utf8-bom"])
def test_utf8_csv_attached_to_a_registry_import_is_read(centre, bom):
	"""Frappe's `File.get_content` hands over a UTF-8 file as text (with its byte-order mark), and any
	other file as bytes: both are read."""
	doc = registry_import_of(centre, "μητρώο.csv", csv_bytes(HEADERS, good_rows(), delimiter=";", bom=bom))
	assert '"last_name": 0' in doc.column_mapping and '"amka": 4' in doc.column_mapping
	headers, rows = doc.read()
	assert headers == HEADERS and len(rows) == 3


def test_csv_given_as_text_loses_its_byte_order_mark():
	text = csv_bytes(HEADERS, good_rows(), bom=True).decode("utf-8")
	headers, rows = read_rows(text, "μητρώο.csv")
	assert headers[0] == "Επώνυμο" and rows[0][1] == "Ελένη"
	assert read_rows(xlsx(HEADERS, good_rows()), "μητρώο.xlsx")[0] == HEADERS


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "row-by-row"])
def test_households_are_made_and_named_as_the_household_form_does(centre, bulk):
	from kentro_koinotitas.registry import households

	rows = good_rows()
	headers, data = read_rows(
		xlsx([*HEADERS, "Σχέση"], [[*rows[0], ""], [*rows[1], "Τέκνο"], [*rows[2], ""]]), "a.xlsx"
	)
	result = import_rows(headers, data, centre, bulk=bulk)
	assert result.summary()["imported"] == 3, [r.errors for r in result.failed]
	eleni, nikos = (frappe.get_doc("Beneficiary", r.beneficiary) for r in result.rows[:2])
	household = frappe.get_doc("Household", eleni.household)
	assert household.household_name == households.household_name("Αντωνίου") == "Household Αντωνίου"
	assert household.centre == centre and household.head_of_household == eleni.name
	assert [(m.beneficiary, m.relationship) for m in household.members] == [
		(eleni.name, "Head"),
		(nikos.name, "Child"),
	]
	assert nikos.household == household.name


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "row-by-row"])
def test_a_fault_of_the_program_stops_the_import_and_is_logged(centre, monkeypatch, bulk):
	"""A validation error rejects its row; any other error is a bug: logged, raised, never a row error."""
	from kentro_koinotitas.registry.doctype.beneficiary.beneficiary import Beneficiary

	def broken(self):
		raise KeyError("a bug, not a bad row")

	monkeypatch.setattr(Beneficiary, "validate_phones", broken)
	queue = "insert_queue_for_Error Log"  # `log_error(defer_insert=True)`: kept when the import rolls back
	logged = frappe.cache.llen(queue)
	headers, data = read_rows(xlsx(HEADERS, good_rows()), "a.xlsx")
	with pytest.raises(KeyError, match="a bug"):
		import_rows(headers, data, centre, bulk=bulk)
	assert frappe.cache.llen(queue) == logged + 1
	entry = json.loads(frappe.cache.rpop(queue))
	assert entry["method"] == "Registry import failed" and "KeyError" in entry["error"]


def test_the_mapping_preview_names_columns_by_their_translated_label(centre):
	doc = registry_import_of(centre, "μητρώο.xlsx", xlsx(HEADERS, good_rows()))
	doc.run_method("onload")
	labels = doc.get_onload().column_labels
	assert set(labels) == set(columns.COLUMNS)
	assert labels["last_name"] == "Last Name" and labels["case_requests"] == "Case Requests"
	frappe.local.lang = "el"
	doc.run_method("onload")
	labels = doc.get_onload().column_labels
	assert labels["last_name"] == "Επώνυμο" and labels["amka"] == "ΑΜΚΑ"
	assert all(label != column for column, label in labels.items())
