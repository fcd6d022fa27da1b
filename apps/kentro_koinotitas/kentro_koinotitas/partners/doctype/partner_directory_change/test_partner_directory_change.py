"""A partner's proposed directory changes reach its entry only through a coordinator's approval."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.partners import directory
from kentro_koinotitas.partners.testing import make_partner, make_partner_user
from kentro_koinotitas.setup.roles import COORDINATOR, SOCIAL_WORKER
from kentro_koinotitas.tests.factories import make_user_with_roles

MINE = "Φορέας Δοκιμών Καταλόγου"
OTHER = "Άλλος Φορέας Δοκιμών Καταλόγου"


class TestDirectoryChanges(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_partner(MINE)
		make_partner(OTHER)
		self.partner = make_partner_user(MINE)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_proposal_waits_for_the_coordinator(self):
		frappe.set_user(self.partner)
		name = directory.propose(
			MINE,
			{
				"capacity_status": "Limited",
				"eligibility": "Κάτοικοι του δήμου",
				"accepts_referrals": 0,  # not a field a partner may change: dropped
				"services": [{"service_name": "Συμβουλευτική", "eligibility": "Άνεργοι"}],
				"opening_hours": [{"day_of_week": "Tuesday", "from_time": "09:00", "to_time": "14:00"}],
			},
		)
		self.assertNotIn(
			"accepts_referrals", json.loads(frappe.db.get_value(directory.CHANGE, name, "proposed_changes"))
		)
		self.assertNotEqual(frappe.db.get_value("Partner Organisation", MINE, "capacity_status"), "Limited")
		self.assertIsNone(
			directory.propose(MINE, {"phone": frappe.db.get_value("Partner Organisation", MINE, "phone")})
		)
		with self.assertRaises(frappe.PermissionError):
			directory.propose(OTHER, {"phone": "2100000001"})

		frappe.set_user(make_user_with_roles(SOCIAL_WORKER))
		with self.assertRaises(frappe.PermissionError):
			directory.approve(name)
		frappe.set_user(make_user_with_roles(COORDINATOR))
		directory.approve(name, note="Επιβεβαιώθηκε τηλεφωνικά")
		org = frappe.get_doc("Partner Organisation", MINE)
		self.assertEqual(
			(org.capacity_status, org.eligibility, org.accepts_referrals),
			("Limited", "Κάτοικοι του δήμου", 1),
		)
		self.assertEqual(
			[(s.service_name, s.eligibility) for s in org.services], [("Συμβουλευτική", "Άνεργοι")]
		)
		self.assertEqual(str(org.last_verified_on), frappe.utils.today())
		self.assertEqual(frappe.db.get_value(directory.CHANGE, name, "status"), "Approved")
		with self.assertRaises(frappe.ValidationError):
			directory.approve(name)

	def test_bad_proposals_are_refused(self):
		frappe.set_user(self.partner)
		for proposal in (
			{"email": "όχι email"},
			{"capacity_status": "Maybe"},
			{"opening_hours": [{"day_of_week": "Funday", "from_time": "09:00", "to_time": "10:00"}]},
			{"opening_hours": [{"day_of_week": "Monday", "from_time": "14:00", "to_time": "09:00"}]},
			{"services": [{"description": "χωρίς όνομα"}]},
			{"description": "x" * 2001},
		):
			with self.assertRaises(frappe.ValidationError):
				directory.propose(MINE, proposal)
		self.assertFalse(frappe.db.exists(directory.CHANGE, {"partner_organisation": MINE}))
