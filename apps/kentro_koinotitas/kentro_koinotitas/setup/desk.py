"""The desk a user meets: the home workspace of each role, and the user's centre sent in the boot.

Frappe v15 opens `/app` on the user's `default_workspace` (User field, sent in the boot), else on the
last or first workspace they may see; it has no per-role landing page. So a user who has not chosen a
workspace gets the one of their main role (the first of `ROLE_HOMES` they hold): when the user is saved
(a role profile given by IT included) and, for users created before, at every migrate. The data
protection officer's home is set by `data_protection/desk.py` in the same way.
"""

import frappe
from frappe import _

from kentro_koinotitas.access.centres import user_centre
from kentro_koinotitas.meta import app_modules, is_app_doctype
from kentro_koinotitas.setup.roles import (
	COORDINATOR,
	DATA_PROTECTION_OFFICER,
	DIRECTOR,
	PROFESSIONALS,
	RECEPTIONIST,
)

# The first role the user holds decides (a coordinator usually holds Social Worker too)
ROLE_HOMES = (
	(DIRECTOR, "Διεύθυνση"),
	(COORDINATOR, "Συντονισμός"),
	*((role, "Οι Φάκελοί μου") for role in PROFESSIONALS),
	(RECEPTIONIST, "Υποδοχή"),
)


def home_workspace(roles: set[str]) -> str | None:
	if DATA_PROTECTION_OFFICER in roles:
		return None  # data_protection/desk.py
	return next((workspace for role, workspace in ROLE_HOMES if role in roles), None)


def land_on_workspace(doc, method=None) -> None:
	"""`validate` of User: a user without a chosen workspace starts on their role's."""
	if doc.default_workspace:
		return
	workspace = home_workspace({row.role for row in doc.get("roles") or []})
	if workspace and frappe.db.exists("Workspace", workspace):
		doc.default_workspace = workspace


def assign_workspaces() -> None:
	"""`after_migrate`: the staff created before their role's workspace existed."""
	users = frappe.get_all(
		"User", filters={"default_workspace": ("is", "not set"), "user_type": "System User"}, pluck="name"
	)
	if not users:
		return
	roles: dict[str, set[str]] = {}
	for user, role in frappe.get_all(
		"Has Role",
		filters={"parent": ("in", users), "parenttype": "User"},
		fields=["parent", "role"],
		as_list=True,
	):
		roles.setdefault(user, set()).add(role)
	for user, held in roles.items():
		workspace = home_workspace(held)
		if workspace and frappe.db.exists("Workspace", workspace):
			frappe.db.set_value("User", user, "default_workspace", workspace, update_modified=False)


def boot_session(bootinfo) -> None:
	"""`boot_session`: the centre a new visit, person or case is recorded at unless the user picks
	another (the centre whose staff list names the user; none for municipality-wide roles), and the
	sidebar's workspaces."""
	if frappe.session.user != "Guest":
		bootinfo.kentro_centre = user_centre()
		if bootinfo.get("allowed_workspaces"):
			bootinfo.allowed_workspaces = staff_workspaces(bootinfo.allowed_workspaces)


# who builds the desk sees every workspace; the centre's staff those of the app and their own
DESK_BUILDERS = frozenset({"System Manager", "Workspace Manager"})


def staff_workspaces(pages: list[dict]) -> list[dict]:
	"""Frappe's own workspaces («Εργαλεία», «Χρήστες», «Ιστότοπος», …) lead the centre's staff to pages
	meant for IT: keep those of the app's modules and the user's private ones."""
	if DESK_BUILDERS & set(frappe.get_roles()):
		return pages
	kept = [
		page
		for page in pages
		if page.get("module") in app_modules() or page.get("for_user") == frappe.session.user
	]
	return kept or pages


@frappe.whitelist()
def workspace_sidebar_items() -> dict:
	"""`frappe.desk.desktop.get_workspace_sidebar_items`, with the staff's sidebar of `staff_workspaces`."""
	from frappe.desk.desktop import get_workspace_sidebar_items

	items = get_workspace_sidebar_items()
	items["pages"] = staff_workspaces(items["pages"])
	return items


def translate_described_options(doctype: str, results: list[dict]) -> list[dict]:
	"""Link results (`access/search.search_link`): Frappe joins the search fields' values into the
	description untranslated (unless the whole DocType is translated), so a status read «Active».
	Translate the values that are options of a Select among the app's search fields."""
	if not is_app_doctype(doctype):
		return results
	meta = frappe.get_meta(doctype)
	options = {
		option
		for fieldname in (meta.search_fields or "").split(",")
		if (df := meta.get_field(fieldname.strip())) and df.fieldtype == "Select"
		for option in (df.options or "").split("\n")
		if option
	}
	if not options:
		return results
	for result in results:
		description = result.get("description")
		if description:
			result["description"] = ", ".join(
				_(part) if part in options else part for part in description.split(", ")
			)
	return results
