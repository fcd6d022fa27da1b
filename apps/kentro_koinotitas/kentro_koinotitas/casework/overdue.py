"""The daily look for overdue work: action-plan steps, follow-ups, programme renewals and referrals the
agency has not acknowledged. Each becomes a ToDo for the responsible user, once."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Max
from frappe.utils import add_days, getdate, today

UNACKNOWLEDGED_AFTER_DAYS = 7
OPEN_STEP_STATUSES = ("Planned", "In progress")


def notify_overdue_items() -> int:
	"""Scheduled daily (hooks.py). Returns how many ToDos it created."""
	created = 0
	for item in find_overdue_items():
		created += _assign_once(**item)
	return created


def find_overdue_items(on: str | None = None) -> list[dict]:
	on = getdate(on or today())
	return [
		*_overdue_action_steps(on),
		*_overdue_follow_ups(on),
		*_due_renewals(on),
		*_unacknowledged_referrals(on),
	]


def _overdue_action_steps(on) -> list[dict]:
	case, step = DocType("Case"), DocType("Case Action Step")
	rows = (
		frappe.qb.from_(step)
		.join(case)
		.on(step.parent == case.name)
		.select(case.name, case.assigned_to, case.owner, step.responsible, step.goal, step.due_date)
		.where(
			(step.parenttype == "Case")
			& (step.due_date < on)
			& step.status.isin(OPEN_STEP_STATUSES)
			& (case.status != "Closed")
		)
		.run(as_dict=True)
	)
	return [
		{
			"doctype": "Case",
			"name": r.name,
			"user": r.responsible or r.assigned_to or r.owner,
			"description": _("Overdue action-plan step of case {0} (due {1})").format(
				r.name, frappe.format(r.due_date, "Date")
			),
			"date": r.due_date,
		}
		for r in rows
	]


def _overdue_follow_ups(on) -> list[dict]:
	case, follow_up = DocType("Case"), DocType("Case Follow Up")
	latest = (
		frappe.qb.from_(follow_up)
		.select(follow_up.parent, Max(follow_up.follow_up_date).as_("last_date"))
		.where(follow_up.parenttype == "Case")
		.groupby(follow_up.parent)
	)
	rows = (
		frappe.qb.from_(follow_up)
		.join(case)
		.on(follow_up.parent == case.name)
		.join(latest)
		.on((latest.parent == follow_up.parent) & (latest.last_date == follow_up.follow_up_date))
		.select(case.name, case.assigned_to, case.owner, follow_up.next_follow_up)
		.where((follow_up.parenttype == "Case") & (follow_up.next_follow_up < on) & (case.status != "Closed"))
		.run(as_dict=True)
	)
	return [
		{
			"doctype": "Case",
			"name": r.name,
			"user": r.assigned_to or r.owner,
			"description": _("Follow-up of case {0} was due on {1}").format(
				r.name, frappe.format(r.next_follow_up, "Date")
			),
			"date": r.next_follow_up,
		}
		for r in rows
	]


def _due_renewals(on) -> list[dict]:
	rows = frappe.get_all(
		"Programme Application",
		filters={"status": "Approved", "renewal_due_date": ("<=", on)},
		fields=["name", "programme", "renewal_due_date", "owner", "case"],
	)
	assignees = _case_assignees([r.case for r in rows if r.case])
	return [
		{
			"doctype": "Programme Application",
			"name": r.name,
			"user": assignees.get(r.case) or r.owner,
			"description": _("Renewal of programme application {0} ({1}) is due since {2}").format(
				r.name, r.programme, frappe.format(r.renewal_due_date, "Date")
			),
			"date": r.renewal_due_date,
		}
		for r in rows
	]


def _unacknowledged_referrals(on) -> list[dict]:
	rows = frappe.get_all(
		"Referral",
		filters={"status": "Sent", "acknowledged_on": ("is", "not set")},
		fields=[
			"name",
			"partner_organisation",
			"welfare_programme",
			"sent_on",
			"due_by",
			"owner",
		],
	)
	items = []
	for r in rows:
		late_by_age = r.sent_on and getdate(r.sent_on) <= getdate(add_days(on, -UNACKNOWLEDGED_AFTER_DAYS))
		late_by_due = r.due_by and getdate(r.due_by) < on
		if late_by_age or late_by_due:
			items.append(
				{
					"doctype": "Referral",
					"name": r.name,
					"user": r.owner,
					"description": _("Referral {0} to {1} has not been acknowledged").format(
						r.name, r.partner_organisation or r.welfare_programme or ""
					),
					"date": r.due_by or r.sent_on,
				}
			)
	return items


def _case_assignees(cases: list[str]) -> dict[str, str]:
	if not cases:
		return {}
	return dict(
		frappe.get_all("Case", filters={"name": ("in", cases)}, fields=["name", "assigned_to"], as_list=True)
	)


def _assign_once(doctype: str, name: str, user: str, description: str, date=None) -> int:
	"""A ToDo for the user, once, and only if the user may read the record (a step's responsible person
	may have moved to another centre). Its text names the record, never the person or free text."""
	if not user or user == "Guest" or not frappe.has_permission(doctype, "read", doc=name, user=user):
		return 0
	if frappe.db.exists(
		"ToDo",
		{
			"reference_type": doctype,
			"reference_name": name,
			"allocated_to": user,
			"description": description,
			"status": "Open",
		},
	):
		return 0
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"reference_type": doctype,
			"reference_name": name,
			"description": description,
			"date": date,
			"priority": "High",
			"assigned_by": "Administrator",
		}
	).insert(ignore_permissions=True)
	return 1
