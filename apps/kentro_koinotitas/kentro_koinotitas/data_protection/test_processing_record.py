"""The record of processing activities is generated from the configuration: purposes, categories of data,
recipients and retention follow the records the test changes; its .xlsx holds the same."""

import io

import frappe
from frappe.tests.utils import FrappeTestCase
from openpyxl import load_workbook

from kentro_koinotitas.data_protection import processing_record
from kentro_koinotitas.tests.factories import DYPA, make_referral


def fields_of(record: dict, category_key: str, doctype: str) -> list[str]:
	label = processing_record.CATEGORIES[category_key]
	group = next(group for group in record["categories"] if group["category"] == label)
	return next((item["fields"] for item in group["records"] if item["doctype"] == doctype), [])


class TestRecordOfProcessing(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_categories_follow_permission_levels_and_names(self):
		self.assertEqual(processing_record.category_of("amka", 0), "identity")
		self.assertEqual(processing_record.category_of("address_street", 0), "contact")
		self.assertEqual(processing_record.category_of("visitor_phone", 0), "contact")
		self.assertEqual(processing_record.category_of("session_notes", 2), "special")
		self.assertEqual(processing_record.category_of("outcome", 0), "social")
		record = processing_record.build()
		label = frappe.get_meta("Beneficiary").get_label
		self.assertIn(label("amka"), fields_of(record, "identity", "Beneficiary"))
		self.assertIn(label("email"), fields_of(record, "contact", "Beneficiary"))
		self.assertNotIn(label("amka"), fields_of(record, "special", "Beneficiary"))
		# the vulnerable groups table is at level 1: its rows are special-category data
		group_label = frappe.get_meta("Beneficiary Vulnerable Group").get_label("vulnerable_group")
		self.assertIn(group_label, fields_of(record, "special", "Beneficiary"))
		notes = frappe.get_meta("Service Delivery").get_label("session_notes")
		self.assertIn(notes, fields_of(record, "special", "Service Delivery"))
		self.assertNotIn(notes, fields_of(record, "social", "Service Delivery"))

	def test_purposes_recipients_and_retention_come_from_the_records(self):
		purpose = frappe.get_doc(
			{
				"doctype": "Consent Purpose",
				"purpose_name": f"Σκοπός δοκιμής {frappe.generate_hash(length=6)}",
				"covers_special_category": 1,
			}
		).insert(ignore_permissions=True)
		partner, never_sent = (
			frappe.get_doc(
				{
					"doctype": "Partner Organisation",
					"organisation_name": f"{title} {frappe.generate_hash(length=6)}",
					"organisation_type": frappe.db.get_value(
						"Partner Organisation", DYPA, "organisation_type"
					),
					"level": "Local",
					"accepts_referrals": 1,
				}
			).insert(ignore_permissions=True)
			for title in ("Φορέας δοκιμής", "Φορέας χωρίς παραπομπή")
		)
		referral = make_referral(partner_organisation=partner.name, shares_personal_data=1)
		make_referral(partner_organisation=never_sent.name)  # a draft: nothing was sent
		frappe.db.set_value("Referral", referral.name, {"status": "Sent", "sent_on": "2026-03-02"})
		record = processing_record.build()

		purposes = {row["purpose"]: row["legal_basis"] for row in record["purposes"]}
		self.assertEqual(purposes[purpose.name], processing_record.SPECIAL_CONSENT_BASIS)
		recipients = {row["recipient"]: row for row in record["recipients"]}
		self.assertEqual(
			(recipients[partner.name]["count"], recipients[partner.name]["with_personal_data"]), (1, 1)
		)
		self.assertNotIn(never_sent.name, recipients)
		rules = {row["rule"] for row in record["retention"]}
		self.assertEqual(rules, set(frappe.get_all("Retention Rule", pluck="name")))

		book = load_workbook(io.BytesIO(processing_record.workbook(record)))
		self.assertEqual(
			book.sheetnames, ["Στοιχεία", "Σκοποί", "Κατηγορίες δεδομένων", "Αποδέκτες", "Διατήρηση"]
		)
		self.assertIn(partner.name, [row[0].value for row in book["Αποδέκτες"].iter_rows(min_row=2)])
		self.assertIn(purpose.name, [row[0].value for row in book["Σκοποί"].iter_rows(min_row=2)])
		html = processing_record.render(record)
		self.assertIn("ΑΡΧΕΙΟ ΔΡΑΣΤΗΡΙΟΤΗΤΩΝ ΕΠΕΞΕΡΓΑΣΙΑΣ", html)
		self.assertIn(partner.name, html)
		self.assertIn(processing_record.SECURITY_MEASURES[0], html)
