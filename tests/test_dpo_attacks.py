"""An adversarial review of the data protection desk over real HTTP (issue 14's review).

Each test is an attack, as a real user who logs in, and what the server must answer. The ones marked
"Before:" worked until their fix; the others are probes that found nothing and stay as regression tests.

- **Private file hijack.** Frappe serves `/private/files/<name>` to anyone who may read *any* File row
  with that URL, and the owner of a File may always read it. Any desk user could create a File row naming
  a private file they may not read (REST insert, `upload_file` with `file_url`, `add_attachments`, or by
  changing the URL of their own File) and then download it: the subject-access pack of a Data Subject
  Request (whose name, `access-pack-<request>.zip`, is guessable) or another centre's attachments.
- **`zip_files`** checked File's own permission function, not the app's rules: IT zipped a pack.
- **Restriction (Art. 18)** did not reach comments, attachments, e-mails (Communication), group
  activities, or a report's own exports (Frappe's CSV/Excel and the app's .xlsx).
- **Access log**: `get_value`, `get_list`, the REST list and the desk's list view left no row for a
  look-up of a person; Frappe's report export left none either.
- **Anonymisation** left the person's name in stored report results (Prepared Report files).
- **System Console** (SQL mode) let municipal IT read every special-category column.
"""

import gzip
import io
import json
import time
import zipfile

import frappe
import pytest
from kentro_koinotitas.access import audit

REQUEST = "Data Subject Request"


@pytest.fixture
def as_user(http, two_centres):
	def login(key):
		http.cookies.clear()
		http.login(two_centres.users[key], two_centres.passwords[key])
		return http

	return login


@pytest.fixture(scope="module")
def pack(two_centres):
	"""An access request of person A with its pack built (as the job builds it)."""
	from kentro_koinotitas.data_protection import access_pack

	request = frappe.get_doc(
		{
			"doctype": REQUEST,
			"request_type": "Access (Art. 15)",
			"beneficiary": two_centres.person_a.name,
			"received_on": frappe.utils.today(),
		}
	).insert(ignore_permissions=True)
	url = access_pack.build_access_pack(request.name)
	file = frappe.db.get_value("File", {"file_url": url, "attached_to_doctype": REQUEST}, "name")
	frappe.db.commit()
	yield frappe._dict(request=request.name, url=url, file=file)
	frappe.set_user("Administrator")
	access_pack.remove_pack(frappe.get_doc(REQUEST, request.name))
	frappe.delete_doc(REQUEST, request.name, ignore_permissions=True, force=True)
	audit.purge_for(two_centres.person_a.name)
	frappe.db.commit()


@pytest.fixture(scope="module")
def attachment(two_centres):
	"""A private attachment of centre A's person (a scanned document)."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "tautotita-alikis.txt",
			"is_private": 1,
			"content": "ΑΜΚΑ και αριθμός ταυτότητας της Αλίκης",
			"attached_to_doctype": "Beneficiary",
			"attached_to_name": two_centres.person_a.name,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield file
	frappe.set_user("Administrator")
	frappe.delete_doc("File", file.name, ignore_permissions=True, force=True)
	frappe.db.commit()


def own_files_named(url: str) -> list[str]:
	"""File rows with this URL that are not the victim's (made by an attack), removed for the next one."""
	frappe.db.rollback()
	names = frappe.get_all(
		"File",
		filters={"file_url": url, "owner": ("not in", ("Administrator", "Guest"))},
		pluck="name",
	)
	for name in names:
		frappe.db.delete("File", {"name": name})
	frappe.db.commit()
	return names


