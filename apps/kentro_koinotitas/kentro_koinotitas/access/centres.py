"""Which Community Centre a user works at (the Staff table of each centre)."""

import frappe


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
