"""The bulk insert refuses to run on a Frappe whose `Document.insert` it was not written against."""

import frappe
import pytest
from frappe.model.document import Document

from kentro_koinotitas.data_import import bulk_insert
from kentro_koinotitas.setup import roles
from kentro_koinotitas.tests.factories import make_user_with_roles


def test_this_frappe_has_every_step_the_bulk_insert_calls():
	assert frappe.__version__.startswith(f"{bulk_insert.FRAPPE_MAJOR_VERSION}.")
	bulk_insert.check_frappe_internals()


def test_another_major_version_is_refused():
	with pytest.raises(bulk_insert.FrappeInternalsChanged, match=r"Frappe 16\.0\.0"):
		bulk_insert.check_frappe_internals(version="16.0.0")


def test_a_missing_private_step_is_named():
	class RenamedSteps(Document):
		_validate_links = None  # as if Frappe had renamed it

	with pytest.raises(bulk_insert.FrappeInternalsChanged, match="_validate_links"):
		bulk_insert.check_frappe_internals(document=RenamedSteps)


def test_a_changed_insert_is_refused_naming_the_new_step():
	class ChangedInsert(Document):
		def insert(self, *args, **kwargs):  # as if Frappe had added a step to insert
			self.set_user_and_timestamp()
			self.check_for_duplicate_values()
			return super().insert(*args, **kwargs)

	with pytest.raises(bulk_insert.FrappeInternalsChanged, match="new: check_for_duplicate_values"):
		bulk_insert.check_frappe_internals(document=ChangedInsert)


def test_reordered_steps_are_refused():
	source_steps = bulk_insert.insert_steps()
	assert source_steps == bulk_insert.INSERT_STEPS  # this Frappe: the steps as recorded

	class Reordered(Document):
		def _validate(self):
			self._validate_selects()
			self._validate_mandatory()

	with pytest.raises(bulk_insert.FrappeInternalsChanged, match=r"Document\._validate "):
		bulk_insert.check_frappe_internals(document=Reordered)


def test_a_changed_permission_level_reset_is_refused():
	class ChangedReset(Document):
		def reset_values_if_no_permlevel_access(self, has_access_to, high_permlevel_fields):
			self.check_permission("write")  # as if Frappe reset the values another way

	with pytest.raises(bulk_insert.FrappeInternalsChanged, match="reset_values_if_no_permlevel_access"):
		bulk_insert.check_frappe_internals(document=ChangedReset)


def _person() -> dict:
	return {
		"doctype": "Beneficiary",
		"first_name": "Δοκιμή",
		"last_name": "Επιπέδων",
		"vulnerable_groups": [{"vulnerable_group": "Ρομά"}],
		"processing_restricted": 1,
		"restriction_reason": "όχι από το αρχείο",
		"__islocal": 1,  # new, as `insert` marks it
	}


@pytest.mark.parametrize("role", [roles.RECEPTIONIST, roles.COORDINATOR, roles.DATA_PROTECTION_OFFICER])
def test_fields_above_the_users_permission_level_are_reset_as_frappe_resets_them(role):
	"""What a user may not write (vulnerable groups, the restriction) is dropped from a new record exactly as
	`Document.validate_higher_perm_levels` drops it."""
	user = make_user_with_roles(role)
	frappe.set_user(user)
	try:
		theirs, ours = frappe.get_doc(_person()), frappe.get_doc(_person())
		theirs.validate_higher_perm_levels()
		bulk_insert._validate_higher_perm_levels(ours)
	finally:
		frappe.set_user("Administrator")
	fields = ("vulnerable_groups", "processing_restricted", "restriction_reason")
	assert [len(ours.vulnerable_groups), *(ours.get(f) for f in fields[1:])] == [
		len(theirs.vulnerable_groups),
		*(theirs.get(f) for f in fields[1:]),
	]
	assert (len(ours.vulnerable_groups), ours.processing_restricted) != (1, 1)  # each role lacks a level


def test_the_batch_meta_lists_what_the_meta_lists_and_follows_a_changed_meta():
	meta = frappe.get_meta("Beneficiary")
	batch = bulk_insert.batch_meta("Beneficiary")
	assert batch is bulk_insert.batch_meta("Beneficiary")  # made once
	for method in ("get_link_fields", "get_data_fields", "get_select_fields", "get_global_search_fields"):
		assert [df.fieldname for df in getattr(batch, method)()] == [
			df.fieldname for df in getattr(meta, method)()
		]
	batch.get_link_fields().clear()  # a caller changing the list it got changes nothing for the next
	assert batch.get_link_fields()
	frappe.clear_cache(doctype="Beneficiary")
	assert bulk_insert.batch_meta("Beneficiary") is not batch
