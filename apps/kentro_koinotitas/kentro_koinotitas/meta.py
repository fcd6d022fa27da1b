"""Which DocTypes are the app's: the one definition the access layer, the document hooks, set-up and
tests use (a DocType of the app's modules, including any that municipal IT adds to them from the desk)."""

from collections.abc import Callable
from functools import cache, wraps

import frappe
from frappe.utils.caching import site_cache

APP = "kentro_koinotitas"


@cache
def app_modules() -> frozenset[str]:
	"""The app's modules (modules.txt)."""
	return frozenset(frappe.get_module_list(APP))


def is_app_doctype(doctype: str | None) -> bool:
	if not doctype:
		return False
	try:
		return frappe.get_meta(doctype).module in app_modules()
	except frappe.DoesNotExistError:
		return False


@site_cache()
def app_doctypes() -> tuple[str, ...]:
	"""The app's DocTypes that are not child tables."""
	return tuple(
		frappe.get_all("DocType", filters={"module": ("in", list(app_modules())), "istable": 0}, pluck="name")
	)


def app_doctypes_only(handler: Callable) -> Callable:
	"""A `doc_events` handler registered for "*" that acts on the app's DocTypes and no other."""

	@wraps(handler)
	def wrapper(doc, *args, **kwargs):
		if is_app_doctype(doc.doctype):
			return handler(doc, *args, **kwargs)

	return wrapper
