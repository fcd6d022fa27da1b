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


def _row(code: str, label: str, people: list, kind: str) -> dict:
	row = {"kind": kind, "code": code, "indicator": label, "total": len(people)}
	for fieldname, gender in GENDER_COLUMNS:
		row[fieldname] = sum(1 for p in people if p.gender == gender)
	return row


def participants_entering(scope: dict) -> list[frappe._dict]:
	"""Each person whose first case in the period opened then, with their data at entry."""
	rows = frappe.db.sql(
		"""select b.name, b.gender, b.date_of_birth, b.employment_status, b.education_level,
			min(c.opened_on) as entry_date
		from `tabCase` c join `tabBeneficiary` b on b.name = c.beneficiary
		where c.centre in %(centres)s and c.opened_on between %(from_date)s and %(to_date)s
		group by b.name, b.gender, b.date_of_birth, b.employment_status, b.education_level""",
		scope,
		as_dict=True,
	)
	categories = esf.beneficiary_categories([r.name for r in rows])
	return [esf.participant(r, r.entry_date, categories.get(r.name, set())) for r in rows]


def participants_leaving(scope: dict) -> list[frappe._dict]:
	"""Each person whose case closed in the period, with the exit data of their latest closed case."""
	rows = frappe.db.sql(
		"""select c.beneficiary, b.gender, c.closed_on, c.esf_exit_job_searching, c.esf_exit_in_education,
			c.esf_exit_qualification, c.esf_exit_employed, c.esf_six_month_employed
		from `tabCase` c join `tabBeneficiary` b on b.name = c.beneficiary
		where c.centre in %(centres)s and c.status = 'Closed'
			and c.closed_on between %(from_date)s and %(to_date)s
		order by c.closed_on asc, c.creation asc""",
		scope,
		as_dict=True,
	)
	latest = {row.beneficiary: row for row in rows}
	return list(latest.values())
