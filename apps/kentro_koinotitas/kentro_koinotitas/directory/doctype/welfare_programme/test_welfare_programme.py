# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe

from kentro_koinotitas.tests import masters


class TestWelfareProgramme(masters.MasterTestCase):
	doctype = "Welfare Programme"
	key = "programme_name"
	minimum = 6
	sample = "Ελάχιστο Εγγυημένο Εισόδημα (ΚΕΑ)"

	def test_kea_lists_its_documents(self):
		doc = frappe.get_doc("Welfare Programme", "Ελάχιστο Εγγυημένο Εισόδημα (ΚΕΑ)")
		self.assertGreaterEqual(len(doc.required_documents), 3)
		self.assertEqual(doc.renewal_period_months, 6)
