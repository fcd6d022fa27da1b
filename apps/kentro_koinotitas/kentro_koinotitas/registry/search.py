"""Beneficiary search for link fields, the awesome bar and ``frappe.desk.search.search_link``."""

import frappe

from kentro_koinotitas.registry import identity


@frappe.whitelist()
@frappe.read_only()
@frappe.validate_and_sanitize_search_inputs
def beneficiary_query(
	doctype: str,
	txt: str,
	searchfield: str,
	start: int,
	page_len: int,
	filters: dict | list | None = None,
	reference_doctype: str | None = None,
) -> list:
	"""Match the typed text against the normalised search key: name with or without accents, in either
	case, Greek or Latin script, ΑΜΚΑ, ΑΦΜ, phone and identity-document number. Permission-aware."""
	key = identity.normalise_search_text(txt)
	or_filters = None
	if key:
		or_filters = [["search_key", "like", f"%{key}%"], ["name", "like", f"%{txt.strip()}%"]]
	return frappe.get_list(
		"Beneficiary",
		fields=["name", "full_name", "amka", "date_of_birth", "home_centre"],
		filters=filters,
		or_filters=or_filters,
		order_by="full_name asc",
		start=start,
		page_length=page_len,
		as_list=True,
	)
