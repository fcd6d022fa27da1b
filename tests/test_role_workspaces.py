"""The role workspaces' numbers and charts over HTTP: each counts only what the user may read, so a user
of another centre sees none of centre A's records in them (the workspaces are shipped in module folders;
their cards and charts go through the app's access rules)."""

import frappe
from frappe.desk.desktop import get_workspace_sidebar_items
from frappe.utils import add_days, today
from kentro_koinotitas.setup.desk import boot_session

from tests.conftest import SiteSession

CHART = "kentro_koinotitas.reporting.dashboard_chart_source.indicators_by_centre.indicators_by_centre.get"
MY_STEPS = "kentro_koinotitas.reporting.dashboard.my_overdue_steps_count"


def session(web_server, world, key) -> SiteSession:
	http = SiteSession(web_server)
	http.login(world.users[key], world.passwords[key])
	return http


def test_workspace_cards_and_charts_stay_within_the_users_centres(web_server, two_centres):
	w = two_centres
	case = frappe.get_doc("Case", w.case_a.name)
	case.append(
		"action_plan",
		{"goal": "Βήμα", "responsible": w.users["social_worker_a"], "due_date": add_days(today(), -5)},
	)
	case.save(ignore_permissions=True)
	frappe.db.commit()
	try:
		with session(web_server, w, "social_worker_a") as worker:
			assert worker.get(f"/api/method/{MY_STEPS}").json()["message"] >= 1
			labels = worker.get(f"/api/method/{CHART}").json()["message"]["labels"]
			assert w.centre_a in labels and w.centre_b not in labels
		with session(web_server, w, "social_worker_b") as outsider:
			assert outsider.get(f"/api/method/{MY_STEPS}").json()["message"] == 0
			chart = outsider.get(f"/api/method/{CHART}").json()["message"]
			assert w.centre_a not in chart["labels"] and w.branch_a not in chart["labels"]
			# Frappe's number card of the workspaces counts what the user may list
			card = outsider.post(
				"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
				data={
					"doc": frappe.as_json(frappe.get_doc("Number Card", "Active Cases").as_dict()),
					"filters": "[]",
				},
			)
			frappe.set_user(w.users["social_worker_b"])
			visible = len(frappe.get_list("Case", filters={"status": ("!=", "Closed")}, pluck="name"))
			frappe.set_user("Administrator")
			assert card.json()["message"] == visible
			# the quick lists of «Οι Φάκελοί μου» and «Συντονισμός» are list requests: none of centre A's
			rows = outsider.get(
				"/api/method/frappe.client.get_list",
				params={"doctype": "Case", "fields": '["name", "centre"]', "limit_page_length": 0},
			).json()["message"]
			assert not {row["centre"] for row in rows} & {w.centre_a, w.branch_a}
	finally:
		frappe.db.rollback()
		case = frappe.get_doc("Case", w.case_a.name)
		case.set("action_plan", [])
		case.save(ignore_permissions=True)
		frappe.db.commit()


def test_each_role_lands_on_its_workspace_over_http(web_server, two_centres):
	w = two_centres
	for key, home in (
		("receptionist_a", "Υποδοχή"),
		("social_worker_a", "Οι Φάκελοί μου"),
		("coordinator_a", "Συντονισμός"),
		("director", "Διεύθυνση"),
		("dpo", "Προστασία Δεδομένων"),
	):
		with session(web_server, w, key) as http:
			assert frappe.db.get_value("User", w.users[key], "default_workspace") == home, key
			pages = http.get("/api/method/frappe.desk.desktop.get_workspace_sidebar_items").json()
			assert home in [p["name"] for p in pages["message"]["pages"]], key


def test_the_staffs_sidebar_holds_the_apps_workspaces_and_it_all_of_them(web_server, two_centres):
	w = two_centres
	frappe_workspaces = set(
		frappe.get_all(
			"Workspace",
			filters={"module": ("in", ["Core", "Automation", "Website", "Integrations"])},
			pluck="name",
		)
	)
	assert frappe_workspaces  # Frappe ships «Build», «Tools», «Users», «Website», «Integrations»
	for key in ("receptionist_a", "social_worker_a", "coordinator_a", "director", "dpo"):
		with session(web_server, w, key) as http:
			pages = http.get("/api/method/frappe.desk.desktop.get_workspace_sidebar_items").json()["message"]
			names = {p["name"] for p in pages["pages"]}
			assert names and not names & frappe_workspaces, (key, names & frappe_workspaces)
		# the boot's list (the awesome bar offers its workspaces) is the same
		frappe.set_user(w.users[key])
		boot = frappe._dict(allowed_workspaces=get_workspace_sidebar_items()["pages"])
		boot_session(boot)
		assert {p["name"] for p in boot.allowed_workspaces} == names, key
	frappe.set_user("Administrator")
	assert {p["name"] for p in get_workspace_sidebar_items()["pages"]} & frappe_workspaces
