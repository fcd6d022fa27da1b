"""Finding the same person twice: by ΑΜΚΑ/ΑΦΜ (a hard rule) and by name and birth date (a warning).

The form checks one record (`assert_number_unique`, `find_possible_duplicates`); the Registry Import checks
a whole batch at once (`find_registered`). Both ask the same indexed queries below, so a person the form
would call a duplicate is the person the importer skips.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, get_link_to_form, getdate

from kentro_koinotitas.registry import identity

NUMBER_LABELS = {"amka": "AMKA", "afm": "AFM"}


class DuplicateIdentityNumberError(frappe.ValidationError):
	pass


def existing_with_number(fieldname: str, value: str, exclude: str | None = None) -> dict | None:
	"""The beneficiary (any centre) that already carries this ΑΜΚΑ or ΑΦΜ, if there is one."""
	if not value:
		return None
	found = _with_numbers(fieldname, [value], exclude, limit=1)
	return found[0] if found else None


def _with_numbers(fieldname: str, values: list[str], exclude: str | None = None, limit: int = 0) -> list:
	"""The beneficiaries carrying any of these ΑΜΚΑ (or ΑΦΜ): one indexed query, without `get_all`'s
	permission machinery (the caller decides what the user may learn of them)."""
	if fieldname not in NUMBER_LABELS:
		raise ValueError(fieldname)
	return frappe.db.sql(
		f"""SELECT name, `{fieldname}` AS number, full_name, home_centre FROM `tabBeneficiary`
		WHERE `{fieldname}` IN %s AND name!=%s {_limit(limit)}""",  # nosec B608 # fieldname is one of NUMBER_LABELS
		(tuple(values), exclude or ""),
		as_dict=True,
	)


def _with_name_and_birth(people: list[tuple], exclude: str | None = None, limit: int = 0) -> list:
	"""The beneficiaries with any of these (name key, date of birth) pairs: one indexed query."""
	matches = " OR ".join(["(name_key=%s AND date_of_birth=%s)"] * len(people))
	return frappe.db.sql(
		f"""SELECT name, name_key, date_of_birth FROM `tabBeneficiary`
		WHERE ({matches}) AND name!=%s {_limit(limit)}""",  # nosec B608 # placeholders and an int only
		(*(value for pair in people for value in pair), exclude or ""),
		as_dict=True,
	)


def _limit(limit: int) -> str:
	return f"LIMIT {int(limit)}" if limit else ""


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
		).format(label, value, record_link(existing.name, existing.full_name), existing.name)
	else:
		message = _(
			"This {0} is already registered in the municipality. Ask your coordinator before registering the person again."
		).format(label)
	frappe.throw(message, DuplicateIdentityNumberError, title=_("Already registered"))


def record_link(name: str, full_name: str | None = None) -> str:
	"""A link that opens the beneficiary's record (for a user who may read it), the name escaped."""
	return get_link_to_form("Beneficiary", name, escape_html(full_name or name))


def find_possible_duplicates(
	first_name: str, last_name: str, date_of_birth, exclude: str | None = None
) -> list[dict]:
	"""Beneficiaries born the same day whose name is the same, ignoring accents, case and script."""
	if not (first_name and last_name and date_of_birth):
		return []
	filters = {"name_key": identity.name_key(first_name, last_name), "date_of_birth": date_of_birth}
	# almost always there is none: find that out with one indexed query before the permission-aware list
	if not _with_name_and_birth([(filters["name_key"], date_of_birth)], exclude, limit=1):
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


def person_keys(person: dict) -> list[tuple]:
	"""What the registry finds a person by: ("amka", number) and ("afm", number) as a form would store
	them (a number that is not valid finds nobody: the form refuses it anyway), and ("name", name key,
	date of birth)."""
	keys = []
	for fieldname, check in (("amka", identity.validate_amka), ("afm", identity.validate_afm)):
		if person.get(fieldname):
			try:
				keys.append((fieldname, check(person[fieldname])))
			except identity.IdentityValidationError:
				frappe.clear_messages()
	if person.get("first_name") and person.get("last_name") and person.get("date_of_birth"):
		name_key = identity.name_key(person["first_name"], person["last_name"])
		keys.append(("name", name_key, getdate(person["date_of_birth"])))
	return keys


def find_registered(people: list[dict]) -> list[str | None]:
	"""For each person (a new Beneficiary's values), the beneficiary already in the registry, of any
	centre, with the same ΑΜΚΑ, ΑΦΜ, or name and date of birth; None for a new person. The rule of
	`assert_number_unique` and `find_possible_duplicates`, for a batch in three indexed queries."""
	keys = [person_keys(person) for person in people]
	found: dict[tuple, str] = {}
	for fieldname in NUMBER_LABELS:
		if numbers := {key[1] for row in keys for key in row if key[0] == fieldname}:
			for match in _with_numbers(fieldname, list(numbers)):
				found.setdefault((fieldname, match.number), match.name)
	if pairs := {key[1:] for row in keys for key in row if key[0] == "name"}:
		for match in _with_name_and_birth(list(pairs)):
			found.setdefault(("name", match.name_key, match.date_of_birth), match.name)
	return [next((found[key] for key in row if key in found), None) for row in keys]
