# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from kentro_koinotitas.data_protection.legal_holds import active_holds
from kentro_koinotitas.tests.factories import KEA, make_beneficiary, make_case, make_user_with_roles


def make_hold(beneficiary: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Legal Hold",
			"beneficiary": beneficiary,
			"hold_type": "Prosecutor",
			"reason": "Παραγγελία εισαγγελέα ΑΒΜ 123/2026",
			**fields,
		}
	).insert()


class TestLegalHold(FrappeTestCase):
	def test_active_until_lifted(self):
		person = make_beneficiary().name
		self.assertEqual(active_holds(person), [])
		hold = make_hold(person)
		self.assertEqual([h["name"] for h in active_holds(person)], [hold.name])
		make_hold(person, date_from=add_days(today(), 5))
		self.assertEqual(len(active_holds(person)), 1)
		hold.lifted_on = today()
		hold.save()
		self.assertEqual(active_holds(person), [])

	def test_reason_and_dates_are_checked(self):
		person = make_beneficiary().name
		with self.assertRaises(frappe.ValidationError):
			make_hold(person, reason="  ")
		with self.assertRaises(frappe.ValidationError):
			make_hold(person, date_from=today(), lifted_on=add_days(today(), -1))

	def test_an_open_programme_application_holds_implicitly(self):
		case = make_case()
		application = frappe.get_doc(
			{
				"doctype": "Programme Application",
				"beneficiary": case.beneficiary,
				"case": case.name,
				"programme": KEA,
				"status": "Submitted",
				"submitted_on": today(),
			}
		).insert(ignore_permissions=True)
		holds = active_holds(case.beneficiary)
		self.assertEqual(
			[(h["source"], h["name"]) for h in holds], [("Programme Application", application.name)]
		)
		self.assertEqual(holds[0]["hold_type"], "Open programme application")
		application.db_set("status", "Rejected")
		self.assertEqual(active_holds(case.beneficiary), [])

	def test_only_the_officer_and_it_read_holds(self):
		roles = {p.role for p in frappe.get_meta("Legal Hold").permissions}
		self.assertEqual(roles, {"Data Protection Officer", "System Manager"})
		for role in ("Coordinator", "Social Services Director", "Social Worker"):
			self.assertFalse(frappe.has_permission("Legal Hold", "read", user=make_user_with_roles(role)))
