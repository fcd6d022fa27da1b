"""A municipality's production site, after `bench new-site` (called by `./kentro site add`)."""

import frappe

from kentro_koinotitas.setup.security import apply_security_baseline

# Frappe never asks Administrator for a second factor (`twofactor.two_factor_is_enabled_for_`): on a
# production site that account signs in only from the server itself; IT staff use named accounts with
# the System Manager role, which two-factor authentication covers.
ADMINISTRATOR_ADDRESSES = "127.0.0.1, ::1"


def prepare_site(municipality: str) -> dict:
	"""The production baseline (two-factor authentication for sensitive roles, strict permissions,
	Administrator only from the server) and the municipality's first Community Centre, which IT renames
	and completes; nothing else, no demo data."""
	if not (municipality or "").strip():
		frappe.throw('--municipality is required, e.g. --municipality "Δήμος Καλαμαριάς"')
	if not frappe.conf.get("kentro_require_two_factor"):
		frappe.throw("The site config lacks kentro_require_two_factor: run ./kentro site add again")
	apply_security_baseline()
	frappe.db.set_value("User", "Administrator", "restrict_ip", ADMINISTRATOR_ADDRESSES)
	centre = None
	if not frappe.db.count("Community Centre"):
		centre = frappe.get_doc(
			{
				"doctype": "Community Centre",
				"centre_name": f"Κέντρο Κοινότητας - {municipality.strip()}",
				"municipality": municipality.strip(),
				"centre_type": "Main centre",
				"is_group": 1,
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	return {
		"centre": centre.name if centre else None,
		"two_factor": bool(frappe.conf.kentro_require_two_factor),
	}
