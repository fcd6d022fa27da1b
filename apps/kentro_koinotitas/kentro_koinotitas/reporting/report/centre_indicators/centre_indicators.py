# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""Centre indicators per month, quarter or year: beneficiaries, requests, services, referrals, programme
applications and group activities of the centres the user may see."""

import statistics
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import getdate

from kentro_koinotitas.reporting import esf
from kentro_koinotitas.reporting.periods import (
	next_day,
	period_end,
	period_key,
	period_label,
	period_sql,
	periods,
	report_scope,
)

COMPLETED_OUTCOMES = ("Completed successfully", "Completed unsuccessfully")
NO_VALUE = "—"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	periodicity = filters.get("periodicity") or "Quarterly"
	centres, from_date, to_date = report_scope(filters)
	keys = periods(from_date, to_date, periodicity)
	table = IndicatorTable(keys)
	scope = frappe._dict(
		centres=tuple(centres) or ("",),
		from_date=from_date,
		to_date=to_date,
		to_next=next_day(to_date),
		periodicity=periodicity,
	)
	if centres:
		add_beneficiaries(table, scope)
		add_requests(table, scope)
		add_services(table, scope)
		add_referrals(table, scope)
		add_applications(table, scope)
		add_group_activities(table, scope)
	return columns(keys, periodicity), table.rows


def columns(keys: list[str], periodicity: str) -> list[dict]:
	return [
		{"fieldname": "section", "label": _("Section"), "fieldtype": "Data", "width": 170},
		{"fieldname": "indicator", "label": _("Indicator"), "fieldtype": "Data", "width": 300},
		*(
			{
				"fieldname": f"p_{key}",
				"label": period_label(key, periodicity),
				"fieldtype": "Int",
				"width": 100,
			}
			for key in keys
		),
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 100},
	]


class IndicatorTable:
	"""Rows of (section, indicator, a value per period, total)."""

	def __init__(self, keys: list[str]):
		self.keys = keys
		self.rows: list[dict] = []

	def add(self, section: str, indicator: str, values: dict[str, float], total: float | None) -> None:
		row = {"section": section, "indicator": indicator, "total": _round(total)}
		for key in self.keys:
			row[f"p_{key}"] = _round(values.get(key, 0))
		self.rows.append(row)

	def add_counts(self, section: str, indicator: str, counts: dict[str, int]) -> None:
		self.add(section, indicator, counts, sum(counts.values()))

	def add_breakdown(self, section: str, pairs: list[tuple], label=None) -> None:
		"""One row per group from (period, group) pairs or (period, group, count) triples, groups in
		order of their total."""
		per_group: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
		for key, group, *count in pairs:
			per_group[group][key] += count[0] if count else 1
		for group in sorted(per_group, key=lambda g: (-sum(per_group[g].values()), str(g))):
			self.add_counts(section, label(group) if label else group, per_group[group])


def _round(value):
	return None if value is None else round(value)


def _label(value) -> str:
	return _(value) if value else _("Not recorded")


def add_beneficiaries(table: IndicatorTable, scope) -> None:
	periodicity = scope.periodicity
	new = frappe.db.sql(
		"""select name, registration_date as date, gender, date_of_birth
		from `tabBeneficiary`
		where home_centre in %(centres)s and registration_date between %(from_date)s and %(to_date)s""",
		scope,
		as_dict=True,
	)
	# each person once per period: the period key is computed (and kept distinct) by the query
	service_period = period_sql("sd.delivery_datetime", periodicity)
	active = frappe.db.sql(
		f"""select t.beneficiary as name, t.period, b.gender, b.date_of_birth
		from (
			select sd.beneficiary, {service_period} as period
			from `tabService Delivery` sd
			where sd.centre in %(centres)s and sd.is_group_session = 0 and sd.beneficiary is not null
				and sd.delivery_datetime >= %(from_date)s and sd.delivery_datetime < %(to_next)s
			union
			select p.beneficiary, {service_period} as period
			from `tabService Delivery Participant` p
			join `tabService Delivery` sd on sd.name = p.parent
			where p.parenttype = 'Service Delivery' and sd.centre in %(centres)s and sd.is_group_session = 1
				and sd.delivery_datetime >= %(from_date)s and sd.delivery_datetime < %(to_next)s
			union
			select c.beneficiary, {period_sql("c.opened_on", periodicity)} as period
			from `tabCase` c
			where c.centre in %(centres)s and c.opened_on between %(from_date)s and %(to_date)s
		) t
		join `tabBeneficiary` b on b.name = t.beneficiary""",
		scope,
		as_dict=True,
	)
	groups = _vulnerable_groups({row.name for row in new} | {row.name for row in active})

	section = _("New beneficiaries")
	new_pairs = [(period_key(row.date, periodicity), row) for row in new]
	table.add_counts(section, _("All new beneficiaries"), _count(key for key, _row in new_pairs))
	_person_breakdowns(table, section, [(key, row, row.date) for key, row in new_pairs], groups, False)

	# Active: distinct people per period (the query keeps them distinct), and over the whole range
	section = _("Active beneficiaries")
	per_period = _count(row.period for row in active)
	table.add(section, _("All active beneficiaries"), per_period, len({row.name for row in active}))
	ends = {key: period_end(key, periodicity) for key in per_period}
	dated = [(row.period, row, ends[row.period]) for row in active]
	_person_breakdowns(table, section, dated, groups, True)


def _person_breakdowns(table, section, dated_rows, groups, distinct_total: bool) -> None:
	"""Rows by gender, age band and vulnerable group; totals count each person once when asked."""
	genders = {g: _label(g) for g in ("Female", "Male", "Non-binary", "", None)}
	bands = {band: _("Age {0}").format(band) for band in (*esf.AGE_BANDS, NO_VALUE)}
	breakdowns = (
		(lambda row, on: genders.get(row.gender) or _label(row.gender), list(genders.values())[:3]),
		(lambda row, on: bands[esf.age_band(row.date_of_birth, on) or NO_VALUE], list(bands.values())[:4]),
	)
	for classify, order in breakdowns:
		_add_classified(
			table, section, dated_rows, lambda row, on, c=classify: [c(row, on)], order, distinct_total
		)
	_add_classified(
		table,
		section,
		dated_rows,
		lambda row, on: sorted(groups.get(row.name, ())),
		None,
		distinct_total,
	)


def _add_classified(table, section, dated_rows, classify, order, distinct_total) -> None:
	per_group: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
	people: dict[str, set[str]] = defaultdict(set)
	for key, row, on in dated_rows:
		for group in classify(row, on):
			per_group[group][key] += 1
			people[group].add(row.name)
	names = [g for g in (order or []) if g in per_group] + sorted(
		g for g in per_group if g not in (order or [])
	)
	for group in names:
		total = len(people[group]) if distinct_total else sum(per_group[group].values())
		table.add(section, group, per_group[group], total)


def _vulnerable_groups(names: set[str]) -> dict[str, set[str]]:
	groups: dict[str, set[str]] = defaultdict(set)
	names = list(names)
	for start in range(0, len(names), 5000):
		for parent, group in frappe.db.sql(
			"""select parent, vulnerable_group from `tabBeneficiary Vulnerable Group`
			where parenttype = 'Beneficiary' and parent in %(names)s""",
			{"names": tuple(names[start : start + 5000])},
		):
			groups[parent].add(group)
	return groups


def _count(keys) -> dict[str, int]:
	counts: dict[str, int] = defaultdict(int)
	for key in keys:
		counts[key] += 1
	return counts


def _grouped(sql: str, scope) -> list[tuple[str, str, int]]:
	"""(period key, group, count) from a query returning them."""
	return [(key, group, int(count)) for key, group, count in frappe.db.sql(sql, scope)]


def _count_weighted(triples) -> dict[str, int]:
	counts: dict[str, int] = defaultdict(int)
	for key, _group, count in triples:
		counts[key] += count
	return counts


def add_requests(table: IndicatorTable, scope) -> None:
	pairs = _grouped(
		f"""select {period_sql("c.opened_on", scope.periodicity)}, r.request_category, count(*)
		from `tabCase Request` r join `tabCase` c on c.name = r.parent
		where r.parenttype = 'Case' and c.centre in %(centres)s
			and c.opened_on between %(from_date)s and %(to_date)s
		group by 1, 2""",
		scope,
	)
	section = _("Requests")
	table.add_counts(section, _("All requests"), _count_weighted(pairs))
	table.add_breakdown(section, pairs)


def add_services(table: IndicatorTable, scope) -> None:
	rows = frappe.db.sql(
		f"""select {period_sql("delivery_datetime", scope.periodicity)}, axis, service, count(*)
		from `tabService Delivery`
		where centre in %(centres)s and delivery_datetime >= %(from_date)s and delivery_datetime < %(to_next)s
		group by 1, 2, 3""",
		scope,
	)
	by_axis, by_service = [], []
	for key, axis, service, count in rows:
		by_axis.append((key, axis, int(count)))
		by_service.append((key, service, int(count)))
	section = _("Services by axis")
	table.add_counts(section, _("All service deliveries"), _count_weighted(by_axis))
	table.add_breakdown(section, by_axis, label=_label)
	table.add_breakdown(_("Services"), by_service)


def add_referrals(table: IndicatorTable, scope) -> None:
	rows = frappe.db.sql(
		"""select coalesce(sent_on, date(creation)) as date, referral_type, partner_organisation,
			welfare_programme, internal_service, outcome, sent_on, acknowledged_on
		from `tabReferral`
		where from_centre in %(centres)s
			and coalesce(sent_on, date(creation)) between %(from_date)s and %(to_date)s""",
		scope,
		as_dict=True,
	)
	section = _("Referrals")
	keyed = [(period_key(row.date, scope.periodicity), row) for row in rows]
	table.add_counts(section, _("All referrals"), _count(key for key, _r in keyed))
	table.add_breakdown(
		_("Referrals by destination"),
		[
			(key, r.partner_organisation or r.welfare_programme or r.internal_service or _(r.referral_type))
			for key, r in keyed
		],
	)
	table.add_breakdown(
		_("Referrals by outcome"),
		[(key, _(r.outcome) if r.outcome else _("No outcome yet")) for key, r in keyed],
	)

	def share_completed(items) -> float | None:
		items = list(items)
		if not items:
			return None
		return 100 * sum(1 for r in items if r.outcome in COMPLETED_OUTCOMES) / len(items)

	def median_days(items) -> float | None:
		days = [
			(getdate(r.acknowledged_on) - getdate(r.sent_on)).days
			for r in items
			if r.sent_on and r.acknowledged_on
		]
		return statistics.median(days) if days else None

	by_period: dict[str, list] = defaultdict(list)
	for key, row in keyed:
		by_period[key].append(row)
	table.add(
		section,
		_("Completed (%)"),
		{key: share_completed(items) for key, items in by_period.items()},
		share_completed(rows),
	)
	table.add(
		section,
		_("Median days to acknowledgement"),
		{key: median_days(items) for key, items in by_period.items()},
		median_days(rows),
	)


def add_applications(table: IndicatorTable, scope) -> None:
	rows = frappe.db.sql(
		"""select coalesce(submitted_on, date(creation)), programme, status
		from `tabProgramme Application`
		where centre in %(centres)s and coalesce(submitted_on, date(creation)) between %(from_date)s and %(to_date)s""",
		scope,
	)
	keyed = [(period_key(date, scope.periodicity), programme, status) for date, programme, status in rows]
	section = _("Programme applications")
	table.add_counts(section, _("All programme applications"), _count(k for k, _p, _s in keyed))
	table.add_breakdown(_("Applications by programme"), [(k, p) for k, p, _s in keyed])
	table.add_breakdown(_("Applications by status"), [(k, s) for k, _p, s in keyed], label=_label)


def add_group_activities(table: IndicatorTable, scope) -> None:
	rows = frappe.db.sql(
		"""select start_date, ifnull(participant_count, 0)
		from `tabGroup Activity`
		where centre in %(centres)s and start_date between %(from_date)s and %(to_date)s""",
		scope,
	)
	activities, participants = defaultdict(int), defaultdict(int)
	for date, count in rows:
		key = period_key(date, scope.periodicity)
		activities[key] += 1
		participants[key] += int(count)
	section = _("Group activities")
	table.add_counts(section, _("Group activities"), activities)
	table.add_counts(section, _("Participants"), participants)
