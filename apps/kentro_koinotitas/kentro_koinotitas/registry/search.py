"""Beneficiary search: link fields, `frappe.desk.search.search_link`, the awesome bar and global search.

The typed text becomes words (`transliteration.query_words`): name words folded free of accents, case,
script and informal Latin spellings, and identifiers (ΑΜΚΑ, ΑΦΜ, phone with or without +30 and spaces,
document and record numbers). Each word is a prefix of one of the person's tokens in the search index
(`registry/search_index.py`); several words narrow, in any order. The longest word drives the lookup (a
range of the B-tree `token` index), the others are checked per candidate through the primary key.

Ranking: an exact identifier first, then a surname, then a first name (a whole word before a prefix),
then the rest; ties by full name. The candidate query carries the user's permission conditions (Frappe's
match conditions, which include the app's centre scope from `access/scope.py`), and the people found are
read again through `frappe.get_list`, so what a user gets is what they may read.
"""

import re

import frappe
from frappe.model.db_query import DatabaseQuery
from frappe.utils import formatdate

from kentro_koinotitas.registry.search_index import FIRST_NAME, IDENTIFIER, NAME_PAIR, SURNAME, TABLE
from kentro_koinotitas.registry.transliteration import Word, query_words

RESULT_FIELDS = ["name", "full_name", "amka", "date_of_birth", "home_centre"]
RECORD_NAME = re.compile(r"[A-Za-z]{2,}-[A-Za-z0-9-]*\d[A-Za-z0-9-]*")  # BEN-2026-00001
MAX_CANDIDATES = 500  # when the caller adds filters, they are applied to this many best matches


# (rank, kind, whole word only) of the lookups a driving word makes: an identifier word finds an exact
# identifier, then identifiers it begins; a name word finds surnames, then first names
IDENTIFIER_LOOKUPS = ((0, IDENTIFIER, True), (3, IDENTIFIER, False))
NAME_LOOKUPS = ((1, SURNAME, False), (2, FIRST_NAME, False))
PAIR_LOOKUPS = ((1, NAME_PAIR, False),)


def ranked_names(text: str, start: int = 0, limit: int = 20, user: str | None = None) -> list[str] | None:
	"""The names of the Beneficiaries the text finds, best first, that the user may read (None: no
	words to search for)."""
	words = query_words(text)
	if not words:
		return None
	user = user or frappe.session.user
	start, limit = max(int(start), 0), max(int(limit), 1)
	found: list[str] = []
	if sum(not word.is_identifier for word in words) >= 2:
		# two name words: first as a pair of whole words (a few namesakes to read); when that fills the
		# page, nothing else could rank before it
		sql, values = candidate_query(words, user, start + limit, pair=True)
		found = frappe.db.sql(sql + f" limit {start + limit}", values, pluck=True)  # nosec B608 # fixed SQL and parameters
		if len(found) >= start + limit:
			return found[start:]
	record = text.strip() if RECORD_NAME.fullmatch(text.strip()) else None
	sql, values = candidate_query(words, user, start + limit, record)
	rest = frappe.db.sql(sql + f" limit {start + limit}", values, pluck=True)  # nosec B608 # fixed SQL and parameters
	return list(dict.fromkeys(found + rest))[start : start + limit]


