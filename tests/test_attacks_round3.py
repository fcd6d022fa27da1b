"""Round 3 attacks: whitelisted methods of Frappe that read a DocType the caller names without the
permission checks the app's hooks add (centre isolation, field levels), as users of centre A."""

import json

import frappe
import pytest


def heatmap(http, chart: dict, **extra):
	return http.post(
		"/api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
		data={
			"chart": json.dumps(chart),
			"no_cache": 1,
			"heatmap_year": frappe.utils.getdate().year,
			**extra,
		},
	)


def test_heatmap_chart_sent_by_the_client_stays_in_the_centre(as_user, two_centres):
	"""Frappe's dashboard chart `get` takes a chart as JSON from the client and, for a heatmap, counts (or
	sums any column of) the DocType it names with `frappe.get_all`: no permission check at all."""
	w = two_centres
	http = as_user("social_worker_a")
	amka_b = w.person_b.amka
	chart = {
		"name": "kk-heatmap",
		"document_type": "Beneficiary",
		"type": "Heatmap",
		"chart_type": "Sum",
		"value_based_on": "amka",
		"based_on": "creation",
		"filters_json": json.dumps([["Beneficiary", "name", "=", w.person_b.name]]),
	}
	response = heatmap(http, chart)
	assert str(int(amka_b)) not in response.text, "the AMKA of centre B's person, summed"
	values = response.json().get("message", {}).get("dataPoints") if response.status_code == 200 else None
	assert not values, ("centre B's person counted", response.text[:300])
	# a count of B's people whose name matches: an oracle on any field
	counted = heatmap(
		http,
		chart
		| {
			"chart_type": "Count",
			"value_based_on": None,
			"filters_json": json.dumps([["Beneficiary", "last_name", "like", f"{w.person_b.last_name}%"]]),
		},
	)
	points = counted.json().get("message", {}).get("dataPoints") if counted.status_code == 200 else None
	assert not points, ("centre B's person counted", counted.text[:300])
	# the user's own people are still counted
	own = heatmap(
		http,
		chart
		| {
			"chart_type": "Count",
			"value_based_on": None,
			"filters_json": json.dumps([["Beneficiary", "name", "=", w.person_a.name]]),
		},
	)
	assert own.status_code == 200, own.text[:300]
	assert sum(own.json()["message"]["dataPoints"].values()) == 1, own.text[:300]


def test_next_record_never_compares_with_another_centres_record(as_user, two_centres):
	"""`frappe.desk.form.utils.get_next` read the sort field of the record named in `value` without a
	permission check and compared the user's own records with it: "is my record's surname after B's?",
	asked with a record the attacker edits, finds B's value letter by letter."""
	w = two_centres
	http = as_user("social_worker_a")
	answers = []
	for order in ("asc", "desc"):
		response = http.post(
			"/api/method/frappe.desk.form.utils.get_next",
			data={
				"doctype": "Beneficiary",
				"value": w.person_b.name,
				"prev": 0,
				"sort_order": order,
				"sort_field": "last_name",
				"filters": json.dumps([["Beneficiary", "name", "=", w.person_a.name]]),
			},
		)
		answers.append((response.status_code, w.person_a.name in response.text))
	assert not any(found for _status, found in answers), answers
	# the user's own record still has a next one
	own = http.post(
		"/api/method/frappe.desk.form.utils.get_next",
		data={
			"doctype": "Beneficiary",
			"value": w.person_branch.name,
			"prev": 0,
			"sort_order": "desc",
			"sort_field": "last_name",
			"filters": json.dumps([["Beneficiary", "name", "=", w.person_a.name]]),
		},
	)
	assert own.status_code == 200 and own.json().get("message") == w.person_a.name, own.text[:300]


def test_tagged_documents_only_of_the_own_centre(as_user, two_centres, tagged_b):
	"""`frappe.desk.doctype.tag.tag.get_tagged_docs` checked only that the user reads the DocType, then
	listed every record whose tags match: which of centre B's people carry a tag («βία»)."""
	w = two_centres
	http = as_user("social_worker_a")
	for tag in ("%", f"%{tagged_b}%"):
		response = http.post(
			"/api/method/frappe.desk.doctype.tag.tag.get_tagged_docs",
			data={"doctype": "Beneficiary", "tag": tag},
		)
		assert response.status_code == 200, response.text[:300]
		assert w.person_b.name not in response.text, tag
		assert w.person_a.name in response.text, tag


@pytest.fixture
def saved_chart(two_centres):
	frappe.set_user("Administrator")
	chart = frappe.get_doc(
		{
			"doctype": "Dashboard Chart",
			"chart_name": f"kk-count-{two_centres.tag}",
			"chart_type": "Count",
			"document_type": "Beneficiary",
			"based_on": "creation",
			"timespan": "Last Year",
			"time_interval": "Yearly",
			"type": "Line",
			"is_public": 1,
			"filters_json": "[]",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield chart.name
	frappe.cache.delete_value(f"chart-data:{chart.name}")
	frappe.delete_doc("Dashboard Chart", chart.name, ignore_permissions=True, force=True)
	frappe.db.commit()


def test_saved_chart_never_served_from_another_users_cache(as_user, two_centres, saved_chart):
	"""Frappe's `cache_source` keeps one result per chart for every user: what the director counted over
	every centre was served to a centre's worker who opened the same chart."""
	director_result = {"labels": ["2026"], "datasets": [{"name": saved_chart, "values": [987654]}]}
	frappe.cache.set_value(f"chart-data:{saved_chart}", json.dumps(director_result))
	http = as_user("social_worker_a")
	response = http.post(
		"/api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
		data={"chart_name": saved_chart},
	)
	assert response.status_code == 200, response.text[:300]
	assert "987654" not in response.text
	# counted now, for this user: the people of centre A (with its branch), not centre B's
	counted = sum(sum(d["values"]) for d in response.json()["message"]["datasets"])
	assert counted >= 2, response.text[:300]
