# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.tests.factories import make_beneficiary


class TestHousehold(FrappeTestCase):
	def test_head_is_added_and_members_linked(self):
		head = make_beneficiary(first_name="Αντώνης", last_name="Σταύρου")
		child = make_beneficiary(
			first_name="Ελένη", last_name="Σταύρου", date_of_birth="2012-04-04", gender="Female"
		)
		household = frappe.get_doc(
			{
				"doctype": "Household",
				"head_of_household": head.name,
				"minimum_income_household": 1,
				"members": [
					{"beneficiary": child.name, "relationship": "Child"},
					{
						"member_name": "Μαρία Σταύρου",
						"relationship": "Spouse or partner",
						"date_of_birth": "1984-01-01",
					},
				],
			}
		).insert()
		self.assertEqual(household.member_count, 3)
		self.assertEqual(household.household_name, "Household Σταύρου")
		self.assertEqual(frappe.db.get_value("Beneficiary", child.name, "household"), household.name)
		self.assertEqual(frappe.db.get_value("Beneficiary", head.name, "household"), household.name)
		self.assertEqual(household.centre, head.home_centre)

		household.members = [row for row in household.members if row.beneficiary != child.name]
		household.save()
		self.assertIsNone(frappe.db.get_value("Beneficiary", child.name, "household"))

	def test_member_rules(self):
		person = make_beneficiary()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc({"doctype": "Household", "members": [{"relationship": "Head"}]}).insert()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Household",
					"members": [
						{"member_name": "Α", "relationship": "Head"},
						{"member_name": "Β", "relationship": "Head"},
					],
				}
			).insert()
		frappe.get_doc(
			{"doctype": "Household", "members": [{"beneficiary": person.name, "relationship": "Head"}]}
		).insert()
		with self.assertRaises(frappe.ValidationError) as caught:
			frappe.get_doc(
				{"doctype": "Household", "members": [{"beneficiary": person.name, "relationship": "Child"}]}
			).insert()
		self.assertIn("already belongs", str(caught.exception))
