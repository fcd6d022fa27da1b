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


_DERIVED: dict[tuple[str, str, str], tuple[object, object]] = {}


def from_meta(doctype: str, compute: Callable):
	"""`compute(meta)` for the DocType, kept while Frappe's cached Meta of it is the same object (within a
	request, and never past a change of the DocType): for what the checks of every record ask again, which
	an import asks thousands of times."""
	meta = frappe.get_meta(doctype)
	key = (frappe.local.site, doctype, f"{compute.__module__}.{compute.__qualname__}")
	known = _DERIVED.get(key)
	if known and known[0] is meta:
		return known[1]
	value = compute(meta)
	_DERIVED[key] = (meta, value)
	return value


def app_doctypes_only(handler: Callable) -> Callable:
	"""A `doc_events` handler registered for "*" that acts on the app's DocTypes and no other."""

	@wraps(handler)
	def wrapper(doc, *args, **kwargs):
		if doc.meta.module in app_modules():  # the document's own Meta: `is_app_doctype` without a look-up
			return handler(doc, *args, **kwargs)

	return wrapper
