# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe

from kentro_koinotitas.tests import masters


class TestConsentPurpose(masters.MasterTestCase):
	doctype = "Consent Purpose"
	key = "purpose_name"
	minimum = 5
	sample = "Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή"

	def test_one_default_purpose_covers_partner_sharing(self):
		self.assertTrue(frappe.get_all("Consent Purpose", filters={"covers_partner_sharing": 1}))
