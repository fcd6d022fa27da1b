# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.casework.doctype.front_desk_visit.front_desk_visit import open_case
from kentro_koinotitas.registry import identity
from kentro_koinotitas.tests.factories import make_beneficiary, make_centre


def make_visit(**fields):
	return frappe.get_doc(
		{
			"doctype": "Front Desk Visit",
			"centre": make_centre(),
			"channel": "Walk-in",
			"request_category": "Στέγαση",
			**fields,
		}
	).insert()


class TestFrontDeskVisit(FrappeTestCase):
	def test_anonymous_contact_is_logged(self):
		visit = make_visit(channel="Phone")
		self.assertEqual(visit.visitor_name, "Anonymous")
		self.assertEqual(visit.outcome, "Informed")

	def test_visit_becomes_beneficiary_and_case_without_retyping(self):
		amka = identity.make_amka("1979-11-02", "Female", 611)
		visit = make_visit(
			visitor_first_name="Κατερίνα",
			visitor_last_name="Ζαφειρίου",
			visitor_phone="6977123456",
			visitor_amka=amka,
			notes="Εκκρεμεί ενοίκιο",
		)
		result = open_case(visit.name)
		person = frappe.get_doc("Beneficiary", result["beneficiary"])
		case = frappe.get_doc("Case", result["case"])
		self.assertEqual(
			(person.full_name, person.amka, person.phone), ("Ζαφειρίου Κατερίνα", amka, "+306977123456")
		)
		self.assertEqual(str(person.date_of_birth), "1979-11-02")
		self.assertEqual(
			(case.beneficiary, case.front_desk_visit, case.centre), (person.name, visit.name, visit.centre)
		)
		self.assertEqual(
			(case.requests[0].request_category, case.requests[0].description), ("Στέγαση", "Εκκρεμεί ενοίκιο")
		)
		visit.reload()
		self.assertEqual(
			(visit.case, visit.outcome, visit.beneficiary), (case.name, "Case opened", person.name)
		)
		with self.assertRaises(frappe.ValidationError):
			open_case(visit.name)

	def test_registered_visitor_gets_a_case_only(self):
		person = make_beneficiary()
		before = frappe.db.count("Beneficiary")
		visit = make_visit(beneficiary=person.name)
		self.assertEqual(visit.visitor_name, person.full_name)
		self.assertEqual(open_case(visit.name)["beneficiary"], person.name)
		self.assertEqual(frappe.db.count("Beneficiary"), before)

	def test_refused_conversion_saves_nothing(self):
		existing = make_beneficiary()
		visit = make_visit(visitor_first_name="Άλλο", visitor_last_name="Πρόσωπο", visitor_amka=existing.amka)
		beneficiaries, cases = frappe.db.count("Beneficiary"), frappe.db.count("Case")
		with self.assertRaises(frappe.ValidationError):
			open_case(visit.name)
		self.assertEqual((frappe.db.count("Beneficiary"), frappe.db.count("Case")), (beneficiaries, cases))
		self.assertIsNone(frappe.db.get_value("Front Desk Visit", visit.name, "case"))

	def test_visitor_details_are_validated(self):
		with self.assertRaises(frappe.ValidationError):
			make_visit(visitor_amka="12345")
		with self.assertRaises(frappe.ValidationError):
			make_visit(visitor_phone="999")
