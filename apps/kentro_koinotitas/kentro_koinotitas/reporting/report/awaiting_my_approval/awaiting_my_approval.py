# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe import _

from kentro_koinotitas.access.workflow import awaiting_my_approval


def execute(filters: dict | None = None):
	"""Cases and referrals waiting for the current user's approval, in the centres the user sees."""
	columns = [
		# Data, not a Link to DocType: staff cannot read DocType records, and query reports check Link columns
		{"fieldname": "doctype", "label": _("Document Type"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "document_type", "label": _("Document Type"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "name",
			"label": _("Document"),
			"fieldtype": "Dynamic Link",
			"options": "doctype",
			"width": 170,
		},
		{"fieldname": "beneficiary_name", "label": _("Beneficiary Name"), "fieldtype": "Data", "width": 220},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 220},
		{"fieldname": "modified", "label": _("Waiting Since"), "fieldtype": "Datetime", "width": 170},
	]
	rows = [
		{**row, "document_type": _(row["doctype"]), "status": _(row["status"])}
		for row in awaiting_my_approval()
	]
	return columns, rows
