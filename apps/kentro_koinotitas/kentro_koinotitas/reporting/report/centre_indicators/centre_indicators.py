# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""Centre indicators per month, quarter or year: beneficiaries, requests, services, referrals, programme
applications and group activities of the centres the user may see."""

import statistics
from collections import defaultdict
from contextlib import contextmanager

import frappe
from frappe import _

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
TEMPORARY_TABLE_BYTES = 256 * 1024 * 1024
MISSING_FUNCTION = 1305  # MariaDB: FUNCTION ... does not exist


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
		with in_memory_temporary_tables():
			add_beneficiaries(table, scope)
			add_requests(table, scope)
			add_services(table, scope)
			add_referrals(table, scope)
			add_applications(table, scope)
			add_group_activities(table, scope)
	return columns(keys, periodicity), table.rows


@contextmanager
def in_memory_temporary_tables(size: int = TEMPORARY_TABLE_BYTES):
	"""The distinct active people of a centre's year (~30,000 rows; ~80,000 when counted per month) do
	not fit MariaDB's default 16 MiB in-memory temporary table, which then moves to disk: 2.6 s instead
	of 0.65 s for the monthly query. Raised for this connection while the report runs, then restored."""
	limits = "set session max_heap_table_size = %s, tmp_memory_table_size = %s"
	before = frappe.db.sql("select @@session.max_heap_table_size, @@session.tmp_memory_table_size")[0]
	frappe.db.sql(limits, (size, size))
	try:
		yield
	finally:
		frappe.db.sql(limits, before)


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
	new = f"""select name as beneficiary, {period_sql("registration_date", periodicity)} as period,
			registration_date as on_date
		from `tabBeneficiary`
		where home_centre in %(centres)s and registration_date between %(from_date)s and %(to_date)s"""  # nosec B608 # fixed SQL, escaped period keys; values are parameters
	_add_people(table, _("New beneficiaries"), _("All new beneficiaries"), new, scope)

	# active: a service received or a case opened in the period; the union keeps each person once per
	# period, and ages are counted on the last day of the period
	service_period = period_sql("sd.delivery_datetime", periodicity)
	ends = " ".join(
		f"when {frappe.db.escape(key)} then {frappe.db.escape(str(period_end(key, periodicity)))}"
		for key in periods(scope.from_date, scope.to_date, periodicity)
	)
	active = f"""select t.beneficiary, t.period, case t.period {ends} end as on_date
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
		) t"""  # nosec B608 # fixed SQL, escaped period keys; values are parameters
	_add_people(table, _("Active beneficiaries"), _("All active beneficiaries"), active, scope)


def _add_people(table: IndicatorTable, section: str, all_label: str, people_sql: str, scope) -> None:
	"""All people, then by gender, age band and vulnerable group. `people_sql` gives rows of beneficiary,
	period and the date ages are counted on, each person once per period. Per period each person counts
	once; the total counts each person once for every group they were in during the range.

	MariaDB groups the rows per person (gender, vulnerable groups, and each period with the age band on
	its last day), then counts the people sharing each such combination: a few hundred rows reach
	Python instead of one per person and period (~38,000 for a centre's year, ~100,000 per month), whose
	transfer and parsing cost more than the query itself."""
	rows = frappe.db.sql(
		f"""select x.gender, x.periods,
			(select group_concat(distinct vg.vulnerable_group order by vg.vulnerable_group separator '\n')
				from `tabBeneficiary Vulnerable Group` vg
				where vg.parenttype = 'Beneficiary' and vg.parent = x.beneficiary) as vulnerable_groups,
			count(*)
		from (
			select straight_join t.beneficiary, min(b.gender) as gender,
				group_concat(concat(t.period, ' ', coalesce({esf.age_band_sql("b.date_of_birth", "t.on_date")}, ''))
					order by t.period separator ',') as periods
			from ({people_sql}) t
			join `tabBeneficiary` b on b.name = t.beneficiary
			group by t.beneficiary
		) x
		group by 1, 2, 3""",  # nosec B608 # fixed SQL, escaped period keys; values are parameters
		scope,
	)
	per_period: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
	totals: dict[tuple[str, str], int] = defaultdict(int)
	for gender, period_bands, group_list, count in rows:
		groups = set(group_list.split("\n")) if group_list else set()
		person_level = (("all", ""), ("gender", gender or ""), *(("group", g) for g in groups))
		person_bands = set()
		for item in period_bands.split(","):
			key, band = item.split(" ", 1)
			person_bands.add(band)
			for group in (*person_level, ("age", band)):
				per_period[group][key] += count
		for group in (*person_level, *(("age", band) for band in person_bands)):
			totals[group] += count
	table.add(section, all_label, per_period[("all", "")], totals[("all", "")])
	genders = {g: _label(g) for g in esf.GENDERS}
	bands = {band: _("Age {0}").format(band) for band in esf.AGE_BANDS}
	labels = {
		"gender": lambda value: genders.get(value) or _label(value),
		"age": lambda value: bands.get(value) or _("Age {0}").format(NO_VALUE),
		"group": lambda value: value,
	}
	order = {"gender": list(esf.GENDERS), "age": list(esf.AGE_BANDS), "group": []}
	for dim in ("gender", "age", "group"):
		values = {value for (d, value) in totals if d == dim}
		ordered = [v for v in order[dim] if v in values] + sorted(values - set(order[dim]))
		for value in ordered:
			table.add(section, labels[dim](value), per_period[(dim, value)], totals[(dim, value)])


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
		group by 1, 2""",  # nosec B608 # fixed SQL, escaped period keys; values are parameters
		scope,
	)
	section = _("Requests")
	table.add_counts(section, _("All requests"), _count_weighted(pairs))
	table.add_breakdown(section, pairs)


