"""The access matrix: every whitelisted method of Frappe and of the app, for every DocType of the app (child
tables included) and Frappe's records about them, called over real HTTP by staff of centre A against
centre B's records and against centre A's records above their permission level.

Sampling a few methods proves little when Frappe has hundreds: the methods are read from Frappe's own
whitelist at run time (`tests/leakcheck.py`), so a method a future Frappe adds is attacked too. The data
attacked is made of canaries (unique ASCII markers), so a leak is found by bytes, whatever the method
returns; an oracle is found by calling twice, with a filter that matches the other centre's data and with
one that matches nothing, and comparing the answers.

Run: ``./kentro test tests/test_access_matrix.py -q -s`` (the size of the matrix is printed and written to
``test-artifacts/access-matrix.json``).
"""

import json
import os
import time
from pathlib import Path

import frappe
import pytest

from tests import leakcheck

SITE = os.environ.get("KENTRO_TEST_SITE", "test.localhost")
ARTIFACT = Path(__file__).resolve().parents[1] / "test-artifacts" / "access-matrix.json"
# the methods that must be in the matrix whatever else the whitelist holds (if one is missing, the
# discovery is broken, not the app)
MUST_COVER = (
	"frappe.client.get",
	"frappe.client.get_list",
	"frappe.client.get_count",
	"frappe.client.get_value",
	"frappe.client.validate_link",
	"frappe.client.save",
	"frappe.desk.form.load.getdoc",
	"frappe.desk.form.load.get_docinfo",
	"frappe.desk.form.save.savedocs",
	"frappe.desk.reportview.get",
	"frappe.desk.reportview.get_count",
	"frappe.desk.reportview.export_query",
	"frappe.desk.query_report.run",
	"frappe.desk.query_report.export_query",
	"frappe.desk.search.search_link",
	"frappe.desk.form.linked_with.get",
	"frappe.desk.listview.get_group_by_count",
	"frappe.utils.global_search.search",
	"frappe.utils.print_format.download_pdf",
	"frappe.www.printview.get_html_and_style",
	"kentro_koinotitas.registry.doctype.beneficiary.beneficiary.get_possible_duplicates",
)


# ----------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def world(two_centres):
	"""Canary records in centre B and level-protected ones in centre A, committed for the web server and
	removed (with everything the attackers' calls created) after the module."""
	world = leakcheck.CanaryWorld(two_centres)
	try:
		world.build()
		world.before = world.fingerprint()
		yield world
	finally:
		world.cleanup([two_centres.users[key] for key in leakcheck.ATTACKERS])


@pytest.fixture(scope="module")
def catalogue():
	return leakcheck.discover_endpoints()


@pytest.fixture(scope="module")
def doctypes():
	app = frappe.get_all(
		"DocType",
		filters={"module": ("in", frappe.get_module_list("kentro_koinotitas")), "issingle": 0},
		pluck="name",
		order_by="name",
	)
	return [*app, *leakcheck.CORE_DOCTYPES]


@pytest.fixture(scope="module")
def matrix(web_server, world, catalogue, doctypes):
	"""Run the whole matrix once for the module; the tests below judge its findings."""
	jobs = leakcheck.Planner(world, doctypes).plan(catalogue)
	size = leakcheck.matrix_size(jobs, catalogue)
	runner = leakcheck.Runner(web_server, SITE, world, threads=6)
	started = time.monotonic()
	findings, stats = runner.run(jobs)
	size |= {"http_calls_made": runner.calls, "duration_seconds": round(time.monotonic() - started, 1)}
	print(
		"\naccess matrix: {methods} methods ({methods_from_whitelist} from Frappe's whitelist of "
		"{whitelisted_functions}, {controller_methods} controller methods, {excluded} excluded) × {doctypes} "
		"DocTypes + {reports} reports × {users} users × {variants_count} argument variants = "
		"{method_doctype_user_variant} combinations, {http_calls_made} HTTP calls in {duration_seconds} s".format(
			variants_count=len(size["variants"]), **size
		)
	)
	ARTIFACT.parent.mkdir(exist_ok=True)
	ARTIFACT.write_text(
		json.dumps(
			{
				"size": size,
				"findings": [finding.as_dict() for finding in findings],
				"http_statuses": dict(runner.statuses),
				"per_method": stats["statuses"],
				"refusals": stats["refusals"],
				"seconds_per_phase": stats["seconds_per_phase"],
				"slowest_methods_seconds": stats["slowest"],
				"request_errors": stats["errors"],
				"excluded": catalogue.excluded,
				"aliases": catalogue.aliases,
				"import_errors": catalogue.import_errors,
			},
			indent=1,
			ensure_ascii=False,
		)
	)
	return frappe._dict(findings=findings, size=size, stats=stats, jobs=jobs)


