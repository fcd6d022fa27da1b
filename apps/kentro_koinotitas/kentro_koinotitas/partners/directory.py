"""Partners keep their directory entry current: a partner user proposes changes to its organisation's
services, hours, eligibility, capacity and contact details (the Open Referral HSDS organization, service,
schedule and contact fields) from the portal (`www/partner/directory.py`); a coordinator approves or
rejects them (Partner Directory Change). Nothing reaches the Partner Organisation before approval, and
the partner cannot touch the fields outside this list (its contacts and portal users, its type, whether
it accepts referrals).
"""

import json

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import get_time, now_datetime, today, validate_email_address
from frappe.utils.user import get_users_with_role

from kentro_koinotitas.access import partners as partner_access
from kentro_koinotitas.setup.roles import COORDINATOR

# what users read, stored (timeline, notifications) or shown outside the desk, is Greek
STORED = "el"

CHANGE = "Partner Directory Change"
ORGANISATION_FIELDS = {
	"phone": 40,
	"email": 140,
	"website": 200,
	"address_line": 140,
	"postal_code": 10,
	"city": 80,
	"description": 2000,
	"eligibility": 2000,
	"capacity_status": 20,
	"capacity_note": 500,
}
CAPACITY = ("", "Available", "Limited", "Full")
SERVICE_FIELDS = {"service_name": 140, "description": 2000, "eligibility": 2000, "required_documents": 2000}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_ROWS = 30


class DirectoryChangeError(frappe.ValidationError):
	pass


def _fail(message: str):
	frappe.throw(message, DirectoryChangeError, title=_("The changes were not sent", lang=STORED))


def current_entry(organisation: str) -> dict:
	org = frappe.get_doc("Partner Organisation", organisation)
	return {
		**{field: org.get(field) or "" for field in ORGANISATION_FIELDS},
		"services": [{field: row.get(field) or "" for field in SERVICE_FIELDS} for row in org.services],
		"opening_hours": [
			{
				"day_of_week": row.day_of_week,
				"from_time": _time(row.from_time),
				"to_time": _time(row.to_time),
			}
			for row in org.opening_hours
		],
	}


def _time(value) -> str:
	return get_time(value).strftime("%H:%M") if value else ""


def clean_proposal(proposal: dict) -> dict:
	"""The proposal's known fields, checked; unknown keys are dropped."""
	clean = {}
	for field, limit in ORGANISATION_FIELDS.items():
		if field not in proposal:
			continue
		value = str(proposal.get(field) or "").strip()
		if len(value) > limit:
			_fail(
				_("{0}: at most {1} characters.", lang=STORED).format(
					_(field.replace("_", " ").title()), limit
				)
			)
		clean[field] = value
	if clean.get("email"):
		validate_email_address(clean["email"], throw=True)
	if clean.get("capacity_status") not in (None, *CAPACITY):
		_fail(_("Choose the capacity from the list.", lang=STORED))
	if "services" in proposal:
		services = []
		for row in (proposal.get("services") or [])[:MAX_ROWS]:
			item = {
				field: str(row.get(field) or "").strip()[:limit] for field, limit in SERVICE_FIELDS.items()
			}
			if item["service_name"]:
				services.append(item)
			elif any(item.values()):
				_fail(_("Every service needs a name.", lang=STORED))
		clean["services"] = services
	if "opening_hours" in proposal:
		hours = []
		for row in (proposal.get("opening_hours") or [])[:MAX_ROWS]:
			day, start, end = row.get("day_of_week"), row.get("from_time"), row.get("to_time")
			if not (day or start or end):
				continue
			if day not in DAYS:
				_fail(_("Choose the day of the opening hours from the list.", lang=STORED))
			try:
				start_time, end_time = get_time(start), get_time(end)
			except Exception:
				_fail(_("Write the opening hours as HH:MM.", lang=STORED))
			if start_time >= end_time:
				_fail(_("The closing time must be after the opening time.", lang=STORED))
			hours.append(
				{
					"day_of_week": day,
					"from_time": start_time.strftime("%H:%M"),
					"to_time": end_time.strftime("%H:%M"),
				}
			)
		clean["opening_hours"] = hours
	return clean


def propose(organisation: str, proposal: dict) -> str | None:
	"""A partner user's proposal for its organisation; returns the change request's name (None when
	nothing changed)."""
	if not partner_access.can_edit_directory(organisation):
		raise frappe.PermissionError
	clean = clean_proposal(proposal)
	current = current_entry(organisation)
	changed = {key: value for key, value in clean.items() if value != current.get(key)}
	if not changed:
		return None
	doc = frappe.get_doc(
		{
			"doctype": CHANGE,
			"partner_organisation": organisation,
			"status": "Pending",
			"requested_by": frappe.session.user,
			"requested_on": now_datetime(),
			"proposed_changes": json.dumps(changed, ensure_ascii=False, indent=1, sort_keys=True),
		}
	).insert(ignore_permissions=True)
	coordinators = [user for user in get_users_with_role(COORDINATOR) if user != "Administrator"]
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": CHANGE,
			"document_name": doc.name,
			"subject": _("{0} proposed changes to its directory entry", lang=STORED).format(organisation),
			"from_user": "Administrator",
		},
		coordinators,
	)
	return doc.name


def describe(doc) -> list[dict]:
	"""(field, current value, proposed value) for the coordinator's form."""
	changes = json.loads(doc.proposed_changes or "{}")
	current = (
		current_entry(doc.partner_organisation)
		if frappe.db.exists("Partner Organisation", doc.partner_organisation)
		else {}
	)
	return [{"field": key, "current": current.get(key), "proposed": value} for key, value in changes.items()]


def _decidable(name: str):
	doc = frappe.get_doc(CHANGE, name)
	doc.check_permission("write")
	frappe.has_permission("Partner Organisation", "write", doc=doc.partner_organisation, throw=True)
	if doc.status != "Pending":
		frappe.throw(_("This change request has already been decided.", lang=STORED))
	return doc


@frappe.whitelist(methods=["POST"])
def approve(name: str, note: str | None = None) -> str:
	"""Apply the proposed changes to the Partner Organisation (a coordinator)."""
	doc = _decidable(name)
	changes = clean_proposal(json.loads(doc.proposed_changes or "{}"))
	org = frappe.get_doc("Partner Organisation", doc.partner_organisation)
	for field in ORGANISATION_FIELDS:
		if field in changes:
			org.set(field, changes[field])
	for table in ("services", "opening_hours"):
		if table in changes:
			org.set(table, [])
			for row in changes[table]:
				org.append(table, row)
	org.last_verified_on = today()
	org.save()
	_decide(doc, "Approved", note)
	return org.name


@frappe.whitelist(methods=["POST"])
def reject(name: str, note: str | None = None) -> None:
	doc = _decidable(name)
	_decide(doc, "Rejected", note)


def _decide(doc, status: str, note: str | None) -> None:
	doc.db_set(
		{
			"status": status,
			"decided_by": frappe.session.user,
			"decided_on": now_datetime(),
			"decision_note": (note or "").strip()[:2000] or None,
		}
	)
	doc.add_comment("Info", _(status))
