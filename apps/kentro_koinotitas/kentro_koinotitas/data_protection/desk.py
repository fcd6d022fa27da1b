"""The data protection officer's desk: a DPO lands on the workspace «Προστασία Δεδομένων».

Frappe v15 opens `/app` on the user's `default_workspace` (User field, sent in the boot), else on the
last or first workspace they may see; it has no per-role landing page. So a user who holds the Data
Protection Officer role and has not chosen a workspace gets this one: when the user is saved (a role
profile given by IT included) and, for users created before, at every migrate.
"""

import frappe

from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER

WORKSPACE = "Προστασία Δεδομένων"


def land_on_workspace(doc, method=None) -> None:
	"""`validate` of User."""
	if doc.default_workspace or not frappe.db.exists("Workspace", WORKSPACE):
		return
	if DATA_PROTECTION_OFFICER in {row.role for row in doc.get("roles") or []}:
		doc.default_workspace = WORKSPACE


def assign_workspace() -> None:
	"""`after_migrate`: the officers created before the workspace existed."""
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	officers = frappe.get_all(
		"Has Role", filters={"role": DATA_PROTECTION_OFFICER, "parenttype": "User"}, pluck="parent"
	)
	for user in frappe.get_all(
		"User",
		filters={"name": ("in", officers or [""]), "default_workspace": ("is", "not set")},
		pluck="name",
	):
		frappe.db.set_value("User", user, "default_workspace", WORKSPACE, update_modified=False)
