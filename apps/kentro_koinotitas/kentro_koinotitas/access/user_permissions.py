"""Centre isolation: each staff member of a Community Centre gets a User Permission on that centre.

Frappe applies a User Permission on Community Centre to every Link to Community Centre (Beneficiary's
home centre, Case's centre, Referral's centre…) in list and form views, link search, reports, REST and
``frappe.client``. The centre is a tree, so a permission on a main centre also covers its branches unless
the staff row says otherwise (``hide_descendants``). Users with no such permission (the director,
municipal IT) see every centre.
"""

import frappe

ALLOW = "Community Centre"


def sync_centre_user_permissions(centre, method=None) -> None:
	"""Keep one User Permission per staff row of this centre; remove those of people who left."""
	wanted = {row.user: not row.include_branches for row in centre.staff}
	existing = frappe.get_all(
		"User Permission",
		filters={"allow": ALLOW, "for_value": centre.name, "applicable_for": ("is", "not set")},
		fields=["name", "user", "hide_descendants"],
	)
	for perm in existing:
		if perm.user not in wanted:
			frappe.delete_doc("User Permission", perm.name, ignore_permissions=True)
		elif bool(perm.hide_descendants) != wanted[perm.user]:
			frappe.db.set_value("User Permission", perm.name, "hide_descendants", int(wanted[perm.user]))
	have = {perm.user for perm in existing}
	for user, hide_descendants in wanted.items():
		if user not in have:
			frappe.get_doc(
				{
					"doctype": "User Permission",
					"user": user,
					"allow": ALLOW,
					"for_value": centre.name,
					"apply_to_all_doctypes": 1,
					"hide_descendants": int(hide_descendants),
				}
			).insert(ignore_permissions=True)


def remove_centre_user_permissions(centre, method=None) -> None:
	for name in frappe.get_all(
		"User Permission", filters={"allow": ALLOW, "for_value": centre.name}, pluck="name"
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True)
