"""Shared checks for the masters a municipality extends from the desk."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.setup.install import install_default_records


class MasterTestCase(FrappeTestCase):
	"""Subclasses set the DocType, its key field, how many Greek defaults ship and one of them."""

	doctype: str
	key: str
	minimum: int
	sample: str
	extra_fields: dict = {}

	def test_greek_defaults_are_shipped_and_reinstall_is_idempotent(self):
		names = frappe.get_all(self.doctype, pluck="name")
		self.assertGreaterEqual(len(names), self.minimum)
		self.assertIn(self.sample, names)
		install_default_records()
		self.assertEqual(frappe.db.count(self.doctype), len(names))

	def test_a_municipality_adds_its_own_value(self):
		record = {"doctype": self.doctype, self.key: "Τιμή του Δήμου", **self.extra_fields}
		doc = frappe.get_doc(record).insert()
		self.assertEqual(doc.name, "Τιμή του Δήμου")
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(dict(record)).insert()
