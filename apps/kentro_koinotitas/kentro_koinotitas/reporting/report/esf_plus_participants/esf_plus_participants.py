# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""The ESF+ common output indicators (participants entering in the period, by gender) and the common
result indicators (participants leaving in the period), Reg. (EU) 2021/1057, Annex I."""

import frappe
from frappe import _

from kentro_koinotitas.reporting import esf
from kentro_koinotitas.reporting.periods import report_scope

GENDER_COLUMNS = (("women", "Female"), ("men", "Male"), ("non_binary", "Non-binary"))


def execute(filters: dict | None = None):
	centres, from_date, to_date = report_scope(frappe._dict(filters or {}))
	scope = {"centres": tuple(centres) or ("",), "from_date": from_date, "to_date": to_date}
	entrants = participants_entering(scope)
	leavers = participants_leaving(scope)
	rows = [
		_row(code, _(label), [p for p in entrants if test(p)], _("Output (entry)"))
		for code, label, test in esf.OUTPUT_INDICATORS
	]
	rows += [
		_row(code, _(label), [p for p in leavers if p.get(field)], _("Result (exit)"))
		for code, label, field in esf.RESULT_INDICATORS
	]
	return columns(), rows


def columns() -> list[dict]:
	return [
		{"fieldname": "kind", "label": _("Type"), "fieldtype": "Data", "width": 120},
		{"fieldname": "code", "label": _("Code"), "fieldtype": "Data", "width": 90},
		{"fieldname": "indicator", "label": _("Indicator"), "fieldtype": "Data", "width": 380},
		*(
			{"fieldname": fieldname, "label": _(label), "fieldtype": "Int", "width": 100}
			for fieldname, label in (("women", "Women"), ("men", "Men"), ("non_binary", "Non-binary"))
		),
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 90},
	]


def _row(code: str, label: str, groups: list, kind: str) -> dict:
	"""`groups`: participants sharing the same data, each with their number (`count`)."""
	row = {"kind": kind, "code": code, "indicator": label, "total": sum(g.count for g in groups)}
	for fieldname, gender in GENDER_COLUMNS:
		row[fieldname] = sum(g.count for g in groups if g.gender == gender)
	return row


# The people of a centre's year number in the tens of thousands: MariaDB groups them by the data the
# indicators read and returns each combination once with its number of people, so that a few hundred
# rows, not one per person, reach Python.


def participants_entering(scope: dict) -> list[frappe._dict]:
	"""Each person whose first case in the period opened then, with their data at entry: grouped by gender,
	age band at entry, employment, education and ESF+ disadvantage categories."""
	code = "case vg.esf_category {} end".format(
		" ".join(
			f"when {frappe.db.escape(category)} then {frappe.db.escape(code)}"
			for category, code in esf.CATEGORY_CODES.items()
		)
	)
	rows = frappe.db.sql(
		f"""select b.gender, {esf.age_band_sql("b.date_of_birth", "e.entry_date")} as age_band,
			b.employment_status, b.education_level,
			(select group_concat(distinct {code} order by {code} separator ',')
				from `tabBeneficiary Vulnerable Group` bvg
				join `tabVulnerable Group` vg on vg.name = bvg.vulnerable_group
				where bvg.parenttype = 'Beneficiary' and bvg.parent = b.name) as categories,
			count(*) as count
		from (
			select c.beneficiary, min(c.opened_on) as entry_date
			from `tabCase` c
			where c.centre in %(centres)s and c.opened_on between %(from_date)s and %(to_date)s
			group by c.beneficiary
		) e
		join `tabBeneficiary` b on b.name = e.beneficiary
		group by 1, 2, 3, 4, 5""",  # nosec B608 # fixed SQL, escaped category names; values are parameters
		scope,
		as_dict=True,
	)
	return [
		frappe._dict(
			gender=row.gender or "",
			age_band=row.age_band,
			employment_status=row.employment_status or "",
			education_level=row.education_level or "",
			categories=set(row.categories.split(",")) if row.categories else set(),
			count=int(row.count),
		)
		for row in rows
	]


EXIT_FIELDS = tuple(field for _code, _label, field in esf.RESULT_INDICATORS)


def participants_leaving(scope: dict) -> list[frappe._dict]:
	"""Each person whose case closed in the period, with the exit data of their latest closed case:
	grouped by gender and exit data."""
	exits = ", ".join(f"c.{field}" for field in EXIT_FIELDS)
	rows = frappe.db.sql(
		f"""select gender, {", ".join(EXIT_FIELDS)}, count(*) as count
		from (
			select b.gender, {exits},
				row_number() over (partition by c.beneficiary order by c.closed_on desc, c.creation desc) as latest
			from `tabCase` c join `tabBeneficiary` b on b.name = c.beneficiary
			where c.centre in %(centres)s and c.status = 'Closed'
				and c.closed_on between %(from_date)s and %(to_date)s
		) x
		where latest = 1
		group by {", ".join(("gender", *EXIT_FIELDS))}""",  # nosec B608 # fixed SQL; values are parameters
		scope,
		as_dict=True,
	)
	for row in rows:
		row.gender = row.gender or ""
		row.count = int(row.count)
	return rows
