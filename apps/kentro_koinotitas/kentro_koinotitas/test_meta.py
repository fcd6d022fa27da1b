"""The app's DocTypes are defined once, and the document hooks registered for every DocType act on them
alone."""

import frappe

from kentro_koinotitas import hooks
from kentro_koinotitas.meta import app_doctypes, app_modules, is_app_doctype


def test_every_module_of_the_app_counts():
	with open(frappe.get_app_path("kentro_koinotitas", "modules.txt"), encoding="utf-8") as lines:
		assert app_modules() == {line.strip() for line in lines if line.strip()}
	assert {"Data Import", "Registry", "Casework"} <= app_modules()
	assert "Registry Import" in app_doctypes() and "Beneficiary" in app_doctypes()
	assert is_app_doctype("Beneficiary Vulnerable Group")
	assert not is_app_doctype("ToDo") and not is_app_doctype("No Such DocType") and not is_app_doctype(None)


def test_document_hooks_for_every_doctype_skip_frappes_own():
	handlers = [
		frappe.get_attr(path)
		for event in hooks.doc_events["*"].values()
		for path in (event if isinstance(event, list) else [event])
	]
	assert handlers
	# each is wrapped by `app_doctypes_only`, so a ToDo never reaches the app's checks
	assert all(getattr(handler, "__wrapped__", None) for handler in handlers)
	todo = frappe.get_doc({"doctype": "ToDo", "description": "x"})
	for handler in handlers:
		assert handler(todo) is None
