# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate, today

from kentro_koinotitas.tests.factories import KEA, make_beneficiary, make_case


def apply(**fields):
	case = fields.pop("case_doc", None) or make_case()
	return frappe.get_doc(
		{
			"doctype": "Programme Application",
			"beneficiary": case.beneficiary,
			"case": case.name,
			"programme": KEA,
			**fields,
		}
	).insert()


class TestProgrammeApplication(FrappeTestCase):
	def test_checklist_is_copied_from_the_programme(self):
		doc = apply()
		expected = frappe.get_all(
			"Welfare Programme Document", filters={"parent": KEA}, pluck="document", order_by="idx"
		)
		self.assertEqual([row.document for row in doc.documents], expected)
		self.assertTrue(doc.centre)

	def test_status_needs_its_dates(self):
		with self.assertRaises(frappe.ValidationError):
			apply(status="Submitted")
		with self.assertRaises(frappe.ValidationError):
			apply(status="Approved", submitted_on=today())
		with self.assertRaises(frappe.ValidationError):
			apply(status="Rejected", submitted_on=today(), decision_date=add_days(today(), -2))

	def test_approval_sets_the_renewal_due_date(self):
		decided = add_days(today(), -10)
		doc = apply(
			status="Approved",
			submitted_on=add_days(today(), -40),
			decision_date=decided,
			external_reference="ΕΕΕ-123",
		)
		self.assertEqual(getdate(doc.renewal_due_date), getdate(add_months(decided, 6)))

	def test_case_must_be_the_same_persons(self):
		case = make_case()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Programme Application",
					"beneficiary": make_beneficiary(first_name="Ίρις").name,
					"case": case.name,
					"programme": KEA,
				}
			).insert()
