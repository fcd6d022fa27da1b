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


class TestIndexesOnExistingSites(FrappeTestCase):
	"""Its own class: adding and dropping an index commits, so no other test's rows may be pending."""

	def test_migrate_adds_an_index_declared_in_code_that_the_site_lacks(self):
		from kentro_koinotitas.setup.install import ensure_indexes

		table, index = "tabService Delivery", "centre_period_covering_index"
		frappe.db.sql_ddl(f"alter table `{table}` drop index `{index}`")
		self.assertFalse(frappe.db.has_index(table, index))
		ensure_indexes()  # part of after_migrate
		self.assertTrue(frappe.db.has_index(table, index))

	def test_patch_drops_the_index_the_covering_one_replaces(self):
		from kentro_koinotitas.patches.v1 import drop_superseded_service_delivery_index as patch

		table = "tabService Delivery"
		if not frappe.db.has_index(table, patch.SUPERSEDED):  # as on a site installed before the patch
			frappe.db.sql_ddl(
				f"alter table `{table}` add index `{patch.SUPERSEDED}` (centre, delivery_datetime)"
			)
		self.assertTrue(frappe.db.has_index(table, patch.SUPERSEDED))
		patch.execute()
		self.assertFalse(frappe.db.has_index(table, patch.SUPERSEDED))
		self.assertTrue(frappe.db.has_index(table, "centre_period_covering_index"))
		patch.execute()  # a second run finds nothing to drop
