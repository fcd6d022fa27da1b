"""The access log of personal data over real HTTP (issue 14, item 6): a row for each read path (desk form,
REST v1 and v2 and `frappe.client.get`, print, PDF, report rows, both exports), with the user and address;
readable only by the Data Protection Officer and System Manager; changed or deleted by no role; the DPO's
"who accessed this record"; and the access pack that only the DPO queues and downloads."""

import json
import time

import frappe
import pytest
from kentro_koinotitas.access import audit

LOG = "Personal Data Access"


@pytest.fixture
def as_user(http, two_centres, web_server):
	# with its port in the Host header, the site's URL (which wkhtmltopdf fetches from) is this server
	http.headers["Host"] = f"{frappe.local.site}:{web_server.rsplit(':', 1)[1]}"

	def login(key):
		http.cookies.clear()
		http.login(two_centres.users[key], two_centres.passwords[key])
		return http

	return login


@pytest.fixture
def sent_referral(two_centres):
	"""A referral of person A waiting on the partner (a row of "Open Referrals and Overdue Items")."""
	from kentro_koinotitas.tests.factories import make_referral

	referral = make_referral(frappe.get_doc("Case", two_centres.case_a.name))
	frappe.db.set_value("Referral", referral.name, {"status": "Sent", "sent_on": frappe.utils.today()})
	frappe.db.commit()
	yield referral.name
	frappe.delete_doc("Referral", referral.name, ignore_permissions=True, force=True)
	audit.purge_for(two_centres.person_a.name)
	frappe.db.commit()


def logged(user: str, expected: set[tuple[str, str, str]], timeout: float = 15) -> set[tuple[str, str, str]]:
	"""(kind, DocType, name) rows of the user, waiting for the rows written after the responses."""
	deadline = time.monotonic() + timeout
	while True:
		frappe.db.rollback()  # a fresh snapshot: the web server commits the rows after responding
		rows = frappe.get_all(
			LOG, filters={"user": user}, fields=["access_kind", "reference_doctype", "reference_name"]
		)
		found = {(row.access_kind, row.reference_doctype, row.reference_name) for row in rows}
		if expected <= found or time.monotonic() > deadline:
			return found
		time.sleep(0.3)


def ok(response):
	assert response.status_code == 200, response.text[:500]
	return response


def test_every_read_path_leaves_a_row(as_user, two_centres, sent_referral):
	http = as_user("social_worker_a")
	person, case = two_centres.person_a.name, two_centres.case_a.name
	ok(
		http.get(
			"/api/method/frappe.desk.form.load.getdoc", params={"doctype": "Beneficiary", "name": person}
		)
	)
	ok(http.get(f"/api/resource/Case/{case}"))
	ok(http.get(f"/api/v2/document/Referral/{sent_referral}"))
	ok(http.get("/api/method/frappe.client.get", params={"doctype": "Beneficiary", "name": person}))
	page = ok(http.get("/printview", params={"doctype": "Case", "name": case, "format": "Standard"}))
	assert case in page.text
	pdf = ok(
		http.get(
			"/api/method/frappe.utils.print_format.download_pdf",
			params={"doctype": "Beneficiary", "name": person, "format": "Standard"},
		)
	)
	assert pdf.content[:4] == b"%PDF"
	ok(
		http.post(
			"/api/method/frappe.desk.query_report.run",
			data={"report_name": "Open Referrals and Overdue Items", "filters": json.dumps({})},
		)
	)
	ok(
		http.post(
			"/api/method/frappe.desk.reportview.export_query",
			data={
				"doctype": "Case",
				"file_format_type": "CSV",
				"fields": json.dumps(["`tabCase`.`name`"]),
				"filters": json.dumps({"name": case}),
				"title": "Case",
			},
		)
	)
	ok(
		http.post(
			"/api/method/frappe.core.doctype.data_export.exporter.export_data",
			data={
				"doctype": "Beneficiary",
				"select_columns": json.dumps({"Beneficiary": ["name", "first_name"]}),
				"filters": json.dumps({"name": person}),
				"file_type": "CSV",
				"template": "true",
				"with_data": "1",
				"all_doctypes": "false",
			},
		)
	)
	expected = {
		("Form", "Beneficiary", person),
		("REST read", "Case", case),
		("REST read", "Referral", sent_referral),
		("REST read", "Beneficiary", person),
		("Print", "Case", case),
		("PDF", "Beneficiary", person),
		("Report", "Referral", sent_referral),
		("Export", "Case", case),
		("Export", "Beneficiary", person),
	}
	user = two_centres.users["social_worker_a"]
	assert expected <= logged(user, expected)
	rows = frappe.get_all(LOG, filters={"user": user}, fields=["beneficiary", "ip_address", "detail"])
	assert {row.beneficiary for row in rows} == {person}
	assert {row.ip_address for row in rows} == {"127.0.0.1"}
	assert "Open Referrals and Overdue Items" in {row.detail for row in rows}


def test_a_refused_read_leaves_no_row(as_user, two_centres):
	http = as_user("social_worker_a")
	response = http.get(f"/api/resource/Case/{two_centres.case_b.name}")
	assert response.status_code == 403
	time.sleep(1)
	frappe.db.rollback()
	assert not frappe.db.exists(LOG, {"reference_name": two_centres.case_b.name})


