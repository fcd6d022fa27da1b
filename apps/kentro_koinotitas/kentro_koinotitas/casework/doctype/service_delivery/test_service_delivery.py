# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from kentro_koinotitas.tests.factories import make_beneficiary, make_case

SERVICE = "Ατομική ψυχοκοινωνική υποστήριξη"


def deliver(**fields):
	return frappe.get_doc({"doctype": "Service Delivery", "service": SERVICE, **fields}).insert()


class TestServiceDelivery(FrappeTestCase):
	def test_individual_delivery_takes_defaults(self):
		case = make_case()
		doc = deliver(beneficiary=case.beneficiary, case=case.name)
		self.assertEqual(doc.duration_minutes, 50)
		self.assertEqual(doc.axis, "C. Social inclusion services")
		self.assertEqual(doc.centre, case.centre)
		self.assertEqual(doc.professional, "Administrator")

	def test_recipient_rules(self):
		with self.assertRaises(frappe.ValidationError):
			deliver()
		with self.assertRaises(frappe.ValidationError):
			deliver(is_group_session=1, centre=make_case().centre)
		a, b = make_beneficiary(), make_beneficiary(first_name="Λίνα")
		group = deliver(
			service="Ομαδική ψυχοκοινωνική υποστήριξη",
			is_group_session=1,
			beneficiary=a.name,
			participants=[{"beneficiary": a.name}, {"beneficiary": b.name}],
		)
		self.assertIsNone(group.beneficiary)
		self.assertEqual(len(group.participants), 2)

	def test_case_must_be_the_same_persons(self):
		case = make_case()
		other = make_beneficiary(first_name="Ορέστης")
		with self.assertRaises(frappe.ValidationError):
			deliver(beneficiary=other.name, case=case.name)

	def test_not_in_the_future(self):
		with self.assertRaises(frappe.ValidationError):
			deliver(beneficiary=make_beneficiary().name, delivery_datetime=add_days(now_datetime(), 2))
