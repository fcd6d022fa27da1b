"""Finding the same person twice: by ΑΜΚΑ/ΑΦΜ (a hard rule) and by name and birth date (a warning)."""

import frappe
from frappe import _

from kentro_koinotitas.registry import identity

NUMBER_LABELS = {"amka": "AMKA", "afm": "AFM"}


class DuplicateIdentityNumberError(frappe.ValidationError):
	pass


def existing_with_number(fieldname: str, value: str, exclude: str | None = None) -> dict | None:
	"""The beneficiary (any centre) that already carries this ΑΜΚΑ or ΑΦΜ, if there is one."""
	if not value:
		return None
	if fieldname not in NUMBER_LABELS:
		raise ValueError(fieldname)
	# one indexed query (a form saves and every imported row runs this; `get_all` costs more in Python)
	found = frappe.db.sql(
		f"""SELECT name, full_name, home_centre FROM `tabBeneficiary`
		WHERE `{fieldname}`=%s AND name!=%s LIMIT 1""",  # nosec B608 # fieldname is one of NUMBER_LABELS
		(value, exclude or ""),
		as_dict=True,
	)
	return found[0] if found else None


def assert_number_unique(fieldname: str, value: str, exclude: str | None = None) -> None:
	"""Refuse a second beneficiary with the same ΑΜΚΑ or ΑΦΜ, naming the record staff should open.

	A user who may not read the existing record (another centre's) learns only that the number is already
	registered in the municipality: not where, nor whose (a Roma or migrant-integration branch would
	disclose ethnicity or migration status).
	"""
	existing = existing_with_number(fieldname, value, exclude)
	if not existing:
		return
	label = _(NUMBER_LABELS[fieldname])
	if frappe.has_permission("Beneficiary", "read", doc=existing.name):
		message = _(
			"{0} {1} is already registered for {2} ({3}). Open that record instead of creating a new one."
		).format(label, value, existing.full_name, existing.name)
	else:
		message = _(
			"This {0} is already registered in the municipality. Ask your coordinator before registering the person again."
		).format(label)
	frappe.throw(message, DuplicateIdentityNumberError, title=_("Already registered"))


def find_possible_duplicates(
	first_name: str, last_name: str, date_of_birth, exclude: str | None = None
) -> list[dict]:
	"""Beneficiaries born the same day whose name is the same, ignoring accents, case and script."""
	if not (first_name and last_name and date_of_birth):
		return []
	filters = {"name_key": identity.name_key(first_name, last_name), "date_of_birth": date_of_birth}
	# almost always there is none: find that out with one indexed query before the permission-aware list
	if not frappe.db.sql(
		"""SELECT name FROM `tabBeneficiary` WHERE name_key=%s AND date_of_birth=%s AND name!=%s LIMIT 1""",
		(filters["name_key"], date_of_birth, exclude or ""),
	):
		return []
	if exclude:
		filters["name"] = ("!=", exclude)
	return frappe.get_list(
		"Beneficiary",
		filters=filters,
		fields=["name", "full_name", "date_of_birth", "amka", "home_centre", "status"],
		order_by="creation asc",
		limit=20,
	)