def hijacks(http, url: str, file_name: str):
	"""Every way to make a File row of one's own that names an existing private file."""
	yield "REST insert", http.post("/api/resource/File", json={"file_url": url, "is_private": 1})
	yield (
		"REST insert, path not normalised",
		http.post(
			"/api/resource/File", json={"file_url": url.replace("/files/", "/files/./"), "is_private": 1}
		),
	)
	yield (
		"REST insert, percent-encoded",
		http.post("/api/resource/File", json={"file_url": url.replace("-", "%2D"), "is_private": 1}),
	)
	yield (
		"frappe.client.insert",
		http.post(
			"/api/method/frappe.client.insert",
			data={"doc": json.dumps({"doctype": "File", "file_url": url, "is_private": 1})},
		),
	)
	yield (
		"upload_file with file_url",
		http.post("/api/method/upload_file", data={"file_url": url, "is_private": 1}),
	)
	yield (
		"add_attachments",
		http.post(
			"/api/method/frappe.utils.file_manager.add_attachments",
			data={"doctype": "ToDo", "name": "x", "attachments": json.dumps([file_name])},
		),
	)
	own = http.post(
		"/api/method/upload_file",
		files={"file": ("own.txt", b"own content of the attacker")},
		data={"is_private": 1},
	)
	assert own.status_code == 200, own.text[:300]
	yield (
		"changing the URL of one's own File",
		http.put(f"/api/resource/File/{own.json()['message']['name']}", json={"file_url": url}),
	)


def test_nobody_hijacks_the_access_pack_or_another_centres_attachment(as_user, pack, attachment):
	"""Before: every hijack answered 200 and the download that followed gave the pack (PK…) or the file."""
	victims = [(pack.url, pack.file, ("receptionist_a", "social_worker_b", "it", "director"))]
	victims.append((attachment.file_url, attachment.name, ("social_worker_b", "coordinator_b")))
	leaks = []
	for url, file_name, attackers in victims:
		for key in attackers:
			http = as_user(key)
			for how, response in hijacks(http, url, file_name):
				download = http.get(url)
				fetched = http.get(
					"/api/method/frappe.core.doctype.file.file.download_file", params={"file_url": url}
				)
				if download.status_code == 200 or fetched.status_code == 200:
					leaks.append((key, url, how, response.status_code))
				own_files_named(url)
				own_files_named(url.replace("/files/", "/files/./"))
	assert not leaks, "\n".join(map(str, leaks))


def test_the_owner_of_a_file_still_attaches_it_again(as_user, two_centres, attachment):
	"""The fix keeps the desk's «attach a file of the library»: a user who may read the file may name it."""
	http = as_user("social_worker_a")
	response = http.post(
		"/api/method/upload_file",
		data={
			"file_url": attachment.file_url,
			"is_private": 1,
			"doctype": "Case",
			"docname": two_centres.case_a.name,
		},
	)
	assert response.status_code == 200, response.text[:300]
	assert http.get(attachment.file_url).status_code == 200
	frappe.db.rollback()
	frappe.db.delete("File", {"name": response.json()["message"]["name"]})
	frappe.db.commit()


def test_it_cannot_zip_the_access_pack(as_user, pack):
	"""Before: `zip_files` checked File's own permission function (read on the request), and IT got the
	pack inside a zip."""
	for key in ("it", "receptionist_a", "social_worker_b"):
		http = as_user(key)
		response = http.post(
			"/api/method/frappe.core.api.file.zip_files", data={"files": json.dumps([pack.file])}
		)
		if response.status_code == 200:
			names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
			assert not names, (key, names)
	http = as_user("dpo")
	response = http.post(
		"/api/method/frappe.core.api.file.zip_files", data={"files": json.dumps([pack.file])}
	)
	assert response.status_code == 200
	assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()


# Restriction of processing (Art. 18)
# -----------------------------------


