"""Saving a record that names another centre's record gets the answer for a record that does not exist,
whatever the controller would check about the named record: otherwise the difference between two answers
tells a user of centre A something about centre B's people (that one has died, that one has a case there),
over REST, as centre A's social worker."""

import json

import frappe
import pytest

NO_SUCH = "kk-no-such-record"


def answer(response, *names: str) -> tuple:
	"""What the user learns from a refused save: status, error type and messages, the names they sent
	put back to one placeholder."""
	body = response.json()
	messages = [json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")]
	text = json.dumps([body.get("exc_type"), messages], ensure_ascii=False)
	for name in names:
		text = text.replace(name, "{name}")
	return response.status_code, text


@pytest.fixture
def case_of_a_person_in_b(two_centres):
	"""Centre A's person with a case at centre B too, which centre A's staff may not read."""
	frappe.set_user("Administrator")
	case = frappe.get_doc(
		{"doctype": "Case", "beneficiary": two_centres.person_a.name, "centre": two_centres.centre_b}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield case.name
	frappe.set_user("Administrator")
	frappe.delete_doc("Case", case.name, ignore_permissions=True, force=True)
	frappe.db.commit()


def test_a_delivery_under_a_case_of_another_centre_says_nothing_about_whose_case_it_is(
	as_user, two_centres, case_of_a_person_in_b
):
	"""The Service Delivery's controller compares the case's person with the delivery's: "belongs to
	another beneficiary" for one case, a refusal for the other told whether B's case is about A's person."""
	w = two_centres
	http = as_user("social_worker_a")
	service = frappe.get_all("Service", pluck="name", limit=1)[0]
	answers = {}
	for case in (case_of_a_person_in_b, w.case_b.name, NO_SUCH):
		response = http.post(
			"/api/resource/Service Delivery",
			json={"service": service, "beneficiary": w.person_a.name, "case": case},
		)
		answers[case] = answer(response, case)
	assert answers[case_of_a_person_in_b] == answers[w.case_b.name] == answers[NO_SUCH], answers
	assert answers[NO_SUCH][0] == 417, answers
	assert not frappe.get_all("Service Delivery", filters={"case": ("in", list(answers))})
	# the user's own case is accepted
	own = http.post(
		"/api/resource/Service Delivery",
		json={"service": service, "beneficiary": w.person_a.name, "case": w.case_a.name},
	)
	assert own.status_code == 200, own.text[:300]
	frappe.set_user("Administrator")
	frappe.delete_doc("Service Delivery", own.json()["data"]["name"], ignore_permissions=True, force=True)
	frappe.db.commit()


def test_a_case_for_another_centres_person_says_nothing_about_their_status(as_user, two_centres):
	"""Frappe fills in a new case's centre from its person (`fetch_from`) before it asks whether the user
	may create it: another centre's person was refused (403) where a name of no one was "not found" (417).
	Nor may the controller's own check of the person's status (refused for a person who has died) be what
	answers."""
	w = two_centres
	http = as_user("social_worker_a")
	frappe.db.set_value("Beneficiary", w.person_b.name, "status", "Deceased", update_modified=False)
	frappe.db.commit()
	try:
		deceased = answer(
			http.post("/api/resource/Case", json={"beneficiary": w.person_b.name}), w.person_b.name
		)
	finally:
		frappe.db.set_value("Beneficiary", w.person_b.name, "status", "Active", update_modified=False)
		frappe.db.commit()
	alive = answer(http.post("/api/resource/Case", json={"beneficiary": w.person_b.name}), w.person_b.name)
	missing = answer(http.post("/api/resource/Case", json={"beneficiary": NO_SUCH}), NO_SUCH)
	assert deceased == alive == missing, (deceased, alive, missing)
	assert missing[0] == 417 and "Δεν βρέθηκε" in missing[1], missing
	assert not frappe.get_all("Case", filters={"beneficiary": w.person_b.name, "centre": w.centre_a})


def test_a_print_preview_naming_another_centres_record_answers_as_for_no_record(as_user, two_centres):
	"""The print preview of an unsaved document checks its links as saving does; a link to no record is
	refused there too, or the preview would tell apart the names that exist."""
	w = two_centres
	http = as_user("social_worker_a")
	answers = {}
	for person in (w.person_b.name, NO_SUCH):
		doc = {"doctype": "Case", "name": "new-case-kk1", "beneficiary": person, "centre": w.centre_a}
		response = http.post(
			"/api/method/frappe.www.printview.get_html_and_style",
			data={"doc": json.dumps(doc), "print_format": "Standard"},
		)
		answers[person] = answer(response, person)
	assert answers[w.person_b.name] == answers[NO_SUCH], answers
	assert answers[NO_SUCH][0] == 417, answers


def test_a_referral_under_another_centres_case_does_not_name_whose_case_it_is(
	as_user, two_centres, case_of_a_person_in_b
):
	"""Frappe fills a referral's person in from its case (`fetch_from`) before any check: naming that
	person as unreadable told whose B's case is, and a case about one of A's own people passed to the
	next check. Every case of B, and a name of no case, get the same answer."""
	w = two_centres
	http = as_user("social_worker_a")
	service = frappe.get_all("Service", pluck="name", limit=1)[0]
	answers = {}
	for case in (w.case_b.name, case_of_a_person_in_b, NO_SUCH):
		response = http.post(
			"/api/resource/Referral",
			json={"case": case, "referral_type": "Internal", "internal_service": service, "reason": "κκ"},
		)
		answers[case] = answer(response, case)
	assert answers[w.case_b.name] == answers[case_of_a_person_in_b] == answers[NO_SUCH], answers
	assert w.person_b.name not in json.dumps(answers, ensure_ascii=False)
	assert answers[NO_SUCH][0] == 417, answers


def test_a_table_row_is_not_saved_alone(as_user, two_centres):
	"""`PUT /api/resource/<table>/<row>` saves a row by itself and then its record as stored, with the
	row already changed: no check of the record saw the change (a participant or household member of
	another centre, with their name fetched into the answer)."""
	w = two_centres
	http = as_user("social_worker_a")
	row = frappe.get_doc("Beneficiary", w.person_a.name).vulnerable_groups[0]
	response = http.put(f"/api/resource/Beneficiary Vulnerable Group/{row.name}", json={"notes": "κκ-μόνη"})
	assert response.status_code == 403, response.text[:300]
	assert "Μια γραμμή πίνακα αλλάζει μόνο μαζί με την εγγραφή της" in answer(response)[1]
	assert frappe.db.get_value("Beneficiary Vulnerable Group", row.name, "notes") != "κκ-μόνη"
	response = http.post(
		"/api/resource/Beneficiary Vulnerable Group",
		json={
			"parent": w.person_a.name,
			"parenttype": "Beneficiary",
			"parentfield": "vulnerable_groups",
			"vulnerable_group": row.vulnerable_group,
			"notes": "κκ-μόνη",
		},
	)
	assert response.status_code in (403, 417), response.text[:300]
	assert not frappe.get_all("Beneficiary Vulnerable Group", filters={"notes": "κκ-μόνη"})


def test_a_saved_record_cannot_take_a_row_of_another_record(as_user, two_centres):
	"""Frappe writes a row sent as already stored by its name alone: sent under the name of a row of centre
	B's case, it was moved into A's case (and B's case lost it), whatever the row's parent was."""
	w = two_centres
	http = as_user("social_worker_a")
	own = frappe.get_doc("Case", w.case_a.name)
	theirs = frappe.get_doc("Case", w.case_b.name).needs_assessment[0]
	rows = [{"name": row.name, "area": row.area, "notes": row.notes} for row in own.needs_assessment]
	response = http.put(
		f"/api/resource/Case/{own.name}",
		json={"needs_assessment": [*rows, {"name": theirs.name, "area": theirs.area, "notes": "κκ"}]},
	)
	assert answer(response, theirs.name)[0] == 417, response.text[:300]
	assert frappe.db.get_value("Case Need Assessment", theirs.name, "parent") == w.case_b.name
	# the same save with the case's own rows only is accepted
	rows[0]["notes"] = "κκ-δική"
	response = http.put(f"/api/resource/Case/{own.name}", json={"needs_assessment": rows})
	assert response.status_code == 200, response.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Case Need Assessment", rows[0]["name"], "notes") == "κκ-δική"


def test_a_table_row_is_not_deleted_alone(as_user, two_centres):
	"""`DELETE /api/resource/<table>/<row>` deletes a row with no check of its record (a restricted
	person's rows included): a row goes with a save of its record."""
	w = two_centres
	frappe.set_user("Administrator")
	case = frappe.get_doc("Case", w.case_a.name)
	case.append(
		"requests", {"request_category": frappe.get_all("Request Category", pluck="name", limit=1)[0]}
	)
	case.save(ignore_permissions=True)
	frappe.db.commit()
	row = case.requests[-1]
	try:
		response = as_user("coordinator_a").delete(f"/api/resource/Case Request/{row.name}")
		assert response.status_code == 403, response.text[:300]
		assert "Μια γραμμή πίνακα αλλάζει μόνο μαζί με την εγγραφή της" in answer(response)[1]
		assert frappe.db.exists("Case Request", row.name)
	finally:
		case.reload()
		case.set("requests", [r for r in case.requests if r.name != row.name])
		case.save(ignore_permissions=True)
		frappe.db.commit()


def test_api_v2_run_doc_method_answers_for_another_centres_record_as_for_none(as_user, two_centres):
	"""API v2's `run_doc_method` compared the document sent with the stored record before asking for
	permission: for another centre's case it answered with that record's time of change."""
	w = two_centres
	http = as_user("social_worker_a")
	answers = {}
	for name in (w.case_b.name, NO_SUCH):
		response = http.post(
			"/api/v2/method/run_doc_method",
			data={
				"method": "add_comment",
				"document": json.dumps({"doctype": "Case", "name": name, "modified": "2000-01-01 00:00:00"}),
			},
		)
		answers[name] = (response.status_code, response.text.replace(name, "{name}"))
	assert answers[w.case_b.name] == answers[NO_SUCH], answers
	assert answers[NO_SUCH][0] == 404, answers
	modified = str(frappe.db.get_value("Case", w.case_b.name, "modified"))
	assert modified not in answers[w.case_b.name][1]
