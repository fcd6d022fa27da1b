"""The subject-access pack, built in-process as the background job builds it: every record about the
person (counted per DocType against the database), nobody else's data in any of the zip's files (a
household with another member and an unregistered one, a group session, another person of the same
case-load), the psychologists' notes exemption, the access-log extract, privacy, logging and expiry."""

import io
import json
import os
import subprocess
import zipfile

import frappe
import pytest
from frappe.utils import add_days, get_datetime, now_datetime, today
from openpyxl import load_workbook

from kentro_koinotitas.access import audit
from kentro_koinotitas.data_protection import access_pack
from kentro_koinotitas.meta import app_doctypes
from kentro_koinotitas.registry import identity
from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER
from kentro_koinotitas.tests.factories import (
	DYPA,
	give_consent,
	make_beneficiary,
	make_case,
	make_centre,
	make_referral,
	next_serial,
)

PSYCH_NOTE = "Σημείωση ψυχολόγου για το άγχος"


def user_with(roles: list[str]) -> str:
	email = f"kk-pack-{frappe.generate_hash(length=8)}@example.com"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Δοκιμή",
			"send_welcome_email": 0,
			"roles": [{"role": role} for role in roles],
		}
	).insert(ignore_permissions=True)
	return email


def first(doctype: str) -> str:
	return frappe.get_all(doctype, pluck="name", order_by="name", limit=1)[0]


@pytest.fixture
def world():
	tag = frappe.generate_hash(length=6)
	centre = make_centre(f"Κέντρο Κοινότητας Πρόσβασης {tag}")
	person = make_beneficiary(
		first_name="Ευτέρπη",
		last_name=f"Πρωτοπαπά{tag}",
		home_centre=centre,
		afm=identity.make_afm(next_serial()),
		phone="+306912345678",
	)
	relative = make_beneficiary(
		first_name="Ορέστης", last_name=f"Ξενάκης{tag}", home_centre=centre, date_of_birth="1970-01-20"
	)
	neighbour = make_beneficiary(
		first_name="Κυριακή", last_name=f"Τριτάκη{tag}", home_centre=centre, gender="Female"
	)
	unregistered = f"Μυρτώ Αγνώστου{tag}"
	household = frappe.get_doc(
		{
			"doctype": "Household",
			"head_of_household": relative.name,
			"members": [
				{"beneficiary": relative.name, "relationship": "Head"},
				{"beneficiary": person.name, "relationship": "Spouse or partner"},
				{"member_name": unregistered, "relationship": "Child"},
			],
		}
	).insert(ignore_permissions=True)
	service = first("Service")
	case = make_case(person.name, follow_ups=[{"follow_up_date": today(), "note": "Τηλεφωνική επικοινωνία"}])
	make_case(neighbour.name, assigned_to=case.assigned_to)
	for delivery in (
		frappe.get_doc(
			{
				"doctype": "Service Delivery",
				"service": service,
				"delivery_datetime": add_days(now_datetime(), -1),
				"mode": "In person",
				"beneficiary": person.name,
				"case": case.name,
				"session_notes": PSYCH_NOTE,
			}
		),
		frappe.get_doc(
			{
				"doctype": "Service Delivery",
				"service": service,
				"delivery_datetime": add_days(now_datetime(), -2),
				"mode": "In person",
				"is_group_session": 1,
				"participants": [{"beneficiary": person.name}, {"beneficiary": neighbour.name}],
			}
		),
	):
		delivery.insert(ignore_permissions=True)
	referral = make_referral(case, partner_organisation=DYPA)
	give_consent(person.name)
	give_consent(neighbour.name)
	frappe.get_doc(
		{
			"doctype": "Group Activity",
			"title": "Ομάδα γονέων",
			"service": service,
			"centre": centre,
			"start_date": today(),
			"participants": [{"beneficiary": person.name}, {"beneficiary": neighbour.name}],
			"attendance": [
				{"session_date": today(), "beneficiary": person.name, "present": 1},
				{"session_date": today(), "beneficiary": neighbour.name, "present": 1},
			],
		}
	).insert(ignore_permissions=True)
	attachment = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"bebaiosi-{tag}.txt",
			"content": f"Βεβαίωση ανεργίας {tag}",
			"attached_to_doctype": "Case",
			"attached_to_name": case.name,
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Case",
			"reference_name": case.name,
			"content": "Σχόλιο της κοινωνικής λειτουργού",
		}
	).insert(ignore_permissions=True)
	audit.record("Beneficiary", [person.name, neighbour.name], audit.FORM)
	audit.record("Household", [household.name], audit.PRINT)
	request = frappe.get_doc(
		{
			"doctype": "Data Subject Request",
			"request_type": "Access (Art. 15)",
			"beneficiary": person.name,
			"received_on": today(),
		}
	).insert(ignore_permissions=True)
	others = [
		relative.last_name,
		relative.amka,
		neighbour.last_name,
		neighbour.amka,
		unregistered,
	]
	yield frappe._dict(
		person=person, others=others, referral=referral, request=request, attachment=attachment
	)
	access_pack.remove_pack(frappe.get_doc("Data Subject Request", request.name))
	frappe.delete_doc("File", attachment.name, ignore_permissions=True, delete_permanently=True)


