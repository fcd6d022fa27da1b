"""Anonymisation (erasure): nothing about the person is left in any text column of the site's database
or in any file under the site folder, and the indicator and ESF+ reports for past periods do not change.
Refusals: legal hold, twice, no approved request, not the DPO (also over HTTP)."""

import datetime
import io
import json
import os
from pathlib import Path
from unittest.mock import patch

import frappe
import pytest
from frappe.utils import today
from frappe.utils.global_search import sync_global_search
from openpyxl import load_workbook
from tests.conftest import http, make_user, web_server  # noqa: F401 (fixtures for the HTTP test)

from kentro_koinotitas.data_protection import erasure
from kentro_koinotitas.data_protection.erasure.birth import coarse_birth_date, evaluation_dates
from kentro_koinotitas.reporting.esf import age_band
from kentro_koinotitas.setup.roles import COORDINATOR, DATA_PROTECTION_OFFICER, SOCIAL_WORKER
from kentro_koinotitas.tests.factories import (
	make_beneficiary,
	make_case,
	make_centre,
	make_subject_request,
	make_user_with_roles,
)
from kentro_koinotitas.tests.person_everywhere import (
	COPIES_BEFORE,
	Subject,
	database_hits,
	file_hits,
	reports,
)


@pytest.fixture
def subject():
	return Subject()


@pytest.fixture
def officer():
	user = make_user_with_roles(DATA_PROTECTION_OFFICER)
	yield user
	frappe.set_user("Administrator")


def test_nothing_is_left_and_reports_do_not_change(subject, officer):
	needles = subject.needles()
	sync_global_search()
	found_in = {table for table, _row in database_hits(needles)}
	assert found_in >= COPIES_BEFORE, COPIES_BEFORE - found_in
	assert file_hits([subject.phrase, subject.amka])
	before = reports(subject.centre)
	attachment_path = subject.attachment.get_full_path()
	import_path = frappe.get_doc("File", {"file_url": subject.import_file.import_file}).get_full_path()
	request = make_subject_request(subject.person.name)

	frappe.set_user(officer)
	summary = erasure.anonymise_beneficiary(subject.person.name, request=request.name)
	frappe.set_user("Administrator")

	assert summary["records"]["Case"] == 1 and summary["import_rows"] == 2
	assert os.path.exists(attachment_path), "files leave the disk only after the commit"
	frappe.db.after_commit.run()
	assert not os.path.exists(attachment_path) and not os.path.exists(import_path)
	sync_global_search()  # entries of the person's records still queued in Redis do not come back
	assert database_hits(needles) == []
	assert file_hits(needles) == []
	assert reports(subject.centre) == before

	person = frappe.db.get_value(
		"Beneficiary", subject.person.name, ["status", "gender", "date_of_birth", "household"], as_dict=True
	)
	assert person.status == "Anonymised" and person.gender == "Female" and person.household is None
	assert person.date_of_birth.year == 1995
	assert frappe.db.count("Beneficiary Vulnerable Group", {"parent": subject.person.name}) == 1
	assert not frappe.db.exists("Household Member", {"beneficiary": subject.person.name})
	assert frappe.db.exists("Household Member", {"beneficiary": subject.other.name})
	assert frappe.db.exists("Service Delivery Participant", {"beneficiary": subject.person.name})
	assert frappe.db.get_value("Data Subject Request", request.name, "anonymised_on")
	new_import, new_report = frappe.db.get_value(
		"Registry Import", subject.import_file.name, ["import_file", "error_report"]
	)
	assert "Συγκάτοικος" in frappe.get_doc("File", {"file_url": new_import}).get_content()
	# an .xlsx is compressed: the search of the site's files cannot see into it, so its cells are read
	content = frappe.get_doc("File", {"file_url": new_report}).get_content()
	cells = [
		str(c) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row
	]
	assert "Συγκάτοικος" in cells
	assert not [
		c for c in cells if any(n in c for n in (subject.first, subject.last, subject.amka.lstrip("0")))
	]


def test_refused_twice_under_hold_without_approval_and_for_others(subject, officer):
	name = subject.person.name
	frappe.set_user(officer)
	with pytest.raises(erasure.AnonymisationRefused, match=r"εγκεκριμένο αίτημα|approved erasure"):
		erasure.anonymise_beneficiary(name)
	received = make_subject_request(name, status="Received", decision=None)
	with pytest.raises(erasure.AnonymisationRefused):
		erasure.anonymise_beneficiary(name, request=received.name)
	access = make_subject_request(name, request_type="Access (Art. 15)")
	with pytest.raises(erasure.AnonymisationRefused):
		erasure.anonymise_beneficiary(name, request=access.name)
	other = make_subject_request(subject.other.name)
	with pytest.raises(erasure.AnonymisationRefused):
		erasure.anonymise_beneficiary(name, request=other.name)

	request = make_subject_request(name)
	hold = frappe.get_doc(
		{"doctype": "Legal Hold", "beneficiary": name, "hold_type": "Court", "reason": "Διάταξη 12/2026"}
	).insert()
	with pytest.raises(erasure.AnonymisationRefused, match=hold.name):
		erasure.anonymise_beneficiary(name, request=request.name)
	hold.lifted_on = today()
	hold.save()
	open_application = frappe.get_doc("Programme Application", subject.application.name)
	frappe.db.set_value("Programme Application", open_application.name, "status", "Submitted")
	with pytest.raises(erasure.AnonymisationRefused, match=open_application.name):
		erasure.anonymise_beneficiary(name, request=request.name)
	frappe.db.set_value("Programme Application", open_application.name, "status", "Approved")

	frappe.set_user(make_user_with_roles(COORDINATOR, SOCIAL_WORKER))
	with pytest.raises(frappe.PermissionError):
		erasure.anonymise_beneficiary(name, request=request.name)
	frappe.set_user(officer)
	erasure.anonymise_beneficiary(name, request=request.name)
	second = make_subject_request(name)
	with pytest.raises(erasure.AnonymisationRefused, match=name):
		erasure.anonymise_beneficiary(name, request=second.name)


