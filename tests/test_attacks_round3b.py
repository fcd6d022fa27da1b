"""Round 3b attacks: Frappe's whitelisted methods the access matrix does not reach with a record (they take
none, or insert with `ignore_permissions`), and Frappe's own reports and read paths, as users of centre A,
partners and guests."""

import json

import frappe
import pytest


def shown(response) -> str:
	"""The response as the user reads it (Greek unescaped)."""
	try:
		return json.dumps(response.json(), ensure_ascii=False)
	except ValueError:
		return response.text


@pytest.fixture
def kanban_board(as_user, two_centres):
	"""A Kanban board of centre A's worker on the people's surname (Frappe lets every desk user make one,
	on any field)."""
	http = as_user("social_worker_a")
	name = f"kk-board-{two_centres.tag}"
	response = http.post(
		"/api/method/frappe.desk.doctype.kanban_board.kanban_board.quick_kanban_board",
		data={"doctype": "Beneficiary", "board_name": name, "field_name": "last_name"},
	)
	assert response.status_code == 200, response.text[:300]
	yield http, response.json()["message"]["name"]
	frappe.set_user("Administrator")
	frappe.delete_doc("Kanban Board", response.json()["message"]["name"], ignore_permissions=True, force=True)
	frappe.db.commit()


def test_kanban_card_order_is_no_oracle_on_another_centres_values(kanban_board, two_centres):
	"""`kanban_board.update_order` read each card's column field with `frappe.get_value` (no permission
	check) and tried to save only when it differed from the column sent: no error meant "B's person has
	this surname" (any field of any record, level 1 included, through a board on that field)."""
	w = two_centres
	http, board = kanban_board
	answers = {}
	for guess in (w.person_b.last_name, "kk-no-such-surname"):
		response = http.post(
			"/api/method/frappe.desk.doctype.kanban_board.kanban_board.update_order",
			data={"board_name": board, "order": json.dumps({guess: [w.person_b.name]})},
		)
		answers[guess] = response.status_code
	assert answers[w.person_b.last_name] == answers["kk-no-such-surname"] != 200, answers
	# a card of the user's own centre still moves
	own = http.post(
		"/api/method/frappe.desk.doctype.kanban_board.kanban_board.update_order",
		data={"board_name": board, "order": json.dumps({w.person_a.last_name: [w.person_a.name]})},
	)
	assert own.status_code == 200, own.text[:300]


def test_a_directors_kanban_board_names_no_records_by_value(http, two_centres):
	"""A board stores its cards' names by column, filled in with its creator's permissions, and every desk
	user reads a public board: the director's board named every centre's people by surname."""
	w = two_centres
	http.login(w.users["director"], w.passwords["director"])
	made = http.post(
		"/api/method/frappe.desk.doctype.kanban_board.kanban_board.quick_kanban_board",
		data={"doctype": "Case", "board_name": f"kk-director-{w.tag}", "field_name": "status"},
	)
	assert made.status_code == 200, made.text[:300]
	board = made.json()["message"]["name"]
	try:
		http.login(w.users["social_worker_a"], w.passwords["social_worker_a"])
		response = http.get(f"/api/resource/Kanban Board/{board}")
		assert response.status_code == 200, response.text[:300]
		assert w.case_b.name not in response.text, response.text[:300]
		# a private board of another user is neither saved nor returned by the card methods
		frappe.db.set_value("Kanban Board", board, "private", 1)
		frappe.db.commit()
		for method, data in (
			("update_order", {"order": "{}"}),
			("add_card", {"docname": w.case_a.name, "colname": "Open"}),
		):
			answer = http.post(
				f"/api/method/frappe.desk.doctype.kanban_board.kanban_board.{method}",
				data={"board_name": board, **data},
			)
			assert answer.status_code == 403, (method, answer.text[:300])
	finally:
		frappe.delete_doc("Kanban Board", board, ignore_permissions=True, force=True)
		frappe.db.commit()


