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
	world = leakcheck.CanaryWorld(two_centres).build()
	world.before = world.fingerprint()
	yield world
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
	assert len(matrix.stats["errors"]) <= max(5, matrix.size["http_calls_made"] // 500), matrix.stats[
		"errors"
	][:20]


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
	assert ("canary", "frappe.client.get_list") in kinds and (
		"canary",
		"frappe.desk.form.load.getdoc",
	) in kinds
	assert ("oracle", "frappe.client.get_count") in kinds


# ----------------------------------------------------------------------------------------- focused
def call(http, method, **data):
	return http.post(
		f"/api/method/{method}",
		data={k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in data.items()},
	)


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
		assert answers[0].status_code == answers[1].status_code
		assert answers[0].text.replace(prefix, "") == answers[1].text.replace(leakcheck.miss_of(prefix), "")


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
