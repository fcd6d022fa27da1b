"""Service levels of a referral to a partner organisation.

- **Acknowledgement due** `acknowledgement_days` working days after sending (per Partner Organisation
  Type, default 5). Working days exclude weekends and Greek public holidays, from the maintained
  `holidays` package (country GR: Orthodox Easter, Whit Monday, 28 October...).
- **Reminder** to the partner (a new link by e-mail) the first day after the due date without an
  acknowledgement.
- **Escalation** to the referring centre's coordinators (desk notification) `ESCALATE_AFTER` working
  days after the due date.
- **Expiry**: `expiry_days` calendar days after sending (per type, default 30) a referral still
  unanswered (status Sent) moves to «Έληξε» through the workflow, and its links end.

`run_daily` is the scheduled job (hooks.py); `on_referral_update` sets the due date and sends the link
when a referral is sent.
"""

from datetime import date, timedelta
from functools import lru_cache

import frappe
import holidays
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import add_days, getdate, today
from frappe.utils.user import get_users_with_role

from kentro_koinotitas.access.centres import can_read_centre
from kentro_koinotitas.access.workflow import transition_to_status
from kentro_koinotitas.partners import tokens
from kentro_koinotitas.setup.roles import COORDINATOR

# what users read, stored (timeline, notifications) or shown outside the desk, is Greek
STORED = "el"

DEFAULT_ACKNOWLEDGEMENT_DAYS = 5
DEFAULT_EXPIRY_DAYS = 30
ESCALATE_AFTER = 2  # working days after the acknowledgement was due


@lru_cache(maxsize=16)
def greek_holidays(year: int) -> frozenset[date]:
	return frozenset(holidays.country_holidays("GR", years=year))


def is_working_day(day: date) -> bool:
	return day.weekday() < 5 and day not in greek_holidays(day.year)


def add_working_days(start, days: int) -> date:
	"""The date `days` working days after `start`."""
	day = getdate(start)
	while days > 0:
		day += timedelta(days=1)
		if is_working_day(day):
			days -= 1
	return day


def service_level(organisation: str | None) -> tuple[int, int]:
	"""(acknowledgement working days, expiry days) of the organisation's type."""
	kind = (
		frappe.db.get_value("Partner Organisation", organisation, "organisation_type")
		if organisation
		else None
	)
	row = (
		frappe.db.get_value(
			"Partner Organisation Type", kind, ["acknowledgement_days", "expiry_days"], as_dict=True
		)
		if kind
		else None
	) or frappe._dict()
	return (
		row.acknowledgement_days or DEFAULT_ACKNOWLEDGEMENT_DAYS,
		row.expiry_days or DEFAULT_EXPIRY_DAYS,
	)


def on_referral_update(doc, method=None) -> None:
	"""`on_update` of Referral: on sending, the due date and the partner's link; on closing, the links end."""
	if doc.referral_type != "External" or not doc.has_value_changed("status"):
		return
	if doc.status == "Sent":
		days, _expiry = service_level(doc.partner_organisation)
		doc.db_set("acknowledge_by", add_working_days(doc.sent_on or today(), days), update_modified=False)
		if recipient := tokens.email_link(doc):
			doc.add_comment(
				"Info", _("The partner's link was e-mailed to {0}.", lang=STORED).format(recipient)
			)
	elif doc.status in tokens.CLOSED_STATUSES:
		tokens.revoke_all(doc.name, _("The referral closed ({0}).", lang=STORED).format(_(doc.status)))


def run_daily(on=None) -> dict:
	"""Scheduled daily: reminders, escalations and expiries of unanswered referrals."""
	on = getdate(on or today())
	done = {"reminded": [], "escalated": [], "expired": []}
	for row in frappe.get_all(
		"Referral",
		filters={"status": "Sent", "referral_type": "External", "sent_on": ("is", "set")},
		fields=[
			"name",
			"partner_organisation",
			"sent_on",
			"acknowledge_by",
			"partner_reminded_on",
			"escalated_on",
		],
		order_by="sent_on asc",
	):
		days, expiry_days = service_level(row.partner_organisation)
		due = getdate(row.acknowledge_by or add_working_days(row.sent_on, days))
		if on >= getdate(add_days(row.sent_on, expiry_days)):
			expire(row.name)
			done["expired"].append(row.name)
			continue
		if on > due and not row.partner_reminded_on:
			remind(row.name, on)
			done["reminded"].append(row.name)
		if on > add_working_days(due, ESCALATE_AFTER) and not row.escalated_on:
			escalate(row.name, on)
			done["escalated"].append(row.name)
	return done


def remind(referral: str, on: date) -> None:
	doc = frappe.get_doc("Referral", referral)
	recipient = tokens.email_link(doc, channel="Reminder")
	doc.db_set("partner_reminded_on", on, update_modified=False)
	doc.add_comment(
		"Info",
		_("Reminder e-mailed to {0}: the acknowledgement was due on {1}.", lang=STORED).format(
			recipient, frappe.format(doc.acknowledge_by, "Date")
		)
		if recipient
		else _(
			"The acknowledgement was due on {0}; the partner has no e-mail for a reminder.", lang=STORED
		).format(frappe.format(doc.acknowledge_by, "Date")),
	)


def escalate(referral: str, on: date) -> None:
	"""Tell the coordinators of the referring centre (and the referring worker) that the partner has not
	acknowledged."""
	doc = frappe.get_doc("Referral", referral)
	doc.db_set("escalated_on", on, update_modified=False)
	users = {
		user
		for user in get_users_with_role(COORDINATOR)
		if can_read_centre(doc.from_centre, user) and user != "Administrator"
	}
	subject = _("Referral {0}: {1} has not acknowledged it (due {2})", lang=STORED).format(
		doc.name, doc.partner_organisation, frappe.format(doc.acknowledge_by, "Date")
	)
	doc.add_comment("Info", subject)
	if users:
		make_notification_logs(
			{
				"type": "Alert",
				"document_type": "Referral",
				"document_name": doc.name,
				"subject": subject,
				"from_user": "Administrator",
			},
			sorted(users),
		)


def expire(referral: str) -> None:
	"""«Έληξε» through the workflow; the links end (on_referral_update) and the referring worker is told."""
	doc = frappe.get_doc("Referral", referral)
	doc = transition_to_status(doc, "Expired")
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Referral",
			"document_name": doc.name,
			"subject": _("Referral {0} expired without an answer from {1}", lang=STORED).format(
				doc.name, doc.partner_organisation
			),
			"from_user": "Administrator",
		},
		[doc.owner],
	)