@pytest.fixture
def assigned_b(two_centres):
	"""Centre B's person assigned to, and followed by, centre B's social worker."""
	w = two_centres
	frappe.set_user("Administrator")
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": w.users["social_worker_b"],
			"reference_type": "Beneficiary",
			"reference_name": w.person_b.name,
			"description": f"kk-todo-b-{w.tag}",
		}
	).insert(ignore_permissions=True)
	follow = frappe.get_doc(
		{
			"doctype": "Document Follow",
			"ref_doctype": "Beneficiary",
			"ref_docname": w.person_b.name,
			"user": w.users["social_worker_b"],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield todo.name
	frappe.delete_doc("ToDo", todo.name, ignore_permissions=True, force=True)
	frappe.delete_doc("Document Follow", follow.name, ignore_permissions=True, force=True)
	frappe.db.commit()


def test_who_works_on_another_centres_person_stays_hidden(as_user, two_centres, assigned_b):
	"""`assign_to.add` with an empty list of assignees checked nothing and answered the record's
	assignments; `document_follow.get_follow_users` answered its followers: which professional of
	centre B (a psychologist?) works on which person, by name, the names being a sequence."""
	w = two_centres
	http = as_user("social_worker_a")
	b_user = w.users["social_worker_b"]
	calls = {
		"frappe.desk.form.assign_to.add": {
			"doctype": "Beneficiary",
			"name": w.person_b.name,
			"assign_to": "[]",
		},
		"frappe.desk.form.assign_to.add_multiple": {
			"doctype": "Beneficiary",
			"name": json.dumps([w.person_b.name]),
			"assign_to": "[]",
		},
		"frappe.desk.form.document_follow.get_follow_users": {
			"doctype": "Beneficiary",
			"doc_name": w.person_b.name,
		},
	}
	for method, data in calls.items():
		response = http.post(f"/api/method/{method}", data=data)
		assert b_user not in response.text and assigned_b not in response.text, (method, response.text[:300])
	# an oracle: removing every assignment of a record of centre B failed only when it had one
	unassigned = http.post(
		"/api/method/frappe.desk.form.assign_to.remove_multiple",
		data={"doctype": "Case", "names": json.dumps([w.case_b.name])},
	)
	assert unassigned.status_code == 403, unassigned.text[:300]
	# and whether B's worker follows B's person
	unfollow = http.post(
		"/api/method/frappe.desk.form.document_follow.unfollow_document",
		data={"doctype": "Beneficiary", "doc_name": w.person_b.name, "user": b_user},
	)
	assert unfollow.status_code == 403, unfollow.text[:300]
	# the user's own records are still assigned
	own = http.post(
		"/api/method/frappe.desk.form.assign_to.add",
		data={"doctype": "Beneficiary", "name": w.person_a.name, "assign_to": "[]"},
	)
	assert own.status_code == 200, own.text[:300]


def test_tag_links_name_only_the_own_centres_records(as_user, two_centres, tagged_b):
	"""Frappe's Tag Link (every role reads it) keeps each tagged record's name, title and tag: centre B's
	person, by name, tagged «βία», in the REST list and in `get_documents_for_tag`."""
	w = two_centres
	http = as_user("social_worker_a")
	responses = [
		http.get(
			"/api/resource/Tag Link",
			params={"fields": json.dumps(["document_name", "title", "tag"]), "limit_page_length": 0},
		),
		http.post(
			"/api/method/frappe.desk.doctype.tag.tag.get_documents_for_tag", data={"tag": f"#{tagged_b}"}
		),
		http.post("/api/method/frappe.client.get_count", data={"doctype": "Tag Link"}),
	]
	for response in responses:
		assert w.person_b.name not in shown(response), shown(response)[:300]
		assert w.person_b.last_name not in shown(response), shown(response)[:300]
	assert w.person_a.name in responses[1].text, responses[1].text[:300]


def test_document_follows_of_another_centre_stay_hidden(as_user, two_centres, assigned_b):
	"""Every desk user reads and creates Frappe's Document Follow records: who follows which of centre B's
	people, and a follow of B's person made by REST (its digest mails the record's changes)."""
	w = two_centres
	http = as_user("social_worker_a")
	listed = http.get(
		"/api/resource/Document Follow",
		params={"fields": json.dumps(["ref_docname", "user"]), "limit_page_length": 0},
	)
	assert w.person_b.name not in listed.text, listed.text[:300]
	made = http.post(
		"/api/resource/Document Follow",
		json={
			"ref_doctype": "Beneficiary",
			"ref_docname": w.person_b.name,
			"user": w.users["social_worker_a"],
		},
	)
	assert made.status_code != 200, made.text[:300]
	assert not frappe.db.exists(
		"Document Follow", {"ref_docname": w.person_b.name, "user": w.users["social_worker_a"]}
	)


def test_workflow_actions_of_another_centre_stay_hidden(as_user, two_centres):
	"""Frappe's Workflow Action (one per record waiting for a role) is listed to every user with that role:
	centre B's cases and the state each waits in."""
	w = two_centres
	assert frappe.db.exists("Workflow Action", {"reference_name": w.case_b.name}), "no action to look for"
	http = as_user("coordinator_a")
	responses = [
		http.get(
			"/api/resource/Workflow Action",
			params={"fields": json.dumps(["reference_name", "workflow_state"]), "limit_page_length": 0},
		),
		http.get(
			f"/api/resource/Workflow Action/{frappe.db.get_value('Workflow Action', {'reference_name': w.case_b.name})}"
		),
	]
	for response in responses:
		assert w.case_b.name not in shown(response), shown(response)[:300]


def test_a_prepared_report_is_queued_only_by_whoever_may_run_the_report(as_user, two_centres):
	"""`make_prepared_report` queued any report without the report's roles or the DocType's report
	permission; the job runs it as the caller and the result file is the caller's to download."""
	http = as_user("receptionist_a")
	user = two_centres.users["receptionist_a"]
	response = http.post(
		"/api/method/frappe.core.doctype.prepared_report.prepared_report.make_prepared_report",
		data={"report_name": "Caseload per Professional", "filters": "{}"},
	)
	queued = frappe.get_all("Prepared Report", filters={"owner": user}, pluck="name")
	for name in queued:
		frappe.delete_doc("Prepared Report", name, ignore_permissions=True, force=True)
	frappe.db.commit()
	assert response.status_code == 403, response.text[:300]
	assert not queued


@pytest.mark.parametrize("target", ["case_b", "person_b"])
def test_a_todo_names_only_a_record_the_user_may_read(as_user, two_centres, target):
	"""A ToDo inserted by REST wrote its record's `_assign` (the list shows who works on it, the assignee is
	notified with the record's title): a user of centre A assigns none of centre B's records, to anyone;
	the own centre's records are still assigned."""
	w = two_centres
	http = as_user("social_worker_a")
	record = getattr(w, target)
	before = frappe.db.get_value(record.doctype, record.name, "_assign")
	for assignee in ("social_worker_a", "social_worker_b"):
		response = http.post(
			"/api/resource/ToDo",
			json={
				"description": "δοκιμή ανάθεσης",
				"reference_type": record.doctype,
				"reference_name": record.name,
				"allocated_to": w.users[assignee],
			},
		)
		assert response.status_code == 403, shown(response)
		assert record.name not in shown(response)
	frappe.db.rollback()
	assert frappe.db.get_value(record.doctype, record.name, "_assign") == before
	own = w.case_a if target == "case_b" else w.person_a
	todo = {"description": "δοκιμή ανάθεσης", "reference_type": own.doctype, "reference_name": own.name}
	# nor is the own centre's record assigned to a user of another centre
	response = http.post("/api/resource/ToDo", json={**todo, "allocated_to": w.users["social_worker_b"]})
	assert response.status_code == 403, shown(response)
	response = http.post("/api/resource/ToDo", json={**todo, "allocated_to": w.users["social_worker_a"]})
	assert response.status_code == 200, shown(response)
	frappe.db.rollback()
	assert w.users["social_worker_a"] in (frappe.db.get_value(own.doctype, own.name, "_assign") or "")
	frappe.delete_doc("ToDo", response.json()["data"]["name"], ignore_permissions=True, force=True)
	frappe.db.set_value(own.doctype, own.name, "_assign", None, update_modified=False)
	frappe.db.commit()
