"""Everything the registry holds about one person, for the subject-access pack (Art. 15 and 20 GDPR).

Every DocType of the app that names a Beneficiary is searched: a record is the person's own when its
`beneficiary` field (or, for the Beneficiary itself, its name) is the person, and shared when the person is
named elsewhere in it (the head of a household, a row of a table: household members, group participants).
Of a shared record only what concerns the person leaves: the table rows that name them, and none of the
fields that name or describe someone else (another person's link, the fields fetched from it, the
household's name). Own records keep every field and table, except rows of a table that name another
person. Psychologists' notes (fields at a permission level only the Psychologist role reads) are left out
only when the request records an exemption.
"""

from datetime import date, timedelta

import frappe

from kentro_koinotitas.access.audit import LOG
from kentro_koinotitas.meta import app_doctypes
from kentro_koinotitas.setup.roles import PSYCHOLOGIST

BENEFICIARY = "Beneficiary"
OWN_LINK = "beneficiary"
LAYOUT = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold")
# Fields of a shared record that describe someone else (a household is named after its head)
SHARED_FIELDS_LEFT_OUT = {"Household": ("household_name",)}
# Records about the person that the pack does not hand out, and why (stated in the pack)
WITHHELD = {
	LOG: "access_log",  # given as its own extract
	"Legal Hold": "legal_hold",  # may concern an investigation (Art. 23 GDPR, Law 4624/2019 Art. 33)
}
PACK_FIELD = "access_pack"  # the request's own pack is not part of the next one
# The order of the pack: the person, their household and consents, then their file
ORDER = (
	"Beneficiary",
	"Household",
	"Consent",
	"Case",
	"Service Delivery",
	"Referral",
	"Programme Application",
	"Front Desk Visit",
	"Group Activity",
)
INTERNAL_FIELDS = ("search_key", "name_key")  # search keys derived from the name, not data of their own


def _beneficiary_links(meta) -> list[str]:
	return [df.fieldname for df in meta.get_link_fields() if df.options == BENEFICIARY]


def _beneficiary_tables(meta) -> list[tuple[str, str, list[str]]]:
	tables = []
	for df in meta.get_table_fields():
		if links := _beneficiary_links(frappe.get_meta(df.options)):
			tables.append((df.fieldname, df.options, links))
	return tables


def psychological_levels(doctype: str) -> set[int]:
	"""Permission levels above 0 that only the Psychologist role reads (psychologists' notes)."""
	readers: dict[int, set[str]] = {}
	for perm in frappe.get_meta(doctype).permissions:
		if perm.read and perm.permlevel:
			readers.setdefault(perm.permlevel, set()).add(perm.role)
	return {level for level, roles in readers.items() if roles == {PSYCHOLOGIST}}


def psychological_fields(doctype: str) -> list[str]:
	levels = psychological_levels(doctype)
	return [df.fieldname for df in frappe.get_meta(doctype).fields if (df.permlevel or 0) in levels]


def _record_names(doctype: str, person: str) -> tuple[list[str], list[str]]:
	"""(own, shared) names of the records of a DocType that name the person."""
	meta = frappe.get_meta(doctype)
	if doctype == BENEFICIARY:
		return [person], []
	links = _beneficiary_links(meta)
	own = frappe.get_all(doctype, filters={OWN_LINK: person}, pluck="name") if OWN_LINK in links else []
	shared: set[str] = set()
	for fieldname in links:
		if fieldname != OWN_LINK:
			shared.update(frappe.get_all(doctype, filters={fieldname: person}, pluck="name"))
	for table, child, child_links in _beneficiary_tables(meta):
		for fieldname in child_links:
			shared.update(
				frappe.get_all(
					child,
					filters={"parenttype": doctype, "parentfield": table, fieldname: person},
					pluck="parent",
				)
			)
	return sorted(own), sorted(shared - set(own))


