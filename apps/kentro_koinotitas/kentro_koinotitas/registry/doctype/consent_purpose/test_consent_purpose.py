# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.setup.install import install_default_records


class TestConsentPurpose(FrappeTestCase):
	def test_greek_defaults_are_shipped_and_reinstall_is_idempotent(self):
		names = frappe.get_all("Consent Purpose", pluck="name")
		self.assertGreaterEqual(len(names), 5)
		self.assertIn("Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή", names)
		install_default_records()
		self.assertEqual(frappe.db.count("Consent Purpose"), len(names))

	def test_a_municipality_adds_its_own_value(self):
		doc = frappe.get_doc({"doctype": "Consent Purpose", "purpose_name": "Τιμή του Δήμου"}).insert()
		self.assertEqual(doc.name, "Τιμή του Δήμου")
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "Consent Purpose", "purpose_name": "Τιμή του Δήμου"}).insert()

	def test_one_default_purpose_covers_partner_sharing(self):
		self.assertTrue(frappe.get_all("Consent Purpose", filters={"covers_partner_sharing": 1}))
