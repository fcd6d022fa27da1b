"""«Επιστροφή» with a reason: the reason reaches the record's timeline and the worker's notifications,
and the action stays the workflow's (roles, centre, state)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.casework.send_back import send_back
from kentro_koinotitas.tests.factories import make_beneficiary, make_centre, make_user_with_roles

CENTRE = "Κέντρο Επιστροφών Δοκιμών"
OTHER_CENTRE = "Άλλο Κέντρο Επιστροφών Δοκιμών"


class TestSendBack(FrappeTestCase):
	def setUp(self):
		self.worker = make_user_with_roles("Social Worker")
		self.coordinator = make_user_with_roles("Coordinator", "Social Worker")
		self.outsider = make_user_with_roles("Coordinator", "Social Worker")
		for name, staff in ((CENTRE, [self.worker, self.coordinator]), (OTHER_CENTRE, [self.outsider])):
			make_centre(name)
			centre = frappe.get_doc("Community Centre", name)
			centre.set("staff", [{"user": user} for user in staff])
			centre.save(ignore_permissions=True)
		person = make_beneficiary(home_centre=CENTRE)
		self.case = frappe.get_doc(
			{"doctype": "Case", "beneficiary": person.name, "centre": CENTRE, "assigned_to": self.worker}
		).insert(ignore_permissions=True)
		self.case.db_set(
			{
				"workflow_state": "Action Plan Pending Approval",
				"status": "Action Plan Pending Approval",
				"approval_requested_by": self.worker,
			}
		)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_reason_reaches_the_timeline_and_the_worker(self):
		frappe.set_user(self.coordinator)
		result = send_back("Case", self.case.name, "  Λείπει η αξιολόγηση στέγασης.  ")
		frappe.set_user("Administrator")
		self.assertEqual(result["status"], "Assessment")
		self.assertEqual(frappe.db.get_value("Case", self.case.name, "workflow_state"), "Assessment")
		comments = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Case",
				"reference_name": self.case.name,
				"comment_type": "Comment",
			},
			pluck="content",
		)
		self.assertTrue(any("Λείπει η αξιολόγηση στέγασης." in c for c in comments), comments)
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_name": self.case.name, "for_user": self.worker},
			fields=["subject", "from_user"],
		)
		self.assertEqual(len(notes), 1)
		self.assertIn("Λείπει η αξιολόγηση στέγασης.", notes[0].subject)
		self.assertEqual(notes[0].from_user, self.coordinator)

	def test_no_reason_changes_nothing(self):
		frappe.set_user(self.coordinator)
		for reason in ("", "   "):
			with self.assertRaises(frappe.ValidationError):
				send_back("Case", self.case.name, reason)
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Case", self.case.name, "workflow_state"), "Action Plan Pending Approval"
		)

	def test_the_reason_is_escaped(self):
		frappe.set_user(self.coordinator)
		send_back("Case", self.case.name, "<img src=x onerror=alert(1)>")
		frappe.set_user("Administrator")
		subject = frappe.db.get_value("Notification Log", {"document_name": self.case.name}, "subject")
		self.assertNotIn("<img", subject)

	def test_refused_to_a_worker_and_to_another_centres_coordinator(self):
		for user in (self.worker, self.outsider):
			frappe.set_user(user)
			with self.assertRaises((frappe.PermissionError, frappe.ValidationError)):
				send_back("Case", self.case.name, "Λόγος")
			frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Case", self.case.name, "workflow_state"), "Action Plan Pending Approval"
		)
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": self.case.name}))

	def test_only_cases_and_referrals(self):
		frappe.set_user(self.coordinator)
		with self.assertRaises(frappe.PermissionError):
			send_back("Beneficiary", self.case.beneficiary, "Λόγος")