def test_a_failure_half_way_changes_nothing(subject, officer):
	request = make_subject_request(subject.person.name)
	path = subject.attachment.get_full_path()
	private_files = Path(frappe.get_site_path("private", "files"))
	files_before = sorted(private_files.iterdir())
	import_files = {"attached_to_doctype": "Registry Import", "attached_to_name": subject.import_file.name}
	import_files_before = frappe.get_all("File", filters=import_files, pluck="name", order_by="name")
	frappe.set_user(officer)
	with patch.object(erasure, "remove_copies", side_effect=RuntimeError("disk full")):
		with pytest.raises(RuntimeError):
			erasure.anonymise_beneficiary(subject.person.name, request=request.name)
	frappe.set_user("Administrator")
	person = frappe.db.get_value(
		"Beneficiary", subject.person.name, ["first_name", "status", "amka"], as_dict=True
	)
	assert (person.first_name, person.status, person.amka) == (subject.first, "Active", subject.amka)
	assert frappe.db.get_value("Case Follow Up", {"parent": subject.case.name}, "note").startswith(
		subject.phrase
	)
	assert frappe.db.exists("File", subject.attachment.name) and os.path.exists(path)
	assert frappe.get_all("File", filters=import_files, pluck="name", order_by="name") == import_files_before
	assert sorted(private_files.iterdir()) == files_before, "the rewritten import files are removed"
	assert not frappe.db.get_value("Data Subject Request", request.name, "anonymised_on")


def test_status_anonymised_only_through_the_erasure(subject):
	person = frappe.get_doc("Beneficiary", subject.person.name)
	person.status = "Anonymised"
	with pytest.raises(frappe.PermissionError):
		person.save(ignore_permissions=True)
	with pytest.raises(frappe.PermissionError):
		make_beneficiary(first_name="Νέα", last_name="Εγγραφή", status="Anonymised")
	frappe.db.set_value("Beneficiary", subject.person.name, "status", "Anonymised")
	person = frappe.get_doc("Beneficiary", subject.person.name)
	person.status = "Active"
	with pytest.raises(frappe.PermissionError):
		person.save(ignore_permissions=True)


def test_only_the_officer_anonymises_over_http(http, make_user):  # noqa: F811
	centre = make_centre()
	person = make_beneficiary(first_name="Ηλεκτρονική", last_name="Δοκιμαστική", home_centre=centre)
	request = make_subject_request(person.name)
	frappe.db.commit()
	method = "/api/method/kentro_koinotitas.data_protection.erasure.anonymise"
	try:
		for roles in ([COORDINATOR, SOCIAL_WORKER], ["Social Services Director"], ["System Manager"]):
			user, password = make_user(roles)
			http.login(user, password)
			response = http.post(method, data={"request": request.name})
			assert response.status_code == 403, (roles, response.text[:300])
			if "System Manager" not in roles:
				for doctype in ("Data Subject Request", "Legal Hold"):
					assert http.get(f"/api/resource/{doctype}").status_code == 403, (roles, doctype)
				assert http.get(f"/api/resource/Data Subject Request/{request.name}").status_code == 403
			http.post("/api/method/logout")
		assert frappe.db.get_value("Beneficiary", person.name, "first_name") == "Ηλεκτρονική"
		user, password = make_user([DATA_PROTECTION_OFFICER])
		http.login(user, password)
		assert http.get(method, params={"request": request.name}).status_code in (403, 405)
		response = http.post(method, data={"request": request.name})
		assert response.status_code == 200, response.text[:500]
		frappe.db.rollback()
		assert frappe.db.get_value("Beneficiary", person.name, "status") == "Anonymised"
		again = http.post(method, data={"request": request.name})
		assert again.status_code == 417
		messages = [json.loads(m)["message"] for m in json.loads(again.json()["_server_messages"])]
		assert any("ανωνυμοποιηθεί" in m for m in messages), messages
	finally:
		frappe.db.delete("Version", {"docname": ("in", (request.name, person.name))})
		frappe.db.delete("Data Subject Request", {"beneficiary": person.name})
		frappe.db.delete("Beneficiary", {"name": person.name})
		frappe.db.commit()


def test_the_kept_birth_date_keeps_every_counted_age_band():
	"""Born 15-12-2007: under 18 when registered, 18 when the case opened on 20-12-2025. 1 July 2007 would
	make the person 18 at registration: the kept date moves towards the real one only as far as needed."""
	person = make_beneficiary(
		first_name="Νεαρή", last_name="Ενήλικη", gender="Female", date_of_birth="2007-12-15"
	)
	frappe.db.set_value("Beneficiary", person.name, "registration_date", "2025-11-03")
	make_case(person.name, opened_on="2025-12-20")
	kept = coarse_birth_date(person.name, "2007-12-15")
	assert kept.year == 2007 and kept != datetime.date(2007, 12, 15)
	for on in evaluation_dates(person.name):
		assert age_band(kept, on) == age_band("2007-12-15", on), on
	assert age_band(kept, "2025-11-03") == "<18" and age_band(kept, "2025-12-20") == "18-29"
	older = make_beneficiary(first_name="Χωρίς", last_name="Όρια", date_of_birth="1970-03-02")
	assert coarse_birth_date(older.name, "1970-03-02") == datetime.date(1970, 7, 1)
