# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""What waits on whom, and for how long: referrals not yet acknowledged and the overdue items of the
daily check (action-plan steps, follow-ups, programme renewals)."""

import frappe
from frappe import _
from frappe.utils import date_diff, getdate, today

from kentro_koinotitas.access.centres import readable_centres
from kentro_koinotitas.casework.overdue import find_overdue_items

OPEN_REFERRAL_STATUSES = ("Pending Approval", "Sent")
CENTRE_FIELDS = {"Case": "centre", "Programme Application": "centre", "Referral": "from_centre"}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	centres = set(readable_centres(filters.get("centre")))
	on = getdate(today())
	rows = open_referrals(centres, on) + overdue_items(centres, on)
	rows.sort(key=lambda r: (-(r["days_waiting"] or 0), r["reference_name"]))
	return columns(), rows


def columns() -> list[dict]:
	return [
		{"fieldname": "item", "label": _("Item"), "fieldtype": "Data", "width": 230},
		# the DocType as stored, the target of the Dynamic Link (hidden), and its name in the user's language
		{"fieldname": "reference_doctype", "label": _("Record type"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "record_type", "label": _("Record type"), "fieldtype": "Data", "width": 130},
		{
			"fieldname": "reference_name",
			"label": _("Record"),
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 150,
		},
		{"fieldname": "beneficiary_name", "label": _("Beneficiary"), "fieldtype": "Data", "width": 180},
		{"fieldname": "centre", "label": _("Community Centre"), "fieldtype": "Data", "width": 200},
		{"fieldname": "waiting_on", "label": _("Waiting on"), "fieldtype": "Data", "width": 220},
		{"fieldname": "since", "label": _("Since"), "fieldtype": "Date", "width": 100},
		{"fieldname": "days_waiting", "label": _("Days waiting"), "fieldtype": "Int", "width": 100},
	]


def open_referrals(centres: set[str], on) -> list[dict]:
	if not centres:
		return []
	rows = frappe.get_all(
		"Referral",
		filters={"status": ("in", OPEN_REFERRAL_STATUSES), "from_centre": ("in", list(centres))},
		fields=[
			"name",
			"status",
			"beneficiary_name",
			"from_centre",
			"partner_organisation",
			"welfare_programme",
			"internal_service",
			"sent_on",
			"creation",
		],
	)
	items = []
	for r in rows:
		pending = r.status == "Pending Approval"
		since = getdate(r.creation) if pending or not r.sent_on else getdate(r.sent_on)
		items.append(
			{
				"item": _("Referral awaiting approval")
				if pending
				else _("Referral awaiting acknowledgement"),
				"reference_doctype": "Referral",
				"record_type": _("Referral"),
				"reference_name": r.name,
				"beneficiary_name": r.beneficiary_name,
				"centre": r.from_centre,
				"waiting_on": _("Coordinator")
				if pending
				else (r.partner_organisation or r.welfare_programme or r.internal_service),
				"since": since,
				"days_waiting": date_diff(on, since),
			}
		)
	return items


def overdue_items(centres: set[str], on, include_referrals: bool = False) -> list[dict]:
	"""The daily check's overdue items in the given centres (referrals only when asked: the report lists
	every open referral on its own)."""
	items = [i for i in find_overdue_items(on) if include_referrals or i["doctype"] != "Referral"]
	details: dict[tuple[str, str], dict] = {}
	for doctype in {i["doctype"] for i in items}:
		names = [i["name"] for i in items if i["doctype"] == doctype]
		for row in frappe.get_all(
			doctype,
			filters={"name": ("in", names)},
			fields=["name", "beneficiary_name", f"{CENTRE_FIELDS[doctype]} as centre"],
		):
			details[(doctype, row.name)] = row
	users = dict(frappe.get_all("User", fields=["name", "full_name"], as_list=True))
	rows = []
	for item in items:
		record = details.get((item["doctype"], item["name"]))
		if not record or record.centre not in centres:
			continue
		since = getdate(item["date"]) if item.get("date") else None
		rows.append(
			{
				"item": item["description"],
				"reference_doctype": item["doctype"],
				"record_type": _(item["doctype"]),
				"reference_name": item["name"],
				"beneficiary_name": record.beneficiary_name,
				"centre": record.centre,
				"waiting_on": users.get(item["user"]) or item["user"],
				"since": since,
				"days_waiting": date_diff(on, since) if since else None,
			}
		)
	return rows
