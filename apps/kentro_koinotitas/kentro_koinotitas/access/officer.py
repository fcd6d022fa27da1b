"""The Data Protection Officer's own actions (anonymising, access packs, retention, restriction): one check
of the role that each of them calls, with its own message."""

import frappe
from frappe import _

from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER


def is_officer(user: str | None = None) -> bool:
	return DATA_PROTECTION_OFFICER in frappe.get_roles(user or frappe.session.user)


def check_officer(message: str) -> None:
	"""Refuse (PermissionError, with the given translated message) unless the user is the DPO."""
	if not is_officer():
		frappe.throw(message, frappe.PermissionError, title=_("Not permitted"))
