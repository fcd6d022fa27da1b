"""Which Community Centres a user may read: the one statement of centre isolation.

A user reads the records of the centres whose Staff table names them (with those centres' branches,
unless their row says otherwise). Reading every centre is a property of named roles — the Social Services
Director, the Data Protection Officer and municipal IT (System Manager) — never of a missing row: a user
who holds a centre role but works at no centre reads nothing (default deny).
"""

import frappe
from frappe import _
from frappe.utils.caching import request_cache

from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER, DIRECTOR

MUNICIPALITY_WIDE_ROLES = frozenset({DIRECTOR, DATA_PROTECTION_OFFICER, "System Manager"})


def reads_every_centre(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(MUNICIPALITY_WIDE_ROLES.intersection(frappe.get_roles(user)))


@request_cache
def _staff_centres(user: str) -> tuple[str, ...]:
	rows = frappe.db.sql(
		"""SELECT staff.parent, staff.include_branches, centre.lft, centre.rgt
		FROM `tabCommunity Centre Staff` staff
		JOIN `tabCommunity Centre` centre ON centre.name = staff.parent
		WHERE staff.user = %s AND staff.parenttype = 'Community Centre'""",
		user,
		as_dict=True,
	)
	names = {row.parent for row in rows}
	for row in rows:
		if row.include_branches:
			names.update(subtree(row.parent, lft=row.lft, rgt=row.rgt))
	return tuple(sorted(names))


def forget_staff_centres(doc=None, method=None) -> None:
	"""`on_update`, `after_rename` and `on_trash` of Community Centre: the centre tree or a staff list
	changed, so this request's cache of `_staff_centres` (which would answer with the tree as it was,
	e.g. without a branch added since, for the rest of a long job or test session) is dropped."""
	cache = getattr(frappe.local, "request_cache", None)
	if cache is not None:
		cache.pop(_staff_centres.__wrapped__, None)


def user_centres(user: str | None = None) -> tuple[str, ...] | None:
	"""The centres the user may read; None means every centre (a municipality-wide role)."""
	user = user or frappe.session.user
	if reads_every_centre(user):
		return None
	return _staff_centres(user)


def can_read_centre(centre: str | None, user: str | None = None) -> bool:
	allowed = user_centres(user)
	return allowed is None or (bool(centre) and centre in allowed)


def subtree(centre: str, lft: int | None = None, rgt: int | None = None) -> list[str]:
	"""The centre and its branches (the centre tree's nested set)."""
	if lft is None or rgt is None:
		lft, rgt = frappe.db.get_value("Community Centre", centre, ["lft", "rgt"]) or (None, None)
		if lft is None:
			return []
	return frappe.get_all(
		"Community Centre", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name", order_by="lft"
	)


def sql_condition(column: str, user: str | None = None) -> str:
	"""A WHERE fragment keeping the rows whose centre column the user may read ('' when every centre)."""
	allowed = user_centres(user)
	if allowed is None:
		return ""
	if not allowed:
		return "1=0"
	return f"{column} IN ({', '.join(frappe.db.escape(c) for c in allowed)})"


def readers_of_centre(centres: list[str | None]) -> set[str]:
	"""The enabled users who may read records of any of these centres: the inverse of `user_centres` (the
	staff of each centre, and of the centres above it whose row includes their branches, and the holders
	of a municipality-wide role)."""
	named = [c for c in centres if c]
	readers = set(
		frappe.db.sql_list(
			"""SELECT DISTINCT staff.user
			FROM `tabCommunity Centre Staff` staff
			JOIN `tabCommunity Centre` above ON above.name = staff.parent
			JOIN `tabCommunity Centre` centre ON centre.name IN %(centres)s
			WHERE staff.parenttype = 'Community Centre'
				AND (staff.parent = centre.name
					OR (staff.include_branches = 1 AND above.lft <= centre.lft AND above.rgt >= centre.rgt))""",
			{"centres": named},
		)
		if named
		else ()
	)
	readers.update(
		frappe.db.sql_list(
			"SELECT DISTINCT parent FROM `tabHas Role` WHERE parenttype = 'User' AND role IN %(roles)s",
			{"roles": tuple(MUNICIPALITY_WIDE_ROLES)},
		)
	)
	readers.add("Administrator")
	enabled = frappe.get_all("User", filters={"name": ("in", list(readers)), "enabled": 1}, pluck="name")
	return set(enabled)


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
			_("You cannot see the records of this centre."), frappe.PermissionError, title=_("Not permitted")
		)
	branches = set(subtree(centre))
	return [c for c in allowed if c in branches]
