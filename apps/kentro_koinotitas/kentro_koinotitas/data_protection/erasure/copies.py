"""Every copy Frappe keeps of the person's data outside the records themselves: change history (Version),
comments, communications, ToDos, notifications, activity and error logs, Deleted Document, shares, tags,
queued e-mail, the `_comments` cache of each record and global search.

A copy about one of the person's own records goes whole. A copy about a record they share goes when it
names them (their names, ΑΜΚΑ, ΑΦΜ, phones, e-mail, document numbers; also as JSON writes non-Latin
text, `\\u03a0...`). Anywhere else on the site, a copy goes when it holds one of their numbers or the name
of one of their records: a name alone may be a namesake's. The who-and-when of Frappe's Access Log
stays: only its stored page, filters and columns are emptied."""

import json

import frappe
from frappe.utils.global_search import delete_for_document

from kentro_koinotitas.data_protection.erasure.people import Person
from kentro_koinotitas.data_protection.erasure.records import PersonRecords

# DocType -> (reference column pairs, text columns that may name the person, scanned site-wide)
COPIES = {
	"Comment": ([("reference_doctype", "reference_name")], ["content", "subject"], True),
	"Communication": (
		[("reference_doctype", "reference_name")],
		["subject", "content", "text_content", "sender", "recipients", "cc", "bcc", "phone_no"],
		True,
	),
	"ToDo": ([("reference_type", "reference_name")], ["description"], True),
	"Notification Log": ([("document_type", "document_name")], ["subject", "email_content"], True),
	"Activity Log": (
		[("reference_doctype", "reference_name"), ("timeline_doctype", "timeline_name")],
		["subject", "content"],
		True,
	),
	"Error Log": ([("reference_doctype", "reference_name")], ["error", "method"], True),
	"Deleted Document": ([("deleted_doctype", "deleted_name")], ["data"], True),
	"Email Queue": ([("reference_doctype", "reference_name")], ["message"], True),
	"DocShare": ([("share_doctype", "share_name")], [], False),
	"Tag Link": ([("document_type", "document_name")], ["title"], False),
	# the history of a shared record is searched for the person; the whole table is not
	"Version": ([("ref_doctype", "docname")], ["data"], False),
}
ACCESS_LOG_TEXT = ("page", "filters", "columns")


def like(text: str) -> str:
	return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def needles(person: Person, records: PersonRecords, with_names: bool = True) -> list[str]:
	"""The person's strings, as typed and as JSON escapes them, and the names of their own records as
	they appear in a copy's JSON (`"beneficiary":"BEN-..."`). Without names: only what identifies them
	whoever wrote it (a namesake's comment elsewhere on the site is not theirs)."""
	texts = set(person.strong_needles if with_names else person.numbers)
	texts |= {json.dumps(t)[1:-1] for t in list(texts)}
	texts |= {f'"{name}"' for _doctype, name in records.own_list()}
	return sorted(t for t in texts if len(t) >= 3)


def _matches(columns: list[str], patterns: list[str]) -> tuple[str, list[str]]:
	clauses = [f"`{column}` like %s" for column in columns for _p in patterns]
	return "(" + " or ".join(clauses) + ")", [p for _c in columns for p in patterns]


def _references(pairs, records: dict[str, set[str]]) -> tuple[str, list[str]]:
	clauses, values = [], []
	for doctype_column, name_column in pairs:
		for doctype, names in records.items():
			if names:
				clauses.append(f"(`{doctype_column}` = %s and `{name_column}` in %s)")
				values += [doctype, tuple(names)]
	return ("(" + " or ".join(clauses) + ")" if clauses else "1=0"), values