def candidate_query(
	words: list[Word], user: str, enough: int, record: str | None = None, pair: bool = False
) -> tuple[str, dict]:
	"""The ranked query (without its limit) and its values; `record`: a typed record name, looked up in
	the primary key as well; `pair`: the first two name words drive as one pair token (whole first word,
	second word a prefix).

	The longest word (or the pair) drives: for each rank a range of the `(kind, token)` index read in
	index order, the other words checked per row through the primary key, the user's permission conditions
	applied, and the read stopped after `enough` rows; the few rows of all ranks are then sorted."""
	if pair:
		first, second = [word for word in words if not word.is_identifier][:2]
		driver = Word(
			f"{first.token} {second.token}", False, tuple(f"{first.token} {p}" for p in second.prefixes)
		)
		ordered = [driver, *(word for word in words if word not in (first, second))]
	else:
		ordered = sorted(words, key=lambda word: len(word.token), reverse=True)
		driver = ordered[0]
	values: dict = {"w0": driver.token}
	driving = []
	for index, prefix in enumerate(driver.prefixes):
		values[f"p0_{index}"] = _like(prefix)
		driving.append(f"t0.token like %(p0_{index})s")
	narrowing = []
	for number, word in enumerate(ordered[1:], start=1):
		alternatives = []
		for index, prefix in enumerate(word.prefixes):
			values[f"p{number}_{index}"] = _like(prefix)
			alternatives.append(f"t{number}.token like %(p{number}_{index})s")
		narrowing.append(
			f"and exists (select 1 from `{TABLE}` t{number} where t{number}.beneficiary = t0.beneficiary"  # nosec B608 # fixed table; values are parameters
			f" and ({' or '.join(alternatives)}))"
		)
	permitted = DatabaseQuery("Beneficiary", user=user).build_match_conditions()
	lookups = []
	if pair:
		plan = PAIR_LOOKUPS
	else:
		plan = IDENTIFIER_LOOKUPS if driver.is_identifier else NAME_LOOKUPS
		if driver.is_identifier and not driver.token.isdigit():  # a code or a name written with digits
			plan = (*plan, *NAME_LOOKUPS)
	for rank, kind, whole in plan:
		match = "t0.token = %(w0)s" if whole else f"({' or '.join(driving)})"
		if kind == IDENTIFIER and not whole:
			match += " and t0.token <> %(w0)s"
		lookups.append(
			f"""(select t0.beneficiary, {rank} as `rank`, t0.token <> %(w0)s as `partial`,
				`tabBeneficiary`.full_name
			from `{TABLE}` t0 force index (`kind_token`)
			straight_join `tabBeneficiary` on `tabBeneficiary`.name = t0.beneficiary
			where t0.kind = {kind} and {match} {" ".join(narrowing)} {f"and ({permitted})" if permitted else ""}
			order by t0.kind, t0.token
			limit {int(enough)})"""  # nosec B608 # fixed table, permission SQL from Frappe; values are parameters
		)
	if record:
		values.update(record=record, record_like=_like(record))
		lookups.append(
			f"""(select `tabBeneficiary`.name, 0, `tabBeneficiary`.name <> %(record)s, `tabBeneficiary`.full_name
			from `tabBeneficiary` where `tabBeneficiary`.name like %(record_like)s
			{f"and ({permitted})" if permitted else ""}
			order by `tabBeneficiary`.name limit {int(enough)})"""  # nosec B608 # permission SQL from Frappe; values are parameters
		)
	sql = f"""select beneficiary from ({" union all ".join(lookups)}) found
		group by beneficiary
		order by min(`rank`), min(`partial`), min(full_name), beneficiary"""  # nosec B608 # fixed SQL
	return sql, values


def _like(prefix: str) -> str:
	return prefix.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"


def search(
	text: str, start: int = 0, page_length: int = 20, filters=None, fields: list[str] | None = None
) -> list[dict] | None:
	"""The Beneficiaries the text finds, best first, as `frappe.get_list` gives them to the user (None:
	no words to search for)."""
	names = ranked_names(text, 0 if filters else start, MAX_CANDIDATES if filters else page_length)
	if names is None:
		return None
	if not names:
		return []
	rows = frappe.get_list(
		"Beneficiary",
		fields=list(dict.fromkeys(["name", *(fields or RESULT_FIELDS)])),
		filters=[["Beneficiary", "name", "in", names], *_filter_list(filters)],
		limit_page_length=len(names),
	)
	position = {name: index for index, name in enumerate(names)}
	rows.sort(key=lambda row: position[row.name])
	return rows[start : start + page_length] if filters else rows


def _filter_list(filters) -> list:
	if not filters:
		return []
	if isinstance(filters, dict):
		return [
			["Beneficiary", key, *(value if isinstance(value, list | tuple) else ("=", value))]
			for key, value in filters.items()
		]
	return list(filters)


@frappe.whitelist()
@frappe.read_only()
@frappe.validate_and_sanitize_search_inputs
def beneficiary_query(
	doctype: str,
	txt: str,
	searchfield: str,
	start: int,
	page_len: int,
	filters: dict | list | None = None,
	reference_doctype: str | None = None,
) -> list:
	"""`standard_queries` of Beneficiary (link fields and `search_link`): see the module's note."""
	rows = search(txt, start, page_len, filters)
	if rows is None:  # nothing typed: the latest people the user may read
		rows = frappe.get_list(
			"Beneficiary",
			fields=RESULT_FIELDS,
			filters=filters,
			order_by="creation desc",
			start=start,
			page_length=page_len,
		)
	# the birth date as staff write it (the system's date format, dd-mm-yyyy), not as stored
	return [
		tuple(
			formatdate(value) if field == "date_of_birth" and value else value
			for field, value in ((field, row.get(field)) for field in RESULT_FIELDS)
		)
		for row in rows
	]
