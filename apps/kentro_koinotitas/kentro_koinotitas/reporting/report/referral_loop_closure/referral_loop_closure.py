# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""«Κλείσιμο κύκλου παραπομπών»: per partner organisation and period (of the date a referral was sent),
how many external referrals came back answered, how fast (median days to acknowledgement and to outcome)
and with which outcome. Only referrals of the centres the user may read (`report_scope`).

The day of the outcome is the referral's Outcome Date (`outcome_on`, which the partner's answer sets) or, for
a referral without one, the day its timeline (its Version log) first shows an outcome."""

import json
import statistics
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import date_diff, getdate

from kentro_koinotitas.reporting.periods import period_key, period_label, periods, report_scope

OUTCOMES = ("Accepted", "Rejected", "Completed successfully", "Completed unsuccessfully")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	centres, from_date, to_date = report_scope(filters)
	periodicity = filters.get("periodicity") or "Quarterly"
	keys = periods(from_date, to_date, periodicity)  # refuses an unknown periodicity
	if not centres:
		return columns(), []
	referrals = frappe.get_all(
		"Referral",
		filters={
			"referral_type": "External",
			"from_centre": ("in", centres),
			"sent_on": ("between", (from_date, to_date)),
			"partner_organisation": ("is", "set"),
		},
		fields=[
			"name",
			"partner_organisation",
			"sent_on",
			"acknowledged_on",
			"outcome",
			*outcome_date_field(),
		],
		order_by="partner_organisation asc, sent_on asc",
	)
	outcome_days = {r.name: r.outcome_on for r in referrals if r.outcome and r.get("outcome_on")}
	outcome_days |= outcome_dates([r.name for r in referrals if r.outcome and r.name not in outcome_days])
	groups: dict[tuple[str, str], list] = defaultdict(list)
	for referral in referrals:
		groups[(referral.partner_organisation, period_key(referral.sent_on, periodicity))].append(referral)
	order = {key: index for index, key in enumerate(keys)}
	rows = [
		group_row(partner, key, periodicity, group, outcome_days)
		for (partner, key), group in sorted(groups.items(), key=lambda g: (g[0][0], order.get(g[0][1], 0)))
	]
	return columns(), rows


def outcome_date_field() -> list[str]:
	"""The Outcome Date field, where the site's Referral has it (the partner's answer fills it)."""
	return ["outcome_on"] if frappe.get_meta("Referral").has_field("outcome_on") else []


def group_row(partner: str, key: str, periodicity: str, referrals: list, outcome_days: dict) -> dict:
	answered = [r for r in referrals if r.acknowledged_on or r.outcome]
	to_ack = [date_diff(r.acknowledged_on, r.sent_on) for r in referrals if r.acknowledged_on]
	to_outcome = [
		date_diff(outcome_days[r.name], r.sent_on) for r in referrals if r.outcome and r.name in outcome_days
	]
	row = {
		"partner_organisation": partner,
		"period": period_label(key, periodicity),
		"sent": len(referrals),
		"answered": len(answered),
		"answered_share": round(100 * len(answered) / len(referrals), 1),
		"days_to_acknowledgement": statistics.median(to_ack) if to_ack else None,
		"days_to_outcome": statistics.median(to_outcome) if to_outcome else None,
		"no_outcome": sum(1 for r in referrals if not r.outcome),
	}
	for outcome in OUTCOMES:
		row[scrub(outcome)] = sum(1 for r in referrals if r.outcome == outcome)
	return row


def outcome_dates(names: list[str]) -> dict[str, object]:
	"""The day each referral first got an outcome, from its change log (the first Version that sets
	`outcome`); a referral inserted with an outcome has it from its creation."""
	if not names:
		return {}
	found: dict[str, object] = {}
	for version in frappe.get_all(
		"Version",
		filters={"ref_doctype": "Referral", "docname": ("in", names), "data": ("like", '%"outcome"%')},
		fields=["docname", "data", "creation"],
		order_by="creation asc",
	):
		if version.docname in found:
			continue
		changed = (json.loads(version.data or "{}") or {}).get("changed") or []
		if any(field == "outcome" and new and not old for field, old, new in changed):
			found[version.docname] = getdate(version.creation)
	for name in set(names) - set(found):
		found[name] = getdate(frappe.db.get_value("Referral", name, "creation"))
	return found


def scrub(outcome: str) -> str:
	return "outcome_" + frappe.scrub(outcome)


def columns() -> list[dict]:
	cols = [
		{
			"fieldname": "partner_organisation",
			"label": _("Partner Organisation"),
			"fieldtype": "Link",
			"options": "Partner Organisation",
			"width": 240,
		},
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "sent", "label": _("Referrals sent"), "fieldtype": "Int", "width": 110},
		{"fieldname": "answered", "label": _("Answered"), "fieldtype": "Int", "width": 100},
		{"fieldname": "answered_share", "label": _("Answered (%)"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "days_to_acknowledgement",
			"label": _("Median days to acknowledgement"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
		{
			"fieldname": "days_to_outcome",
			"label": _("Median days to outcome"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
	]
	cols += [
		{"fieldname": scrub(outcome), "label": _(outcome), "fieldtype": "Int", "width": 120}
		for outcome in OUTCOMES
	]
	cols.append({"fieldname": "no_outcome", "label": _("No outcome yet"), "fieldtype": "Int", "width": 110})
	return cols