def report(findings) -> str:
	lines = [f"{len(findings)} finding(s):"]
	for finding in findings:
		lines.append(f"- {finding.line()} ({'reproduced' if finding.confirmed else 'seen once'})")
		lines.append(f"    {finding.reproduction}")
	return "\n".join(lines)


# ----------------------------------------------------------------------------------------- the matrix
def test_matrix_covers_the_whitelist(catalogue, matrix):
	"""The discovery reads Frappe's whitelist: the well-known readers are in it, nothing failed to import,
	and every request got an answer (a timeout would hide a leak)."""
	called = {job.endpoint for job in matrix.jobs}
	assert not [cmd for cmd in MUST_COVER if cmd not in called]
	assert not catalogue.import_errors
	assert matrix.size["methods_from_whitelist"] >= 150
	errors = matrix.stats["errors"]
	assert len(errors) <= max(5, matrix.size["http_calls_made"] // 500), errors[:20]


def test_no_canary_leaks(matrix):
	"""No response carries a canary of centre B, nor of a level of centre A the user does not have."""
	leaks = [finding for finding in matrix.findings if finding.kind == "canary"]
	assert not leaks, report(leaks)


def test_no_oracles(matrix):
	"""No filter or search answers differently when it matches another centre's (or a higher level's)
	data than when it matches nothing."""
	oracles = [finding for finding in matrix.findings if finding.kind == "oracle" and finding.confirmed]
	assert not oracles, report(oracles)


def test_other_centre_unchanged_after_the_matrix(world, matrix):
	"""The state-changing calls changed nothing of centre B (records, timeline, shares, attachments) and
	deleted no level-protected data of centre A."""
	problems = world.integrity_problems(world.before)
	assert not problems, "\n".join(problems)


def test_detector_reports_a_planted_leak(web_server, world, catalogue, doctypes, matrix):
	"""The matrix can fail: run a slice of it as centre B's own coordinator, treated as an attacker, and the
	canaries and oracles it may legitimately see are reported."""
	wanted = {"frappe.client.get_list", "frappe.client.get_count", "frappe.desk.form.load.getdoc"}
	sliced = leakcheck.Catalogue(endpoints=[e for e in catalogue.endpoints if e.cmd in wanted])
	jobs = [
		job
		for job in leakcheck.Planner(world, ["Beneficiary", "Case"]).plan(sliced)
		if job.target.startswith("B:") and not job.endpoint.startswith(("REST", "print", "run_doc", "v2"))
	]
	for job in jobs:
		job.user = "coordinator_b"
	findings, _stats = leakcheck.Runner(web_server, SITE, world, threads=4).run(jobs)
	kinds = {(finding.kind, finding.endpoint) for finding in findings}
	assert ("canary", "frappe.client.get_list") in kinds
	assert ("canary", "frappe.desk.form.load.getdoc") in kinds
	assert ("oracle", "frappe.client.get_count") in kinds


# ----------------------------------------------------------------------------------------- focused
def call(http, cmd, **data):
	return http.post(
		f"/api/method/{cmd}",
		data={k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in data.items()},
	)


def comparable(response, probes):
	"""The answer without request ids, timestamps and the probe itself (as the matrix compares them)."""
	outcome = leakcheck.Outcome(response.status_code, response.text, 0, plain=response.text)
	return leakcheck.normalise(outcome, probes)


def message(response):
	assert response.status_code == 200, response.text[:500]
	return response.json().get("message")


@pytest.fixture
def as_user(http, world):
	def login(key):
		http.cookies.clear()
		http.login(world.centres.users[key], world.centres.passwords[key])
		return http

	return login


def test_get_count_counts_within_the_centre(as_user, world):
	"""`frappe.client.get_count` counts what the user may list, not the table."""
	http = as_user("social_worker_a")
	listed = message(call(http, "frappe.client.get_list", doctype="Beneficiary", limit_page_length=0))
	assert message(call(http, "frappe.client.get_count", doctype="Beneficiary")) == len(listed)
	ben_b = world.records["ben_b"]
	for filters in (
		{"amka": world.amka_b},
		{"name": ben_b.name},
		[["Beneficiary", "first_name", "like", "kkcanary%"]],
	):
		assert message(call(http, "frappe.client.get_count", doctype="Beneficiary", filters=filters)) == 0
	http = as_user("social_worker_b")  # the control: B's own staff count B's person
	assert (
		message(call(http, "frappe.client.get_count", doctype="Beneficiary", filters={"amka": world.amka_b}))
		== 1
	)


def test_vulnerable_groups_listed_directly(as_user, world):
	"""Listing the level-1 child table directly gives a receptionist nothing and a social worker only their
	own centre's rows."""
	arguments = {
		"doctype": "Beneficiary Vulnerable Group",
		"parent": "Beneficiary",
		"fields": ["parent", "vulnerable_group", "notes"],
		"limit_page_length": 0,
	}
	assert message(call(as_user("receptionist_a"), "frappe.client.get_list", **arguments)) == []
	rows = message(call(as_user("social_worker_a"), "frappe.client.get_list", **arguments))
	parents = {row["parent"] for row in rows}
	allowed = set(
		frappe.get_all(
			"Beneficiary",
			filters={"home_centre": ("in", [world.centres.centre_a, world.centres.branch_a])},
			pluck="name",
		)
	)
	assert world.records["ben_a"].name in parents
	assert parents <= allowed, parents - allowed
	assert world.records["ben_b"].name not in parents


def test_report_view_child_column_above_level(as_user, world):
	"""`frappe.desk.reportview.get` neither shows nor filters on a child-table column above the level."""
	notes = world.records["ben_a"].vulnerable_groups[-1].notes
	prefix = leakcheck.CanaryWorld.prefix(notes)
	for user in ("receptionist_a", "counsellor_a"):
		http = as_user(user)
		shown = call(
			http,
			"frappe.desk.reportview.get",
			doctype="Beneficiary",
			fields=["`tabBeneficiary`.`name`", "`tabBeneficiary Vulnerable Group`.`notes`"],
		)
		assert notes not in shown.text
		answers = [
			call(
				http,
				"frappe.desk.reportview.get",
				doctype="Beneficiary",
				fields=["`tabBeneficiary`.`name`"],
				filters=[["Beneficiary Vulnerable Group", "notes", "like", f"%{value}%"]],
			)
			for value in (prefix, leakcheck.miss_of(prefix))
		]
		probes = (prefix, leakcheck.miss_of(prefix))
		assert comparable(answers[0], probes) == comparable(answers[1], probes)


@pytest.fixture
def delivery_a(world):
	"""A session of centre A whose notes only the psychologist may read."""
	doc = frappe.get_doc(
		{
			"doctype": "Service Delivery",
			"service": world.masters.service,
			"delivery_datetime": frappe.utils.add_days(frappe.utils.now_datetime(), -1),
			"mode": "In person",
			"beneficiary": world.records["ben_a"].name,
			"centre": world.centres.centre_a,
			"session_notes": f"kkcanary{world.tag}focusfirst",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield doc
	frappe.delete_doc(
		"Service Delivery", doc.name, ignore_permissions=True, force=True, delete_permanently=True
	)
	frappe.db.delete("Version", {"ref_doctype": "Service Delivery", "docname": doc.name})
	frappe.db.commit()


def test_change_log_hides_session_notes(as_user, world, delivery_a):
	"""The psychologist changes the notes over HTTP; the form's change log (`docinfo.versions`) shows
	that change to the psychologist and hides it from the social worker."""
	changed = f"kkcanary{world.tag}focuschanged"
	http = as_user("psychologist_a")
	response = http.put(f"/api/resource/Service Delivery/{delivery_a.name}", json={"session_notes": changed})
	assert response.status_code == 200, response.text[:300]
	own = http.get(
		"/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": "Service Delivery", "name": delivery_a.name},
	)
	assert changed in json.dumps(own.json()["docinfo"]["versions"]), (
		"the control: the psychologist sees the history"
	)
	http = as_user("social_worker_a")
	response = http.get(
		"/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": "Service Delivery", "name": delivery_a.name},
	)
	assert response.status_code == 200
	versions = response.json()["docinfo"]["versions"]
	assert versions, "the change itself is listed"
	assert f"kkcanary{world.tag}focus" not in response.text


def test_print_preview_of_a_case_naming_another_centres_person(as_user, world):
	"""A Case of centre A sent to the print preview, naming B's person, does not print B's ΑΜΚΑ (the
	same document naming A's person does print A's: the print format shows the ΑΜΚΑ)."""
	http = as_user("social_worker_a")
	print_format = "Απογραφικό Δελτίο Εισόδου - Εξόδου ΕΚΤ+"

	def preview(beneficiary):
		doc = {"doctype": "Case", "name": "new-case-1", "__islocal": 1, "docstatus": 0, "status": "Open"}
		doc |= {"centre": world.centres.centre_a, "beneficiary": beneficiary}
		return call(http, "frappe.www.printview.get_html_and_style", doc=doc, print_format=print_format)

	own = preview(world.records["ben_a"].name)
	assert world.records["ben_a"].amka in own.text, "the control: the format prints the ΑΜΚΑ"
	other = preview(world.records["ben_b"].name)
	assert world.amka_b not in other.text
	assert not any(secret.marker in other.text for secret in world.forbidden("social_worker_a"))


def test_centre_role_without_a_centre_sees_no_beneficiary(http, make_user, world):
	"""Default deny: a social worker whom no centre's staff list names reads no Beneficiary at all, by
	any of the usual paths."""
	email, password = make_user(["Social Worker"])
	http.login(email, password)
	assert message(call(http, "frappe.client.get_list", doctype="Beneficiary", limit_page_length=0)) == []
	assert message(call(http, "frappe.client.get_count", doctype="Beneficiary")) == 0
	assert message(call(http, "frappe.desk.reportview.get_count", doctype="Beneficiary")) == 0
	listed = message(
		call(http, "frappe.desk.reportview.get", doctype="Beneficiary", fields=["`tabBeneficiary`.`name`"])
	)
	assert not listed or not listed.get("values")
	found = call(http, "frappe.desk.search.search_link", doctype="Beneficiary", txt=f"kkcanary{world.tag}")
	assert world.records["ben_b"].name not in found.text
	for name in (world.records["ben_a"].name, world.records["ben_b"].name):
		assert http.get(f"/api/resource/Beneficiary/{name}").status_code == 403


def test_link_title_only_of_readable_records(as_user, world):
	"""`frappe.desk.search.get_link_title` answers with a record's title (a Beneficiary's full name), and
	Beneficiary names are sequential (BEN-YYYY-NNNNN): it must answer only for records the user may read."""
	http = as_user("receptionist_a")
	own = call(
		http, "frappe.desk.search.get_link_title", doctype="Beneficiary", docname=world.records["ben_a"].name
	)
	assert world.records["ben_a"].last_name in message(own), (
		"the control: the title of one's own centre's person"
	)
	ben_b = world.records["ben_b"]
	other = call(http, "frappe.desk.search.get_link_title", doctype="Beneficiary", docname=ben_b.name)
	assert ben_b.last_name.lower() not in other.text.lower()


def test_child_row_of_another_centre_not_read_by_name(as_user, world):
	"""A child-table row is read only through a parent the user may read: naming another centre's row
	(a need assessment, an identity document) directly gives nothing."""
	http = as_user("social_worker_a")
	for row in (world.records["case_b"].needs_assessment[0], world.records["ben_b"].identity_documents[0]):
		for response in (
			call(http, "frappe.client.get", doctype=row.doctype, name=row.name),
			http.get(f"/api/resource/{row.doctype}/{row.name}"),
		):
			assert response.status_code in (403, 404), response.text[:300]
			assert not any(
				secret.marker in response.text.lower() for secret in world.forbidden("social_worker_a")
			)


def test_saving_returns_only_readable_fields(as_user, world):
	"""A social worker may edit a session record of the centre but not read its session notes (level 2):
	the answer to a save, a field update or a controller method must not carry them."""
	delivery = world.records["delivery_a"]
	notes = [s.marker for s in world.secrets if s.where.startswith("A session notes")]
	http = as_user("social_worker_a")
	answers = {
		"REST update": http.put(f"/api/resource/Service Delivery/{delivery.name}", json={}),
		"set_value": call(
			http,
			"frappe.client.set_value",
			doctype="Service Delivery",
			name=delivery.name,
			fieldname="notes",
			value="Συνεδρία",
		),
		"run_doc_method": call(
			http,
			"run_doc_method",
			dt="Service Delivery",
			dn=delivery.name,
			method="add_comment",
			args={"comment_type": "Comment", "text": "kkprobe"},
		),
	}
	leaked = {path for path, response in answers.items() if any(marker in response.text for marker in notes)}
	assert not leaked, f"session notes in the answer of: {sorted(leaked)}"


def test_following_another_centres_record_mails_none_of_its_changes(as_user, world):
	"""`frappe.desk.form.document_follow.follow_document` subscribes the caller to a record by name; the
	scheduler's digest (`send_hourly_updates`) then mails each change (field, old and new value). A user of
	centre A who follows centre B's case must receive none of its changes."""
	from frappe.desk.form.document_follow import get_message_for_user

	key = "social_worker_a"
	email = world.centres.users[key]
	http = as_user(key)
	preference = http.put(
		f"/api/resource/User/{email}",
		json={"document_follow_notify": 1, "document_follow_frequency": "Hourly"},
	)
	if preference.status_code == 403:
		return  # the app refuses the digest to roles that may not read every part of a record: closed
	assert preference.status_code == 200, preference.text[:300]
	case_b = world.records["case_b"]
	call(
		http,
		"frappe.desk.form.document_follow.follow_document",
		doctype="Case",
		doc_name=case_b.name,
		user=email,
	)
	changed = f"kkcanary{world.tag}followx{frappe.generate_hash(length=10)}"
	try:
		case = frappe.get_doc("Case", case_b.name)
		case.outcome = changed
		case.save(ignore_permissions=True, ignore_version=False)  # a change by B's staff, logged
		frappe.db.commit()
		message, _documents = get_message_for_user("Hourly", email)  # what the digest mails the follower
		assert changed.rsplit("x", 1)[-1] not in frappe.as_json(message)
	finally:
		frappe.db.delete("Document Follow", {"user": email})
		frappe.db.set_value("User", email, "document_follow_notify", 0)
		frappe.db.commit()
