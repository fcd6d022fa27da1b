"""The Beneficiary list view's search box, answered by the registry's search (`registry/search.py`).

The list's "Search" box is the standard filter of the hidden `search_key` field: the desk sends it as
``search_key like %text%``, which MariaDB can answer only by reading every Beneficiary. A `before_request`
hook (hooks.py) turns that filter, in the desk's list, count and group-by requests for Beneficiary, into
``name in (…)``: the people the search finds for the text (accent-, case- and script-free, several words
narrowing), at most `LIMIT`, found under the user's permission conditions. The list's own query then
applies every permission rule again, its sorting and its other filters. Requests authenticated by API
token, and other callers of `search_key`, keep the plain filter (same people, read by a scan).
"""

import json

import frappe

from kentro_koinotitas.registry import search

LIMIT = 1_000  # a search box that finds more shows the best-ranked this many
LIST_METHODS = frozenset(
	{
		"frappe.desk.reportview.get",
		"frappe.desk.reportview.get_count",
		"frappe.desk.reportview.get_list",
		"frappe.desk.listview.get_group_by_count",
	}
)
NOBODY = "\x00"  # a name no record has: the search found no one


def before_request() -> None:
	request = getattr(frappe.local, "request", None)
	if request is None or frappe.session.user == "Guest":
		return
	method = request.path.removeprefix("/api/method/")
	if method not in LIST_METHODS or frappe.form_dict.get("doctype") != "Beneficiary":
		return
	if "filters" in frappe.form_dict:
		try:
			frappe.form_dict.filters = rewrite(frappe.form_dict.filters)
		except (frappe.PermissionError, ValueError):
			frappe.clear_messages()  # the list request itself answers: refused, or a bad filter


def rewrite(filters):
	"""The filters with each ``search_key like %text%`` replaced by the people the search finds."""
	parsed = json.loads(filters) if isinstance(filters, str) else filters
	if isinstance(parsed, dict):
		parsed = [
			[key, *(value if isinstance(value, list | tuple) else ("=", value))]
			for key, value in parsed.items()
		]
	if not isinstance(parsed, list):
		return filters
	changed, out = False, []
	for condition in parsed:
		text = _search_text(condition)
		if text is None:
			out.append(condition)
			continue
		changed = True
		names = search.ranked_names(text, 0, LIMIT)
		if names is not None:  # (no words: no condition)
			out.append(["Beneficiary", "name", "in", names or [NOBODY]])
	if not changed:
		return filters
	return json.dumps(out) if isinstance(filters, str) else out


def _search_text(condition) -> str | None:
	"""The typed text of a ``search_key like`` condition, None for any other condition."""
	if not isinstance(condition, list | tuple) or len(condition) not in (3, 4):
		return None
	fieldname, operator, value = condition[-3:]
	if len(condition) == 4 and condition[0] != "Beneficiary":
		return None
	if fieldname != "search_key" or str(operator).lower() != "like" or not isinstance(value, str):
		return None
	return value.strip("%")
