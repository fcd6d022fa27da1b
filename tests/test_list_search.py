"""The Beneficiary list's search box over real HTTP: the desk's `search_key like %text%` filter is answered
by the registry's indexed search (accent-, case- and script-free), and only within the user's centres."""

import json


def listed(http, typed: str, method: str = "get") -> dict:
	response = http.post(
		f"/api/method/frappe.desk.reportview.{method}",
		data={
			"doctype": "Beneficiary",
			"fields": json.dumps(["`tabBeneficiary`.`name`"]),
			"filters": json.dumps([["Beneficiary", "search_key", "like", f"%{typed}%"]]),
		},
	)
	assert response.status_code == 200, response.text[:500]
	return response.json()["message"]


def names_of(message) -> set[str]:
	"""The names in a `reportview.get` answer (an empty list when nothing matched)."""
	return {row[0] for row in message["values"]} if message else set()


def test_list_search_box_finds_by_any_spelling_within_the_centre(as_user, two_centres):
	person_a, person_b = two_centres.person_a, two_centres.person_b
	http = as_user("social_worker_b")
	# first name before surname: `search_key like` could not find that order, the indexed search does
	for typed in ("Γαλήνη", "γαληνη", "GALINI", person_b.amka, f"Γαλήνη {person_b.last_name}"):
		names = names_of(listed(http, typed))
		assert person_b.name in names, typed
		assert person_a.name not in names, typed
	assert listed(http, "Γαλήνη", "get_count") >= 1
	# centre A's person, by name or ΑΜΚΑ: nothing, and a count of zero
	assert names_of(listed(http, person_a.amka)) == set()
	assert listed(http, person_a.amka, "get_count") == 0
	assert person_a.name not in names_of(listed(http, "Αλίκη"))
