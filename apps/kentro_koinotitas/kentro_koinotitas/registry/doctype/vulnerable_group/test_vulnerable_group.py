# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.setup.install import install_default_records


class TestVulnerableGroup(FrappeTestCase):
	def test_greek_defaults_are_shipped_and_reinstall_is_idempotent(self):
		names = frappe.get_all("Vulnerable Group", pluck="name")
		self.assertGreaterEqual(len(names), 20)
		self.assertIn("Ρομά", names)
		install_default_records()
		self.assertEqual(frappe.db.count("Vulnerable Group"), len(names))

	def test_a_municipality_adds_its_own_value(self):
		doc = frappe.get_doc({"doctype": "Vulnerable Group", "group_name": "Τιμή του Δήμου"}).insert()
		self.assertEqual(doc.name, "Τιμή του Δήμου")
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "Vulnerable Group", "group_name": "Τιμή του Δήμου"}).insert()

	def test_esf_categories_cover_the_annex_i_disadvantages(self):
		categories = set(frappe.get_all("Vulnerable Group", pluck="esf_category"))
		for category in ("Disability", "Third-country national", "Minority (including Roma)", "Homeless or housing exclusion"):
			self.assertIn(category, categories)
