# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from kentro_koinotitas.tests.factories import KEA, give_consent, make_case, make_referral


class TestReferral(FrappeTestCase):
	def test_external_referral_without_consent_cannot_be_sent(self):
		referral = make_referral()
		self.assertEqual(referral.status, "Draft")
		with self.assertRaises(frappe.ValidationError) as caught:
			referral.update({"status": "Sent"}).save()
		self.assertIn("consent", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "status"), "Draft")

	def test_refused_or_withdrawn_consent_blocks_sending(self):
		case = make_case()
		give_consent(case.beneficiary, decision="Refused")
		with self.assertRaises(frappe.ValidationError):
			make_referral(case, status="Sent")
		consent = give_consent(case.beneficiary)
		consent.purposes[0].withdrawn_on = today()
		consent.save()
		with self.assertRaises(frappe.ValidationError):
			make_referral(case, status="Sent")

	def test_with_consent_it_is_sent_and_dated(self):
		case = make_case()
		give_consent(case.beneficiary)
		referral = make_referral(case)
		referral.status = "Sent"
		referral.save()
		self.assertEqual(str(referral.sent_on), today())
		referral.status = "Acknowledged"
		referral.save()
		self.assertEqual(str(referral.acknowledged_on), today())

	def test_no_personal_data_or_programme_referral_needs_no_consent(self):
		case = make_case()
		self.assertEqual(make_referral(case, status="Sent", shares_personal_data=0).status, "Sent")
		programme = make_referral(
			case,
			referral_type="Welfare programme",
			partner_organisation=None,
			welfare_programme=KEA,
			status="Sent",
		)
		self.assertEqual(programme.status, "Sent")

	def test_destination_is_required_per_type(self):
		with self.assertRaises(frappe.ValidationError):
			make_referral(partner_organisation=None)
		with self.assertRaises(frappe.ValidationError):
			make_referral(referral_type="Welfare programme", partner_organisation=None)
		with self.assertRaises(frappe.ValidationError):
			make_referral(referral_type="Internal", partner_organisation=None)
		closed = frappe.get_doc(
			{
				"doctype": "Partner Organisation",
				"organisation_name": "Φορέας χωρίς παραπομπές",
				"organisation_type": "ΜΚΟ",
				"accepts_referrals": 0,
			}
		).insert()
		with self.assertRaises(frappe.ValidationError):
			make_referral(partner_organisation=closed.name)

	def test_outcome_rules(self):
		case = make_case()
		give_consent(case.beneficiary)
		referral = make_referral(case, status="Sent")
		with self.assertRaises(frappe.ValidationError):
			referral.update({"status": "Completed"}).save()
		referral.reload()
		with self.assertRaises(frappe.ValidationError):
			referral.update({"status": "Completed", "outcome": "Completed unsuccessfully"}).save()
		referral.reload()
		referral.update(
			{
				"status": "Completed",
				"outcome": "Completed unsuccessfully",
				"outcome_reason": "Άρνηση του ωφελούμενου",
			}
		).save()
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "status"), "Completed")
