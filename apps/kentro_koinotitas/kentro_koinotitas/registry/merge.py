"""Merging two registrations of the same person into one."""

import frappe
from frappe import _

# Fields copied from the merged record when the record that is kept has them empty
FILLABLE_FIELDS = (
	"amka",
	"afm",
	"father_name",
	"mother_name",
	"gender",
	"date_of_birth",
	"nationality",
	"citizenship",
	"mother_tongue",
	"phone",
	"phone_2",
	"email",
	"address_street",
	"address_number",
	"postal_code",
	"address_municipality",
	"address_area",
	"household",
	"marital_status",
	"education_level",
	"employment_status",
	"dypa_registration_number",
)


def merge_beneficiaries(source: str, target: str) -> str:
	"""Move everything that points at ``source`` (cases, consents, services, households…) to ``target``.

	Frappe's rename-merge rewrites every Link to the source and deletes it; empty fields of the target
	are then filled from the source and identity documents and vulnerable groups are carried over.
	Needs delete permission on the source and write permission on the target.
	"""
	if source == target:
		frappe.throw(_("Choose two different beneficiaries to merge."))
	for name in (source, target):
		if not frappe.db.exists("Beneficiary", name):
			frappe.throw(_("Beneficiary {0} does not exist.").format(name), frappe.DoesNotExistError)
	if not frappe.has_permission("Beneficiary", "delete", doc=source):
		frappe.throw(_("Only a coordinator can merge beneficiaries."), frappe.PermissionError)
	frappe.has_permission("Beneficiary", "write", doc=target, throw=True)

	old = frappe.get_doc("Beneficiary", source)
	frappe.rename_doc("Beneficiary", source, target, merge=True, show_alert=False)

	kept = frappe.get_doc("Beneficiary", target)
	for fieldname in FILLABLE_FIELDS:
		if not kept.get(fieldname) and old.get(fieldname):
			kept.set(fieldname, old.get(fieldname))
	known_documents = {(d.document_type, d.document_number) for d in kept.identity_documents}
	for row in old.identity_documents:
		if (row.document_type, row.document_number) not in known_documents:
			kept.append(
				"identity_documents",
				{
					f: row.get(f)
					for f in ("document_type", "document_number", "issuing_country", "expiry_date")
				},
			)
	known_groups = {g.vulnerable_group for g in kept.vulnerable_groups}
	for row in old.vulnerable_groups:
		if row.vulnerable_group not in known_groups:
			kept.append(
				"vulnerable_groups",
				{f: row.get(f) for f in ("vulnerable_group", "disability_percentage", "notes")},
			)
	kept.save()
	kept.add_comment("Info", _("Merged {0} ({1}) into this record.").format(source, old.full_name))
	return kept.name
