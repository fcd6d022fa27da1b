"""System-test fixtures: a real gunicorn serving the test site, and real users who log in over HTTP."""

import os
import secrets
from pathlib import Path

import frappe
import frappe.realtime
import pytest
import requests
from kentro_koinotitas.demo import http_load

ROOT = Path(__file__).resolve().parents[1]
SITE = os.environ.get("KENTRO_TEST_SITE", "test.localhost")
ARTIFACTS = ROOT / "test-artifacts"


class SiteSession(requests.Session):
	"""A requests session that talks to the test site through loopback, choosing it by Host header."""

	def __init__(self, base_url: str):
		super().__init__()
		self.base_url = base_url
		self.headers.update({"Host": SITE, "Accept": "application/json"})

	def request(self, method, url, *args, **kwargs):
		if url.startswith("/"):
			url = self.base_url + url
		kwargs.setdefault("timeout", 60)
		return super().request(method, url, *args, **kwargs)

	def login(self, user: str, password: str) -> requests.Response:
		response = self.post("/api/method/login", data={"usr": user, "pwd": password})
		response.raise_for_status()
		return response


@pytest.fixture(scope="session")
def web_server():
	"""Start gunicorn (as in production) on a free loopback port for the whole session."""
	ARTIFACTS.mkdir(exist_ok=True)
	# Frappe caches the asset manifest under one Redis key shared by every bench on the machine:
	# make the server read this bench's sites/assets/assets.json.
	frappe.cache.delete_value("assets_json", shared=True)
	process, base_url = http_load.start_server(SITE, ARTIFACTS / "gunicorn.log")
	yield base_url
	http_load.stop_server(process)


@pytest.fixture
def http(web_server) -> SiteSession:
	with SiteSession(web_server) as session:
		yield session


@pytest.fixture(scope="session")
def make_user():
	"""Create committed users (HTTP requests use their own database connection) and delete them after."""
	created = []

	def _make(roles: list[str], first_name: str = "Δοκιμή", **fields) -> tuple[str, str]:
		email = f"kk-test-{secrets.token_hex(4)}@example.com"
		password = "Kk-" + secrets.token_urlsafe(12)
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"send_welcome_email": 0,
				"new_password": password,
				"roles": [{"role": role} for role in roles],
				**fields,
			}
		)
		user.insert(ignore_permissions=True)
		frappe.db.commit()
		created.append(email)
		return email, password

	yield _make
	frappe.set_user("Administrator")
	for email in created:
		frappe.delete_doc("User", email, ignore_permissions=True, force=True)
	frappe.db.commit()


