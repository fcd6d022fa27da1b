"""Referral Response: the partner's answers are read within the referring centre only, and no role
writes one (server code does)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.access.partners import resolve_token
from kentro_koinotitas.partners import answers, tokens
from kentro_koinotitas.partners.testing import make_partner, send
from kentro_koinotitas.setup.roles import SOCIAL_WORKER
from kentro_koinotitas.tests.factories import make_case, make_centre, make_referral, make_user_with_roles

PARTNER = "Φορέας Δοκιμών Απαντήσεων Κέντρου"


class TestReferralResponse(FrappeTestCase):
	def test_read_within_the_referring_centre_only(self):
		frappe.set_user("Administrator")
		make_partner(PARTNER, email=None)
		referral = send(make_referral(make_case(), partner_organisation=PARTNER, shares_personal_data=0))
		name = answers.answer(resolve_token(tokens.issue(referral, "Letter")), answers.ACKNOWLEDGE)
		here, elsewhere = make_user_with_roles(SOCIAL_WORKER), make_user_with_roles(SOCIAL_WORKER)
		for centre, user in ((make_centre(), here), (make_centre("Κέντρο Απαντήσεων Αλλού"), elsewhere)):
			doc = frappe.get_doc("Community Centre", centre)
			doc.append("staff", {"user": user})
			doc.save(ignore_permissions=True)
		self.assertTrue(frappe.has_permission("Referral Response", "read", doc=name, user=here))
		self.assertFalse(frappe.has_permission("Referral Response", "read", doc=name, user=elsewhere))
		self.assertFalse(frappe.has_permission("Referral Response", "write", doc=name, user=here))
		self.assertFalse(frappe.has_permission("Referral Response", "create", user=here))
