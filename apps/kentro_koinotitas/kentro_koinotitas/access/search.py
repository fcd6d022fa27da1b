"""Global search (the awesome bar's "search for …") limited to records the user may read.

Frappe's ``frappe.utils.global_search.search`` keeps only the DocTypes a user can read, not the records:
a user of one centre would see another centre's beneficiaries in its results. This override (hooks:
``override_whitelisted_methods``) drops every result the user has no read permission for, which applies
centre isolation (`access/scope.py`) like everywhere else. The limit is capped.

Beneficiaries are found by the registry's own search (`registry/search.py`, the link fields' search:
indexed, accent-, case- and script-free, exact ΑΜΚΑ/ΑΦΜ/phone first), under the same permission
conditions; their `__global_search` entries are not used.

Link search (`frappe.desk.search.search_link` and `search_widget`): Frappe reads with
`ignore_permissions` when the caller sends `ignore_user_permissions=1` and may read the DocType at all,
which skips every permission query condition: a user of one centre listed another centre's cases. The
overrides here never pass that flag on (the app limits by centre, not by User Permission records, so the
flag has nothing legitimate to ignore).
"""

import frappe
from frappe import _
from frappe.utils import global_search

from kentro_koinotitas.registry import search as registry_search

MAX_RESULTS = 50  # the awesome bar asks for 20; a larger limit would only load every hit


@frappe.whitelist()
def search(text: str, start: int = 0, limit: int = 20, doctype: str = "") -> list[dict]:
	start, limit = max(int(start), 0), min(max(int(limit), 1), MAX_RESULTS)
	people = beneficiaries(text, start, limit) if doctype in ("", "Beneficiary") else []
	if doctype == "Beneficiary":
		return people
	permitted: list[dict] = []
	offset = start
	# fetch in pages until enough permitted results are collected or the index is exhausted
	while len(permitted) < limit:
		page = global_search.search(text, start=offset, limit=limit * 2, doctype=doctype)
		if not page:
			break
		permitted += [r for r in page if r.doctype != "Beneficiary" and _readable(r.doctype, r.name)]
		offset += len(page)
		if len(page) < limit * 2:
			break
	return (people + permitted)[:limit]


def beneficiaries(text: str, start: int, limit: int) -> list[dict]:
	"""Global search results for the Beneficiaries the registry's search finds."""
	if not frappe.has_permission("Beneficiary", "read"):
		return []
	rows = registry_search.search(text.replace("&", " "), start, limit, fields=["name", "full_name"]) or []
	label = _("Full Name")
	return [
		frappe._dict(doctype="Beneficiary", name=row.name, content=f"{label} : {row.full_name}", rank=1)
		for row in rows
	]


def _readable(doctype: str, name: str) -> bool:
	"""A hit the user may read. The index can hold records that no longer exist (it is not rolled back
	with a transaction, and deletions reach it later): such a hit is dropped, not an error."""
	if not frappe.db.exists(doctype, name):
		return False
	return frappe.has_permission(doctype, "read", doc=name)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
) -> list[dict]:
	"""`frappe.desk.search.search_link` without `ignore_user_permissions`; its descriptions in Greek."""
	from frappe.desk.search import search_link as frappe_search_link

	from kentro_koinotitas.setup.desk import translate_described_options

	results = frappe_search_link(
		doctype,
		txt,
		query,
		filters,
		page_length,
		searchfield,
		reference_doctype,
		ignore_user_permissions=False,
	)
	return translate_described_options(doctype, results)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields: str | list | None = None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""`frappe.desk.search.search_widget` without `ignore_user_permissions`."""
	from frappe.desk.search import search_widget as frappe_search_widget

	return frappe_search_widget(
		doctype,
		txt,
		query,
		searchfield,
		start,
		page_length,
		filters,
		filter_fields,
		as_dict,
		reference_doctype,
		ignore_user_permissions=False,
	)
