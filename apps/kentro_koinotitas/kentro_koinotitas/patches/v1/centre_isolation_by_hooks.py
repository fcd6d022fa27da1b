"""Centre isolation moved from User Permissions to the app's permission hooks (`access/scope.py`): remove
the User Permissions on Community Centre that the Staff tables used to create."""

import frappe


def execute():
	frappe.db.delete("User Permission", {"allow": "Community Centre"})
	frappe.clear_cache()
