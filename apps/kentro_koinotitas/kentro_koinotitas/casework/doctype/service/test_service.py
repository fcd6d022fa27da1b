# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe

from kentro_koinotitas.tests import masters


class TestService(masters.MasterTestCase):
	doctype = "Service"
	key = "service_name"
	minimum = 12
	sample = "Διαμεσολάβηση Ρομά"
	extra_fields = {"axis": "A. Reception, information and support"}

	def test_catalogue_covers_the_three_axes_and_names_professions(self):
		axes = set(frappe.get_all("Service", pluck="axis"))
		self.assertEqual(len(axes), 3)
		doc = frappe.get_doc("Service", "Ατομική ψυχοκοινωνική υποστήριξη")
		self.assertIn("Ψυχολόγος", [row.professional_title for row in doc.professions])
