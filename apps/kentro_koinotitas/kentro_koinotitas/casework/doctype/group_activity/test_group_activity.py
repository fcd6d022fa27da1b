# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.tests.factories import make_beneficiary, make_centre


def activity(**fields):
	return frappe.get_doc(
		{
			"doctype": "Group Activity",
			"title": "Εργαστήρι ζωγραφικής",
			"service": "Δημιουργική απασχόληση παιδιών",
			"centre": make_centre(),
			"start_date": "2026-03-02",
			"end_date": "2026-03-30",
			**fields,
		}
	).insert()


class TestGroupActivity(FrappeTestCase):
	def test_participants_and_attendance(self):
		a, b = (
			make_beneficiary(date_of_birth="2015-01-01"),
			make_beneficiary(first_name="Νεφέλη", date_of_birth="2016-01-01", gender="Female"),
		)
		doc = activity(
			participants=[{"beneficiary": a.name}, {"beneficiary": b.name}],
			unregistered_attendees=4,
			attendance=[
				{"session_date": "2026-03-02", "beneficiary": a.name, "present": 1},
				{"session_date": "2026-03-02", "beneficiary": b.name, "present": 0},
			],
		)
		self.assertEqual(doc.participant_count, 2)

	def test_rules(self):
		person = make_beneficiary()
		stranger = make_beneficiary(first_name="Ξένος")
		with self.assertRaises(frappe.ValidationError):
			activity(end_date="2026-02-01")
		with self.assertRaises(frappe.ValidationError):
			activity(participants=[{"beneficiary": person.name}, {"beneficiary": person.name}])
		with self.assertRaises(frappe.ValidationError):
			activity(
				participants=[{"beneficiary": person.name}],
				attendance=[{"session_date": "2026-03-03", "beneficiary": stranger.name}],
			)
		with self.assertRaises(frappe.ValidationError):
			activity(
				participants=[{"beneficiary": person.name}],
				attendance=[{"session_date": "2026-04-03", "beneficiary": person.name}],
			)