def open_pack(request: str) -> dict[str, str]:
	"""Every file of the pack as text: the PDF through pdftotext, the workbook's cells, the rest decoded."""
	url = frappe.db.get_value("Data Subject Request", request, "access_pack")
	file = frappe.get_doc("File", {"file_url": url})
	assert file.is_private and file.attached_to_name == request
	texts = {}
	with zipfile.ZipFile(io.BytesIO(file.get_content())) as pack:
		for name in pack.namelist():
			content = pack.read(name)
			if name.endswith(".pdf"):
				result = subprocess.run(
					["pdftotext", "-", "-"], input=content, capture_output=True, check=True
				)
				texts[name] = " ".join(result.stdout.decode("utf-8").split())
			elif name.endswith(".xlsx"):
				book = load_workbook(io.BytesIO(content))
				cells = [
					str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c
				]
				texts[name] = "\n".join(cells)
			else:
				texts[name] = content.decode("utf-8")
	return texts


def records_in_database(person: str) -> dict[str, int]:
	"""Per DocType, the records that name the person in a Link field or a table row (a query per place)."""
	counts = {}
	for doctype in app_doctypes():
		meta = frappe.get_meta(doctype)
		if doctype in ("Personal Data Access", "Legal Hold") or meta.issingle:
			continue
		names = {person} if doctype == "Beneficiary" else set()
		for df in meta.get_link_fields():
			if df.options == "Beneficiary":
				names |= set(frappe.get_all(doctype, filters={df.fieldname: person}, pluck="name"))
		for table in meta.get_table_fields():
			for df in frappe.get_meta(table.options).get_link_fields():
				if df.options == "Beneficiary":
					names |= set(
						frappe.get_all(
							table.options,
							filters={"parenttype": doctype, df.fieldname: person},
							pluck="parent",
						)
					)
		if names:
			counts[doctype] = len(names)
	return counts


def test_the_pack_holds_every_record_about_the_person_and_nobody_elses(world):
	access_pack.build_access_pack(world.request.name)
	texts = open_pack(world.request.name)
	name = world.request.name
	assert set(texts) == {
		f"{name}.pdf",
		f"{name}.json",
		f"{name}.xlsx",
		f"attachments/001-{world.attachment.file_name}",
	}
	data = json.loads(texts[f"{name}.json"])
	counted = {doctype: len(rows) for doctype, rows in data["records"].items()}
	assert counted == records_in_database(world.person.name)
	assert counted == {
		"Beneficiary": 1,
		"Household": 1,
		"Case": 1,
		"Service Delivery": 2,
		"Referral": 1,
		"Consent": 1,
		"Group Activity": 1,
		"Data Subject Request": 1,
	}
	for text in texts.values():
		for secret in world.others:
			assert secret not in text
	household = data["records"]["Household"][0]
	assert [row["beneficiary"] for row in household["members"]] == [world.person.name]
	pdf = texts[f"{name}.pdf"]
	for expected in (world.person.last_name, world.person.amka, DYPA, world.referral.name, PSYCH_NOTE):
		assert expected in pdf
	assert "Βεβαίωση ανεργίας" in texts[f"attachments/001-{world.attachment.file_name}"]
	assert data["comments"][0]["content"] == "Σχόλιο της κοινωνικής λειτουργού"
	assert {row["access_kind"] for row in data["access_log"]} == {"Form", "Print"}
	assert PSYCH_NOTE in texts[f"{name}.xlsx"] and world.person.amka in texts[f"{name}.xlsx"]