@pytest.fixture(scope="module")
def restricted(two_centres):
	"""A restricted person of centre A with a case and a referral sent to a partner."""
	from kentro_koinotitas.tests.factories import make_beneficiary, make_case, make_referral

	person = make_beneficiary(
		first_name="Ροδάνθη", last_name=f"Κλειδωμένη{two_centres.tag}", home_centre=two_centres.centre_a
	)
	case = make_case(person.name)
	referral = make_referral(case)
	other = make_referral(frappe.get_doc("Case", two_centres.case_a.name))
	for name in (referral.name, other.name):
		frappe.db.set_value("Referral", name, {"status": "Sent", "sent_on": frappe.utils.today()})
	frappe.db.set_value(
		"Beneficiary", person.name, {"processing_restricted": 1, "restriction_reason": "Αμφισβήτηση"}
	)
	frappe.db.commit()
	yield frappe._dict(
		person=person.name,
		last_name=person.last_name,
		case=case.name,
		referral=referral.name,
		other_referral=other.name,
	)
	frappe.set_user("Administrator")
	for doctype, field in (("Comment", "reference_name"), ("Communication", "reference_name")):
		frappe.db.delete(doctype, {field: ("in", (person.name, case.name))})
	frappe.db.delete("ToDo", {"reference_name": ("in", (person.name, case.name))})
	for name in frappe.get_all(
		"File", filters={"attached_to_name": ("in", (person.name, case.name))}, pluck="name"
	):
		frappe.delete_doc("File", name, ignore_permissions=True, force=True)
	for name in frappe.get_all("Group Activity", filters={"centre": two_centres.centre_a}, pluck="name"):
		frappe.delete_doc("Group Activity", name, ignore_permissions=True, force=True)
	for doctype, name in (
		("Referral", referral.name),
		("Referral", other.name),
		("Case", case.name),
		("Beneficiary", person.name),
	):
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	audit.purge_for(person.name)
	audit.purge_for(two_centres.person_a.name)
	frappe.db.commit()


def restricted_changes(http, world, restricted):
	"""Every way to add to or change what is recorded about a restricted person, besides editing the
	person's records themselves (`tests/test_restriction.py`)."""
	for doctype, name in (("Beneficiary", restricted.person), ("Case", restricted.case)):
		yield (
			f"comment on {doctype}",
			http.post(
				"/api/method/frappe.desk.form.utils.add_comment",
				data={
					"reference_doctype": doctype,
					"reference_name": name,
					"content": "Νέα πληροφορία για το πρόσωπο",
					"comment_email": "x@example.com",
					"comment_by": "x",
				},
			),
		)
		yield (
			f"attachment on {doctype}",
			http.post(
				"/api/method/upload_file",
				files={"file": ("nea-vevaiosi.txt", f"βεβαίωση {doctype}".encode())},
				data={"is_private": 1, "doctype": doctype, "docname": name},
			),
		)
		yield (
			f"e-mail on {doctype}",
			http.post(
				"/api/method/frappe.core.doctype.communication.email.make",
				data={
					"doctype": doctype,
					"name": name,
					"subject": "Ενημέρωση",
					"content": "Στοιχεία του προσώπου",
					"recipients": "someone@example.com",
					"send_email": 0,
				},
			),
		)
	yield (
		"new group activity with the person",
		http.post(
			"/api/resource/Group Activity",
			json={
				"title": "Εργαστήρι",
				"service": "Δημιουργική απασχόληση παιδιών",
				"centre": world.centre_a,
				"start_date": "2026-03-02",
				"participants": [{"beneficiary": restricted.person}],
				"attendance": [
					{"session_date": "2026-03-02", "beneficiary": restricted.person, "present": 1}
				],
			},
		),
	)


@pytest.mark.parametrize("key", ["social_worker_a", "coordinator_a", "receptionist_a"])
def test_restriction_blocks_comments_attachments_mail_and_group_activities(
	as_user, two_centres, restricted, key
):
	"""Before: every one of these answered 200 and stored something new about the restricted person."""
	http = as_user(key)
	allowed = [
		(how, response.status_code) for how, response in restricted_changes(http, two_centres, restricted)
	]
	allowed = [(how, status) for how, status in allowed if status == 200]
	assert not allowed


