"""Restriction of processing in the ORM: the banner data on the person's records, the records an export
leaves out, and the paths over HTTP do not show (a household, moving a record away from the person)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.access import restriction
from kentro_koinotitas.data_protection.test_retention import make_user
from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER, SOCIAL_WORKER
from kentro_koinotitas.tests.factories import make_beneficiary, make_case

DPO_USER = "kk-restriction-dpo@example.com"
SW_USER = "kk-restriction-sw@example.com"


class TestRestriction(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_user(DPO_USER, DATA_PROTECTION_OFFICER)
		make_user(SW_USER, SOCIAL_WORKER)
		self.person = make_beneficiary(first_name="Ρένα", last_name="Περιορισμένη")
		self.other = make_beneficiary(first_name="Άννα", last_name="Ελεύθερη")
		self.case = make_case(self.person.name)
		frappe.set_user(DPO_USER)
		restriction.set_restriction(self.person.name, 1, "Αμφισβήτηση ακρίβειας")
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_banner_on_the_person_and_their_records_reason_for_the_officer_only(self):
		frappe.set_user(SW_USER)
		case = frappe.get_doc("Case", self.case.name)
		case.run_method("onload")
		self.assertEqual(case.get_onload().get("kentro_restricted"), 1)
		self.assertIsNone(case.get_onload().get("kentro_restriction_reason"))
		frappe.set_user(DPO_USER)
		person = frappe.get_doc("Beneficiary", self.person.name)
		person.run_method("onload")
		self.assertEqual(person.get_onload().get("kentro_restriction_reason"), "Αμφισβήτηση ακρίβειας")
		other = frappe.get_doc("Beneficiary", self.other.name)
		other.run_method("onload")
		self.assertFalse((other.get_onload() or {}).get("kentro_restricted"))

	def test_exports_leave_the_person_out_except_for_the_officer(self):
		frappe.set_user(SW_USER)
		filters = restriction.export_filters("Case", {"status": "Open"})
		self.assertIn(["Case", "status", "=", "Open"], filters)
		self.assertIn(["Case", "name", "not in", [self.case.name]], filters)
		self.assertIn(self.person.name, restriction.restricted_records("Beneficiary"))
		self.assertEqual(restriction.export_filters("Service", None), None)
		frappe.set_user(DPO_USER)
		self.assertEqual(restriction.export_filters("Case", {"status": "Open"}), {"status": "Open"})

	def test_a_household_and_moving_a_record_away_are_refused(self):
		household = frappe.get_doc(
			{
				"doctype": "Household",
				"household_name": "Νοικοκυριό δοκιμής",
				"centre": self.other.home_centre,
				"members": [
					{"beneficiary": self.other.name, "relationship": "Head"},
					{"beneficiary": self.person.name, "relationship": "Spouse or partner"},
				],
			}
		)
		frappe.set_user(SW_USER)
		self.assertRaises(frappe.PermissionError, restriction.check_change, household)
		case = frappe.get_doc("Case", self.case.name)
		case.beneficiary = self.other.name  # the stored record still names the restricted person
		self.assertRaises(frappe.PermissionError, restriction.check_change, case)
		self.assertRaises(frappe.PermissionError, restriction.set_restriction, self.person.name, 0)
		frappe.set_user(DPO_USER)
		restriction.check_change(case)  # the officer may
		restriction.set_restriction(self.person.name, 0)
		frappe.set_user(SW_USER)
		restriction.check_change(frappe.get_doc("Case", self.case.name))
		self.assertIsNone(frappe.db.get_value("Beneficiary", self.person.name, "restriction_reason"))

	def test_restricting_needs_a_reason(self):
		frappe.set_user(DPO_USER)
		self.assertRaises(frappe.ValidationError, restriction.set_restriction, self.other.name, 1, " ")


class TestCentresCache(FrappeTestCase):
	def test_a_branch_added_in_the_same_request_is_read_at_once(self):
		"""`_staff_centres` is cached for the request (or a whole job, or a test session): a centre's save
		drops it, so that a branch added after the first check is not missed."""
		from kentro_koinotitas.access import centres
		from kentro_koinotitas.tests.factories import make_centre, make_user_with_roles

		user = make_user_with_roles("Coordinator")
		tag = frappe.generate_hash(length=5)
		main = make_centre(f"Κέντρο Cache {tag}", staff=[{"user": user, "include_branches": 1}])
		self.assertEqual(centres.user_centres(user), (main,))
		branch = make_centre(f"Παράρτημα Cache {tag}", parent=main)
		self.assertEqual(set(centres.user_centres(user)), {main, branch})
