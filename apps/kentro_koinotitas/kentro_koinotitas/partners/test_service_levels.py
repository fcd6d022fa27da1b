"""Service levels with a frozen clock across Greek Easter 2026 (Good Friday 10 April, Easter Monday
13 April): due date, reminder, escalation and expiry «Έληξε»."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from kentro_koinotitas.access.partners import resolve_token
from kentro_koinotitas.partners import service_levels, tokens
from kentro_koinotitas.partners.service_levels import add_working_days, run_daily
from kentro_koinotitas.partners.testing import ensure_email_account, make_partner, send, tokens_emailed
from kentro_koinotitas.setup.roles import COORDINATOR, SOCIAL_WORKER
from kentro_koinotitas.tests.factories import (
	SHARING,
	give_consent,
	make_case,
	make_centre,
	make_referral,
	make_user_with_roles,
)

PARTNER = "Φορέας Δοκιμών Προθεσμιών"


def notified(referral: str) -> set[str]:
	return set(frappe.get_all("Notification Log", filters={"document_name": referral}, pluck="for_user"))


class TestServiceLevels(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		ensure_email_account()
		make_partner(PARTNER, days=5, expiry=30)
		self.worker = make_user_with_roles(SOCIAL_WORKER)
		self.coordinator = make_user_with_roles(COORDINATOR, SOCIAL_WORKER)
		self.elsewhere = make_user_with_roles(COORDINATOR)
		centre = frappe.get_doc("Community Centre", make_centre())
		for user in (self.worker, self.coordinator):
			centre.append("staff", {"user": user})
		centre.save(ignore_permissions=True)
		other = frappe.get_doc("Community Centre", make_centre("Άλλο Κέντρο Προθεσμιών"))
		other.append("staff", {"user": self.elsewhere})
		other.save(ignore_permissions=True)
		self.centre = centre.name

	def sent_referral(self):
		case = make_case()
		give_consent(case.beneficiary, SHARING, on="2026-04-01")
		frappe.set_user(self.worker)
		referral = make_referral(case, partner_organisation=PARTNER, shares_personal_data=1)
		frappe.set_user("Administrator")
		return send(referral)

	def test_working_days_skip_weekends_and_greek_holidays(self):
		self.assertEqual(add_working_days("2026-04-09", 5), getdate("2026-04-20"))
		self.assertEqual(add_working_days("2026-10-26", 3), getdate("2026-10-30"))  # 28 October
		self.assertEqual(add_working_days("2026-06-05", 1), getdate("2026-06-08"))  # a plain weekend
		self.assertEqual(add_working_days("2026-05-29", 2), getdate("2026-06-03"))  # Whit Monday 1 June

	def test_reminder_escalation_and_expiry_across_easter(self):
		with self.freeze_time("2026-04-09 10:00:00"):
			late = self.sent_referral()
			answered = self.sent_referral()
		self.assertEqual(str(late.acknowledge_by), "2026-04-20")  # 16 April without the holidays
		[first_link] = tokens_emailed(late.name)
		frappe.db.set_value("Referral", answered.name, {"status": "Acknowledged"})

		with self.freeze_time("2026-04-20 18:00:00"):
			self.assertNotIn(late.name, run_daily()["reminded"])
		with self.freeze_time("2026-04-21 08:00:00"):
			done = run_daily()
		self.assertIn(late.name, done["reminded"])
		self.assertNotIn(answered.name, done["reminded"])
		self.assertNotIn(late.name, done["escalated"])
		self.assertEqual(len(tokens_emailed(late.name)), 2, "the reminder carries a new link")
		self.assertEqual(str(frappe.db.get_value("Referral", late.name, "partner_reminded_on")), "2026-04-21")

		with self.freeze_time("2026-04-22 08:00:00"):
			self.assertNotIn(late.name, run_daily()["escalated"])
		with self.freeze_time("2026-04-23 08:00:00"):
			done = run_daily()
		self.assertIn(late.name, done["escalated"])
		self.assertNotIn(late.name, done["reminded"], "one reminder only")
		self.assertIn(self.coordinator, notified(late.name))
		self.assertNotIn(self.elsewhere, notified(late.name))

		with self.freeze_time("2026-05-08 08:00:00"):
			self.assertNotIn(late.name, run_daily()["expired"])
			self.assertEqual(resolve_token(first_link).referral, late.name)
		with self.freeze_time("2026-05-09 08:00:00"):
			done = run_daily()
			self.assertIsNone(resolve_token(first_link))
		self.assertEqual(done["expired"].count(late.name), 1)
		self.assertNotIn(answered.name, done["expired"])
		self.assertEqual(frappe.db.get_value("Referral", late.name, "status"), "Expired")
		self.assertEqual(frappe.db.count("Referral Access Token", {"referral": late.name, "revoked": 0}), 0)
		self.assertIn(self.worker, notified(late.name))
		self.assertEqual(service_levels.service_level(PARTNER), (5, 30))
		self.assertEqual(tokens.CLOSED_STATUSES[-1], "Expired")
