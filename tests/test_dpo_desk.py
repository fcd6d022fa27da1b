"""The data protection officer's desk over real HTTP: the officer lands on «Προστασία Δεδομένων», reads
referrals and front-desk visits but writes no casework, approves retention reviews (nobody else does),
and alone with IT prints and downloads the record of processing activities."""

import io
import secrets

import frappe
import pytest
from kentro_koinotitas.data_protection.desk import WORKSPACE
from kentro_koinotitas.setup import roles
from kentro_koinotitas.tests.factories import make_beneficiary, make_case, make_centre, make_referral
from openpyxl import load_workbook

XLSX = "/api/method/kentro_koinotitas.data_protection.processing_record.download_xlsx"
APPROVE = "/api/method/kentro_koinotitas.data_protection.retention.approve_review"


@pytest.fixture(scope="module")
def desk(make_user):
	tag = secrets.token_hex(3)
	users = {}
	for key, role_list in {
		"dpo": [roles.DATA_PROTECTION_OFFICER],
		"social_worker": [roles.SOCIAL_WORKER],
		"coordinator": [roles.COORDINATOR, roles.SOCIAL_WORKER],
		"it": ["System Manager"],
	}.items():
		users[key] = make_user(role_list, first_name=f"Γραφείο {key}")
	centre = make_centre(
		f"ΚΚ ΥΠΔ {tag}", staff=[{"user": users["social_worker"][0]}, {"user": users["coordinator"][0]}]
	)
	person = make_beneficiary(first_name="Ιφιγένεια", last_name=f"Γραφείου{tag}", home_centre=centre)
	case = make_case(person.name)
	referral = make_referral(case)
	visit = frappe.get_doc(
		{
			"doctype": "Front Desk Visit",
			"beneficiary": person.name,
			"centre": centre,
			"request_category": "Στέγαση",
			"notes": f"Σημείωση επίσκεψης {tag}",
		}
	).insert(ignore_permissions=True)
	review = frappe.get_doc(
		{
			"doctype": "Retention Review",
			"review_date": "2026-01-01",
			"status": "Pending approval",
			"item_count": 0,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield frappe._dict(users=users, person=person, case=case, referral=referral, visit=visit, review=review)
	frappe.set_user("Administrator")
	for doctype, name in (
		("Retention Review", review.name),
		("Front Desk Visit", visit.name),
		("Referral", referral.name),
		("Case", case.name),
		("Beneficiary", person.name),
		("Community Centre", centre),
	):
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	frappe.db.commit()


def login(http, desk, key):
	http.login(*desk.users[key])
	return http


def test_the_officer_lands_on_the_data_protection_workspace(http, desk):
	assert frappe.db.get_value("User", desk.users["dpo"][0], "default_workspace") == WORKSPACE
	# the other roles land on their own home page (setup/desk.py), never on the officer's
	assert (
		frappe.db.get_value("User", desk.users["social_worker"][0], "default_workspace") == "Οι Φάκελοί μου"
	)
	http = login(http, desk, "dpo")
	response = http.post("/api/method/frappe.desk.desktop.get_workspace_sidebar_items")
	assert WORKSPACE in {page["name"] for page in response.json()["message"]["pages"]}
	http = login(http, desk, "social_worker")
	response = http.post("/api/method/frappe.desk.desktop.get_workspace_sidebar_items")
	assert WORKSPACE not in {page["name"] for page in response.json()["message"]["pages"]}


def test_the_officer_reads_referrals_and_visits_and_writes_no_casework(http, desk):
	http = login(http, desk, "dpo")
	for doctype, name in (
		("Referral", desk.referral.name),
		("Front Desk Visit", desk.visit.name),
		("Case", desk.case.name),
	):
		response = http.get(f"/api/resource/{doctype}/{name}")
		assert response.status_code == 200, (doctype, response.text[:300])
	assert http.get("/api/resource/Referral", params={"limit_page_length": 0}).status_code == 200
	response = http.put(f"/api/resource/Case/{desk.case.name}", json={"outcome": "Αλλαγή από ΥΠΔ"})
	assert response.status_code == 403, response.text[:300]
	response = http.put(f"/api/resource/Front Desk Visit/{desk.visit.name}", json={"notes": "Αλλαγή"})
	assert response.status_code == 403, response.text[:300]
	response = http.post(
		"/api/resource/Case", json={"beneficiary": desk.person.name, "outcome": "Νέος φάκελος από ΥΠΔ"}
	)
	assert response.status_code == 403, response.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Case", desk.case.name, "outcome") is None


@pytest.mark.parametrize("key", ["social_worker", "coordinator", "it"])
def test_only_the_officer_approves_a_retention_review(http, desk, key):
	http = login(http, desk, key)
	response = http.post(APPROVE, data={"review": desk.review.name})
	assert response.status_code == 403, response.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Retention Review", desk.review.name, "status") == "Pending approval"


def test_approval_is_a_post(http, desk):
	http = login(http, desk, "dpo")
	assert http.get(APPROVE, params={"review": desk.review.name}).status_code in (403, 405)
	frappe.db.rollback()
	assert frappe.db.get_value("Retention Review", desk.review.name, "status") == "Pending approval"


@pytest.mark.parametrize("key", ["dpo", "it"])
def test_record_of_processing_prints_and_downloads(http, desk, key):
	http = login(http, desk, key)
	response = http.get(XLSX)
	assert response.status_code == 200, response.text[:300]
	book = load_workbook(io.BytesIO(response.content))
	assert "Διατήρηση" in book.sheetnames
	response = http.post(
		"/api/method/frappe.www.printview.get_html_and_style",
		data={
			"doc": "Record of Processing",
			"name": "Record of Processing",
			"print_format": "Αρχείο Δραστηριοτήτων Επεξεργασίας",
		},
	)
	assert response.status_code == 200, response.text[:300]
	assert "ΑΡΧΕΙΟ ΔΡΑΣΤΗΡΙΟΤΗΤΩΝ ΕΠΕΞΕΡΓΑΣΙΑΣ" in response.json()["message"]["html"]


@pytest.mark.parametrize("key", ["social_worker", "coordinator"])
def test_record_of_processing_refused_to_others(http, desk, key):
	http = login(http, desk, key)
	assert http.get(XLSX).status_code == 403
	assert http.get("/api/resource/Record of Processing/Record of Processing").status_code == 403
