"""A person with records in every DocType of the app and copies of them in Frappe's own records, and the
searches that prove nothing of them is left (every text column of the database, every file of the site);
for the anonymisation tests."""

import io
import json
import os
from pathlib import Path

import frappe
from openpyxl import Workbook

from kentro_koinotitas.registry import identity
from kentro_koinotitas.reporting.report.centre_indicators import centre_indicators
from kentro_koinotitas.reporting.report.esf_plus_participants import esf_plus_participants
from kentro_koinotitas.tests.factories import (
	KEA,
	give_consent,
	make_beneficiary,
	make_case,
	make_centre,
	make_referral,
	next_serial,
)

SERVICE = "Δημιουργική απασχόληση παιδιών"
TEXT_TYPES = ("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json")
PERIOD = {"from_date": "2025-01-01", "to_date": "2025-12-31"}
# tables the test's data puts the person in before the anonymisation (the search must see them there)
COPIES_BEFORE = {
	"__global_search",
	*(
		f"tab{doctype}"
		for doctype in (
			"Beneficiary",
			"Beneficiary Vulnerable Group",
			"Case",
			"Case Follow Up",
			"Comment",
			"Communication",
			"Consent",
			"Error Log",
			"Notification Log",
			"Deleted Document",
			"File",
			"Front Desk Visit",
			"Group Activity",
			"Group Activity Participant",
			"Household",
			"Household Member",
			"Programme Application",
			"Referral",
			"Registry Import",
			"Service Delivery",
			"Service Delivery Participant",
			"ToDo",
			"Version",
		)
	),
}


def _unique(word: str) -> str:
	return f"{word}{frappe.generate_hash(length=4).translate(str.maketrans('0123456789abcdef', 'αβγδεζηθικλμνξοπ'))}"


