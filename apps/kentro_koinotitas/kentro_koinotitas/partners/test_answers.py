"""The partner's access, what it sees and its answers, in process (the HTTP tests are in
tests/test_partner_portal.py)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, today

from kentro_koinotitas.access import audit
from kentro_koinotitas.access.partners import (
	LINK_USER,
	is_partner_user,
	partner_referrals,
	resolve_login,
	resolve_token,
	token_hash,
)
from kentro_koinotitas.partners import answers, tokens
from kentro_koinotitas.partners.disclosure import partner_view
from kentro_koinotitas.partners.testing import (
	SPECIAL,
	ensure_email_account,
	make_partner,
	make_partner_user,
	send,
	tokens_emailed,
)
from kentro_koinotitas.tests.factories import (
	SHARING,
	give_consent,
	make_case,
	make_referral,
	make_user_with_roles,
)

PARTNER = "Φορέας Δοκιμών Απαντήσεων"
OTHER = "Άλλος Φορέας Δοκιμών"


class TestPartnerAnswers(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		ensure_email_account()
		make_partner(PARTNER)
		make_partner(OTHER, email=None)

	def sent_referral(self, consents=(SHARING,), shares=1, organisation=PARTNER):
		case = make_case()
		for purpose in consents:
			give_consent(case.beneficiary, purpose)
		referral = make_referral(case, partner_organisation=organisation, shares_personal_data=shares)
		return send(referral)

	def test_sending_emails_a_link_stored_only_as_a_hash(self):
		referral = self.sent_referral()
		row = frappe.get_all(
			"Referral Access Token",
			filters={"referral": referral.name},
			fields=["token_hash", "channel", "sent_to", "expires_on"],
		)
		self.assertEqual(len(row), 1)
		self.assertEqual((row[0].channel, row[0].sent_to), ("E-mail", "partner@example.org"))
		[token] = tokens_emailed(referral.name)
		self.assertGreaterEqual(len(token), 22)  # 16 random bytes, URL-safe base64
		self.assertEqual(row[0].token_hash, token_hash(token))
		self.assertNotIn(
			token, str(frappe.get_doc("Referral Access Token", {"referral": referral.name}).as_dict())
		)
		self.assertEqual(resolve_token(token).referral, referral.name)
		self.assertGreater(row[0].expires_on, add_days(now_datetime(), tokens.LIFETIME_DAYS - 1))
		self.assertEqual(str(referral.acknowledge_by) > today(), True)

	def test_without_sharing_consent_only_name_and_reason(self):
		referral = self.sent_referral(consents=(), shares=0)
		view = partner_view(referral.name)
		self.assertEqual(view.details, [])
		self.assertEqual(view.special_groups, [])
		self.assertEqual(view.beneficiary_name, referral.beneficiary_name)

	def test_special_category_data_only_with_that_consent_too(self):
		case = make_case()
		person = frappe.get_doc("Beneficiary", case.beneficiary)
		sensitive = frappe.get_all("Vulnerable Group", filters={"special_category_data": 1}, pluck="name")
		person.append("vulnerable_groups", {"vulnerable_group": sensitive[0]})
		person.phone = "6900000000"
		person.save(ignore_permissions=True)
		give_consent(case.beneficiary, SHARING)
		referral = send(make_referral(case, partner_organisation=PARTNER, shares_personal_data=1))
		view = partner_view(referral.name)
		self.assertIn(("Τηλέφωνο", "+306900000000"), view.details)
		self.assertIn(("ΑΜΚΑ", person.amka), view.details)
		self.assertEqual(view.special_groups, [])
		give_consent(case.beneficiary, SPECIAL)
		self.assertEqual(partner_view(referral.name).special_groups, [sensitive[0]])

	def test_the_full_loop_through_the_workflow(self):
		referral = self.sent_referral()
		token = tokens.issue(referral, "Letter")
		access = resolve_token(token)
		answers.answer(access, answers.ACKNOWLEDGE)
		referral.reload()
		self.assertEqual((referral.status, referral.workflow_state), ("Acknowledged", "Acknowledged"))
		answers.answer(access, answers.QUESTION, note="Έχει ραντεβού;")
		answers.answer(
			access, answers.OUTCOME, outcome="Service provided", outcome_date=today(), note="Εγγράφηκε"
		)
		referral.reload()
		self.assertEqual(
			(referral.status, referral.outcome, str(referral.outcome_on)),
			("Completed", "Completed successfully", today()),
		)
		responses = frappe.get_all(
			"Referral Response", filters={"referral": referral.name}, pluck="action", order_by="creation asc"
		)
		self.assertEqual(responses, ["Acknowledge", "Question", "Outcome"])
		comments = frappe.get_all(
			"Comment", filters={"reference_name": referral.name, "comment_type": "Comment"}, pluck="content"
		)
		self.assertTrue(any("Έχει ραντεβού;" in text for text in comments))
		self.assertTrue(any(text.startswith("Έκβαση") for text in comments))
		logged = frappe.get_all(
			audit.LOG,
			filters={
				"reference_name": referral.name,
				"access_kind": audit.PARTNER_PORTAL,
				"accessed_on": (">=", referral.creation),
			},
			pluck="user",
		)
		self.assertEqual(logged, [LINK_USER] * 3)
		self.assertIsNone(resolve_token(token), "a closed referral ends the link")
		self.assertEqual(frappe.session.user, "Administrator")

	def test_bad_answers_are_refused_and_nothing_is_saved(self):
		referral = self.sent_referral()
		access = resolve_token(tokens.issue(referral, "Letter"))
		for action, values in (
			(answers.DECLINE, {}),
			(answers.DECLINE, {"decline_reason": "Κάτι άλλο"}),
			(answers.OUTCOME, {"outcome": "Service provided", "outcome_date": add_days(today(), 1)}),
			(answers.OUTCOME, {"outcome": "Άγνωστη"}),
			(answers.QUESTION, {"note": "  "}),
			("Complete", {}),
		):
			with self.assertRaises(answers.AnswerError):
				answers.answer(access, action, **values)
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "status"), "Sent")
		self.assertFalse(frappe.db.exists("Referral Response", {"referral": referral.name}))

	def test_decline_with_a_reason(self):
		referral = self.sent_referral()
		access = resolve_token(tokens.issue(referral, "Letter"))
		answers.answer(access, answers.DECLINE, decline_reason="No capacity", note="Πλήρες τμήμα")
		referral.reload()
		self.assertEqual(
			(referral.status, referral.outcome, referral.outcome_reason),
			("Rejected", "Rejected", "Έλλειψη δυναμικότητας του φορέα"),
		)
		self.assertEqual(
			frappe.db.count("Referral Access Token", {"referral": referral.name, "revoked": 0}), 0
		)

	def test_expired_revoked_and_withdrawn_consent_end_the_link(self):
		referral = self.sent_referral()
		expired, revoked, fine = (tokens.issue(referral, "Letter") for _i in range(3))
		frappe.db.set_value(
			"Referral Access Token",
			{"token_hash": token_hash(expired)},
			"expires_on",
			add_days(now_datetime(), -1),
		)
		frappe.db.set_value("Referral Access Token", {"token_hash": token_hash(revoked)}, "revoked", 1)
		self.assertIsNone(resolve_token(expired))
		self.assertIsNone(resolve_token(revoked))
		self.assertIsNone(resolve_token("x" * 22))
		self.assertIsNone(resolve_token(None))
		self.assertEqual(resolve_token(fine).referral, referral.name)
		consent = frappe.get_last_doc("Consent", filters={"beneficiary": referral.beneficiary})
		consent.purposes[0].withdrawn_on = today()
		consent.save(ignore_permissions=True)
		self.assertIsNone(resolve_token(fine))

	def test_partner_user_sees_only_its_organisations_open_referrals(self):
		user = make_partner_user(PARTNER)
		mine = self.sent_referral()
		theirs = self.sent_referral(organisation=OTHER)
		self.assertIn(mine.name, [row.name for row in partner_referrals(user)])
		self.assertNotIn(theirs.name, [row.name for row in partner_referrals(user)])
		frappe.set_user(user)
		self.assertIsNone(resolve_login(theirs.name))
		self.assertFalse(frappe.has_permission("Referral", "read", doc=mine.name))
		self.assertEqual(frappe.get_list("Referral", pluck="name"), [])
		answers.answer(resolve_login(mine.name), answers.ACCEPT)
		frappe.set_user("Administrator")
		mine.reload()
		self.assertEqual((mine.status, mine.outcome), ("Acknowledged", "Accepted"))
		self.assertEqual(
			frappe.db.get_value("Referral Response", {"referral": mine.name}, "responded_by"), user
		)

	def test_partner_role_never_has_the_desk(self):
		from kentro_koinotitas.setup.roles import PARTNER as PARTNER_ROLE
		from kentro_koinotitas.setup.roles import install_roles

		frappe.db.set_value("Role", PARTNER_ROLE, "desk_access", 1)  # as Frappe's DocType sync creates it
		install_roles()
		self.assertEqual(frappe.db.get_value("Role", PARTNER_ROLE, "desk_access"), 0)
		user = make_partner_user(PARTNER)
		self.assertEqual(frappe.db.get_value("User", user, "user_type"), "Website User")

	def test_a_desk_user_given_the_partner_role_gets_no_sign_in_link(self):
		"""The e-mail link skips the second factor: only website users are partners."""
		from kentro_koinotitas.partners.login import send_link
		from kentro_koinotitas.setup.roles import PARTNER as PARTNER_ROLE

		staff = make_user_with_roles("Social Worker", PARTNER_ROLE)
		self.assertEqual(frappe.db.get_value("User", staff, "user_type"), "System User")
		self.assertFalse(is_partner_user(staff))
		ensure_email_account()
		before = frappe.db.count("Email Queue")
		send_link(staff)
		self.assertEqual(frappe.db.count("Email Queue"), before)
		partner_user = make_partner_user(PARTNER)
		self.assertTrue(is_partner_user(partner_user))
		send_link(partner_user)  # the same call sends a partner its link
		self.assertEqual(frappe.db.count("Email Queue"), before + 1)
