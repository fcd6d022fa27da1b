"""Sites installed before the special-category flag existed: mark the shipped health and disability purpose."""

import frappe

PURPOSE = "Επεξεργασία δεδομένων υγείας και αναπηρίας"


def execute():
	if frappe.db.exists("Consent Purpose", PURPOSE):
		frappe.db.set_value("Consent Purpose", PURPOSE, "covers_special_category", 1, update_modified=False)
