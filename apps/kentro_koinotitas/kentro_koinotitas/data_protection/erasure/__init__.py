"""Anonymisation (erasure, GDPR Art. 17) of a beneficiary: irreversible, one action of the Data Protection
Officer after an approved erasure request or retention review, refused while a legal hold is in force.

What goes: names, patronymic and matronymic, ΑΜΚΑ, ΑΦΜ, document numbers, contact details, the address,
every free text of every app record about the person (`records.py`), their attachments and their rows in
registry import files (`files.py`), and every copy Frappe keeps (`copies.py`). What stays: gender, a birth
date that keeps the ESF+ age band at every counted date (`birth.py`), vulnerable groups, dates, types,
services, centres and links: every indicator and ESF+ report for past periods gives the same numbers.

One transaction: everything is written in a savepoint and rolled back whole on any error; files leave the
disk only after the commit."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from kentro_koinotitas.access.officer import check_officer
from kentro_koinotitas.data_protection.erasure.birth import coarse_birth_date
from kentro_koinotitas.data_protection.erasure.copies import purge_search_queue, remove_copies
from kentro_koinotitas.data_protection.erasure.files import (
	ImportScrubber,
	attached_files,
	delete_files,
	prepared_reports_naming,
	remove_from_disk,
)
from kentro_koinotitas.data_protection.erasure.guard import ANONYMISED
from kentro_koinotitas.data_protection.erasure.people import Person
from kentro_koinotitas.data_protection.erasure.records import (
	BENEFICIARY,
	PersonRecords,
	clear_own_record,
	placeholder,
	redact_shared_record,
)
from kentro_koinotitas.data_protection.legal_holds import active_holds
from kentro_koinotitas.data_protection.requests import is_approved_erasure
from kentro_koinotitas.registry import search_index

SAVEPOINT = "kentro_anonymise"
# Part C's retention review: an approved review whose pending row asks to anonymise the person
REVIEW, REVIEW_ITEM, REVIEW_APPROVED = "Retention Review", "Retention Review Item", "Approved"


class AnonymisationRefused(frappe.ValidationError):
	pass


def check_may_anonymise(beneficiary: str, request: str | None = None, review: str | None = None) -> None:
	"""Refuses, with the reason in Greek: not the DPO, an unknown person, a person already anonymised, a
	legal hold in force, or no approved erasure request nor retention review for this person."""
	check_officer(_("Only the Data Protection Officer can anonymise a person."))
	status = frappe.db.get_value(BENEFICIARY, beneficiary, "status") if beneficiary else None
	if status is None:
		frappe.throw(_("Beneficiary {0} does not exist.").format(beneficiary), frappe.DoesNotExistError)
	if status == ANONYMISED:
		frappe.throw(_("{0} has already been anonymised.").format(beneficiary), AnonymisationRefused)
	if holds := active_holds(beneficiary):
		frappe.throw(
			_("{0} is under a legal hold and cannot be anonymised: {1}").format(
				beneficiary, "; ".join(f"{_(h['hold_type'])} ({h['name']})" for h in holds)
			),
			AnonymisationRefused,
			title=_("Legal hold"),
		)
	approved = (request and is_approved_erasure(request, beneficiary)) or (
		review and is_approved_review(review, beneficiary)
	)
	if not approved:
		frappe.throw(
			_(
				"Anonymisation needs an approved erasure request of this person (identity verified and the request granted) or an approved retention review that lists them."
			),
			AnonymisationRefused,
		)


def is_approved_review(review: str, beneficiary: str) -> bool:
	if frappe.db.get_value(REVIEW, review, "status") != REVIEW_APPROVED:
		return False
	return bool(
		frappe.db.exists(
			REVIEW_ITEM,
			{"parenttype": REVIEW, "parent": review, "person": beneficiary, "action": "Anonymise"},
		)
	)


def anonymise_beneficiary(beneficiary: str, request: str | None = None, review: str | None = None) -> dict:
	"""Anonymise the person, after the checks of `check_may_anonymise`. Does not commit (the request or
	the retention job does); returns what was done, counted per kind."""
	check_may_anonymise(beneficiary, request, review)
	person = Person.load(beneficiary)
	imports = ImportScrubber(person)
	frappe.db.savepoint(SAVEPOINT)
	try:
		summary, removed_paths, records = _anonymise(person, imports, request)
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		imports.discard_new_files()
		raise
	frappe.db.after_commit.add(lambda: remove_from_disk(removed_paths))
	frappe.db.after_commit.add(lambda: purge_search_queue(records))
	frappe.db.after_rollback.add(imports.discard_new_files)
	return summary


def _anonymise(person: Person, imports: ImportScrubber, request: str | None):
	records = PersonRecords(person)
	birth = coarse_birth_date(person.name, frappe.db.get_value(BENEFICIARY, person.name, "date_of_birth"))
	files = attached_files(records)
	import_rows = imports.run(records)
	for doctype, name in records.own_list():
		clear_own_record(person, doctype, name)
	for doctype, names in records.shared.items():
		for name in names:
			redact_shared_record(person, doctype, name)
	frappe.db.set_value(
		BENEFICIARY,
		person.name,
		{
			"first_name": placeholder(),
			"last_name": "",
			"full_name": placeholder(),
			"status": ANONYMISED,
			"date_of_birth": birth,
		},
		update_modified=False,
	)
	search_index.rebuild([person.name])  # the search index holds the person's names and numbers too
	copies = remove_copies(person, records)
	reports, report_files = prepared_reports_naming(person, records)
	if reports:
		frappe.db.delete("Prepared Report", {"name": ("in", reports)})
	copies["Prepared Report"] = len(reports)
	removed_paths = delete_files(files + imports.replaced + report_files)
	if request:
		frappe.db.set_value("Data Subject Request", request, "anonymised_on", now_datetime())
	for doctype, name in records.all():
		frappe.clear_document_cache(doctype, name)
	summary = {
		"beneficiary": person.name,
		"records": records.counts(),
		"files": len(files),
		"import_rows": import_rows,
		"copies": copies,
	}
	return summary, removed_paths, records.all()


@frappe.whitelist(methods=["POST"])
def anonymise(request: str) -> dict:
	"""The «Ανωνυμοποίηση» button of an approved erasure request."""
	check_officer(_("Only the Data Protection Officer can anonymise a person."))
	if not frappe.db.exists("Data Subject Request", request):
		frappe.throw(_("Data subject request {0} does not exist.").format(request), frappe.DoesNotExistError)
	doc = frappe.get_doc("Data Subject Request", request)
	doc.check_permission("write")
	if not doc.beneficiary:
		frappe.throw(_("The request names no beneficiary of the registry."))
	return anonymise_beneficiary(doc.beneficiary, request=doc.name)