def add_services(table: IndicatorTable, scope) -> None:
	rows = _services_by_period(scope)
	by_axis, by_service = [], []
	for key, axis, service, count in rows:
		by_axis.append((key, axis, int(count)))
		by_service.append((key, service, int(count)))
	section = _("Services by axis")
	table.add_counts(section, _("All service deliveries"), _count_weighted(by_axis))
	table.add_breakdown(section, by_axis, label=_label)
	table.add_breakdown(_("Services"), by_service)


def _services_by_period(scope) -> list[tuple]:
	"""(period, axis, service, deliveries). A centre's year holds ~140,000 deliveries: grouping them by
	two long Greek strings costs MariaDB about 0.8 s (collation work on every row), grouping by their
	CRC32 about 0.3 s. Two strings sharing a CRC32 would fall into one group, so every group also carries
	`bit_or ^ bit_and` of the strings' CRC32C (another polynomial), which is 0 only when all of them have
	the same one; otherwise (or on a MariaDB before 10.8, without CRC32C) the query runs again, grouped
	by the strings themselves."""
	period = period_sql("delivery_datetime", scope.periodicity)
	where = """from `tabService Delivery`
		where centre in %(centres)s and delivery_datetime >= %(from_date)s and delivery_datetime < %(to_next)s"""
	try:
		hashed = frappe.db.sql(
			f"""select {period}, min(axis), min(service), count(*),
				{_same_strings("axis")}, {_same_strings("service")}
			{where} group by 1, crc32(axis), crc32(service)""",
			scope,
		)
	except Exception as error:
		if not error.args or error.args[0] != MISSING_FUNCTION:
			raise
		hashed = None
	if hashed is not None and all(not row[4] and not row[5] for row in hashed):
		return [row[:4] for row in hashed]
	return frappe.db.sql(f"select {period}, axis, service, count(*) {where} group by 1, 2, 3", scope)


def _same_strings(column: str) -> str:
	"""0 when every row of the group holds the same value of the column (NULL counts as '')."""
	checksum = f"crc32c(coalesce({column}, ''))"
	return f"bit_or({checksum}) ^ bit_and({checksum})"


def add_referrals(table: IndicatorTable, scope) -> None:
	"""Counted and grouped by MariaDB; Python only labels the groups and takes the medians."""
	date = "coalesce(sent_on, date(creation))"
	period = period_sql(date, scope.periodicity)
	# `date` in the range, written so that the (from_centre, sent_on, creation) index bounds both cases
	where = """from `tabReferral`
		where from_centre in %(centres)s and (sent_on between %(from_date)s and %(to_date)s
			or (sent_on is null and creation >= %(from_date)s and creation < %(to_next)s))"""
	outcomes = _grouped(f"select {period}, outcome, count(*) {where} group by 1, 2", scope)
	counts, completed = defaultdict(int), defaultdict(int)
	for key, outcome, count in outcomes:
		counts[key] += count
		completed[key] += count if outcome in COMPLETED_OUTCOMES else 0
	section = _("Referrals")
	table.add_counts(section, _("All referrals"), counts)
	destinations = frappe.db.sql(
		f"""select {period}, coalesce(nullif(partner_organisation, ''), nullif(welfare_programme, ''),
				nullif(internal_service, '')), referral_type, count(*)
		{where} group by 1, 2, 3""",
		scope,
	)
	table.add_breakdown(
		_("Referrals by destination"),
		[(key, destination or _(kind), int(count)) for key, destination, kind, count in destinations],
	)
	table.add_breakdown(
		_("Referrals by outcome"),
		[(key, _(outcome) if outcome else _("No outcome yet"), count) for key, outcome, count in outcomes],
	)

	def share(done: int, count: int) -> float | None:
		return 100 * done / count if count else None

	# a period without referrals (or without acknowledgements) has no share and no median: left blank
	no_value = dict.fromkeys(table.keys)
	table.add(
		section,
		_("Completed (%)"),
		{**no_value, **{key: share(completed[key], count) for key, count in counts.items()}},
		share(sum(completed.values()), sum(counts.values())),
	)
	days: dict[str, list[int]] = defaultdict(list)
	for key, waited in frappe.db.sql(
		f"""select {period}, datediff(acknowledged_on, sent_on)
		{where} and sent_on is not null and acknowledged_on is not null""",
		scope,
	):
		days[key].append(int(waited))
	table.add(
		section,
		_("Median days to acknowledgement"),
		{**no_value, **{key: statistics.median(values) for key, values in days.items()}},
		statistics.median([d for values in days.values() for d in values]) if days else None,
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