@pytest.fixture
def log_row(two_centres):
	audit.record("Beneficiary", [two_centres.person_a.name], audit.FORM)
	frappe.db.commit()
	name = frappe.get_all(
		LOG, filters={"beneficiary": two_centres.person_a.name}, pluck="name", order_by="accessed_on desc"
	)[0]
	yield name
	audit.purge_for(two_centres.person_a.name)
	frappe.db.commit()


@pytest.mark.parametrize("key", ["dpo", "it", "coordinator_a", "social_worker_a", "director"])
def test_no_role_changes_or_deletes_a_row_over_rest(as_user, two_centres, log_row, key):
	http = as_user(key)
	path = f"/api/resource/{LOG}/{log_row}"
	attempts = [
		http.put(path, json={"user": "Guest", "access_kind": "Export"}),
		http.delete(path),
		http.patch(f"/api/v2/document/{LOG}/{log_row}", json={"detail": "αλλαγή"}),
		http.delete(f"/api/v2/document/{LOG}/{log_row}"),
		http.post(f"/api/resource/{LOG}", json={"user": "Guest", "access_kind": "Form"}),
		http.post(
			"/api/method/frappe.client.set_value",
			data={"doctype": LOG, "name": log_row, "fieldname": "user", "value": "Guest"},
		),
		http.post("/api/method/frappe.client.delete", data={"doctype": LOG, "name": log_row}),
		http.post(
			"/api/method/frappe.client.insert",
			data={"doc": json.dumps({"doctype": LOG, "user": "Guest", "access_kind": "Form"})},
		),
		http.post(
			"/api/method/frappe.model.rename_doc.update_document_title",
			data={"doctype": LOG, "docname": log_row, "name": "renamed-row"},
		),
	]
	for response in attempts:
		assert response.status_code in (403, 404, 417), (
			response.request.method,
			response.url,
			response.text[:300],
		)
	frappe.db.rollback()
	assert frappe.db.get_value(LOG, log_row, ["user", "access_kind", "detail"]) == (
		"Administrator",
		"Form",
		None,
	)
	assert frappe.db.count(LOG, {"user": "Guest"}) == 0


def test_only_the_officer_and_it_read_the_log(as_user, two_centres, log_row):
	person = two_centres.person_a.name
	for key in ("dpo", "it"):
		http = as_user(key)
		ok(http.get(f"/api/resource/{LOG}/{log_row}"))
		history = ok(
			http.get(
				"/api/method/kentro_koinotitas.data_protection.access_log.get_access_history",
				params={"beneficiary": person},
			)
		).json()["message"]
		assert log_row and {row["reference_name"] for row in history} >= {person}
	for key in ("coordinator_a", "social_worker_a", "director", "receptionist_a"):
		http = as_user(key)
		assert http.get(f"/api/resource/{LOG}/{log_row}").status_code == 403
		listed = http.get(f"/api/resource/{LOG}", params={"limit_page_length": 0})
		assert listed.status_code == 403
		history = http.get(
			"/api/method/kentro_koinotitas.data_protection.access_log.get_access_history",
			params={"beneficiary": person},
		)
		assert history.status_code == 403 and "reference_name" not in history.text


@pytest.fixture
def packed_request(two_centres):
	"""A committed access request of person A with its pack built (as the job builds it)."""
	from kentro_koinotitas.data_protection import access_pack

	def request(request_type):
		return frappe.get_doc(
			{
				"doctype": "Data Subject Request",
				"request_type": request_type,
				"beneficiary": two_centres.person_a.name,
				"received_on": frappe.utils.today(),
			}
		).insert(ignore_permissions=True)

	access, erasure = request("Access (Art. 15)"), request("Erasure (Art. 17)")
	url = access_pack.build_access_pack(access.name)
	frappe.db.commit()
	yield frappe._dict(access=access.name, erasure=erasure.name, url=url)
	access_pack.remove_pack(frappe.get_doc("Data Subject Request", access.name))
	for name in (access.name, erasure.name):
		frappe.delete_doc("Data Subject Request", name, ignore_permissions=True, force=True)
	audit.purge_for(two_centres.person_a.name)
	frappe.db.commit()


def test_only_the_officer_queues_and_downloads_a_pack(as_user, packed_request):
	method = "/api/method/kentro_koinotitas.data_protection.access_pack.enqueue_access_pack"
	for key in ("social_worker_a", "coordinator_a", "director", "it"):
		http = as_user(key)
		assert http.post(method, data={"request": packed_request.access}).status_code == 403
		# municipal IT reads every request, but not the person's records gathered in its pack
		assert http.get(packed_request.url).status_code == 403
	http = as_user("dpo")
	download = ok(http.get(packed_request.url))
	assert download.content[:2] == b"PK"
	refused = http.post(method, data={"request": packed_request.erasure})
	assert refused.status_code == 417
	messages = [json.loads(message)["message"] for message in json.loads(refused.json()["_server_messages"])]
	assert messages == ["Φάκελος πρόσβασης ετοιμάζεται μόνο για αίτημα πρόσβασης ή φορητότητας."]
