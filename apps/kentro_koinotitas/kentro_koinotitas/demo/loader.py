"""Loads the demo data of ``fixtures/demo`` into a site: ``bench --site kentro.localhost execute
kentro_koinotitas.demo.loader.load_demo``. Idempotent: what is already there is left alone."""

import json
import time
from pathlib import Path

import frappe
from frappe.utils import get_bench_path

from kentro_koinotitas.access.workflow import state_for_status
from kentro_koinotitas.demo import generator
from kentro_koinotitas.demo.generator import SyntheticPeople
from kentro_koinotitas.registry.consent import has_partner_sharing_consent


def fixtures_path() -> Path:
	return Path(get_bench_path()) / "fixtures" / "demo"


def read_fixture(name: str):
	return json.loads((fixtures_path() / name).read_text(encoding="utf-8"))


def load_demo() -> None:
	started = time.monotonic()
	frappe.flags.in_demo_load = True
	load_centres()
	load_users()
	created = load_registry()
	cases = load_casework()
	frappe.db.commit()
	print(
		f"    demo data: {created} new beneficiaries, {cases} new cases ({time.monotonic() - started:.1f}s)"
	)


def load_centres() -> None:
	for record in read_fixture("centres.json"):
		if not frappe.db.exists("Community Centre", record["centre_name"]):
			frappe.get_doc({"doctype": "Community Centre", **record}).insert(ignore_permissions=True)


def load_users() -> None:
	"""One demo user per role in each centre; staff rows on the centres give them their User Permissions."""
	for record in read_fixture("users.json"):
		if not frappe.db.exists("User", record["email"]):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": record["email"],
					"first_name": record["first_name"],
					"last_name": record["last_name"],
					"language": "el",
					"send_welcome_email": 0,
					"role_profile_name": record["role_profile"],
					"new_password": record["password"],
				}
			)
			user.insert(ignore_permissions=True)
		if record["centre"]:
			centre = frappe.get_doc("Community Centre", record["centre"])
			if not any(row.user == record["email"] for row in centre.staff):
				centre.append(
					"staff", {"user": record["email"], "include_branches": record["include_branches"]}
				)
				centre.save(ignore_permissions=True)


def centre_professional(centre: str) -> str | None:
	"""The demo social worker of a centre (or of its parent, for a branch)."""
	for candidate in (centre, frappe.db.get_value("Community Centre", centre, "parent_community_centre")):
		users = frappe.get_all(
			"Community Centre Staff",
			filters={"parent": candidate, "user": ("like", "koinoniki.%")},
			pluck="user",
		)
		if users:
			return users[0]
	return None


def load_registry(per_centre: dict[str, int] | None = None) -> int:
	config = read_fixture("demo.json")
	people = SyntheticPeople(seed=config["seed"])
	created = 0
	for centre, wanted in (per_centre or config["beneficiaries_per_centre"]).items():
		roma = frappe.db.get_value("Community Centre", centre, "centre_type") == "Roma branch"
		existing = frappe.db.count("Beneficiary", {"home_centre": centre})
		for _ in range(existing, wanted):
			data = people.beneficiary(centre, roma_branch=roma)
			doc = frappe.get_doc(data)
			doc.flags.ignore_permissions = True
			doc.insert()
			consent = people.consent(doc.name, data["registration_date"])
			if consent:
				frappe.get_doc(consent).insert(ignore_permissions=True)
			if people.rng.random() < 0.25:
				frappe.get_doc(
					{
						"doctype": "Household",
						"head_of_household": doc.name,
						"minimum_income_household": int(
							any(g.vulnerable_group.endswith("(ΚΕΑ)") for g in doc.vulnerable_groups)
						),
						"address_street": doc.address_street,
						"address_number": doc.address_number,
						"postal_code": doc.postal_code,
						"address_municipality": doc.address_municipality,
						"members": people.household_members(data),
					}
				).insert(ignore_permissions=True)
			created += 1
	frappe.clear_messages()
	return created


def insert(record: dict):
	doc = frappe.get_doc(record)
	doc.flags.ignore_permissions = True
	doc.insert()
	align_workflow_state(doc)
	return doc


