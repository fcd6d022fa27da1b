"""Centre isolation over real HTTP: users of centre A, logged in with their password, cannot read, list,
search, update or export centre B's beneficiaries and cases; nothing leaks in error messages."""

import json


def names(response):
	assert response.status_code == 200, response.text[:500]
	return {row["name"] for row in response.json()["data"]}


def assert_refused_without_leak(response, secret):
	assert response.status_code in (403, 404, 417), response.status_code
	assert secret not in response.text


def test_rest_lists_only_own_centre(as_user, two_centres):
	http = as_user("social_worker_a")
	listed = names(http.get("/api/resource/Beneficiary", params={"limit_page_length": 0}))
	assert two_centres.person_a.name in listed
	assert two_centres.person_branch.name in listed, "a main centre's staff see its branches"
	assert two_centres.person_b.name not in listed
	cases = names(http.get("/api/resource/Case", params={"limit_page_length": 0}))
	assert two_centres.case_a.name in cases and two_centres.case_b.name not in cases


def test_rest_read_update_of_other_centre_refused(as_user, two_centres):
	http = as_user("social_worker_a")
	secret = two_centres.person_b.last_name
	assert_refused_without_leak(http.get(f"/api/resource/Beneficiary/{two_centres.person_b.name}"), secret)
	assert_refused_without_leak(http.get(f"/api/resource/Case/{two_centres.case_b.name}"), secret)
	assert_refused_without_leak(
		http.put(f"/api/resource/Beneficiary/{two_centres.person_b.name}", json={"phone": "6900000000"}),
		secret,
	)


def test_frappe_client_calls_refused(as_user, two_centres):
	http = as_user("social_worker_a")
	secret = two_centres.person_b.last_name
	response = http.post(
		"/api/method/frappe.client.get_list",
		data={"doctype": "Beneficiary", "fields": json.dumps(["name", "full_name"]), "limit_page_length": 0},
	)
	listed = {row["name"] for row in response.json()["message"]}
	assert two_centres.person_a.name in listed and two_centres.person_b.name not in listed
	assert_refused_without_leak(
		http.get(
			"/api/method/frappe.client.get",
			params={"doctype": "Beneficiary", "name": two_centres.person_b.name},
		),
		secret,
	)
	value = http.get(
		"/api/method/frappe.client.get_value",
		params={"doctype": "Beneficiary", "filters": two_centres.person_b.name, "fieldname": "full_name"},
	)
	assert value.status_code == 200 and not value.json().get("message"), "get_value answers empty"
	assert secret not in value.text


def test_link_search_and_report_view_refused(as_user, two_centres):
	http = as_user("social_worker_a")
	for typed in (two_centres.person_b.last_name, two_centres.person_b.amka):
		found = http.get(
			"/api/method/frappe.desk.search.search_link", params={"doctype": "Beneficiary", "txt": typed}
		)
		assert found.status_code == 200
		assert two_centres.person_b.name not in found.text
	own = http.get(
		"/api/method/frappe.desk.search.search_link",
		params={"doctype": "Beneficiary", "txt": two_centres.person_a.last_name},
	)
	assert two_centres.person_a.name in own.text
	report = http.post(
		"/api/method/frappe.desk.reportview.get",
		data={
			"doctype": "Beneficiary",
			"fields": json.dumps(["`tabBeneficiary`.`name`", "`tabBeneficiary`.`full_name`"]),
		},
	)
	assert report.status_code == 200
	assert two_centres.person_a.name in report.text and two_centres.person_b.name not in report.text


