"""Transfers of a case between centres over HTTP: requested by centre A, accepted or rejected by centre B's
coordinator through the workflow. Before the decision centre B reads the transfer's summary and nothing
else of the case on any read path, centre C nothing at all; after acceptance the case and the person are
centre B's, centre A keeps reading the services it delivered, and the indicators count them at centre A."""

import json
import secrets

import frappe
import pytest
from frappe.desk.query_report import run
from kentro_koinotitas.registry import identity
from kentro_koinotitas.setup import roles

REASON = "Η οικογένεια μετακόμισε στη γειτονιά του κέντρου Β"


@pytest.fixture(scope="module")
def world(two_centres, make_user):
	"""Centre C with its coordinator, a service only these tests deliver, and canary values."""
	frappe.set_user("Administrator")
	tag = secrets.token_hex(3)  # several test modules use this fixture, each its own copy
	w = frappe._dict(two_centres)
	email, password = make_user([roles.COORDINATOR, roles.SOCIAL_WORKER], first_name="Συντονιστής Γ")
	w.users = {**two_centres.users, "coordinator_c": email}
	w.passwords = {**two_centres.passwords, "coordinator_c": password}
	w.centre_c = (
		frappe.get_doc(
			{
				"doctype": "Community Centre",
				"centre_name": f"ΚΚ Γ {tag}",
				"municipality": "Δήμος Δοκιμών",
				"centre_type": "Main centre",
				"is_group": 1,
				"staff": [{"user": email, "include_branches": 1}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	w.service = f"Συμβουλευτική μεταφοράς {tag}"
	frappe.get_doc(
		{"doctype": "Service", "service_name": w.service, "axis": "C. Social inclusion services"}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield w
	frappe.set_user("Administrator")
	for name in frappe.get_all("Case Transfer", filters={"from_centre": two_centres.centre_a}, pluck="name"):
		frappe.delete_doc("Case Transfer", name, ignore_permissions=True, force=True)
	for doctype, name in CREATED:
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	frappe.delete_doc("Community Centre", w.centre_c, ignore_permissions=True, force=True)
	frappe.db.commit()


CREATED: list[tuple[str, str]] = []


def random_amka() -> str:
	born = frappe.utils.add_days("1950-01-01", secrets.randbelow(18000))
	return identity.make_amka(born, "Female", secrets.randbelow(1000))


def person_with_case(w) -> frappe._dict:
	"""A committed person of centre A with an open case, a delivered service whose notes are a canary,
	and canaries in the person's and the case's free text."""
	frappe.set_user("Administrator")
	canary = "CANARY" + secrets.token_hex(6)
	person = frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"first_name": "Ελένη",
			"last_name": f"Μεταφερόμενη{secrets.token_hex(3)}",
			"father_name": canary + "F",
			"home_centre": w.centre_a,
			"amka": random_amka(),
		}
	).insert(ignore_permissions=True)
	case = frappe.get_doc(
		{
			"doctype": "Case",
			"beneficiary": person.name,
			"requests": [{"request_category": "Στέγαση", "description": canary + "R"}],
		}
	).insert(ignore_permissions=True)
	delivery = frappe.get_doc(
		{
			"doctype": "Service Delivery",
			"service": w.service,
			"beneficiary": person.name,
			"case": case.name,
			"professional": w.users["social_worker_a"],
			"delivery_datetime": "2025-03-10 10:00:00",
			"centre": w.centre_a,
			"notes": canary + "N",
			"session_notes": canary + "S",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	CREATED.extend([("Service Delivery", delivery.name), ("Case", case.name), ("Beneficiary", person.name)])
	return frappe._dict(person=person, case=case, delivery=delivery, canary=canary)


def login(http, w, key):
	http.cookies.clear()
	http.login(w.users[key], w.passwords[key])
	return http


def request_transfer(http, w, case_name, **fields):
	login(http, w, "social_worker_a")
	return http.post(
		"/api/resource/Case Transfer",
		json={"case": case_name, "to_centre": w.centre_b, "reason": REASON, "person_consents": 1, **fields},
	)


def messages(response) -> str:
	"""The server's messages of an error answer, decoded."""
	raw = response.json().get("_server_messages") or "[]"
	return " ".join(json.loads(m).get("message", "") for m in json.loads(raw))


def apply(http, name, action):
	"""The workflow action as the desk sends it (an attacker who cannot read the record names it)."""
	response = http.get(f"/api/resource/Case Transfer/{name}")
	doc = response.json()["data"] if response.ok else {"doctype": "Case Transfer", "name": name}
	return http.post(
		"/api/method/frappe.model.workflow.apply_workflow", data={"doc": json.dumps(doc), "action": action}
	)


def read_paths(http, doctype, name, text):
	"""Every way a user might read a record: (path, response) pairs."""
	quoted = json.dumps([["name", "=", name]])
	return [
		("resource", http.get(f"/api/resource/{doctype}/{name}")),
		(
			"getdoc",
			http.get("/api/method/frappe.desk.form.load.getdoc", params={"doctype": doctype, "name": name}),
		),
		(
			"get_docinfo",
			http.get(
				"/api/method/frappe.desk.form.load.get_docinfo", params={"doctype": doctype, "name": name}
			),
		),
		("client.get", http.get("/api/method/frappe.client.get", params={"doctype": doctype, "name": name})),
		(
			"get_value",
			http.get(
				"/api/method/frappe.client.get_value",
				params={"doctype": doctype, "filters": quoted, "fieldname": json.dumps(["*"])},
			),
		),
		(
			"get_list",
			http.get(
				"/api/method/frappe.client.get_list",
				params={"doctype": doctype, "filters": quoted, "fields": json.dumps(["*"])},
			),
		),
		(
			"get_count",
			http.get("/api/method/frappe.client.get_count", params={"doctype": doctype, "filters": quoted}),
		),
		(
			"reportview",
			http.post(
				"/api/method/frappe.desk.reportview.get",
				data={"doctype": doctype, "fields": json.dumps(["*"]), "filters": quoted},
			),
		),
		(
			"search_link",
			http.get("/api/method/frappe.desk.search.search_link", params={"doctype": doctype, "txt": text}),
		),
		(
			"print",
			http.get(
				"/api/method/frappe.www.printview.get_html_and_style", params={"doc": doctype, "name": name}
			),
		),
		(
			"versions",
			http.get(
				"/api/resource/Version",
				params={"filters": json.dumps([["docname", "=", name]]), "fields": json.dumps(["data"])},
			),
		),
	]


def assert_reads_nothing(http, doctype, name, secrets_, text):
	for path, response in read_paths(http, doctype, name, text):
		for secret in secrets_:
			assert secret not in response.text, (doctype, path)
		if path == "get_count" and response.status_code == 200:
			assert response.json()["message"] == 0, (doctype, path)
		if path in ("get_list", "reportview") and response.status_code == 200:
			assert name not in response.text, (doctype, path)
		if path in ("resource", "getdoc", "client.get", "print"):
			assert response.status_code in (403, 404, 417), (doctype, path, response.status_code)


def test_pending_transfer_shows_the_receiver_only_its_summary_and_centre_c_nothing(http, world):
	data = person_with_case(world)
	response = request_transfer(http, world, data.case.name)
	assert response.status_code == 200, response.text[:500]
	transfer = response.json()["data"]
	assert transfer["status"] == "Pending" and transfer["from_centre"] == world.centre_a
	assert "Στέγαση" in transfer["summary"] and data.canary not in response.text

	login(http, world, "coordinator_b")
	seen = http.get(f"/api/resource/Case Transfer/{transfer['name']}")
	assert seen.status_code == 200 and seen.json()["data"]["summary"] == transfer["summary"]
	canaries = [data.canary]
	for doctype, name in (
		("Case", data.case.name),
		("Beneficiary", data.person.name),
		("Service Delivery", data.delivery.name),
	):
		assert_reads_nothing(http, doctype, name, canaries, data.person.last_name)
	# the receiver cannot rewrite the request (say, point it at another case) nor decide it by a write
	for change in ({"reason": "άλλο"}, {"case": world.case_b.name}, {"status": "Accepted"}):
		response = http.put(f"/api/resource/Case Transfer/{transfer['name']}", json=change)
		assert response.status_code in (403, 417), (change, response.status_code)

	login(http, world, "coordinator_c")
	assert_reads_nothing(
		http,
		"Case Transfer",
		transfer["name"],
		[REASON, data.person.last_name, "Στέγαση"],
		data.person.last_name,
	)
	listed = http.get("/api/resource/Case Transfer", params={"limit_page_length": 0}).json()["data"]
	assert transfer["name"] not in {row["name"] for row in listed}
	response = apply(http, transfer["name"], "Accept Transfer")
	assert response.status_code in (403, 404, 417)

	# the sender cannot accept its own request
	login(http, world, "coordinator_a")
	assert apply(http, transfer["name"], "Accept Transfer").status_code in (403, 417)
	frappe.db.rollback()
	assert frappe.db.get_value("Case Transfer", transfer["name"], "status") == "Pending"
	assert frappe.db.get_value("Case", data.case.name, "centre") == world.centre_a


def test_accepted_transfer_moves_the_case_and_person_and_keeps_deliveries_at_the_sender(http, world):
	data = person_with_case(world)
	name = request_transfer(http, world, data.case.name).json()["data"]["name"]
	login(http, world, "coordinator_b")
	response = apply(http, name, "Accept Transfer")
	assert response.status_code == 200, response.text[:500]
	frappe.db.rollback()
	transfer = frappe.get_doc("Case Transfer", name)
	assert transfer.status == "Accepted" and transfer.decided_by == world.users["coordinator_b"]
	assert transfer.transferred_on and transfer.home_centre_moved
	assert frappe.db.get_value("Case", data.case.name, "centre") == world.centre_b
	assert frappe.db.get_value("Beneficiary", data.person.name, "home_centre") == world.centre_b
	assert frappe.db.get_value("Service Delivery", data.delivery.name, "centre") == world.centre_a

	# centre B now reads the case and the person; centre A reads what it delivered, not the case
	assert http.get(f"/api/resource/Case/{data.case.name}").status_code == 200
	assert http.get(f"/api/resource/Beneficiary/{data.person.name}").status_code == 200
	login(http, world, "social_worker_a")
	assert http.get(f"/api/resource/Case/{data.case.name}").status_code in (403, 404)
	delivered = http.get(f"/api/resource/Service Delivery/{data.delivery.name}")
	assert delivered.status_code == 200 and data.canary + "N" in delivered.text

	# a decided transfer does not change, whoever tries
	login(http, world, "coordinator_b")
	response = http.put(f"/api/resource/Case Transfer/{name}", json={"decision_note": "x"})
	assert response.status_code in (403, 417)

	# the indicators keep the delivery at the centre that delivered it
	frappe.set_user("Administrator")
	filters = {"from_date": "2025-01-01", "to_date": "2025-12-31", "periodicity": "Yearly"}
	frappe.local.lang = "en"

	def deliveries(centre):
		rows = run("Centre Indicators", {**filters, "centre": centre})["result"]
		return sum(
			row.get("total") or 0
			for row in rows
			if isinstance(row, dict)
			and row.get("section") == "Services"
			and row.get("indicator") == world.service
		)

	at_a = frappe.get_all("Service Delivery", filters={"service": world.service}, fields=["name", "centre"])
	assert data.delivery.name in {d.name for d in at_a} and {d.centre for d in at_a} == {world.centre_a}
	assert deliveries(world.centre_a) == len(at_a)  # the transferred person's delivery among them
	assert deliveries(world.centre_b) == 0


def test_rejected_transfer_leaves_the_case_where_it_was(http, world):
	data = person_with_case(world)
	name = request_transfer(http, world, data.case.name).json()["data"]["name"]
	login(http, world, "coordinator_b")
	assert apply(http, name, "Cancel").status_code in (403, 417)  # only the sender cancels
	response = apply(http, name, "Reject Transfer")
	assert response.status_code == 417 and "λόγο" in messages(response)  # a rejection says why
	assert http.put(f"/api/resource/Case Transfer/{name}", json={"decision_note": "Δεν έχουμε θέση"}).ok
	response = apply(http, name, "Reject Transfer")
	assert response.status_code == 200, response.text[:500]
	frappe.db.rollback()
	assert frappe.db.get_value("Case Transfer", name, "status") == "Rejected"
	assert frappe.db.get_value("Case", data.case.name, "centre") == world.centre_a
	assert frappe.db.get_value("Beneficiary", data.person.name, "home_centre") == world.centre_a
	assert http.get(f"/api/resource/Case/{data.case.name}").status_code in (403, 404)


def test_the_sender_cancels_a_pending_transfer(http, world):
	data = person_with_case(world)
	name = request_transfer(http, world, data.case.name).json()["data"]["name"]
	response = apply(login(http, world, "social_worker_a"), name, "Cancel")
	assert response.status_code == 200, response.text[:500]
	frappe.db.rollback()
	assert frappe.db.get_value("Case Transfer", name, "status") == "Cancelled"
	assert frappe.db.get_value("Case", data.case.name, "centre") == world.centre_a
	login(http, world, "coordinator_b")
	assert apply(http, name, "Accept Transfer").status_code in (403, 417)


def test_the_receiving_coordinator_is_told_of_a_request_and_no_one_else(world):
	data = person_with_case(world)
	frappe.set_user(world.users["social_worker_a"])
	transfer = frappe.get_doc(
		{
			"doctype": "Case Transfer",
			"case": data.case.name,
			"to_centre": world.centre_b,
			"reason": REASON,
			"person_consents": 1,
		}
	).insert()
	frappe.set_user("Administrator")
	notices = frappe.get_all(
		"Notification Log",
		filters={"document_type": "Case Transfer", "document_name": transfer.name},
		fields=["for_user", "subject"],
	)
	told = {row.for_user for row in notices}
	assert world.users["coordinator_b"] in told
	assert not told & {world.users[key] for key in ("coordinator_a", "coordinator_c", "social_worker_a")}
	assert all("περιμένει την απόφασή σας" in row.subject for row in notices)
	frappe.db.rollback()


def test_a_request_needs_consent_a_reason_another_centre_and_an_own_case(http, world):
	data = person_with_case(world)
	for fields, words in (
		({"person_consents": 0}, "συμφωνεί"),
		({"to_centre": world.centre_a}, "άλλο κέντρο"),
	):
		response = request_transfer(http, world, data.case.name, **fields)
		assert response.status_code == 417 and words in messages(response), response.text[:300]
	# centre A cannot ask to transfer centre B's case (nor learn anything of it)
	response = request_transfer(http, world, world.case_b.name, to_centre=world.centre_c)
	assert response.status_code in (403, 417)
	assert world.person_b.last_name not in response.text
	frappe.db.rollback()
	assert not frappe.db.exists("Case Transfer", {"case": ("in", [data.case.name, world.case_b.name])})
	# one pending transfer per case
	assert request_transfer(http, world, data.case.name).status_code == 200
	response = request_transfer(http, world, data.case.name)
	assert response.status_code == 417