class Subject:
	"""A person with records in every DocType of the app, in 2025, and a second person who shares a
	household, a group session and a group activity with them."""

	def __init__(self):
		self.centre = make_centre()
		self.first, self.last = _unique("Ζαχαρούλα"), _unique("Κουκουλάκη")
		self.phrase = f"φράση {_unique('μυστική')} σημειώσεων"
		self.email = f"{frappe.generate_hash(length=10)}@example.org"
		self.afm = identity.make_afm(500 + next_serial())
		self.phone = "69" + frappe.generate_hash(length=8).translate(str.maketrans("abcdef", "123456"))
		self.person = make_beneficiary(
			first_name=self.first,
			last_name=self.last,
			gender="Female",
			date_of_birth="1995-06-20",
			father_name=_unique("Παντελής"),
			afm=self.afm,
			phone=self.phone,
			email=self.email,
			address_street=_unique("Οδός"),
			address_number="17",
			registration_date="2025-02-03",
			home_centre=self.centre,
			identity_documents=[{"document_type": self._document_type(), "document_number": _unique("ΑΚ")}],
			vulnerable_groups=[{"vulnerable_group": self._vulnerable_group(), "notes": self.phrase}],
		)
		self.amka = self.person.amka
		self.other = make_beneficiary(first_name="Άλλος", last_name="Συγκάτοικος", home_centre=self.centre)
		self._records()

	@staticmethod
	def _document_type() -> str:
		return frappe.get_all("Identity Document Type", pluck="name", limit=1)[0]

	@staticmethod
	def _vulnerable_group() -> str:
		return frappe.get_all("Vulnerable Group", filters={"esf_category": ("is", "set")}, pluck="name")[0]

	def _records(self) -> None:
		name, phrase, centre = self.person.name, self.phrase, self.centre
		self.case = make_case(
			name,
			centre=centre,
			opened_on="2025-03-10",
			follow_ups=[{"follow_up_date": "2025-03-20", "note": f"{phrase} {self.first}"}],
		)
		self.case.add_comment("Comment", f"Σχόλιο για {self.first} {self.last}: {phrase}")
		self.case.reload()
		self.case.outcome = f"Έκβαση {phrase}"
		self.case.save(ignore_permissions=True, ignore_version=False)
		self.delivery = self._insert(
			"Service Delivery",
			service=SERVICE,
			beneficiary=name,
			case=self.case.name,
			delivery_datetime="2025-04-02 10:00:00",
			mode="In person",
			centre=centre,
			notes=phrase,
			session_notes=f"<p>{phrase}</p>",
		)
		self.group_session = self._insert(
			"Service Delivery",
			service=SERVICE,
			is_group_session=1,
			delivery_datetime="2025-05-06 10:00:00",
			mode="In person",
			centre=centre,
			notes=f"Ομάδα με {self.first} {self.last}",
			participants=[{"beneficiary": name}, {"beneficiary": self.other.name}],
		)
		self.referral = make_referral(self.case, reason=f"Παραπομπή: {phrase}", sent_on="2025-04-10")
		give_consent(name, on="2025-02-03").db_set("notes", phrase)
		self.household = self._insert(
			"Household",
			household_name=f"Νοικοκυριό {self.last}",
			head_of_household=name,
			centre=centre,
			address_street=_unique("Οδός"),
			members=[
				{"beneficiary": name, "relationship": "Head"},
				{"beneficiary": self.other.name, "relationship": "Other relative"},
			],
		)
		self.application = self._insert(
			"Programme Application",
			beneficiary=name,
			case=self.case.name,
			programme=KEA,
			status="Approved",
			submitted_on="2025-04-15",
			decision_date="2025-05-01",
			external_reference=_unique("ΚΕΑ"),
			notes=phrase,
		)
		self._insert(
			"Front Desk Visit",
			visit_datetime="2025-02-03 09:00:00",
			centre=centre,
			channel="Walk-in",
			request_category="Στέγαση",
			beneficiary=name,
			notes=f"{phrase} τηλ. {self.phone}",
		)
		self.activity = self._insert(
			"Group Activity",
			title="Εργαστήρι",
			service=SERVICE,
			centre=centre,
			start_date="2025-06-02",
			description=f"Με τη συμμετοχή της {self.first}",
			participants=[{"beneficiary": name}, {"beneficiary": self.other.name}],
			attendance=[{"session_date": "2025-06-02", "beneficiary": name, "present": 1}],
		)
		self.person.reload()
		self.person.address_number = "19"
		self.person.save(ignore_permissions=True, ignore_version=False)
		self.attachment = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{self.last}.txt",
				"content": f"{self.first} {self.last} {self.amka} {phrase}".encode(),
				"is_private": 1,
				"attached_to_doctype": "Case",
				"attached_to_name": self.case.name,
			}
		).insert(ignore_permissions=True)
		self.import_file = self._registry_import()
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": "Administrator",
				"description": f"Κλήση στην {self.first} {self.last}",
				"reference_type": "Beneficiary",
				"reference_name": name,
			}
		).insert(ignore_permissions=True)
		self._insert(
			"Communication",
			communication_type="Communication",
			communication_medium="Email",
			sent_or_received="Sent",
			subject=f"Επικοινωνία με {self.first} {self.last}",
			content=phrase,
			recipients=self.email,
			reference_doctype="Case",
			reference_name=self.case.name,
		)
		self._insert(
			"Notification Log",
			for_user="Administrator",
			type="Alert",
			subject=f"Νέα επίσκεψη: {self.last} {self.first}",
			document_type="Beneficiary",
			document_name=name,
		)
		self._insert("Error Log", method="registry import", error=f"Row rejected: AMKA {self.amka}")
		deleted = self._insert(
			"Front Desk Visit",
			visit_datetime="2025-02-04 09:00:00",
			centre=centre,
			channel="Phone",
			request_category="Στέγαση",
			beneficiary=name,
			notes=phrase,
		)
		frappe.delete_doc("Front Desk Visit", deleted.name, ignore_permissions=True)

	def _insert(self, doctype: str, **fields):
		return frappe.get_doc({"doctype": doctype, **fields}).insert(ignore_permissions=True)

	def _registry_import(self):
		content = (
			"Επώνυμο,Όνομα,ΑΜΚΑ,Τηλέφωνο\n"
			f"{self.last},{self.first},{self.amka},{self.phone}\n"
			"Συγκάτοικος,Άλλος,,\n"
		)
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "mitroo.csv", "content": content.encode(), "is_private": 1}
		).insert(ignore_permissions=True)
		doc = frappe.get_doc(
			{
				"doctype": "Registry Import",
				"centre": self.centre,
				"import_file": file.file_url,
				"status": "Draft",
			}
		)
		doc.set_new_name()
		doc.db_insert()
		doc.db_set("log", f"Γραμμή 2: {self.last} {self.first} εισήχθη")
		report = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "sfalmata.xlsx",
				"content": self._error_report(),
				"is_private": 1,
				"attached_to_doctype": "Registry Import",
				"attached_to_name": doc.name,
			}
		).insert(ignore_permissions=True)
		doc.db_set("error_report", report.file_url)
		frappe.db.set_value(
			"File", file.name, {"attached_to_doctype": "Registry Import", "attached_to_name": doc.name}
		)
		return doc

	def _error_report(self) -> bytes:
		book = Workbook()
		book.active.append(["Επώνυμο", "Όνομα", "ΑΜΚΑ", "Σφάλματα"])
		book.active.append([self.last, self.first, int(self.amka), "Διπλή εγγραφή"])
		book.active.append(["Συγκάτοικος", "Άλλος", None, "Λείπει ο ΑΜΚΑ"])
		stream = io.BytesIO()
		book.save(stream)
		return stream.getvalue()

	def needles(self) -> list[str]:
		found = [self.first, self.last, self.amka, self.afm, self.phone, self.email, self.phrase]
		found.append(frappe.db.get_value("Beneficiary", self.person.name, "phone") or self.phone)
		# Frappe writes change logs and deleted copies as JSON, with non-Latin letters escaped
		return sorted({*found, *(json.dumps(n)[1:-1] for n in found)})


def database_hits(needles: list[str]) -> list[tuple]:
	columns = frappe.db.sql(
		"""select table_name, column_name from information_schema.columns
		where table_schema = database() and data_type in %s""",
		[TEXT_TYPES],
	)
	by_table: dict[str, list[str]] = {}
	for table, column in columns:
		by_table.setdefault(table, []).append(column)
	hits = []
	for table, names in by_table.items():
		clauses = " or ".join(f"`{c}` like %s" for c in names for _n in needles)
		values = [f"%{n.replace(chr(92), chr(92) * 2)}%" for _c in names for n in needles]
		for row in frappe.db.sql(f"select * from `{table}` where {clauses}", values, as_dict=True):  # nosec
			hits.append((table, {k: v for k, v in row.items() if any(n in str(v) for n in needles)}))
	return hits


def file_hits(needles: list[str]) -> list[str]:
	encoded = [n.encode() for n in needles]
	hits = []
	for root, _dirs, files in os.walk(frappe.get_site_path()):
		for name in files:
			path = Path(root, name)
			if path.stat().st_size > 50 * 1024 * 1024:
				continue
			content = path.read_bytes()
			if any(n in content for n in encoded):
				hits.append(str(path))
	return hits


def reports(centre: str) -> list:
	results = []
	for periodicity in ("Monthly", "Quarterly", "Yearly"):
		results.append(centre_indicators.execute({**PERIOD, "centre": centre, "periodicity": periodicity}))
	results.append(esf_plus_participants.execute({**PERIOD, "centre": centre}))
	return json.loads(json.dumps(results, default=str))
