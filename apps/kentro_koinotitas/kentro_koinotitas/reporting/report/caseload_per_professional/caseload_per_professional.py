# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""Each professional's caseload: open cases now, cases opened and closed in the period, services
delivered in the period and overdue action-plan steps."""

from collections import defaultdict

import frappe
from frappe import _

from kentro_koinotitas.reporting.periods import next_day, report_scope

COUNTS = ("open_cases", "new_cases", "closed_cases", "services", "overdue_steps")


def execute(filters: dict | None = None):
	centres, from_date, to_date = report_scope(frappe._dict(filters or {}))
	scope = {
		"centres": tuple(centres) or ("",),
		"from_date": from_date,
		"to_date": to_date,
		"to_next": next_day(to_date),
	}
	counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
	queries = {
		"open_cases": """select assigned_to, count(*) from `tabCase`
			where centre in %(centres)s and status != 'Closed' and assigned_to is not null group by 1""",
		"new_cases": """select assigned_to, count(*) from `tabCase`
			where centre in %(centres)s and opened_on between %(from_date)s and %(to_date)s
			and assigned_to is not null group by 1""",
		"closed_cases": """select assigned_to, count(*) from `tabCase`
			where centre in %(centres)s and status = 'Closed' and closed_on between %(from_date)s and %(to_date)s
			and assigned_to is not null group by 1""",
		"services": """select professional, count(*) from `tabService Delivery`
			where centre in %(centres)s and delivery_datetime >= %(from_date)s and delivery_datetime < %(to_next)s
			and professional is not null group by 1""",
		"overdue_steps": """select coalesce(s.responsible, c.assigned_to), count(*)
			from `tabCase Action Step` s join `tabCase` c on c.name = s.parent
			where s.parenttype = 'Case' and c.centre in %(centres)s and c.status != 'Closed'
			and s.status in ('Planned', 'In progress') and s.due_date < curdate()
			and coalesce(s.responsible, c.assigned_to) is not null group by 1""",
	}
	for column, sql in queries.items():
		for user, count in frappe.db.sql(sql, scope):
			counts[user][column] = int(count)
	names = dict(
		frappe.get_all(
			"User", filters={"name": ("in", list(counts) or [""])}, fields=["name", "full_name"], as_list=True
		)
	)
	rows = [
		{"professional": user, "full_name": names.get(user) or user, **values}
		for user, values in counts.items()
	]
	rows.sort(key=lambda r: (-r["open_cases"], r["full_name"]))
	return columns(), rows


def columns() -> list[dict]:
	labels = {
		"open_cases": _("Open cases"),
		"new_cases": _("Cases opened in the period"),
		"closed_cases": _("Cases closed in the period"),
		"services": _("Services delivered in the period"),
		"overdue_steps": _("Overdue action-plan steps"),
	}
	return [
		{"fieldname": "professional", "label": _("User"), "fieldtype": "Data", "width": 200},
		{"fieldname": "full_name", "label": _("Professional"), "fieldtype": "Data", "width": 200},
		*({"fieldname": f, "label": labels[f], "fieldtype": "Int", "width": 150} for f in COUNTS),
	]