def test_link_search_asking_to_ignore_user_permissions_stays_in_the_centre(as_user, two_centres):
	"""Frappe's search_link/search_widget read with `ignore_permissions` when the caller sends
	`ignore_user_permissions=1` and may read the DocType at all: that skipped the centre isolation."""
	http = as_user("social_worker_a")
	w = two_centres
	for method in ("search_link", "search_widget"):
		for doctype, other, own in (
			("Case", w.case_b.name, w.case_a.name),
			("Beneficiary", w.person_b.name, w.person_a.name),
		):
			for typed in ("", other):
				found = http.get(
					f"/api/method/frappe.desk.search.{method}",
					params={
						"doctype": doctype,
						"txt": typed,
						"ignore_user_permissions": 1,
						"page_length": 500,
					},
				)
				assert found.status_code == 200, (method, doctype, found.text[:300])
				assert other not in found.text, (method, doctype, typed)
			mine = http.get(
				f"/api/method/frappe.desk.search.{method}",
				params={"doctype": doctype, "txt": own, "ignore_user_permissions": 1},
			)
			assert own in mine.text, (method, doctype)


def test_export_contains_only_own_centre(as_user, two_centres):
	http = as_user("coordinator_a")
	response = http.post(
		"/api/method/frappe.desk.reportview.export_query",
		data={
			"doctype": "Beneficiary",
			"file_format_type": "CSV",
			"fields": json.dumps(["`tabBeneficiary`.`name`", "`tabBeneficiary`.`full_name`"]),
		},
	)
	assert response.status_code == 200, response.text[:300]
	assert two_centres.person_a.name in response.text
	assert (
		two_centres.person_b.name not in response.text and two_centres.person_b.last_name not in response.text
	)


def test_branch_user_sees_only_the_branch(as_user, two_centres):
	http = as_user("mediator_branch")
	listed = names(http.get("/api/resource/Beneficiary", params={"limit_page_length": 0}))
	assert listed == {two_centres.person_branch.name}


def test_receptionist_reads_people_but_not_cases(as_user, two_centres):
	http = as_user("receptionist_a")
	assert two_centres.person_a.name in names(http.get("/api/resource/Beneficiary"))
	assert http.get(f"/api/resource/Case/{two_centres.case_a.name}").status_code == 403
	person = http.get(f"/api/resource/Beneficiary/{two_centres.person_a.name}").json()["data"]
	assert "vulnerable_groups" not in person or person["vulnerable_groups"] == [], "sensitive data is hidden"


def test_director_reads_every_centre(as_user, two_centres):
	http = as_user("director")
	listed = names(http.get("/api/resource/Beneficiary", params={"limit_page_length": 0}))
	assert {two_centres.person_a.name, two_centres.person_b.name} <= listed
	assert (
		http.put(
			f"/api/resource/Beneficiary/{two_centres.person_a.name}", json={"phone": "6900000000"}
		).status_code
		== 403
	)


def test_awesome_bar_global_search_is_filtered_per_record(as_user, two_centres):
	http = as_user("social_worker_a")
	for typed in (two_centres.person_b.last_name, two_centres.tag):
		response = http.get("/api/method/frappe.utils.global_search.search", params={"text": typed})
		assert response.status_code == 200
		assert (
			two_centres.person_b.name not in response.text
			and two_centres.person_b.last_name not in response.text
		)
	own = http.get(
		"/api/method/frappe.utils.global_search.search", params={"text": two_centres.person_a.last_name}
	)
	assert two_centres.person_a.name in own.text
	director = as_user("director")
	found = director.get(
		"/api/method/frappe.utils.global_search.search", params={"text": two_centres.person_b.last_name}
	)
	assert two_centres.person_b.name in found.text


def test_print_view_of_other_centre_refused(as_user, two_centres):
	http = as_user("coordinator_a")
	own = http.get(
		"/printview",
		params={"doctype": "Beneficiary", "name": two_centres.person_a.name},
		headers={"Accept": "text/html"},
	)
	assert own.status_code == 200 and two_centres.person_a.last_name in own.text
	other = http.get(
		"/printview",
		params={"doctype": "Beneficiary", "name": two_centres.person_b.name},
		headers={"Accept": "text/html"},
	)
	assert two_centres.person_b.last_name not in other.text
