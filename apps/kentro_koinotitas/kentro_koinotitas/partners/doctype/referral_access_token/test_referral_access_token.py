"""Referral Access Token: the letter carries a fresh link and QR code; no role writes a token; the consent
receipt prints what was shared."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.partners.testing import make_partner, send
from kentro_koinotitas.setup.roles import COORDINATOR, SOCIAL_WORKER
from kentro_koinotitas.tests.factories import SHARING, give_consent, make_case, make_referral

PARTNER = "Φορέας Δοκιμών Επιστολής"


class TestReferralAccessToken(FrappeTestCase):
	def test_letter_carries_a_link_and_qr_code_and_the_receipt_prints(self):
		frappe.set_user("Administrator")
		make_partner(PARTNER, email=None)
		case = make_case()
		give_consent(case.beneficiary, SHARING)
		draft = make_referral(case, partner_organisation=PARTNER, shares_personal_data=1)
		self.assertNotIn("/p/", frappe.get_print("Referral", draft.name, "Παραπεμπτικό Σημείωμα"))
		referral = send(draft)
		letter = frappe.get_print("Referral", referral.name, "Παραπεμπτικό Σημείωμα")
		self.assertIn("data:image/png;base64,", letter)
		self.assertIn("/p/", letter)
		self.assertEqual(
			frappe.db.count("Referral Access Token", {"referral": referral.name, "channel": "Letter"}), 1
		)
		receipt = frappe.get_print("Referral", referral.name, "Απόδειξη Κοινοποίησης Δεδομένων")
		self.assertIn(PARTNER, receipt)
		self.assertIn("ΑΜΚΑ", receipt)
		self.assertIn("Δεν κοινοποιήθηκαν δεδομένα ειδικών κατηγοριών", receipt)

	def test_no_role_writes_a_token(self):
		for role in (SOCIAL_WORKER, COORDINATOR, "System Manager"):
			perms = frappe.get_all(
				"DocPerm",
				filters={"parent": "Referral Access Token", "role": role},
				fields=["create", "write"],
			)
			self.assertTrue(all(not (p.create or p.write) for p in perms), role)
