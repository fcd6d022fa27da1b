"""Loads the demo data of ``fixtures/demo`` into a site: ``bench --site kentro.localhost execute
kentro_koinotitas.demo.loader.load_demo``. Idempotent: what is already there is left alone."""

import json
import time
from pathlib import Path

import frappe
from frappe.utils import get_bench_path

from kentro_koinotitas.demo.generator import SyntheticPeople


def fixtures_path() -> Path:
	return Path(get_bench_path()) / "fixtures" / "demo"


def read_fixture(name: str):
	return json.loads((fixtures_path() / name).read_text(encoding="utf-8"))


def load_demo() -> None:
	started = time.monotonic()
	frappe.flags.in_demo_load = True
	load_centres()
	created = load_registry()
	frappe.db.commit()
	print(f"    demo registry: {created} new beneficiaries ({time.monotonic() - started:.1f}s)")


def load_centres() -> None:
	for record in read_fixture("centres.json"):
		if not frappe.db.exists("Community Centre", record["centre_name"]):
			frappe.get_doc({"doctype": "Community Centre", **record}).insert(ignore_permissions=True)


def load_registry() -> int:
	config = read_fixture("demo.json")
	people = SyntheticPeople(seed=config["seed"])
	created = 0
	for centre, wanted in config["beneficiaries_per_centre"].items():
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
						"minimum_income_household": int(any(g.vulnerable_group.endswith("(ΚΕΑ)") for g in doc.vulnerable_groups)),
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


def print_demo_logins() -> None:
	path = fixtures_path() / "users.json"
	if not path.exists():
		return
	for user in json.loads(path.read_text(encoding="utf-8")):
		print(f"  Login: {user['email']} / {user['password']}  ({user['description']})")
