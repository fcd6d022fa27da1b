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
