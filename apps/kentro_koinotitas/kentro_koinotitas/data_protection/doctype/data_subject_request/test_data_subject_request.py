# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate, today

from kentro_koinotitas.data_protection import deadlines
from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER
from kentro_koinotitas.tests.factories import make_beneficiary, make_subject_request, make_user_with_roles


def _saved(name: str, **values):
	"""Load the request, change it and save it (as the form does)."""
	doc = frappe.get_doc("Data Subject Request", name)
	doc.update(values)
	return doc.save()


class TestDataSubjectRequest(FrappeTestCase):
	def test_due_date_is_one_month_and_three_when_extended_with_a_reason(self):
		request = make_subject_request(make_beneficiary().name, status="Received", received_on="2026-01-31")
		self.assertEqual(getdate(request.due_date), getdate("2026-02-28"))
		self.assertRaises(frappe.ValidationError, _saved, request.name, extended=1)
		_saved(request.name, extended=1, extension_reason="Πολλά και σύνθετα αιτήματα")
		self.assertEqual(
			getdate(frappe.db.get_value(request.doctype, request.name, "due_date")), getdate("2026-04-30")
		)
		self.assertRaises(frappe.ValidationError, _saved, request.name, extended=0)

	def test_a_requester_outside_the_registry_needs_a_name(self):
		with self.assertRaises(frappe.ValidationError):
			make_subject_request(None, request_type="Access (Art. 15)", status="Received")
		request = make_subject_request(
			None, request_type="Access (Art. 15)", status="Received", requester_name="Πολίτης Εκτός Μητρώου"
		)
		self.assertEqual(request.due_date, add_months(getdate(today()), 1))

	def test_refusal_needs_legal_basis_and_exemption_needs_reason(self):
		request = make_subject_request(
			make_beneficiary().name, request_type="Access (Art. 15)", status="Received"
		)
		self.assertRaises(frappe.ValidationError, _saved, request.name, decision="Refused")
		_saved(request.name, decision="Refused", refusal_legal_basis="Άρθρο 12 παρ. 5 ΓΚΠΔ: προδήλως αβάσιμο")
		self.assertRaises(frappe.ValidationError, _saved, request.name, exempt_psychological_notes=1)
		_saved(
			request.name, exempt_psychological_notes=1, exemption_reason="Κίνδυνος σοβαρής βλάβης της υγείας"
		)
		objection = make_subject_request(make_beneficiary().name, request_type="Objection (Art. 21)")
		self.assertRaises(
			frappe.ValidationError, _saved, objection.name, exempt_psychological_notes=1, exemption_reason="—"
		)

	def test_the_workflow_is_the_officers_alone(self):
		workflow = frappe.get_doc("Workflow", "Data Subject Request Workflow")
		self.assertEqual({t.allowed for t in workflow.transitions}, {DATA_PROTECTION_OFFICER})
		self.assertEqual({s.allow_edit for s in workflow.states}, {DATA_PROTECTION_OFFICER})
		roles = {p.role for p in frappe.get_meta("Data Subject Request").permissions}
		self.assertEqual(roles, {DATA_PROTECTION_OFFICER, "System Manager"})
		self.assertFalse(
			frappe.has_permission("Data Subject Request", "read", user=make_user_with_roles("Coordinator"))
		)

	def test_overdue_requests_alert_every_officer_once_a_day(self):
		officers = [make_user_with_roles(DATA_PROTECTION_OFFICER) for _i in range(2)]
		frappe.db.set_value("User", officers[1], "enabled", 0)
		late = make_subject_request(make_beneficiary().name, received_on=add_days(today(), -40))
		near = make_subject_request(make_beneficiary().name, received_on=add_days(add_months(today(), -1), 2))
		far = make_subject_request(make_beneficiary().name, received_on=today())
		done = make_subject_request(
			make_beneficiary().name, received_on=add_days(today(), -40), status="Completed"
		)
		deadlines.notify_due_requests()
		deadlines.notify_due_requests()
		notified = set(
			frappe.get_all(
				"Notification Log",
				filters={"for_user": officers[0], "document_type": "Data Subject Request"},
				pluck="document_name",
			)
		)
		self.assertIn(late.name, notified)
		self.assertIn(near.name, notified)
		self.assertNotIn(far.name, notified)
		self.assertNotIn(done.name, notified)
		self.assertEqual(
			frappe.db.count("Notification Log", {"for_user": officers[0], "document_name": late.name}), 1
		)
		self.assertFalse(frappe.db.exists("Notification Log", {"for_user": officers[1]}))

	def test_the_response_letter_prints_in_greek(self):
		request = make_subject_request(
			make_beneficiary(first_name="Ελένη", last_name="Αιτούσα").name,
			request_type="Erasure (Art. 17)",
			status="Refused",
			decision="Refused",
			refusal_legal_basis="Άρθρο 17 παρ. 3 στοιχ. ε΄ ΓΚΠΔ",
		)
		html = frappe.get_print(request.doctype, request.name, print_format="Απάντηση σε Αίτημα Υποκειμένου")
		for text in (
			"ΑΠΑΝΤΗΣΗ ΣΕ ΑΙΤΗΜΑ",
			"Αιτούσα Ελένη",
			"Διαγραφή (άρθρο 17)",
			"Άρθρο 17 παρ. 3",
			"www.dpa.gr",
		):
			self.assertIn(text, html)
