"""The daily alert of data subject requests that are overdue or due within three days: a desk
notification to every enabled Data Protection Officer, once per request and officer a day."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from kentro_koinotitas.data_protection.requests import OPEN_STATUSES
from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER

WARN_DAYS_BEFORE = 3


def notify_due_requests(on: str | None = None) -> int:
	"""Scheduled daily (hooks.py). Returns how many notifications it created."""
	on = getdate(on or today())
	officers = data_protection_officers()
	created = 0
	for request in due_requests(on):
		subject = _subject(request, on)
		for user in officers:
			created += _notify_once(user, request.name, subject, on)
	return created


def due_requests(on) -> list[frappe._dict]:
	return frappe.get_all(
		"Data Subject Request",
		filters={"status": ("in", OPEN_STATUSES), "due_date": ("<=", add_days(on, WARN_DAYS_BEFORE))},
		fields=["name", "request_type", "due_date"],
		order_by="due_date asc",
	)


def data_protection_officers() -> list[str]:
	return frappe.get_all(
		"User",
		filters={
			"enabled": 1,
			"name": (
				"in",
				frappe.get_all(
					"Has Role",
					filters={"role": DATA_PROTECTION_OFFICER, "parenttype": "User"},
					pluck="parent",
				)
				or [""],
			),
		},
		pluck="name",
		order_by="name asc",
	)


def _subject(request, on) -> str:
	"""Names the request, never the person."""
	due = frappe.format(request.due_date, "Date")
	if getdate(request.due_date) < on:
		return _("Data subject request {0} ({1}) is overdue: it was due on {2}").format(
			request.name, _(request.request_type), due
		)
	return _("Data subject request {0} ({1}) is due on {2}").format(
		request.name, _(request.request_type), due
	)


def _notify_once(user: str, request: str, subject: str, on) -> int:
	if frappe.db.exists(
		"Notification Log",
		{
			"for_user": user,
			"document_type": "Data Subject Request",
			"document_name": request,
			"creation": (">=", on),
		},
	):
		return 0
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"document_type": "Data Subject Request",
			"document_name": request,
			"subject": subject,
			"from_user": "Administrator",
		}
	).insert(ignore_permissions=True)
	return 1
