# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

import frappe

from kentro_koinotitas.tests import masters


class TestPartnerOrganisation(masters.MasterTestCase):
	doctype = "Partner Organisation"
	key = "organisation_name"
	minimum = 4
	sample = "ΔΥΠΑ – Δημόσια Υπηρεσία Απασχόλησης"
	extra_fields = {"organisation_type": "ΜΚΟ", "level": "Local"}

	def test_starter_directory_has_public_contact_data(self):
		for name in frappe.get_all("Partner Organisation", filters={"level": "National"}, pluck="name"):
			doc = frappe.get_doc("Partner Organisation", name)
			self.assertTrue(doc.website.startswith("https://"), name)
			self.assertTrue(doc.accepts_referrals)