@pytest.fixture(scope="session")
def two_centres(make_user):
	"""Committed data for isolation, workflow and browser tests: centre A with a Roma branch, centre B,
	staff of each (User Permissions come from the centres' Staff tables), and a case in each centre."""
	from kentro_koinotitas.registry import identity
	from kentro_koinotitas.setup import roles

	tag = secrets.token_hex(3)
	world = frappe._dict(tag=tag, users={}, passwords={})

	def user(key, role_list, first_name):
		email, password = make_user(role_list, first_name=first_name)
		world.users[key], world.passwords[key] = email, password
		return email

	co_a = user("coordinator_a", [roles.COORDINATOR, roles.SOCIAL_WORKER], "Συντονίστρια Α")
	sw_a = user("social_worker_a", [roles.SOCIAL_WORKER], "Κοινωνική Λειτουργός Α")
	psy_a = user("psychologist_a", [roles.PSYCHOLOGIST], "Ψυχολόγος Α")
	ec_a = user("counsellor_a", [roles.EMPLOYMENT_COUNSELLOR], "Σύμβουλος Α")
	rec_a = user("receptionist_a", [roles.RECEPTIONIST], "Υποδοχή Α")
	branch_user = user("mediator_branch", [roles.MEDIATOR_PEDAGOGUE], "Διαμεσολαβητής Παραρτήματος")
	co_b = user("coordinator_b", [roles.COORDINATOR, roles.SOCIAL_WORKER], "Συντονιστής Β")
	sw_b = user("social_worker_b", [roles.SOCIAL_WORKER], "Κοινωνικός Λειτουργός Β")
	user("director", [roles.DIRECTOR], "Διευθύντρια")
	user("dpo", [roles.DATA_PROTECTION_OFFICER], "Υπεύθυνος Προστασίας Δεδομένων")
	user("it", ["System Manager"], "Πληροφορική")

	def centre(name, staff, parent=None):
		doc = frappe.get_doc(
			{
				"doctype": "Community Centre",
				"centre_name": name,
				"municipality": "Δήμος Δοκιμών",
				"centre_type": "Roma branch" if parent else "Main centre",
				"parent_community_centre": parent,
				"is_group": 0 if parent else 1,
				"staff": [{"user": u, "include_branches": 1} for u in staff],
			}
		).insert(ignore_permissions=True)
		return doc.name

	world.centre_a = centre(f"ΚΚ Α {tag}", [co_a, sw_a, psy_a, ec_a, rec_a])
	world.branch_a = centre(f"Παράρτημα Ρομά Α {tag}", [branch_user], parent=world.centre_a)
	world.centre_b = centre(f"ΚΚ Β {tag}", [co_b, sw_b])

	def person(first, last, centre_name, serial):
		doc = frappe.get_doc(
			{
				"doctype": "Beneficiary",
				"first_name": first,
				"last_name": last,
				"home_centre": centre_name,
				"amka": identity.make_amka("1980-01-01", "Female", 900 + serial),
				"vulnerable_groups": [{"vulnerable_group": "Ρομά"}],
			}
		).insert(ignore_permissions=True)
		return doc

	world.person_a = person("Αλίκη", f"Αλφαίου{tag}", world.centre_a, 1)
	world.person_branch = person("Βέρα", f"Βραχίου{tag}", world.branch_a, 2)
	world.person_b = person("Γαλήνη", f"Γεωργακοπούλου{tag}", world.centre_b, 3)
	world.case_a = frappe.get_doc({"doctype": "Case", "beneficiary": world.person_a.name}).insert(
		ignore_permissions=True
	)
	world.case_b = frappe.get_doc({"doctype": "Case", "beneficiary": world.person_b.name}).insert(
		ignore_permissions=True
	)
	frappe.db.commit()
	from frappe.utils.global_search import sync_global_search

	sync_global_search()  # the scheduler's job, run now so that the awesome bar finds the people
	frappe.db.commit()
	yield world

	frappe.set_user("Administrator")
	for doctype, names in (
		(
			"Case",
			frappe.get_all(
				"Case",
				filters={"centre": ("in", [world.centre_a, world.branch_a, world.centre_b])},
				pluck="name",
			),
		),
		("Beneficiary", [world.person_a.name, world.person_branch.name, world.person_b.name]),
		("Community Centre", [world.branch_a, world.centre_a, world.centre_b]),
	):
		for name in names:
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
	frappe.db.commit()


# Attacks of round 3 (tests/test_attacks_round3*.py)
# ---------------------------------------------------


@pytest.fixture
def as_user(http, two_centres):
	"""Log the shared HTTP session in as one of `two_centres`' users."""

	def login(key):
		http.login(two_centres.users[key], two_centres.passwords[key])
		return http

	return login


@pytest.fixture
def tagged_b(two_centres):
	"""A tag («βία») on a person of centre A and one of centre B."""
	from frappe.desk.doctype.tag.tag import DocTags

	tag = f"kkβία{two_centres.tag}"
	frappe.set_user("Administrator")
	DocTags("Beneficiary").add(two_centres.person_b.name, tag)
	DocTags("Beneficiary").add(two_centres.person_a.name, tag)
	frappe.db.commit()
	yield tag
	DocTags("Beneficiary").remove(two_centres.person_b.name, tag)
	DocTags("Beneficiary").remove(two_centres.person_a.name, tag)
	frappe.db.commit()


@pytest.fixture
def sent(monkeypatch):
	"""The realtime messages handed to Redis by this process (after the next commit), as (event, message,
	room)."""
	messages = []
	monkeypatch.setattr(
		frappe.realtime,
		"emit_via_redis",
		lambda event, message, room: messages.append((event, message, room)),
	)
	return messages
