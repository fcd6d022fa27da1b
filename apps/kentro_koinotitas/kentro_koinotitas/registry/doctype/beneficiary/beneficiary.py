# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from kentro_koinotitas.registry import consent, duplicates, identity, search_index
from kentro_koinotitas.registry.merge import merge_beneficiaries


class Beneficiary(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.registry.doctype.beneficiary_identity_document.beneficiary_identity_document import (
			BeneficiaryIdentityDocument,
		)
		from kentro_koinotitas.registry.doctype.beneficiary_vulnerable_group.beneficiary_vulnerable_group import (
			BeneficiaryVulnerableGroup,
		)

		address_area: DF.Data | None
		address_municipality: DF.Data | None
		address_number: DF.Data | None
		address_street: DF.Data | None
		afm: DF.Data | None
		amka: DF.Data | None
		citizenship: DF.Link | None
		date_of_birth: DF.Date | None
		dypa_registration_number: DF.Data | None
		education_level: DF.Literal[
			"",
			"ISCED 0-2: Up to lower secondary",
			"ISCED 3-4: Upper or post-secondary",
			"ISCED 5-8: Tertiary",
		]
		email: DF.Data | None
		employment_status: DF.Literal[
			"", "Employed", "Self-employed", "Unemployed", "Long-term unemployed", "Inactive", "In education"
		]
		father_name: DF.Data | None
		first_name: DF.Data
		full_name: DF.Data | None
		gender: DF.Literal["", "Female", "Male", "Non-binary"]
		home_centre: DF.Link
		household: DF.Link | None
		identity_documents: DF.Table[BeneficiaryIdentityDocument]
		interpreter_language: DF.Data | None
		interpreter_needed: DF.Check
		last_name: DF.Data
		latin_first_name: DF.Data | None
		latin_last_name: DF.Data | None
		marital_status: DF.Literal[
			"", "Single", "Married", "Civil partnership", "Divorced", "Separated", "Widowed"
		]
		mother_name: DF.Data | None
		mother_tongue: DF.Data | None
		name_key: DF.Data | None
		nationality: DF.Link | None
		no_identity_reason: DF.SmallText | None
		phone: DF.Data | None
		phone_2: DF.Data | None
		postal_code: DF.Data | None
		registration_date: DF.Date
		search_key: DF.Data | None
		status: DF.Literal["Active", "Inactive", "Deceased", "Anonymised"]
		vulnerable_groups: DF.Table[BeneficiaryVulnerableGroup]
	# end: auto-generated types

	def validate(self):
		self.set_full_name()
		self.set_latin_names()
		self.validate_amka()
		self.validate_afm()
		self.validate_identity_present()
		self.validate_date_of_birth()
		self.validate_phones()
		self.validate_postal_code()
		self.validate_identity_documents()
		self.validate_vulnerable_groups()
		self.set_search_keys()

	def on_update(self):
		self.warn_possible_duplicates()
		if not self.flags.in_bulk_insert:  # indexed once for the whole batch (`after_bulk_insert`)
			search_index.update(self)

	@staticmethod
	def after_bulk_insert(docs: list["Beneficiary"]) -> None:
		"""The people written together by `data_import/bulk_insert.py` (the Registry Import): their search
		index rows in one multi-row INSERT rather than one per person."""
		search_index.write([row for doc in docs for row in search_index.document_rows(doc)])

	def on_trash(self):
		search_index.remove(self.name)

	def after_rename(self, old: str, new: str, merge: bool = False):
		search_index.rename(old, new)

	def set_full_name(self):
		self.first_name = " ".join((self.first_name or "").split())
		self.last_name = " ".join((self.last_name or "").split())
		self.full_name = f"{self.last_name} {self.first_name}".strip()

	def set_latin_names(self):
		"""ELOT 743 forms, kept in step with the Greek names unless staff typed the Latin ones."""
		for greek, latin in (("first_name", "latin_first_name"), ("last_name", "latin_last_name")):
			renamed = (
				not self.is_new() and self.has_value_changed(greek) and not self.has_value_changed(latin)
			)
			if not self.get(latin) or renamed:
				self.set(latin, identity.transliterate(self.get(greek)))

	def validate_amka(self):
		if not self.amka:
			return
		self.amka = identity.validate_amka(self.amka)
		if not self.flags.registry_checked:
			duplicates.assert_number_unique("amka", self.amka, exclude=self.name)
		if not self.date_of_birth:
			self.date_of_birth = identity.amka_birth_date(self.amka)
		if not self.gender:
			self.gender = identity.amka_gender(self.amka)
		if contradictions := identity.amka_contradictions(self.amka, self.date_of_birth, self.gender):
			# a warning, not a refusal: some ΑΜΚΑ were issued with another date; staff check the papers
			frappe.msgprint(
				"<br>".join(
					[
						*contradictions,
						_(
							"The record is saved as entered: correct whichever is wrong after checking the papers."
						),
					]
				),
				title=_("The AMKA does not match the birth date or gender"),
				indicator="orange",
			)

	def validate_afm(self):
		if not self.afm:
			return
		self.afm = identity.validate_afm(self.afm)
		if not self.flags.registry_checked:
			duplicates.assert_number_unique("afm", self.afm, exclude=self.name)

	def validate_identity_present(self):
		if self.amka or self.afm or self.identity_documents or (self.no_identity_reason or "").strip():
			return
		if self.status == "Anonymised":
			return
		frappe.throw(
			_("Record the AMKA, the AFM or another identity document, or the reason the person has none."),
			title=_("Identity missing"),
		)

	def validate_date_of_birth(self):
		if self.date_of_birth:
			identity.validate_birth_date(self.date_of_birth)

	def validate_phones(self):
		for fieldname in ("phone", "phone_2"):
			if self.get(fieldname):
				self.set(fieldname, identity.normalise_phone(self.get(fieldname)))

	def validate_postal_code(self):
		if self.postal_code:
			self.postal_code = identity.validate_postal_code(self.postal_code)

	def validate_identity_documents(self):
		seen = set()
		for row in self.identity_documents:
			row.document_number = (row.document_number or "").strip().upper()
			key = (row.document_type, row.document_number)
			if key in seen:
				frappe.throw(
					_("Row {0}: the document {1} {2} is entered twice.").format(
						row.idx, _(row.document_type), row.document_number
					)
				)
			seen.add(key)

	def validate_vulnerable_groups(self):
		seen = set()
		for row in self.vulnerable_groups:
			if row.vulnerable_group in seen:
				frappe.throw(
					_("Row {0}: the vulnerable group {1} is entered twice.").format(
						row.idx, row.vulnerable_group
					)
				)
			seen.add(row.vulnerable_group)
			if row.disability_percentage and not 0 < row.disability_percentage <= 100:
				frappe.throw(
					_("Row {0}: the disability percentage must be between 1 and 100.").format(row.idx)
				)

	def set_search_keys(self):
		self.name_key = identity.name_key(self.first_name, self.last_name)
		self.search_key = identity.beneficiary_search_key(
			self.full_name,
			self.latin_last_name,
			self.latin_first_name,
			self.amka,
			self.afm,
			[self.phone, self.phone_2],
			[row.document_number for row in self.identity_documents],
		)

	def warn_possible_duplicates(self):
		# `registry_checked`: the Registry Import has looked for the whole batch in one query and skips
		# the people it finds (same ΑΜΚΑ, ΑΦΜ, or name and birth date), so each row need not look again
		if self.flags.registry_checked:
			return
		found = duplicates.find_possible_duplicates(
			self.first_name, self.last_name, self.date_of_birth, exclude=self.name
		)
		if found:
			listed = ", ".join(duplicates.record_link(d.name, d.full_name) for d in found)
			frappe.msgprint(
				_(
					"Possible duplicate: {0} with the same name and date of birth. If it is the same person, ask a coordinator to merge the records."
				).format(listed),
				title=_("Possible duplicate"),
				indicator="orange",
			)


@frappe.whitelist()
@frappe.read_only()
def get_possible_duplicates(beneficiary: str) -> list[dict]:
	doc = frappe.get_doc("Beneficiary", beneficiary)
	doc.check_permission("read")
	return duplicates.find_possible_duplicates(
		doc.first_name, doc.last_name, doc.date_of_birth, exclude=doc.name
	)


@frappe.whitelist()
def get_consent_overview(beneficiary: str) -> list[dict]:
	frappe.get_doc("Beneficiary", beneficiary).check_permission("read")
	return consent.consent_overview(beneficiary)


@frappe.whitelist()
def identity_from_amka(amka: str) -> dict:
	"""Date of birth and gender that an ΑΜΚΑ encodes, offered by the form when those fields are empty."""
	number = identity.validate_amka(amka)
	return {"date_of_birth": identity.amka_birth_date(number), "gender": identity.amka_gender(number)}


@frappe.whitelist()
@frappe.read_only()
def latin_name(text: str | None = None) -> str:
	"""The ELOT 743 form of a name, as the server stores it (the form fills the Latin names as staff type)."""
	frappe.has_permission("Beneficiary", "create", throw=True)
	return identity.transliterate((text or "")[:140])


@frappe.whitelist(methods=["POST"])
def merge(source: str, target: str) -> str:
	return merge_beneficiaries(source, target)


def on_doctype_update():
	"""Reports filter by centre and period: one composite index serves them. The list shows the newest
	first (`sort_field`): its index lets MariaDB read in that order and stop at the page's last row
	instead of sorting every person of the user's centres. Possible duplicates are looked up by name key
	and birth date on every save and imported row."""
	frappe.db.add_index("Beneficiary", ["home_centre", "registration_date"])
	frappe.db.add_index("Beneficiary", ["creation"])
	frappe.db.add_index("Beneficiary", ["name_key", "date_of_birth"])
	# the search index (registry/search_index.py): created and filled here on the first migrate
	search_index.ensure_table()
