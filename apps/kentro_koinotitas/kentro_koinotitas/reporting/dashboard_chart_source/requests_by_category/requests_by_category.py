"""Chart source: counted per request for the user's own centres (Frappe's `cache_source` would share
one cached result between users of different centres)."""

import frappe

from kentro_koinotitas.reporting.dashboard import requests_by_category


@frappe.whitelist()
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
	return requests_by_category(filters)
