"""Frappe's tools that read the database without any permission: only Administrator (a person at the
server, whose reads the app cannot limit anyway) uses them; municipal IT (System Manager) administers the
site, not the people's data.

- **System Console** (`execute_code`): its SQL mode runs any SELECT, with no server scripts needed; IT
  read every level-1 and level-2 field (vulnerable groups, psychologists' notes), legal holds and the
  access log, and no read was logged.
- **`show_processlist`**: the running queries of every user, with the values they filter by (an ΑΜΚΑ
  being looked up).
"""

import frappe
from frappe import _


def _administrator_only() -> None:
	if frappe.session.user != "Administrator":
		frappe.throw(
			_("Only the Administrator may run this tool: it reads the database without permission checks."),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


@frappe.whitelist(methods=["POST"])
def execute_code(doc: str) -> dict:
	"""`frappe.desk.doctype.system_console.system_console.execute_code`, for Administrator only."""
	from frappe.desk.doctype.system_console import system_console

	_administrator_only()
	return system_console.execute_code(doc)


@frappe.whitelist()
def show_processlist() -> list:
	"""`frappe.desk.doctype.system_console.system_console.show_processlist`, for Administrator only."""
	from frappe.desk.doctype.system_console import system_console

	_administrator_only()
	return system_console.show_processlist()
