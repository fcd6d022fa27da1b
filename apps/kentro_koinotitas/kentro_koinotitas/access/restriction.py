"""Restriction of processing (Art. 18 GDPR): a beneficiary the data protection officer has flagged
(`Beneficiary.processing_restricted`, permission level 3, which only the officer reads and writes) is
kept as it is. Nobody but the officer changes or deletes the person or their records, creates new
records about them (a referral included), prints them or exports them; the person's forms carry a
banner. Hooked from hooks.py (`validate`, `on_trash`, `before_print`, `onload` of every DocType) and from
the export overrides (`access/api.export_data`, `access/audit.export_query`).
"""

import frappe
from frappe import _
from frappe.utils import cstr

from kentro_koinotitas.access.officer import check_officer, is_officer
from kentro_koinotitas.meta import app_doctypes_only, from_meta

# DocType -> the field naming the person (Household: its head and its members)
PERSON_FIELD = {
	"Beneficiary": "name",
	"Case": "beneficiary",
	"Consent": "beneficiary",
	"Front Desk Visit": "beneficiary",
	"Programme Application": "beneficiary",
	"Referral": "beneficiary",
	"Service Delivery": "beneficiary",
	"Household": "head_of_household",
}
FLAG = "processing_restricted"
FLAG_LEVEL = 3


def exempt() -> bool:
	flags = frappe.flags
	return bool(flags.in_install or flags.in_migrate or flags.in_patch) or is_officer()


def people_of(doc) -> set[str]:
	if doc.doctype == "Household":
		people = {row.beneficiary for row in doc.get("members") or []}
		if not doc.is_new():
			people.update(
				frappe.get_all(
					"Household Member",
					filters={"parent": doc.name, "parenttype": "Household"},
					pluck="beneficiary",
				)
			)
		return {person for person in (people | {doc.get("head_of_household")}) if person}
	person = doc.name if doc.doctype == "Beneficiary" else doc.get(PERSON_FIELD[doc.doctype])
	people = {person} if person else set()
	if doc.doctype != "Beneficiary" and not doc.is_new():
		# the stored record decides too: moving a record away from a restricted person is a change to it
		if stored := frappe.db.get_value(doc.doctype, doc.name, PERSON_FIELD[doc.doctype]):
			people.add(stored)
	return people


def restricted_among(people: set[str]) -> list[str]:
	if not people:
		return []
	return frappe.get_all("Beneficiary", filters={"name": ("in", list(people)), FLAG: 1}, pluck="name")


def is_restricted(doc) -> bool:
	if doc.doctype not in PERSON_FIELD:
		return False
	if doc.doctype == "Beneficiary" and doc.is_new():
		return False  # a person not yet written has no record to restrict (and the registry no row to ask)
	return bool(restricted_among(people_of(doc)))


def refuse() -> None:
	frappe.throw(
		_(
			"The processing of this person's data is restricted (Art. 18 GDPR): only the Data Protection"
			" Officer may change, print or export their records."
		),
		frappe.PermissionError,
	)


@app_doctypes_only
def check_change(doc, method=None) -> None:
	"""`validate` and `on_trash` of every DocType: no change, new record or deletion about a restricted
	person by anyone but the officer. A record about many people (a group activity and its attendance)
	may change, but not in its rows about a restricted person."""
	if exempt():
		return
	if doc.doctype in PERSON_FIELD and is_restricted(doc):
		refuse()
	if changes_rows_about_restricted(doc, deleting=method == "on_trash"):
		refuse()


def _person_rows(doc, tables: list[tuple[str, str, str]]) -> dict[str, list[tuple]]:
	"""The rows of the tables naming a person, as comparable tuples of their data fields, by person."""
	from frappe.model import no_value_fields

	found: dict[str, list[tuple]] = {}
	for table, child, fieldname in tables:
		fields = [df.fieldname for df in frappe.get_meta(child).fields if df.fieldtype not in no_value_fields]
		for row in doc.get(table) or []:
			if person := row.get(fieldname):
				found.setdefault(person, []).append((table, *(cstr(row.get(field)) for field in fields)))
	return {person: sorted(rows) for person, rows in found.items()}


def changes_rows_about_restricted(doc, deleting: bool = False) -> bool:
	"""Whether a save or deletion adds, changes or removes a table row naming a restricted person (a group
	activity's participants and attendance, a group session's participants)."""
	from kentro_koinotitas.access.audit import _table_links

	tables = from_meta(doc.doctype, _table_links)
	if not tables:
		return False
	if deleting:
		old, new = _person_rows(doc, tables), {}
	else:
		before = None if doc.is_new() else doc.get_doc_before_save()
		if before is None and not doc.is_new():
			before = frappe.get_doc(doc.doctype, doc.name)
		old = _person_rows(before, tables) if before is not None else {}
		new = _person_rows(doc, tables)
	changed = {person for person in set(new) | set(old) if new.get(person) != old.get(person)}
	return bool(restricted_among(changed))


# Frappe's records about a record: comments, e-mails, attachments and assignments
RELATED = {
	"Comment": ("reference_doctype", "reference_name"),
	"Communication": ("reference_doctype", "reference_name"),
	"File": ("attached_to_doctype", "attached_to_name"),
	"ToDo": ("reference_type", "reference_name"),
}