@pytest.mark.parametrize("key", ["social_worker_a", "coordinator_a"])
def test_restriction_blocks_every_print_path(as_user, restricted, key):
	http = as_user(key)
	prints = {
		"printview page": http.get(
			"/printview", params={"doctype": "Beneficiary", "name": restricted.person, "format": "Standard"}
		),
		"download_multi_pdf": http.get(
			"/api/method/frappe.utils.print_format.download_multi_pdf",
			params={"doctype": "Case", "name": json.dumps([restricted.case]), "format": "Standard"},
		),
		"download_pdf": http.get(
			"/api/method/frappe.utils.print_format.download_pdf",
			params={"doctype": "Beneficiary", "name": restricted.person, "format": "Standard"},
		),
	}
	printed = {
		how: response.status_code
		for how, response in prints.items()
		if response.ok
		and any(text in printed_text(response) for text in (restricted.last_name, restricted.case))
	}
	assert not printed


def printed_text(response) -> str:
	"""The text of an HTML page or of a PDF (through poppler's pdftotext)."""
	if response.content[:4] != b"%PDF":
		return response.text
	import subprocess

	# a PDF without pages (Frappe's multi-PDF skips the documents it may not print) has no text
	done = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=False)
	return done.stdout.decode() if done.returncode == 0 else ""


