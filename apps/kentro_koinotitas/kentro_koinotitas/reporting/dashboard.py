"""Numbers and charts of the workspace «Κέντρο Κοινότητας», counted over the centres the user may see."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, getdate, today

from kentro_koinotitas.access.centres import readable_centres

CHART_MONTHS = 12


@frappe.whitelist()
@frappe.read_only()
def overdue_items_count(filters: str | dict | None = None) -> int:
	"""Number Card «Overdue Items»: overdue steps, follow-ups, renewals and unacknowledged referrals."""
	from kentro_koinotitas.reporting.report.open_referrals_and_overdue_items.open_referrals_and_overdue_items import (
		overdue_items,
	)

	return len(overdue_items(set(readable_centres()), getdate(today()), include_referrals=True))


def _scope(filters) -> dict:
	filters = frappe._dict(frappe.parse_json(filters) if isinstance(filters, str) else filters or {})
	first_month = get_first_day(add_months(getdate(today()), -(CHART_MONTHS - 1)))
	return {"centres": tuple(readable_centres(filters.get("centre"))) or ("",), "from_date": first_month}


def chart_source(compute):
	"""The `get` of a Dashboard Chart Source: counted per request for the user's own centres (Frappe's
	`cache_source` would share one cached result between users of different centres)."""

	@frappe.whitelist()
	@frappe.read_only()
	def get(
		chart_name: str | None = None,
		chart: str | dict | None = None,
		no_cache: int | str | None = None,
		filters: str | dict | None = None,
		from_date: str | None = None,
		to_date: str | None = None,
		timespan: str | None = None,
		time_interval: str | None = None,
		heatmap_year: int | str | None = None,
	) -> dict:
		return compute(filters)

	return get


def requests_by_category(filters=None) -> dict:
	"""Requests of the cases opened in the last twelve months, per request category."""
	rows = frappe.db.sql(
		"""select r.request_category, count(*) as requests
		from `tabCase Request` r join `tabCase` c on c.name = r.parent
		where r.parenttype = 'Case' and c.centre in %(centres)s and c.opened_on >= %(from_date)s
		group by r.request_category order by requests desc, r.request_category""",
		_scope(filters),
	)
	return {
		"labels": [category or _("Not recorded") for category, _count in rows],
		"datasets": [{"name": _("Requests"), "values": [count for _category, count in rows]}],
	}


def services_by_axis(filters=None) -> dict:
	"""Service deliveries per month over the last twelve months, one series per axis."""
	scope = _scope(filters)
	rows = frappe.db.sql(
		"""select date_format(delivery_datetime, '%%Y-%%m') as month, axis, count(*)
		from `tabService Delivery`
		where centre in %(centres)s and delivery_datetime >= %(from_date)s
		group by month, axis""",
		scope,
	)
	months = [add_months(scope["from_date"], i) for i in range(CHART_MONTHS)]
	keys = [f"{m.year}-{m.month:02d}" for m in months]
	counts: dict[str, dict[str, int]] = defaultdict(dict)
	for month, axis, count in rows:
		counts[axis or ""][month] = int(count)
	axes = [a for a in frappe.get_meta("Service").get_field("axis").options.split("\n") if a]
	axes += [a for a in counts if a not in axes]  # an axis renamed by IT still shows
	return {
		"labels": [f"{m.month:02d}-{m.year}" for m in months],
		"datasets": [
			{"name": _(axis) if axis else _("Not recorded"), "values": [counts[axis].get(k, 0) for k in keys]}
			for axis in axes
		],
	}


@frappe.whitelist()
@frappe.read_only()
def my_overdue_steps_count(filters: str | dict | None = None) -> int:
	"""Number Card «My Overdue Steps»: open action-plan steps past their due date that the current user
	answers for (the step's responsible, else the case's worker), in the centres the user may read."""
	from kentro_koinotitas.casework.overdue import OPEN_STEP_STATUSES

	centres = tuple(readable_centres()) or ("",)
	user = frappe.session.user
	return frappe.db.sql(
		"""select count(*) from `tabCase Action Step` step join `tabCase` c on c.name = step.parent
		where step.parenttype = 'Case' and step.due_date < %(today)s and step.status in %(open)s
		and c.status != 'Closed' and c.centre in %(centres)s
		and coalesce(nullif(step.responsible, ''), nullif(c.assigned_to, ''), c.owner) = %(user)s""",
		{"today": getdate(today()), "open": OPEN_STEP_STATUSES, "centres": centres, "user": user},
	)[0][0]


INDICATORS_BY_CENTRE = (
	# (label, DocType, centre field, filters)
	("Active cases", "Case", "centre", {"status": ("!=", "Closed")}),
	("Referrals", "Referral", "from_centre", {"status": ("in", ("Pending Approval", "Sent"))}),
	("Beneficiaries", "Beneficiary", "home_centre", {"status": "Active"}),
)


def indicators_by_centre(filters=None) -> dict:
	"""Active cases, open referrals and active beneficiaries of each centre the user may read, side by
	side (a centre's branches count under their own name). Short series names: the chart's legend has a
	fixed width."""
	centres = readable_centres()
	datasets = []
	for label, doctype, field, conditions in INDICATORS_BY_CENTRE:
		counts = dict(
			frappe.get_all(
				doctype,
				filters={**conditions, field: ("in", centres or [""])},
				fields=[field, "count(*) as n"],
				group_by=field,
				as_list=True,
			)
		)
		datasets.append({"name": _(label), "values": [counts.get(centre, 0) for centre in centres]})
	return {"labels": centres, "datasets": datasets}