def align_workflow_state(doc) -> None:
	"""Records loaded in a later status (history) get the workflow state that sets that status."""
	if doc.doctype in ("Case", "Referral"):
		state = state_for_status(doc.doctype, doc.status)
		if state and doc.get("workflow_state") != state:
			doc.db_set("workflow_state", state, update_modified=False)


def load_casework() -> int:
	"""Visits, cases with plans and services, applications, referrals and group activities for the demo."""
	centres = [c["centre_name"] for c in read_fixture("centres.json")]
	if frappe.db.count("Case", {"centre": ("in", centres)}):
		return 0
	config = read_fixture("demo.json")
	people = SyntheticPeople(seed=config["seed"] + 1)
	rng = people.rng
	cases = 0
	beneficiaries = frappe.get_all(
		"Beneficiary",
		filters={"home_centre": ("in", centres)},
		fields=["name", "home_centre"],
		order_by="creation asc",
	)
	for row in beneficiaries:
		if rng.random() < 0.15:
			insert(
				{
					"doctype": "Front Desk Visit",
					"centre": row.home_centre,
					"beneficiary": row.name,
					"visit_datetime": frappe.utils.add_days(
						frappe.utils.now_datetime(), -rng.randint(1, 300)
					),
					"channel": rng.choice(["Walk-in", "Phone"]),
					"request_category": rng.choice(generator.REQUEST_CATEGORIES),
				}
			)
		if rng.random() > 0.6:
			continue
		professional = centre_professional(row.home_centre)
		data = generator.case_for(people, row.name, professional)
		case = insert(data)
		cases += 1
		for delivery in generator.service_deliveries_for(people, data, case.name, professional):
			insert(delivery)
		if rng.random() < 0.4:
			insert(generator.application_for(people, data, case.name))
		if rng.random() < 0.3:
			insert(generator.referral_for(people, data, case.name, has_partner_sharing_consent(row.name)))
	for _ in range(25):
		insert(
			{
				"doctype": "Front Desk Visit",
				"centre": rng.choice(beneficiaries).home_centre,
				"channel": rng.choice(["Phone", "Walk-in", "Email"]),
				"visit_datetime": frappe.utils.add_days(frappe.utils.now_datetime(), -rng.randint(0, 90)),
				"request_category": rng.choice(generator.REQUEST_CATEGORIES),
				"notes": "Ανώνυμη ενημέρωση",
			}
		)
	load_group_activities(rng, beneficiaries)
	frappe.clear_messages()
	return cases


def load_group_activities(rng, beneficiaries) -> None:
	by_centre: dict[str, list[str]] = {}
	for row in beneficiaries:
		by_centre.setdefault(row.home_centre, []).append(row.name)
	activities = [
		("Εργαστήρι δημιουργικής απασχόλησης παιδιών", "Δημιουργική απασχόληση παιδιών"),
		("Ομάδα ψυχοκοινωνικής υποστήριξης γονέων", "Ομαδική ψυχοκοινωνική υποστήριξη"),
		("Ενημερωτική εκδήλωση για το Ελάχιστο Εγγυημένο Εισόδημα", "Εκδήλωση ευαισθητοποίησης"),
	]
	for centre, members in by_centre.items():
		for title, service in activities:
			start = frappe.utils.add_days(frappe.utils.today(), -rng.randint(30, 200))
			participants = rng.sample(members, min(len(members), rng.randint(5, 12)))
			sessions = [frappe.utils.add_days(start, 7 * week) for week in range(4)]
			insert(
				{
					"doctype": "Group Activity",
					"title": title,
					"service": service,
					"centre": centre,
					"start_date": start,
					"end_date": sessions[-1],
					"unregistered_attendees": rng.randint(0, 6),
					"participants": [{"beneficiary": p} for p in participants],
					"attendance": [
						{"session_date": d, "beneficiary": p, "present": int(rng.random() < 0.8)}
						for d in sessions
						for p in participants
					],
				}
			)


def print_demo_logins() -> None:
	path = fixtures_path() / "users.json"
	if not path.exists():
		return
	for user in json.loads(path.read_text(encoding="utf-8")):
		print(f"  Login: {user['email']} / {user['password']}  ({user['description']})")