def copies_of(doctype: str, person: Person, records: PersonRecords) -> list[str]:
	"""Names of the rows of `doctype` that copy the person's data: every row about one of their own
	records; a row about a record they share that names them; with `site_wide`, any row that holds one of
	their numbers or the name of one of their records."""
	pairs, columns, site_wide = COPIES[doctype]
	table = f"`tab{doctype}`"
	own, own_values = _references(pairs, records.own)
	names = set(frappe.db.sql(f"select name from {table} where {own}", own_values, pluck=True))  # nosec B608 # metadata names; values are parameters
	if not columns:
		return sorted(names)
	shared, shared_values = _references(pairs, records.shared)
	scopes = [(shared, shared_values, needles(person, records))]
	if site_wide:
		scopes.append(("1=1", [], needles(person, records, with_names=False)))
	for scope, scope_values, texts in scopes:
		mentions, mention_values = _matches(columns, [like(t) for t in texts])
		names |= set(
			frappe.db.sql(
				f"select name from {table} where {scope} and {mentions}",  # nosec B608 # metadata names; values are parameters
				[*scope_values, *mention_values],
				pluck=True,
			)
		)
	return sorted(names)


def remove_copies(person: Person, records: PersonRecords) -> dict[str, int]:
	removed = {}
	for doctype in COPIES:
		names = copies_of(doctype, person, records)
		if names:
			if doctype == "Communication":
				frappe.db.delete("Communication Link", {"parent": ("in", names)})
			frappe.db.delete(doctype, {"name": ("in", names)})
			frappe.db.delete("__global_search", {"doctype": doctype, "name": ("in", names)})
		removed[doctype] = len(names)
	removed["Access Log"] = _empty_access_log(person, records)
	removed["Global Search"] = _remove_from_global_search(person, records)
	_clear_comment_caches(person, records)
	return removed


def _empty_access_log(person: Person, records: PersonRecords) -> int:
	patterns = [like(n) for n in needles(person, records)]
	own = [name for _doctype, name in records.own_list()]
	mentions, values = _matches(list(ACCESS_LOG_TEXT), patterns)
	names = frappe.db.sql(
		f"select name from `tabAccess Log` where reference_document in %s or {mentions}",  # nosec B608 # fixed columns; values are parameters
		[tuple(own), *values],
		pluck=True,
	)
	if names:
		frappe.db.sql(
			"update `tabAccess Log` set page = null, filters = null, columns = null where name in %s",
			[tuple(names)],
		)
	return len(names)


def _remove_from_global_search(person: Person, records: PersonRecords) -> int:
	count = 0
	for doctype, name in records.all():
		count += frappe.db.count("__global_search", {"doctype": doctype, "name": name})
		delete_for_document(frappe._dict(doctype=doctype, name=name))
	patterns = [like(n) for n in person.numbers if len(n) >= 3]
	if patterns:
		mentions, values = _matches(["content", "title"], patterns)
		frappe.db.sql(f"delete from `__global_search` where {mentions}", values)  # nosec B608 # fixed columns; values are parameters
	return count


def purge_search_queue(records: list[tuple[str, str]]) -> None:
	"""Entries of the person's records waiting in Redis for the global-search sync job would bring the old
	text back: they are dropped."""
	keys = set(records)
	queue = frappe.cache.make_key("global_search_queue")
	for raw in frappe.cache.lrange("global_search_queue", 0, -1) or []:
		value = json.loads(raw)
		if (value.get("doctype"), value.get("name")) in keys:
			frappe.cache.lrem(queue, 0, raw)


def _clear_comment_caches(person: Person, records: PersonRecords) -> None:
	"""Frappe keeps the latest comments of a record in its `_comments` column."""
	for doctype, names in records.own.items():
		if names and frappe.db.has_column(doctype, "_comments"):
			frappe.db.sql(f"update `tab{doctype}` set _comments = null where name in %s", [tuple(names)])  # nosec B608 # metadata names; values are parameters
	for doctype, names in records.shared.items():
		for name in names:
			if person.mentioned_in(frappe.db.get_value(doctype, name, "_comments")):
				frappe.db.sql(f"update `tab{doctype}` set _comments = null where name = %s", name)  # nosec B608 # metadata names; values are parameters
