"""Which Community Centre a user works at (the Staff table of each centre)."""

import frappe
from frappe import _


def user_centre(user: str | None = None) -> str | None:
	"""The centre whose staff list names the user (the first by name when there are several)."""
	user = user or frappe.session.user
	centres = frappe.get_all(
		"Community Centre Staff",
		filters={"user": user, "parenttype": "Community Centre"},
		pluck="parent",
		order_by="parent asc",
		limit=1,
	)
	return centres[0] if centres else None


def default_centre(*candidates: str | None) -> str | None:
	"""The first centre given, else the current user's centre."""
	return next((c for c in candidates if c), None) or user_centre()


def readable_centres(centre: str | None = None) -> list[str]:
	"""The centres whose records a report may count for the current user: the chosen centre with its
	branches, or every centre the user may read. Refuses a centre the user may not read."""
	allowed = frappe.get_list("Community Centre", pluck="name", order_by="lft asc", limit_page_length=0)
	if not centre:
		return allowed
	if centre not in allowed:
		frappe.throw(
			_("You cannot see the records of {0}.").format(centre),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	lft, rgt = frappe.db.get_value("Community Centre", centre, ["lft", "rgt"])
	subtree = set(
		frappe.get_all("Community Centre", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name")
	)
	return [c for c in allowed if c in subtree]
