# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from kentro_koinotitas.access.workflow import transition_to_status
from kentro_koinotitas.casework.doctype.case.case import reopen_case
from kentro_koinotitas.tests.factories import make_beneficiary, make_case


class TestCase(FrappeTestCase):
	def test_lists_have_an_index_in_their_order(self):
		"""The newest cases and people first, read in index order, and referrals by sending or writing date
		(demo/benchmark.py measures lists and reports at 100,000 and 1,000,000 people); the patch for older
		sites adds them, drops the index the wider one replaces, and may run again."""
		from kentro_koinotitas.patches.v1 import scale_indexes

		scale_indexes.execute()
		for table, index in (
			("tabCase", "creation_index"),
			("tabCase", "opened_on_index"),
			("tabBeneficiary", "creation_index"),
			("tabReferral", "from_centre_sent_on_creation_index"),
			("tabCase Request", "parent_category_index"),
		):
			self.assertTrue(frappe.db.has_index(table, index), msg=(table, index))
		self.assertFalse(frappe.db.has_index("tabReferral", "from_centre_sent_on_index"))

	def test_new_case_takes_centre_and_assessment_areas(self):
		person = make_beneficiary()
		case = make_case(person.name)
		self.assertEqual(case.centre, person.home_centre)
		self.assertEqual(case.beneficiary_name, person.full_name)
		self.assertEqual(
			[row.area for row in case.needs_assessment],
			["Income", "Housing", "Employment", "Health", "Education", "Family", "Legal"],
		)
		self.assertEqual(case.status, "Open")

	def test_closing_needs_a_reason_and_records_the_date(self):
		case = make_case()
		case.status = "Closed"
		with self.assertRaises(frappe.ValidationError):
			case.save()
		case.reload()
		case.update({"status": "Closed", "closure_reason": "Επίτευξη στόχων"}).save()
		self.assertEqual(str(case.closed_on), today())

	def test_a_closed_case_is_reopened_with_its_history(self):
		case = make_case()
		with self.assertRaises(frappe.ValidationError):
			reopen_case(case.name)
		for status in ("Assessment", "Action Plan Pending Approval", "Active", "Closure Pending Approval"):
			case = transition_to_status(case, status)
		case.db_set("closure_reason", "Μετοίκηση")
		case = transition_to_status(case, "Closed")
		self.assertEqual((case.status, str(case.closed_on)), ("Closed", today()))
		self.assertEqual(reopen_case(case.name, "Επέστρεψε στον Δήμο"), "Open")
		case.reload()
		self.assertEqual(
			(case.status, case.reopen_count, case.closed_on, case.closure_reason), ("Open", 1, None, None)
		)
		self.assertIn("Μετοίκηση", case.follow_ups[-1].note)
		self.assertTrue(
			frappe.db.exists("Comment", {"reference_name": case.name, "content": "Επέστρεψε στον Δήμο"})
		)

	def test_one_beneficiary_may_have_several_cases(self):
		person = make_beneficiary()
		make_case(person.name)
		make_case(person.name)
		self.assertEqual(frappe.db.count("Case", {"beneficiary": person.name}), 2)

	def test_no_case_for_a_deceased_person_or_in_the_future(self):
		person = make_beneficiary(status="Deceased")
		with self.assertRaises(frappe.ValidationError):
			make_case(person.name)
		with self.assertRaises(frappe.ValidationError):
			make_case(opened_on=add_days(today(), 3))

	def test_follow_up_dates_are_ordered(self):
		case = make_case()
		case.append(
			"follow_ups",
			{
				"follow_up_date": today(),
				"note": "Τηλεφωνική επικοινωνία",
				"next_follow_up": add_days(today(), -1),
			},
		)
		with self.assertRaises(frappe.ValidationError):
			case.save()


class TestReportIndex(FrappeTestCase):
	"""Its own class: adding and dropping an index commits, so no other test's rows may be pending."""

	def test_the_period_index_holds_the_person_and_replaces_the_narrower_one(self):
		from kentro_koinotitas.casework.doctype.case.case import CENTRE_PERIOD_INDEX
		from kentro_koinotitas.patches.v1 import case_report_covering_index as patch

		table = "tabCase"
		if not frappe.db.has_index(table, patch.SUPERSEDED):  # as on a site installed before the patch
			frappe.db.sql_ddl(f"alter table `{table}` add index `{patch.SUPERSEDED}` (centre, opened_on)")
		patch.execute()
		self.assertFalse(frappe.db.has_index(table, patch.SUPERSEDED))
		columns = frappe.db.sql(f"show index from `{table}` where Key_name = %s", CENTRE_PERIOD_INDEX)
		# the indicator reports read a period's people from the index alone
		self.assertEqual([row[4] for row in columns], ["centre", "opened_on", "beneficiary"])
		patch.execute()  # a second run finds nothing to drop
