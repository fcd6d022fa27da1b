# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.nestedset import get_descendants_of

from kentro_koinotitas.tests.factories import make_centre


class TestCommunityCentre(FrappeTestCase):
	def test_branches_form_a_tree(self):
		main = make_centre("ΚΚ Δοκιμών Ανατολής")
		branch = make_centre("Παράρτημα Ρομά Δοκιμών", parent=main)
		self.assertIn(branch, get_descendants_of("Community Centre", main))

	def test_opening_hours_and_postal_code_rules(self):
		doc = frappe.get_doc(
			{
				"doctype": "Community Centre",
				"centre_name": "ΚΚ Ωραρίου",
				"municipality": "Δήμος Δοκιμών",
				"postal_code": "546 25",
				"opening_hours": [{"day_of_week": "Monday", "from_time": "08:00:00", "to_time": "15:00:00"}],
			}
		).insert()
		self.assertEqual(doc.postal_code, "54625")
		doc.reload()  # times come back from the database as timedeltas; 08:00 is still before 15:00
		doc.save()
		doc.append(
			"opening_hours", {"day_of_week": "Tuesday", "from_time": "15:00:00", "to_time": "08:00:00"}
		)
		with self.assertRaises(frappe.ValidationError):
			doc.save()
