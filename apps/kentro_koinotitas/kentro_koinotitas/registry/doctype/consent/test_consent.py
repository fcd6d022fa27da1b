# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from kentro_koinotitas.registry import consent
from kentro_koinotitas.tests.factories import make_beneficiary

REGISTRY = "Τήρηση στο μητρώο ωφελουμένων"
SHARING = "Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή"
PHOTOS = "Φωτογράφιση σε δράσεις και εκδηλώσεις"


def make_consent(beneficiary, purposes, consent_date=None):
	return frappe.get_doc(
		{
			"doctype": "Consent",
			"beneficiary": beneficiary,
			"consent_date": consent_date or today(),
			"purposes": [{"consent_purpose": p, "decision": d, "withdrawn_on": w} for p, d, w in purposes],
		}
	).insert()


class TestConsent(FrappeTestCase):
	def test_latest_decision_per_purpose_is_current(self):
		person = make_beneficiary().name
		make_consent(person, [(REGISTRY, "Given", None), (SHARING, "Refused", None)], add_days(today(), -30))
		make_consent(person, [(SHARING, "Given", None)], add_days(today(), -5))
		current = consent.get_current_consents(person)
		self.assertEqual(current[REGISTRY]["status"], "Given")
		self.assertEqual(current[SHARING]["status"], "Given")
		self.assertTrue(consent.has_partner_sharing_consent(person))

	def test_withdrawal_ends_sharing(self):
		person = make_beneficiary().name
		make_consent(person, [(SHARING, "Given", today())], add_days(today(), -10))
		self.assertEqual(consent.get_current_consents(person)[SHARING]["status"], "Withdrawn")
		self.assertFalse(consent.has_partner_sharing_consent(person))

	def test_overview_lists_every_enabled_purpose(self):
		person = make_beneficiary().name
		make_consent(person, [(PHOTOS, "Refused", None)])
		overview = {row["purpose"]: row["status"] for row in consent.consent_overview(person)}
		self.assertEqual(overview[PHOTOS], "Refused")
		self.assertEqual(overview[REGISTRY], "Not recorded")
		self.assertEqual(len(overview), frappe.db.count("Consent Purpose", {"enabled": 1}))

	def test_invalid_consents_are_refused(self):
		person = make_beneficiary().name
		with self.assertRaises(frappe.ValidationError):
			make_consent(person, [(REGISTRY, "Given", None)], add_days(today(), 1))
		with self.assertRaises(frappe.ValidationError):
			make_consent(person, [(REGISTRY, "Refused", today())])
		with self.assertRaises(frappe.ValidationError):
			make_consent(person, [(REGISTRY, "Given", add_days(today(), -3))], today())
		with self.assertRaises(frappe.ValidationError):
			make_consent(person, [(REGISTRY, "Given", None), (REGISTRY, "Refused", None)])
		with self.assertRaises(frappe.LinkValidationError):
			make_consent("BEN-DOES-NOT-EXIST", [(REGISTRY, "Given", None)])
		self.assertEqual(frappe.db.count("Consent", {"beneficiary": person}), 0)

	def test_fetches_name_and_centre(self):
		person = make_beneficiary()
		doc = make_consent(person.name, [(REGISTRY, "Given", None)])
		self.assertEqual((doc.beneficiary_name, doc.centre), (person.full_name, person.home_centre))
		self.assertEqual(doc.recorded_by, "Administrator")