def _row(doc, meta, left_out: set[str]) -> dict:
	row = {"name": doc.name} if not meta.istable else {}
	for df in meta.fields:
		if df.fieldtype in LAYOUT or df.fieldtype in ("Table", "Table MultiSelect"):
			continue
		if df.fieldname in left_out or df.fieldname in INTERNAL_FIELDS:
			continue
		value = doc.get(df.fieldname)
		row[df.fieldname] = str(value) if isinstance(value, date | timedelta) else value
	return row


def _other_people_fields(doc, meta, person: str) -> set[str]:
	"""Fields naming someone other than the person, and the fields fetched from them."""
	links = {name for name in _beneficiary_links(meta) if doc.get(name) and doc.get(name) != person}
	fetched = {df.fieldname for df in meta.fields if (df.fetch_from or "").split(".")[0] in links}
	return links | fetched


def serialise(doc, person: str, shared: bool, exempt: bool) -> dict:
	"""A record as the pack gives it: the person's own part only (see the module's docstring)."""
	meta = doc.meta
	left_out = _other_people_fields(doc, meta, person)
	if shared:
		left_out |= set(SHARED_FIELDS_LEFT_OUT.get(doc.doctype, ()))
	if exempt:
		left_out |= set(psychological_fields(doc.doctype))
	row = _row(doc, meta, left_out)
	for df in meta.get_table_fields():
		if df.fieldname in left_out:
			continue
		child_meta = frappe.get_meta(df.options)
		child_links = _beneficiary_links(child_meta)
		child_left_out = set(psychological_fields(doc.doctype)) if exempt else set()
		rows = []
		for child in doc.get(df.fieldname) or []:
			if child_links and not any(child.get(name) == person for name in child_links):
				continue  # a row about someone else (or about an unregistered member)
			rows.append(_row(child, child_meta, child_left_out))
		row[df.fieldname] = rows
	return row


def collect(person: str, exempt: bool = False) -> dict[str, list[dict]]:
	"""{DocType: [records]} of everything about the person, own records first; DocTypes without any left
	out."""
	records: dict[str, list[dict]] = {}
	for doctype in sorted(app_doctypes(), key=lambda d: (ORDER.index(d) if d in ORDER else len(ORDER), d)):
		if doctype in WITHHELD or frappe.get_meta(doctype).issingle:
			continue
		own, shared = _record_names(doctype, person)
		rows = [serialise(frappe.get_doc(doctype, name), person, False, exempt) for name in own]
		rows += [serialise(frappe.get_doc(doctype, name), person, True, exempt) for name in shared]
		if rows:
			records[doctype] = rows
	return records


def own_records(records: dict[str, list[dict]], person: str) -> list[tuple[str, str]]:
	"""(DocType, name) of the person's own records (whose attachments and comments the pack includes)."""
	pairs = []
	for doctype, rows in records.items():
		for row in rows:
			if (doctype == BENEFICIARY and row["name"] == person) or row.get(OWN_LINK) == person:
				pairs.append((doctype, row["name"]))
	return pairs


def attachments(pairs: list[tuple[str, str]], exempt: bool) -> list:
	"""The File records attached to the person's own records (not folders, not an earlier access pack; a
	psychologist-level field's attachment only without an exemption)."""
	files = []
	for doctype, name in pairs:
		hidden = set(psychological_fields(doctype)) if exempt else set()
		for file in frappe.get_all(
			"File",
			filters={"attached_to_doctype": doctype, "attached_to_name": name, "is_folder": 0},
			fields=["name", "file_name", "file_url", "attached_to_field", "creation"],
			order_by="creation",
		):
			if file.attached_to_field not in hidden and file.attached_to_field != PACK_FIELD:
				files.append(file)
	return files


def comments(pairs: list[tuple[str, str]]) -> list[dict]:
	"""Staff comments on the person's own records."""
	rows = []
	for doctype, name in pairs:
		rows += frappe.get_all(
			"Comment",
			filters={"reference_doctype": doctype, "reference_name": name, "comment_type": "Comment"},
			fields=["reference_doctype", "reference_name", "comment_email", "content", "creation"],
			order_by="creation",
		)
	return [{**row, "creation": str(row.creation)} for row in rows]
