# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe

from kentro_koinotitas.tests import masters


class TestVulnerableGroup(masters.MasterTestCase):
	doctype = "Vulnerable Group"
	key = "group_name"
	minimum = 20
	sample = "Ρομά"

	def test_esf_categories_cover_the_annex_i_disadvantages(self):
		categories = set(frappe.get_all("Vulnerable Group", pluck="esf_category"))
		for category in (
			"Disability",
			"Third-country national",
			"Minority (including Roma)",
			"Homeless or housing exclusion",
		):
			self.assertIn(category, categories)