def test_a_group_activity_with_a_restricted_person_changes_only_in_other_rows(
	as_user, two_centres, restricted
):
	activity = frappe.get_doc(
		{
			"doctype": "Group Activity",
			"title": "Εργαστήρι με περιορισμό",
			"service": "Δημιουργική απασχόληση παιδιών",
			"centre": two_centres.centre_a,
			"start_date": "2026-03-02",
			"participants": [{"beneficiary": restricted.person}, {"beneficiary": two_centres.person_a.name}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	http = as_user("social_worker_a")
	path = f"/api/resource/Group Activity/{activity.name}"
	doc = http.get(path).json()["data"]
	response = http.put(path, json={"description": "Νέα περιγραφή", "participants": doc["participants"]})
	assert response.status_code == 200, response.text[:300]
	others = [row for row in doc["participants"] if row["beneficiary"] != restricted.person]
	assert http.put(path, json={"participants": others}).status_code == 403
	attendance = [{"session_date": "2026-03-02", "beneficiary": restricted.person, "present": 1}]
	assert http.put(path, json={"attendance": attendance}).status_code == 403
	frappe.db.rollback()
	assert frappe.db.count("Group Activity Participant", {"parent": activity.name}) == 2
	assert not frappe.db.count("Group Activity Attendance", {"parent": activity.name})


def test_the_officer_still_comments_on_a_restricted_person(as_user, restricted):
	http = as_user("dpo")
	response = http.post(
		"/api/method/frappe.desk.form.utils.add_comment",
		data={
			"reference_doctype": "Beneficiary",
			"reference_name": restricted.person,
			"content": "Σημείωση της ΥΠΔ",
			"comment_email": "dpo@example.com",
			"comment_by": "dpo",
		},
	)
	assert response.status_code == 200, response.text[:300]


def test_restriction_and_the_access_log_reach_report_exports(as_user, two_centres, restricted):
	"""Before: the report's own exports (Frappe's `query_report.export_query` and the app's .xlsx) held the
	restricted person's row, and Frappe's export left no row in the access log."""
	http = as_user("coordinator_a")
	report = "Open Referrals and Overdue Items"
	csv = http.post(
		"/api/method/frappe.desk.query_report.export_query",
		data={
			"report_name": report,
			"file_format_type": "CSV",
			"filters": json.dumps({}),
			"visible_idx": json.dumps([]),
		},
	)
	assert csv.status_code == 200, csv.text[:300]
	assert restricted.last_name not in csv.text and restricted.referral not in csv.text
	xlsx = http.get(
		"/api/method/kentro_koinotitas.reporting.excel.download_xlsx",
		params={"report_name": report, "filters": json.dumps({})},
	)
	assert xlsx.status_code == 200, xlsx.text[:300]
	from openpyxl import load_workbook

	cells = {
		str(cell.value) for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for cell in row
	}
	assert not any(restricted.last_name in cell or restricted.referral in cell for cell in cells)

	# the export of the other rows is logged (Frappe's export left no row before)
	assert restricted.other_referral in csv.text
	user = two_centres.users["coordinator_a"]
	deadline = time.monotonic() + 15
	while True:
		frappe.db.rollback()
		rows = frappe.get_all(
			"Personal Data Access",
			filters={"user": user, "access_kind": "Export", "reference_name": restricted.other_referral},
			pluck="detail",
		)
		if rows or time.monotonic() > deadline:
			break
		time.sleep(0.3)
	assert report in rows


# The access log of personal data: values and lists
# -------------------------------------------------


def logged_rows(user: str, person: str, timeout: float = 15, expected: int = 1) -> list[dict]:
	deadline = time.monotonic() + timeout
	while True:
		frappe.db.rollback()  # the server commits the rows after responding
		rows = frappe.get_all(
			"Personal Data Access",
			filters={"user": user, "beneficiary": person},
			fields=["access_kind", "reference_doctype", "reference_name", "detail"],
		)
		if len(rows) >= expected or time.monotonic() > deadline:
			return rows
		time.sleep(0.3)


def test_looking_a_person_up_by_value_or_list_is_logged(as_user, two_centres):
	"""Before: `get_value`, `get_list`, the REST list and the desk's list view answered a look-up by ΑΜΚΑ
	and left no row in the access log."""
	person = two_centres.person_a
	user = two_centres.users["social_worker_a"]
	http = as_user("social_worker_a")
	by_amka = json.dumps([["Beneficiary", "amka", "=", person.amka]])
	reads = {
		"get_value": http.get(
			"/api/method/frappe.client.get_value",
			params={
				"doctype": "Beneficiary",
				"fieldname": json.dumps(["amka", "phone"]),
				"filters": person.name,
			},
		),
		"frappe.client.get_list": http.get(
			"/api/method/frappe.client.get_list",
			params={"doctype": "Beneficiary", "fields": json.dumps(["full_name"]), "filters": by_amka},
		),
		"REST": http.get("/api/resource/Beneficiary", params={"filters": by_amka, "fields": '["full_name"]'}),
		"frappe.desk.reportview.get": http.post(
			"/api/method/frappe.desk.reportview.get",
			data={
				"doctype": "Beneficiary",
				"fields": json.dumps(["`tabBeneficiary`.`name`", "`tabBeneficiary`.`amka`"]),
				"filters": by_amka,
			},
		),
	}
	for how, response in reads.items():
		assert response.status_code == 200, (how, response.text[:300])
		text = json.dumps(response.json(), ensure_ascii=False)
		assert person.amka in text or person.last_name in text, how
	rows = logged_rows(user, person.name, expected=len(reads))
	details = {row.detail for row in rows if row.reference_name == person.name}
	assert details >= set(reads), rows
	audit.purge_for(person.name)
	frappe.db.commit()


# Anonymisation: stored report results
# ------------------------------------


def test_anonymisation_reaches_stored_report_results(as_user, two_centres):
	"""Before: a prepared (stored) result of a report that named the person kept their name after the
	anonymisation, and its owner read it again over HTTP."""
	from frappe.core.doctype.prepared_report.prepared_report import generate_report
	from kentro_koinotitas.data_protection import erasure
	from kentro_koinotitas.tests.factories import (
		make_beneficiary,
		make_case,
		make_referral,
		make_subject_request,
	)

	person = make_beneficiary(
		first_name="Ξανθίππη", last_name=f"Σβησμένη{two_centres.tag}", home_centre=two_centres.centre_a
	)
	referral = make_referral(make_case(person.name))
	frappe.db.set_value("Referral", referral.name, {"status": "Sent", "sent_on": frappe.utils.today()})
	request = make_subject_request(person.name)
	report = "Open Referrals and Overdue Items"
	owner = two_centres.users["coordinator_a"]
	frappe.set_user(owner)
	prepared = frappe.get_doc({"doctype": "Prepared Report", "report_name": report, "filters": "{}"})
	prepared.flags.ignore_permissions = True
	prepared.insert()
	generate_report(prepared.name)
	frappe.set_user("Administrator")
	frappe.db.commit()
	stored = frappe.get_doc("Prepared Report", prepared.name)
	assert stored.status == "Completed", stored.error_message
	assert person.last_name in json.dumps(json.loads(stored.get_prepared_data()), ensure_ascii=False)

	url = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Prepared Report", "attached_to_name": prepared.name},
		pluck="file_url",
	)[0]

	def stored_result():
		"""What the report's owner downloads of the stored result (the desk's «download» of a prepared report)."""
		http = as_user("coordinator_a")
		response = http.get(url)
		if response.status_code != 200:
			return ""
		return json.dumps(json.loads(gzip.decompress(response.content)), ensure_ascii=False)

	try:
		assert person.last_name in stored_result()
		erasure.anonymise_beneficiary(person.name, request=request.name)
		frappe.db.commit()
		assert person.last_name not in stored_result()
		frappe.db.rollback()
		assert not frappe.db.exists("Prepared Report", prepared.name)
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		if frappe.db.exists("Prepared Report", prepared.name):
			frappe.delete_doc("Prepared Report", prepared.name, ignore_permissions=True, force=True)
		for doctype, name in (("Referral", referral.name), ("Case", referral.case)):
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
		frappe.db.delete("Data Subject Request", {"name": request.name})
		frappe.delete_doc("Beneficiary", person.name, ignore_permissions=True, force=True)
		frappe.db.commit()


# Municipal IT (System Manager) and special-category data
# -------------------------------------------------------


def test_it_reads_no_special_category_data_through_raw_sql(as_user, two_centres):
	"""Before: Frappe's System Console (SQL mode, no server scripts needed) and a new Query Report gave
	System Manager every column of every table: level-1 vulnerable groups, psychologists' notes, the
	access log, legal holds."""
	http = as_user("it")
	person = two_centres.person_a.name
	sql = f"select parent, vulnerable_group from `tabBeneficiary Vulnerable Group` where parent = '{person}'"
	loaded = http.get(
		"/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": "System Console", "name": "System Console"},
	)
	doc = loaded.json()["docs"][0] if loaded.ok else {"doctype": "System Console"}
	console = http.post(
		"/api/method/frappe.desk.doctype.system_console.system_console.execute_code",
		data={"doc": json.dumps({**doc, "type": "SQL", "console": sql, "commit": 0})},
	)
	output = console.json()["message"]["output"] if console.ok else "[]"
	assert not json.loads(output or "[]"), output
	report_name = f"Κατάλογος {two_centres.tag}"
	created = http.post(
		"/api/resource/Report",
		json={
			"report_name": report_name,
			"ref_doctype": "Beneficiary",
			"report_type": "Query Report",
			"is_standard": "No",
			"module": "Registry",
			"query": sql,
		},
	)
	ran = http.post(
		"/api/method/frappe.desk.query_report.run",
		data={"report_name": report_name, "filters": "{}"},
	)
	frappe.db.rollback()
	frappe.db.delete("Report", {"name": report_name})
	frappe.db.commit()
	assert created.status_code != 200 or "Ρομά" not in json.dumps(ran.json(), ensure_ascii=False), ran.text[
		:300
	]


def test_it_sees_no_running_query_of_other_users(as_user):
	"""Frappe's `show_processlist` lists every running SQL statement with the values it filters by."""
	http = as_user("it")
	response = http.get("/api/method/frappe.desk.doctype.system_console.system_console.show_processlist")
	assert response.status_code == 403, response.text[:300]
	assert "Administrator" in response.text  # the Greek refusal names who may use it


# The officer's DocTypes through every read method
# ------------------------------------------------

OFFICER_DOCTYPES = (
	"Data Subject Request",
	"Legal Hold",
	"Retention Rule",
	"Retention Review",
	"Retention Review Item",
	"Record of Processing",
	"Personal Data Access",
)


@pytest.fixture(scope="module")
def officer_records(two_centres):
	person = two_centres.person_a.name
	request = frappe.get_doc(
		{
			"doctype": REQUEST,
			"request_type": "Erasure (Art. 17)",
			"beneficiary": person,
			"received_on": "2026-01-05",
		}
	).insert(ignore_permissions=True)
	hold = frappe.get_doc(
		{
			"doctype": "Legal Hold",
			"beneficiary": person,
			"hold_type": "Prosecutor",
			"date_from": "2026-01-05",
			"reason": "Εισαγγελική παραγγελία 12/2026",
		}
	).insert(ignore_permissions=True)
	audit.record("Beneficiary", [person], audit.FORM)
	frappe.db.commit()
	yield frappe._dict(request=request.name, hold=hold.name, person=person)
	frappe.set_user("Administrator")
	frappe.delete_doc("Legal Hold", hold.name, ignore_permissions=True, force=True)
	frappe.delete_doc(REQUEST, request.name, ignore_permissions=True, force=True)
	audit.purge_for(person)
	frappe.db.commit()


def officer_reads(http, doctype: str, name: str | None):
	fields = json.dumps(["name"])
	yield (
		"get_list",
		http.get("/api/method/frappe.client.get_list", params={"doctype": doctype, "fields": fields}),
	)
	yield "REST list", http.get(f"/api/resource/{doctype}")
	yield (
		"reportview.get",
		http.post("/api/method/frappe.desk.reportview.get", data={"doctype": doctype, "fields": fields}),
	)
	yield "get_count", http.post("/api/method/frappe.desk.reportview.get_count", data={"doctype": doctype})
	yield "client.get_count", http.get("/api/method/frappe.client.get_count", params={"doctype": doctype})
	yield (
		"search_link",
		http.post("/api/method/frappe.desk.search.search_link", data={"doctype": doctype, "txt": ""}),
	)
	yield (
		"export_query",
		http.post(
			"/api/method/frappe.desk.reportview.export_query",
			data={"doctype": doctype, "file_format_type": "CSV", "fields": fields, "title": doctype},
		),
	)
	if name:
		yield (
			"get_value",
			http.get(
				"/api/method/frappe.client.get_value",
				params={"doctype": doctype, "fieldname": "name", "filters": name},
			),
		)
		yield (
			"getdoc",
			http.get("/api/method/frappe.desk.form.load.getdoc", params={"doctype": doctype, "name": name}),
		)
		yield (
			"get_docinfo",
			http.get(
				"/api/method/frappe.desk.form.load.get_docinfo", params={"doctype": doctype, "name": name}
			),
		)
		yield (
			"printview",
			http.post(
				"/api/method/frappe.www.printview.get_html_and_style",
				data={"doc": doctype, "name": name, "print_format": "Standard"},
			),
		)
		yield (
			"download_pdf",
			http.get(
				"/api/method/frappe.utils.print_format.download_pdf",
				params={"doctype": doctype, "name": name, "format": "Standard"},
			),
		)


@pytest.mark.parametrize(
	"key", ["receptionist_a", "social_worker_a", "psychologist_a", "coordinator_b", "director"]
)
def test_staff_read_nothing_of_the_officers_doctypes(as_user, two_centres, officer_records, key):
	http = as_user(key)
	frappe.db.rollback()
	log_row = frappe.get_all(
		"Personal Data Access", filters={"beneficiary": officer_records.person}, pluck="name"
	)
	names = {
		REQUEST: officer_records.request,
		"Legal Hold": officer_records.hold,
		"Personal Data Access": log_row[0] if log_row else None,
		"Record of Processing": "Record of Processing",
	}
	secrets_ = [officer_records.request, officer_records.hold, "Εισαγγελική", *log_row[:1]]
	leaks = []
	for doctype in OFFICER_DOCTYPES:
		for how, response in officer_reads(http, doctype, names.get(doctype)):
			text = response.text
			try:
				text = json.dumps(response.json(), ensure_ascii=False)
			except ValueError:
				pass
			count_leak = how.endswith("get_count") and response.ok and response.json().get("message")
			if (response.ok and any(s in text for s in secrets_)) or count_leak:
				leaks.append((doctype, how, response.status_code))
	assert not leaks
