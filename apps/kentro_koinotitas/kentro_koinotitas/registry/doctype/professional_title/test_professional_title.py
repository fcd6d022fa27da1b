# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.setup.install import install_default_records


class TestProfessionalTitle(FrappeTestCase):
	def test_greek_defaults_are_shipped_and_reinstall_is_idempotent(self):
		names = frappe.get_all("Professional Title", pluck="name")
		self.assertGreaterEqual(len(names), 6)
		self.assertIn("Κοινωνικός Λειτουργός", names)
		install_default_records()
		self.assertEqual(frappe.db.count("Professional Title"), len(names))

	def test_a_municipality_adds_its_own_value(self):
		doc = frappe.get_doc({"doctype": "Professional Title", "title_name": "Τιμή του Δήμου"}).insert()
		self.assertEqual(doc.name, "Τιμή του Δήμου")
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "Professional Title", "title_name": "Τιμή του Δήμου"}).insert()
