"""Each role's home workspace, and the user's centre in the boot (the default centre of new records)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.setup import desk
from kentro_koinotitas.tests.factories import make_case, make_centre, make_user_with_roles


class TestRoleHomes(FrappeTestCase):
	def test_every_home_workspace_is_shipped_for_its_role(self):
		for role, workspace in desk.ROLE_HOMES:
			self.assertTrue(frappe.db.exists("Workspace", workspace), workspace)
			allowed = set(frappe.get_all("Has Role", filters={"parent": workspace}, pluck="role"))
			self.assertIn(role, allowed, workspace)

	def test_a_new_user_lands_on_their_roles_workspace(self):
		for roles, expected in (
			(("Receptionist",), "Υποδοχή"),
			(("Social Worker",), "Οι Φάκελοί μου"),
			(("Psychologist",), "Οι Φάκελοί μου"),
			(("Coordinator", "Social Worker"), "Συντονισμός"),
			(("Social Services Director",), "Διεύθυνση"),
			(("Data Protection Officer",), "Προστασία Δεδομένων"),
		):
			user = make_user_with_roles(*roles)
			self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), expected, roles)

	def test_a_chosen_workspace_is_kept(self):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"kk-{frappe.generate_hash(length=8)}@example.com",
				"first_name": "Δοκιμή",
				"send_welcome_email": 0,
				"default_workspace": "Κέντρο Κοινότητας",
				"roles": [{"role": "Receptionist"}],
			}
		).insert(ignore_permissions=True)
		self.assertEqual(user.default_workspace, "Κέντρο Κοινότητας")

	def test_migrate_gives_existing_staff_their_home(self):
		user = make_user_with_roles("Receptionist")
		frappe.db.set_value("User", user, "default_workspace", None)
		desk.assign_workspaces()
		self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), "Υποδοχή")


class TestBootCentre(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_staff_get_their_centre_and_municipality_wide_roles_none(self):
		worker = make_user_with_roles("Receptionist")
		centre = make_centre("Κέντρο Υποδοχής Δοκιμών")
		doc = frappe.get_doc("Community Centre", centre)
		doc.append("staff", {"user": worker})
		doc.save(ignore_permissions=True)
		director = make_user_with_roles("Social Services Director")
		for user, expected in ((worker, centre), (director, None)):
			frappe.set_user(user)
			bootinfo = frappe._dict()
			desk.boot_session(bootinfo)
			self.assertEqual(bootinfo.kentro_centre, expected)


class TestLinkResults(FrappeTestCase):
	def test_a_cases_status_reads_greek_in_link_results(self):
		case = make_case()
		frappe.db.set_value("Case", case.name, "status", "Active")
		frappe.local.lang = "el"
		try:
			results = frappe.call(
				frappe.get_attr(
					frappe.get_hooks("override_whitelisted_methods")["frappe.desk.search.search_link"][-1]
				),
				doctype="Case",
				txt=case.name,
			)
		finally:
			frappe.local.lang = "en"
		found = next(r for r in results if r["value"] == case.name)
		self.assertIn(frappe._("Active", lang="el"), found["description"])
		self.assertNotIn("Active", found["description"].split(", "))
