"""Scheduled Job Types whose clock lies in the future.

Frappe creates its Scheduled Job Types while installing itself, before this app sets Athens time: their
`creation` is written in Frappe's default zone (Asia/Kolkata), hours ahead of Athens. A job that never ran
is due one interval after its `creation` (`ScheduledJobType.get_next_execution`), so none of Frappe's jobs
ran for the first hours of a new site: no global search (the awesome bar finds no one), no e-mail queue,
no daily checks. Bringing every future `creation` and `last_execution` back to now lets each job run at its
next regular time.
"""

import frappe
from frappe.utils import now_datetime


def realign_scheduled_jobs() -> int:
	"""Move future `creation`/`last_execution` of Scheduled Job Types to now; return how many rows changed."""
	now = now_datetime()
	table = frappe.qb.DocType("Scheduled Job Type")
	changed = 0
	for field in ("creation", "last_execution"):
		names = frappe.get_all("Scheduled Job Type", filters={field: (">", now)}, pluck="name")
		if names:
			frappe.qb.update(table).set(table[field], now).where(table.name.isin(names)).run()
			changed += len(names)
	return changed
