"""Report periods (month, quarter, year) and the checks every indicator report applies to its filters."""

import datetime
import functools

import frappe
from frappe import _
from frappe.utils import add_days, get_first_day, getdate

from kentro_koinotitas.access.centres import readable_centres

PERIODICITIES = ("Monthly", "Quarterly", "Yearly")


def report_scope(filters: dict) -> tuple[list[str], datetime.date, datetime.date]:
	"""The centres and the date range a report covers, after checking them."""
	from_date, to_date = getdate(filters.get("from_date")), getdate(filters.get("to_date"))
	if not filters.get("from_date") or not filters.get("to_date"):
		frappe.throw(_("Choose the period of the report: a from date and a to date."))
	if from_date > to_date:
		frappe.throw(_("The from date must not be after the to date."))
	centres = readable_centres(filters.get("centre"))
	return centres, from_date, to_date


@functools.lru_cache(maxsize=8192)
def period_key(date, periodicity: str) -> str:
	"""The period a date falls in (cached: reports ask for the same few dates again and again)."""
	date = getdate(date)
	if periodicity == "Monthly":
		return f"{date.year}_{date.month:02d}"
	if periodicity == "Quarterly":
		return f"{date.year}_q{(date.month - 1) // 3 + 1}"
	return f"{date.year}"


def period_sql(column: str, periodicity: str) -> str:
	"""SQL for the period key of a date column: the same keys as `period_key`, so that a query can group
	(or keep distinct) per period itself. `%%` because the SQL is run with parameters."""
	if periodicity == "Monthly":
		return f"date_format({column}, '%%Y_%%m')"
	if periodicity == "Quarterly":
		return f"concat(year({column}), '_q', quarter({column}))"
	return f"cast(year({column}) as char)"


def period_label(key: str, periodicity: str) -> str:
	if periodicity == "Monthly":
		year, month = key.split("_")
		return f"{month}-{year}"
	if periodicity == "Quarterly":
		year, quarter = key.split("_q")
		return _("Q{0} {1}").format(quarter, year)
	return key


def periods(from_date, to_date, periodicity: str) -> list[str]:
	"""The period keys from the first to the last date, in order."""
	if periodicity not in PERIODICITIES:
		frappe.throw(_("Unknown periodicity {0}.").format(periodicity))
	keys, day = [], get_first_day(from_date)
	while day <= getdate(to_date):
		key = period_key(day, periodicity)
		if key not in keys:
			keys.append(key)
		day = add_days(get_first_day(day), 32).replace(day=1)
	return keys


def period_end(key: str, periodicity: str) -> datetime.date:
	"""The last day of a period (ages are counted on it)."""
	if periodicity == "Monthly":
		year, month = map(int, key.split("_"))
	elif periodicity == "Quarterly":
		year, quarter = key.split("_q")
		year, month = int(year), int(quarter) * 3
	else:
		year, month = int(key), 12
	return add_days(datetime.date(year + month // 12, month % 12 + 1, 1), -1)


def next_day(date) -> datetime.date:
	"""For datetime ranges: `x < next_day(to_date)` keeps the whole last day."""
	return add_days(getdate(date), 1)
