"""The access log of personal data in-process: who a record is about, rows written outside a request, the
report and export extracts, and a log that no one (Administrator included) changes through the ORM."""

import frappe
import pytest

from kentro_koinotitas.access import audit
from kentro_koinotitas.tests.factories import give_consent, make_beneficiary, make_case


def log_rows(**filters) -> list[dict]:
	if person := filters.get("beneficiary"):
		# rows about an earlier person of the same ID (deleted; the naming series turned back) are not theirs
		filters["accessed_on"] = (">=", frappe.db.get_value("Beneficiary", person, "creation"))
	return frappe.get_all(
		audit.LOG,
		filters=filters,
		fields=["user", "access_kind", "beneficiary", "reference_doctype", "reference_name", "detail"],
	)


def household_of(*people) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Household",
			"head_of_household": people[0].name,
			"members": [
				{"beneficiary": person.name, "relationship": "Head" if i == 0 else "Child"}
				for i, person in enumerate(people)
			],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def test_a_record_is_about_its_person_and_a_household_about_every_member():
	mother = make_beneficiary(first_name="Ελένη", last_name="Αρβανίτη")
	son = make_beneficiary(first_name="Νίκος", last_name="Αρβανίτης", date_of_birth="2010-05-02")
	case = make_case(mother.name)
	household = household_of(mother, son)
	assert audit.people_of("Case", [case.name]) == {case.name: [mother.name]}
	assert audit.people_of_doc(case) == [mother.name]
	assert sorted(audit.people_of("Household", [household])[household]) == sorted([mother.name, son.name])
	assert audit.people_of("Beneficiary", [son.name]) == {son.name: [son.name]}


def test_reads_outside_a_request_are_written_at_once_with_the_persons_id_only():
	person = make_beneficiary(first_name="Σοφία", last_name="Καλλέργη")
	case = make_case(person.name)
	audit.record_doc(case, audit.FORM)
	audit.record("Beneficiary", [person.name], audit.PDF, "Δελτίο Καταγραφής Ωφελούμενου")
	rows = log_rows(beneficiary=person.name)
	assert sorted((row.access_kind, row.reference_doctype) for row in rows) == [
		("Form", "Case"),
		("PDF", "Beneficiary"),
	]
	assert {row.user for row in rows} == {"Administrator"}
	stored = frappe.db.sql(
		"select * from `tabPersonal Data Access` where beneficiary = %s", person.name, as_dict=True
	)
	assert not any(
		"Καλλέργη" in str(value) or person.amka in str(value) for row in stored for value in row.values()
	)


def test_untracked_doctypes_and_unsaved_documents_are_not_logged():
	person = make_beneficiary()
	before = frappe.db.count(audit.LOG)
	audit.record("Community Centre", [person.home_centre], audit.FORM)
	audit.record_doc(frappe.new_doc("Case"), audit.PRINT)
	assert frappe.db.count(audit.LOG) == before


def test_report_rows_name_records_through_link_and_dynamic_link_columns():
	person = make_beneficiary()
	case = make_case(person.name)
	result = {
		"columns": [
			{"fieldname": "reference_doctype", "fieldtype": "Data"},
			{"fieldname": "reference_name", "fieldtype": "Dynamic Link", "options": "reference_doctype"},
			"Beneficiary:Link/Beneficiary:120",
		],
		"result": [
			{"reference_doctype": "Case", "reference_name": case.name},
			{"reference_doctype": "Welfare Programme", "reference_name": "ΚΕΑ"},
		],
	}
	audit.record_report("Open Referrals and Overdue Items", result)
	assert [(row.reference_name, row.detail) for row in log_rows(beneficiary=person.name)] == [
		(case.name, "Open Referrals and Overdue Items")
	]
	audit.record_report(
		"List report", {"columns": result["columns"], "result": [["Case", case.name, person.name]]}
	)
	assert {(row.reference_doctype, row.access_kind) for row in log_rows(beneficiary=person.name)} == {
		("Case", "Report"),
		("Beneficiary", "Report"),
	}


def test_an_export_logs_the_records_it_holds():
	person = make_beneficiary()
	consent = give_consent(person.name)
	audit.record_export("Consent", {"beneficiary": person.name}, detail="Excel")
	assert [(row.reference_name, row.access_kind) for row in log_rows(beneficiary=person.name)] == [
		(consent.name, "Export")
	]


def test_no_one_changes_or_deletes_a_row_through_the_orm():
	person = make_beneficiary()
	audit.record("Beneficiary", [person.name], audit.FORM)
	name = frappe.get_all(audit.LOG, filters={"beneficiary": person.name}, pluck="name")[0]
	row = frappe.get_doc(audit.LOG, name)
	row.user = "Guest"
	with pytest.raises(frappe.PermissionError):
		row.save(ignore_permissions=True)
	with pytest.raises(frappe.PermissionError):
		frappe.delete_doc(audit.LOG, name, ignore_permissions=True, force=True)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": audit.LOG, "user": "Guest", "access_kind": "Form"}).insert(
			ignore_permissions=True
		)
	assert frappe.db.get_value(audit.LOG, name, "user") == "Administrator"


def test_the_log_does_not_block_deleting_a_record_and_purge_removes_a_persons_rows():
	person = make_beneficiary()
	audit.record("Beneficiary", [person.name], audit.FORM)
	frappe.delete_doc("Beneficiary", person.name, ignore_permissions=True)
	mine = {"beneficiary": person.name, "accessed_on": (">=", person.creation)}
	assert frappe.db.count(audit.LOG, mine) == 1
	assert audit.purge_for(person.name) >= 1
	assert frappe.db.count(audit.LOG, {"beneficiary": person.name}) == 0


def test_a_person_given_a_deleted_persons_id_does_not_inherit_their_access_history():
	"""Deleting the latest Beneficiary turns the naming series back: the next person gets the same ID. The
	officer's "who accessed this record" and the access pack must not show the earlier person's reads."""
	earlier = make_beneficiary(first_name="Πρώτη", last_name="Διαγραμμένη")
	audit.record("Beneficiary", [earlier.name], audit.FORM)
	frappe.db.sql(
		"update `tabPersonal Data Access` set accessed_on = accessed_on - interval 1 minute where beneficiary = %s",
		earlier.name,
	)
	frappe.delete_doc("Beneficiary", earlier.name, ignore_permissions=True, force=True)
	later = make_beneficiary(first_name="Δεύτερη", last_name="Νεότερη")
	assert later.name == earlier.name  # the series turned back
	assert audit.history(later.name) == []
	audit.record("Beneficiary", [later.name], audit.PRINT)
	assert [row.access_kind for row in audit.history(later.name)] == ["Print"]


def test_the_beneficiary_form_carries_who_accessed_this_record():
	from frappe.desk.form.meta import get_meta

	script = get_meta("Beneficiary", cached=False).get("__js")
	assert "kentro_koinotitas.data_protection.access_log.get_access_history" in script
	assert "Who accessed this record" in script
