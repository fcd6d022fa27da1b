"""The daily overdue job: each kind of overdue item becomes one ToDo for the responsible user."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, today

from kentro_koinotitas.casework.overdue import notify_overdue_items
from kentro_koinotitas.tests.factories import KEA, give_consent, make_case, make_centre, make_referral


def todos(reference_name: str) -> list[dict]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_name": reference_name, "status": "Open"},
		fields=["allocated_to", "description"],
	)


class TestOverdueJob(FrappeTestCase):
	def setUp(self):
		for email, role in (
			("kk-sw@example.com", "Social Worker"),
			("kk-psy@example.com", "Psychologist"),
			("kk-elsewhere@example.com", "Social Worker"),
		):
			if not frappe.db.exists("User", email):
				frappe.get_doc(
					{
						"doctype": "User",
						"email": email,
						"first_name": "Επαγγελματίας",
						"send_welcome_email": 0,
						"roles": [{"role": role}],
					}
				).insert()
		centre = frappe.get_doc("Community Centre", make_centre())
		staff = {row.user for row in centre.staff}
		for email in ("kk-sw@example.com", "kk-psy@example.com"):
			if email not in staff:
				centre.append("staff", {"user": email})
		centre.save()
		make_centre("Άλλο Κέντρο Δοκιμών", staff=[{"user": "kk-elsewhere@example.com"}])

	def test_no_todo_for_someone_who_may_not_read_the_case(self):
		case = make_case(assigned_to="kk-sw@example.com", opened_on=add_days(today(), -60))
		case.append(
			"action_plan",
			{"goal": "Βήμα", "responsible": "kk-elsewhere@example.com", "due_date": add_days(today(), -3)},
		)
		case.save()
		notify_overdue_items()
		self.assertNotIn("kk-elsewhere@example.com", [t.allocated_to for t in todos(case.name)])

	def test_overdue_step_and_follow_up_reach_the_right_people(self):
		case = make_case(assigned_to="kk-sw@example.com", opened_on=add_days(today(), -60))
		case.append(
			"action_plan",
			{
				"goal": "Εγγραφή στη ΔΥΠΑ",
				"responsible": "kk-psy@example.com",
				"due_date": add_days(today(), -3),
			},
		)
		case.append(
			"action_plan",
			{
				"goal": "Ολοκληρώθηκε",
				"responsible": "kk-psy@example.com",
				"due_date": add_days(today(), -3),
				"status": "Done",
			},
		)
		case.append(
			"action_plan",
			{"goal": "Μελλοντικό", "responsible": "kk-psy@example.com", "due_date": add_days(today(), 5)},
		)
		case.append(
			"follow_ups",
			{
				"follow_up_date": add_days(today(), -20),
				"note": "Πρώτη επαφή",
				"next_follow_up": add_days(today(), -2),
			},
		)
		case.save()
		self.assertGreaterEqual(notify_overdue_items(), 2)
		found = todos(case.name)
		self.assertEqual(sorted(t.allocated_to for t in found), ["kk-psy@example.com", "kk-sw@example.com"])
		self.assertTrue(all(case.name in t.description for t in found))
		self.assertFalse(any("Εγγραφή στη ΔΥΠΑ" in t.description for t in found), "no free text in a ToDo")
		notify_overdue_items()
		self.assertEqual(len(todos(case.name)), 2, "a second run must not repeat the same ToDos")

	def test_a_later_follow_up_clears_the_earlier_one(self):
		case = make_case(assigned_to="kk-sw@example.com", opened_on=add_days(today(), -60))
		case.append(
			"follow_ups",
			{"follow_up_date": add_days(today(), -20), "note": "Α", "next_follow_up": add_days(today(), -10)},
		)
		case.append(
			"follow_ups",
			{"follow_up_date": add_days(today(), -9), "note": "Β", "next_follow_up": add_days(today(), 10)},
		)
		case.save()
		notify_overdue_items()
		self.assertEqual(todos(case.name), [])

	def test_renewal_and_unacknowledged_referral(self):
		case = make_case(assigned_to="kk-sw@example.com", opened_on=add_days(today(), -400))
		application = frappe.get_doc(
			{
				"doctype": "Programme Application",
				"beneficiary": case.beneficiary,
				"case": case.name,
				"programme": KEA,
				"status": "Approved",
				"submitted_on": add_days(today(), -300),
				"decision_date": add_months(today(), -7),
			}
		).insert()
		give_consent(case.beneficiary)
		old = make_referral(case, status="Sent")
		old.db_set("sent_on", add_days(today(), -10))
		fresh = make_referral(case, status="Sent")
		notify_overdue_items()
		self.assertEqual([t.allocated_to for t in todos(application.name)], ["kk-sw@example.com"])
		self.assertEqual(len(todos(old.name)), 1)
		self.assertEqual(todos(fresh.name), [])

	def test_job_is_scheduled_daily(self):
		self.assertIn(
			"kentro_koinotitas.casework.overdue.notify_overdue_items",
			frappe.get_hooks("scheduler_events")["daily"],
		)
