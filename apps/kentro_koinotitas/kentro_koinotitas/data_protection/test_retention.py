"""The retention schedule under a frozen clock (`build_review(today=...)`): the review lists exactly the
records the test builds, changes nothing, and acts only on the data protection officer's approval,
honouring legal holds when listing and again when acting."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.data_protection import retention
from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER, SOCIAL_WORKER
from kentro_koinotitas.tests.factories import make_beneficiary, make_case, make_centre

TODAY = "2000-06-30"
DPO_USER = "kk-retention-dpo@example.com"
SW_USER = "kk-retention-sw@example.com"


def make_user(email: str, role: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Δοκιμή",
				"send_welcome_email": 0,
				"roles": [{"role": role}],
			}
		).insert(ignore_permissions=True)
	return email


def make_rule(name: str, record_type: str, trigger: str, action: str, months: int = 72) -> str:
	frappe.get_doc(
		{
			"doctype": "Retention Rule",
			"rule_name": name,
			"record_type": record_type,
			"trigger": trigger,
			"period_months": months,
			"action": action,
			"legal_basis": "Δοκιμαστική βάση",
		}
	).insert(ignore_permissions=True)
	return name


def visit(person: str | None, on: str, case: str | None = None, **fields) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Front Desk Visit",
				"beneficiary": person,
				"case": case,
				"centre": make_centre(),
				"request_category": "Στέγαση",
				"visit_datetime": on + " 10:00:00",
				**fields,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def close_case(case: str, on: str) -> None:
	frappe.db.set_value("Case", case, {"status": "Closed", "workflow_state": "Closed", "closed_on": on})


def hold(person: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Legal Hold",
				"beneficiary": person,
				"hold_type": "Court",
				"date_from": "1999-01-01",
				"reason": "Εισαγγελική παραγγελία 12/1999",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def items(review: str) -> set[tuple[str, str, str]]:
	return {
		(row.rule, row.record_type, row.record)
		for row in frappe.get_all(
			"Retention Review Item", filters={"parent": review}, fields=["rule", "record_type", "record"]
		)
	}


class TestRetention(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.set_value("Retention Rule", {"enabled": 1}, "enabled", 0)  # only this test's rules
		make_user(DPO_USER, DATA_PROTECTION_OFFICER)
		make_user(SW_USER, SOCIAL_WORKER)
		tag = frappe.generate_hash(length=6)
		self.anonymise = make_rule(
			f"Δοκιμή ανωνυμοποίησης {tag}", "Beneficiary", "Last activity", "Anonymise", 120
		)
		self.visits = make_rule(f"Δοκιμή επισκέψεων {tag}", "Front Desk Visit", "Case closed", "Delete")
		self.consents = make_rule(f"Δοκιμή συγκαταθέσεων {tag}", "Consent", "Consent withdrawn", "Delete")
		person = {"registration_date": "1985-01-10", "date_of_birth": "1960-05-05"}
		# inactive since 1988: due for anonymisation (1998)
		self.old = make_beneficiary(first_name="Αρετή", last_name="Παλαιά", **person).name
		visit(self.old, "1988-03-01")
		# active in 1995: not due until 2005; a closed case with a visit, a visit without a case, a consent
		# withdrawn in 1991
		self.recent = make_beneficiary(first_name="Βασίλης", last_name="Πρόσφατος", **person).name
		case = make_case(self.recent, opened_on="1986-01-01").name
		close_case(case, "1990-02-01")
		self.visit_of_closed_case = visit(self.recent, "1986-02-01", case=case)
		self.visit_without_case = visit(self.recent, "1995-05-01")
		self.withdrawn = (
			frappe.get_doc(
				{
					"doctype": "Consent",
					"beneficiary": self.recent,
					"consent_date": "1986-01-01",
					"purposes": [
						{
							"consent_purpose": frappe.get_all("Consent Purpose", pluck="name", limit=1)[0],
							"decision": "Given",
							"withdrawn_on": "1991-01-01",
						}
					],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		# an open case with a visit in 1999: nothing due
		self.active = make_beneficiary(first_name="Γεωργία", last_name="Ενεργή", **person).name
		open_case = make_case(self.active, opened_on="1986-01-01").name
		self.visit_of_open_case = visit(self.active, "1999-01-01", case=open_case)
		# inactive since 1985 but under legal hold: left out
		self.held = make_beneficiary(first_name="Δήμητρα", last_name="Κρατούμενη", **person).name
		self.hold = hold(self.held)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def expected(self) -> set[tuple[str, str, str]]:
		return {
			(self.anonymise, "Beneficiary", self.old),
			(self.visits, "Front Desk Visit", self.visit_of_closed_case),
			(self.visits, "Front Desk Visit", self.visit_without_case),
			(self.consents, "Consent", self.withdrawn),
		}

	def test_review_lists_exactly_the_due_records_and_changes_nothing(self):
		before = {
			"Beneficiary": frappe.db.get_value("Beneficiary", self.old, ["first_name", "amka", "modified"]),
			"visits": frappe.db.count("Front Desk Visit", {"beneficiary": self.recent}),
			"consent": frappe.db.exists("Consent", self.withdrawn),
		}
		review = retention.build_review(today=TODAY)
		self.assertEqual(items(review), self.expected())
		doc = frappe.get_doc("Retention Review", review)
		self.assertEqual((doc.status, doc.item_count, doc.held_count), ("Pending approval", 4, 1))
		self.assertNotIn(self.held, {row.person for row in doc.items})
		self.assertTrue(all(row.outcome == "Pending" and row.reason for row in doc.items))
		after = {
			"Beneficiary": frappe.db.get_value("Beneficiary", self.old, ["first_name", "amka", "modified"]),
			"visits": frappe.db.count("Front Desk Visit", {"beneficiary": self.recent}),
			"consent": frappe.db.exists("Consent", self.withdrawn),
		}
		self.assertEqual(before, after)
		# on the visits' due date (case closed 1990-02-01 + 72 months) only they are due, the day before none
		earlier = retention.build_review(today="1996-02-01")
		self.assertEqual(
			items(earlier),
			{
				(self.visits, "Front Desk Visit", self.visit_of_closed_case),
				(self.visits, "Front Desk Visit", self.visit_without_case),
			},
		)
		self.assertEqual(items(retention.build_review(today="1996-01-31")), set())
		self.assertEqual(frappe.db.get_value("Retention Review", review, "status"), "Superseded")

	def test_only_the_officer_approves(self):
		review = retention.build_review(today=TODAY)
		for user in (SW_USER, "Guest"):
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, retention.approve_review, review)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Retention Review", review, "status"), "Pending approval")
		self.assertTrue(frappe.db.exists("Front Desk Visit", self.visit_without_case))

	def test_approval_acts_and_honours_a_hold_set_after_the_review(self):
		review = retention.build_review(today=TODAY)
		late_hold = hold(self.old)  # the person is put on hold after the review was listed
		frappe.set_user(DPO_USER)
		retention.approve_review(review)
		frappe.set_user("Administrator")
		outcomes = {
			row.record: (row.outcome, row.outcome_note)
			for row in frappe.get_all(
				"Retention Review Item",
				filters={"parent": review},
				fields=["record", "outcome", "outcome_note"],
			)
		}
		self.assertEqual(outcomes[self.old], ("Skipped (legal hold)", late_hold))
		self.assertEqual(frappe.db.get_value("Beneficiary", self.old, "first_name"), "Αρετή")
		for record in (self.visit_of_closed_case, self.visit_without_case, self.withdrawn):
			self.assertEqual(outcomes[record][0], "Deleted")
		self.assertFalse(frappe.db.exists("Front Desk Visit", self.visit_of_closed_case))
		self.assertFalse(frappe.db.exists("Front Desk Visit", self.visit_without_case))
		self.assertFalse(frappe.db.exists("Consent", self.withdrawn))
		self.assertFalse(
			frappe.db.exists(
				"Deleted Document", {"deleted_doctype": "Consent", "deleted_name": self.withdrawn}
			)
		)
		self.assertTrue(frappe.db.exists("Front Desk Visit", self.visit_of_open_case))
		doc = frappe.get_doc("Retention Review", review)
		self.assertEqual((doc.status, doc.approved_by), ("Completed", DPO_USER))
		frappe.set_user(DPO_USER)
		self.assertRaises(frappe.ValidationError, retention.approve_review, review)  # not twice
		frappe.set_user("Administrator")

	def test_approval_anonymises_the_person(self):
		review = retention.build_review(today=TODAY)
		frappe.set_user(DPO_USER)
		retention.approve_review(review)
		frappe.set_user("Administrator")
		row = frappe.get_all(
			"Retention Review Item",
			filters={"parent": review, "record": self.old},
			fields=["outcome", "outcome_note"],
		)[0]
		self.assertEqual(row.outcome, "Anonymised")
		self.assertFalse(row.outcome_note)
		person = frappe.db.get_value("Beneficiary", self.old, ["status", "first_name", "amka"], as_dict=True)
		self.assertEqual(person.status, "Anonymised")
		self.assertNotEqual(person.first_name, "Αρετή")
		self.assertFalse(person.amka)
		# anonymised people are not listed again
		self.assertNotIn(self.old, {record for _r, _t, record in items(retention.build_review(today=TODAY))})

	def test_a_short_period_needs_confirmation(self):
		rule = frappe.get_doc(
			{
				"doctype": "Retention Rule",
				"rule_name": f"Σύντομη {frappe.generate_hash(length=6)}",
				"record_type": "Front Desk Visit",
				"trigger": "Last activity",
				"period_months": 24,
				"action": "Delete",
				"legal_basis": "Δοκιμή",
			}
		)
		self.assertRaisesRegex(frappe.ValidationError, "72", rule.insert, ignore_permissions=True)
		rule.confirm_short_period = 1
		rule.insert(ignore_permissions=True)
		for record_type, action in (
			("Beneficiary", "Delete"),
			("Case", "Anonymise"),
			("Household", "Delete"),
		):
			bad = frappe.get_doc(
				{
					"doctype": "Retention Rule",
					"rule_name": f"Άκυρη {frappe.generate_hash(length=6)}",
					"record_type": record_type,
					"trigger": "Last activity",
					"period_months": 120,
					"action": action,
					"legal_basis": "Δοκιμή",
				}
			)
			self.assertRaises(frappe.ValidationError, bad.insert, ignore_permissions=True)

	def test_default_rules_are_shipped_once_and_valid(self):
		from kentro_koinotitas.setup.install import install_default_records

		install_default_records()
		install_default_records()
		self.assertEqual(frappe.db.count("Retention Rule", {"name": ("like", "Ανωνυμοποίηση 10 έτη%")}), 1)
		default = frappe.get_doc("Retention Rule", "Ανωνυμοποίηση 10 έτη μετά την τελευταία δραστηριότητα")
		self.assertEqual((default.period_months, default.action), (120, "Anonymise"))
		default.validate()
