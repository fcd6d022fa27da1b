"""The bulk insert refuses to run on a Frappe whose `Document.insert` it was not written against."""

import frappe
import pytest
from frappe.model.document import Document

from kentro_koinotitas.data_import import bulk_insert


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