def check_related(doc, method=None) -> None:
	"""`validate` and `on_trash` of Comment, Communication, File and ToDo: nothing is added to, changed in or
	removed from a restricted person's records this way by anyone but the officer."""
	doctype_field, name_field = RELATED[doc.doctype]
	doctype, name = doc.get(doctype_field), doc.get(name_field)
	if doctype not in PERSON_FIELD or not name or exempt():
		return
	if not frappe.db.exists(doctype, name):
		return
	if is_restricted(frappe.get_doc(doctype, name)):
		refuse()


# Report rows
# -----------


def filter_report_result(result: dict | None) -> dict | None:
	"""A report's result without the rows that name a restricted person's record (for an export by
	anyone but the officer): its Link and Dynamic Link cells decide, as for the access log."""
	if not isinstance(result, dict) or is_officer() or not result.get("result"):
		return result
	people = set(frappe.get_all("Beneficiary", filters={FLAG: 1}, pluck="name"))
	if not people:
		return result
	from kentro_koinotitas.access import audit

	rows = [(row, audit._referenced(result.get("columns"), [row])) for row in result["result"]]
	by_doctype: dict[str, set[str]] = {}
	for _row, references in rows:
		for doctype, name in references:
			by_doctype.setdefault(doctype, set()).add(name)
	about = {
		(doctype, name): set(persons)
		for doctype, names in by_doctype.items()
		for name, persons in audit.people_of(doctype, names).items()
	}
	kept = [
		row
		for row, references in rows
		if not any(about.get(reference, set()) & people for reference in references)
	]
	return {**result, "result": kept}


@app_doctypes_only
def check_print(doc, method=None, settings=None) -> None:
	"""`before_print` of every DocType (print preview, PDF, the print helpers' documents)."""
	if doc.doctype in PERSON_FIELD and not is_officer() and is_restricted(doc):
		refuse()


@app_doctypes_only
def add_banner(doc, method=None) -> None:
	"""`onload`: the form shows a banner (`public/js/kentro_koinotitas.bundle.js`) on a restricted
	person's records; the officer also sees the reason."""
	if doc.doctype not in PERSON_FIELD or doc.is_new():
		return
	if restricted := restricted_among(people_of(doc)):
		doc.set_onload("kentro_restricted", 1)
		if is_officer():
			reasons = frappe.get_all(
				"Beneficiary", filters={"name": ("in", restricted)}, pluck="restriction_reason"
			)
			doc.set_onload("kentro_restriction_reason", "; ".join(reason for reason in reasons if reason))


@frappe.whitelist(methods=["POST"])
def set_restriction(beneficiary: str, restricted: int | bool | str, reason: str | None = None) -> dict:
	"""The officer restricts the processing of a person's data or lifts the restriction (recorded in the
	person's change history)."""
	check_officer(_("Only the Data Protection Officer may do this."))
	doc = frappe.get_doc("Beneficiary", beneficiary)
	doc.check_permission("read")
	if FLAG_LEVEL not in frappe.get_meta("Beneficiary").get_permlevel_access("write"):
		frappe.throw(_("Only the Data Protection Officer may do this."), frappe.PermissionError)
	restricted = frappe.utils.cint(frappe.utils.sbool(restricted))
	reason = (reason or "").strip()
	if restricted and not reason:
		frappe.throw(_("Record why the processing of this person's data is restricted."))
	doc.processing_restricted = restricted
	doc.restriction_reason = reason if restricted else None
	doc.flags.ignore_permissions = True  # level-0 fields stay as stored: only the two above change
	doc.save()
	return {"processing_restricted": doc.processing_restricted}


# Exports
# -------


def restricted_records(doctype: str | None) -> list[str]:
	"""The records of a DocType about restricted persons, which an export by anyone but the officer
	leaves out."""
	if doctype not in PERSON_FIELD or is_officer():
		return []
	people = frappe.get_all("Beneficiary", filters={FLAG: 1}, pluck="name")
	if not people:
		return []
	if doctype == "Beneficiary":
		return people
	names = set(frappe.get_all(doctype, filters={PERSON_FIELD[doctype]: ("in", people)}, pluck="name"))
	if doctype == "Household":
		names.update(
			frappe.get_all(
				"Household Member",
				filters={"beneficiary": ("in", people), "parenttype": "Household"},
				pluck="parent",
			)
		)
	return sorted(names)


def _as_list(doctype: str, filters) -> list:
	filters = frappe.parse_json(filters) if isinstance(filters, str) else filters
	if not filters:
		return []
	if isinstance(filters, dict):
		return [
			[doctype, key, *value] if isinstance(value, list | tuple) else [doctype, key, "=", value]
			for key, value in filters.items()
		]
	return list(filters)


def export_filters(doctype: str | None, filters):
	"""An export's filters, leaving out the restricted persons' records."""
	if not (excluded := restricted_records(doctype)):
		return filters
	return [*_as_list(doctype, filters), [doctype, "name", "not in", excluded]]


def restrict_export_request() -> None:
	"""Frappe's list and report view export reads its filters and selection from the request."""
	form = frappe.form_dict
	doctype = form.get("doctype")
	if not restricted_records(doctype):
		return
	if selection := form.pop("selected_items", None):
		form["filters"] = [[doctype, "name", "in", frappe.parse_json(selection)]]
	form["filters"] = export_filters(doctype, form.get("filters"))
