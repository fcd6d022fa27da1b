# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
# The importer's behaviour is tested in tests/test_registry_import.py (files written as Excel and LibreOffice
# write them); this module checks the DocType's own rules.

import frappe
import pytest


def test_only_spreadsheets_are_accepted():
	doc = frappe.get_doc({"doctype": "Registry Import", "centre": "x", "import_file": "/files/registry.pdf"})
	with pytest.raises(frappe.ValidationError):
		doc.validate_file_type()