def test_the_pack_is_private_logged_and_expires(world):
	url = access_pack.build_access_pack(world.request.name)
	request = frappe.get_doc("Data Subject Request", world.request.name)
	assert request.access_pack == url and url.startswith("/private/files/")
	expires = get_datetime(request.access_pack_expires_on)
	assert abs((expires - add_days(now_datetime(), 30)).total_seconds()) < 120
	logged = frappe.get_all(
		audit.LOG,
		filters={"beneficiary": world.person.name, "access_kind": "Access pack"},
		fields=["reference_doctype", "reference_name"],
	)
	assert logged == [{"reference_doctype": "Data Subject Request", "reference_name": request.name}]
	path = frappe.get_doc("File", {"file_url": url}).get_full_path()
	assert os.path.exists(path) and world.person.last_name not in url

	request.db_set("access_pack_expires_on", add_days(now_datetime(), -1))
	access_pack.delete_expired_packs()
	request.reload()
	assert not request.access_pack and not request.access_pack_expires_on
	assert not os.path.exists(path)
	assert not frappe.db.exists(
		"File", {"attached_to_name": request.name, "attached_to_field": "access_pack"}
	)


def test_an_exemption_leaves_the_notes_out_and_says_why(world):
	reason = "Κίνδυνος σοβαρής βλάβης της υγείας του υποκειμένου"
	request = frappe.get_doc("Data Subject Request", world.request.name)
	request.exempt_psychological_notes = 1
	request.exemption_reason = reason
	request.save(ignore_permissions=True)
	access_pack.build_access_pack(request.name)
	access_pack.build_access_pack(request.name)  # a second build replaces the first file
	assert (
		frappe.db.count("File", {"attached_to_name": request.name, "attached_to_field": "access_pack"}) == 1
	)
	texts = open_pack(request.name)
	for text in texts.values():
		assert PSYCH_NOTE not in text
	assert reason in texts[f"{request.name}.pdf"] and "δεν περιλαμβάνονται" in texts[f"{request.name}.pdf"]
	notes = json.loads(texts[f"{request.name}.json"])["psychological_notes"]
	assert notes == {"included": False, "exemption_reason": reason}


def test_only_the_officer_queues_a_pack_and_only_for_access_or_portability(world):
	frappe.set_user(user_with(["Social Worker", "System Manager"]))
	with pytest.raises(frappe.PermissionError):
		access_pack.enqueue_access_pack(world.request.name)
	frappe.set_user(user_with([DATA_PROTECTION_OFFICER]))
	erasure = frappe.get_doc(
		{
			"doctype": "Data Subject Request",
			"request_type": "Erasure (Art. 17)",
			"beneficiary": world.person.name,
			"received_on": today(),
		}
	).insert(ignore_permissions=True)
	with pytest.raises(frappe.ValidationError):
		access_pack.enqueue_access_pack(erasure.name)
	access_pack.enqueue_access_pack(world.request.name)
	from frappe.utils.background_jobs import get_job

	job = get_job(f"kentro-access-pack-{world.request.name}")
	try:
		assert job.kwargs["kwargs"]["request"] == world.request.name
		assert job.origin.endswith("long")
	finally:
		job.delete()
