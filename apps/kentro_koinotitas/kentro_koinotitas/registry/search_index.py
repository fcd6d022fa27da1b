"""The Beneficiary search index: one row per word a person is found by, in a B-tree index.

`__beneficiary_search` (beneficiary, token, kind) holds each person's folded name words
(`transliteration.fold`: accent-, case- and script-free, informal Latin spellings folded), their surname
and first name paired in either order, and identifiers
(ΑΜΚΑ, ΑΦΜ, each phone as E.164 digits and as 10 digits, identity document numbers); the record's name is
looked up in the primary key.
A typed word is a prefix range on the `token` index, so a search reads the few rows that match instead
of every Beneficiary. Like Frappe's `__global_search` it is a derived table, not a DocType: no REST, list
or report reaches it; the search (`registry/search.py`) joins it to `tabBeneficiary` under the user's
permission conditions.

Kept in step by the Beneficiary controller (save, rename, delete), the bulk generator and `rebuild()`;
created, and filled for existing people, by `ensure_table()` (the Beneficiary's `on_doctype_update`,
which `setup.install.ensure_indexes` runs on every migrate).
"""

import frappe

from kentro_koinotitas.registry import identity
from kentro_koinotitas.registry.transliteration import MAX_TOKEN, identifier, name_tokens

TABLE = "__beneficiary_search"
IDENTIFIER, SURNAME, FIRST_NAME, NAME_PAIR = 1, 2, 3, 4  # `kind`
PAIRS = 2  # a name's first words paired: "surname first-name" and "first-name surname" of each
CHUNK = 5_000


def ensure_table() -> None:
	"""Create the table (idempotent); a new table is filled from the existing Beneficiaries."""
	if frappe.db.sql("show tables like %s", TABLE):
		return
	frappe.db.sql_ddl(
		f"""create table `{TABLE}` (
			`beneficiary` varchar(140) not null,
			`token` varchar(64) collate utf8mb4_bin not null,
			`kind` tinyint not null,
			primary key (`beneficiary`, `token`, `kind`),
			key `kind_token` (`kind`, `token`)
		) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci"""
	)
	rebuild()


def person_rows(person) -> list[tuple[str, str, int]]:
	"""The (beneficiary, token, kind) rows of a Beneficiary (a document or a dict with its fields and
	`document_numbers`)."""
	get = person.get
	phones = [form for phone in (get("phone"), get("phone_2")) if phone for form in phone_forms(phone)]
	numbers = [get("amka"), get("afm"), *phones, *(get("document_numbers") or [])]
	rows: dict[tuple[str, int], None] = {}
	for number in numbers:
		if token := identifier(number or ""):
			rows[(token, IDENTIFIER)] = None
	surnames = name_tokens(get("last_name"), get("latin_last_name"))
	first_names = name_tokens(get("first_name"), get("latin_first_name"))
	for kind, tokens in ((SURNAME, surnames), (FIRST_NAME, first_names)):
		for token in tokens:
			rows[(token, kind)] = None
	# two words typed together are looked up as one pair: a range of namesakes, not of everyone who shares
	# the surname (see registry/search.py)
	for surname in surnames[:PAIRS]:
		for first_name in first_names[:PAIRS]:
			for pair in (f"{surname} {first_name}", f"{first_name} {surname}"):
				rows[(pair[:MAX_TOKEN], NAME_PAIR)] = None
	return [(get("name"), token, kind) for token, kind in rows]


def phone_forms(phone: str) -> list[str]:
	return identity.phone_search_forms(phone) if phone.startswith("+") else [phone]


# the fields `person_rows` reads
PERSON_FIELDS = (
	"name",
	"amka",
	"afm",
	"phone",
	"phone_2",
	"last_name",
	"latin_last_name",
	"first_name",
	"latin_first_name",
)


def document_rows(doc) -> list[tuple[str, str, int]]:
	person = {fieldname: doc.get(fieldname) for fieldname in PERSON_FIELDS}
	person["document_numbers"] = [row.document_number for row in doc.get("identity_documents") or []]
	return person_rows(person)


def update(doc) -> None:
	"""Index a saved Beneficiary again (its rows are replaced)."""
	remove(doc.name)
	write(document_rows(doc))


def remove(name: str) -> None:
	frappe.db.sql(f"delete from `{TABLE}` where beneficiary = %s", name)  # nosec B608 # fixed table


def rename(old: str, new: str) -> None:
	"""After a rename, or a merge into `new`."""
	remove(old)
	update(frappe.get_doc("Beneficiary", new))


def write(rows: list[tuple[str, str, int]]) -> None:
	for start in range(0, len(rows), CHUNK):
		chunk = rows[start : start + CHUNK]
		frappe.db.sql(
			f"insert ignore into `{TABLE}` (beneficiary, token, kind) values {', '.join(['(%s, %s, %s)'] * len(chunk))}",  # nosec B608 # fixed table and placeholders
			[value for row in chunk for value in row],
		)


FIELDS = ["name", "first_name", "last_name", "latin_first_name", "latin_last_name", "amka", "afm", "phone", "phone_2"]  # fmt: skip


def rebuild(names: list[str] | None = None) -> int:
	"""Index every Beneficiary again (or those named); returns how many people were indexed."""
	if names is None:
		frappe.db.sql(f"delete from `{TABLE}`")  # nosec B608 # fixed table
		names = frappe.get_all("Beneficiary", pluck="name", order_by="name")
	else:
		for name in names:
			remove(name)
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		people = frappe.get_all("Beneficiary", filters={"name": ("in", chunk)}, fields=FIELDS)
		documents: dict[str, list[str]] = {}
		for parent, number in frappe.get_all(
			"Beneficiary Identity Document",
			filters={"parent": ("in", chunk), "parenttype": "Beneficiary"},
			fields=["parent", "document_number"],
			as_list=True,
		):
			documents.setdefault(parent, []).append(number)
		rows = []
		for person in people:
			person["document_numbers"] = documents.get(person.name, [])
			rows += person_rows(person)
		write(rows)
	return len(names)
