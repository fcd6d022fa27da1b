"""The large-scale generator and every benchmark probe, run small so that CI keeps them working."""

import json

import frappe
import pytest
from kentro_koinotitas.demo import benchmark, bulk, cost_curve, http_load
from kentro_koinotitas.registry import identity, search, search_index


@pytest.fixture
def small_data_set(two_centres):
	tag = f"T{frappe.generate_hash(length=6).upper()}"
	# a seed of its own: a site may hold a large data set of the default seed, with the same people
	seed = int(frappe.generate_hash(length=6), 16)
	result = bulk.generate(
		beneficiaries=80, cases=120, service_deliveries=400, referrals=40, tag=tag, seed=seed
	)
	yield result
	frappe.set_user("Administrator")
	bulk.remove(tag)


def test_generator_writes_valid_searchable_people_and_their_casework(small_data_set):
	counts = small_data_set["counts"]
	assert counts["Beneficiary"] == 80 and counts["Case"] == 120
	assert counts["Service Delivery"] == 400 and counts["Referral"] == 40
	people = frappe.get_all(
		"Beneficiary",
		filters={"name": ("like", f"BEN-B{small_data_set['tag']}-%")},
		fields=["name", "amka", "search_key", "name_key", "first_name", "last_name", "home_centre"],
	)
	assert len(people) == 80
	for person in people:
		if person.amka:
			assert identity.validate_amka(person.amka) == person.amka
		assert person.name_key == identity.name_key(person.first_name, person.last_name)
		assert identity.strip_accents(person.last_name).lower() in person.search_key
	cases = frappe.get_all(
		"Case",
		filters={"name": ("like", f"CASE-B{small_data_set['tag']}-%")},
		fields=["status", "workflow_state"],
	)
	assert all(c.workflow_state for c in cases)
	# the search index holds every person, as the form would have indexed them
	for person in people[:10]:
		indexed = frappe.db.sql(
			f"select beneficiary, token, kind from `{search_index.TABLE}` where beneficiary = %s", person.name
		)
		doc_rows = search_index.document_rows(frappe.get_doc("Beneficiary", person.name))
		assert sorted(indexed) == sorted(doc_rows)
		if person.amka:  # (a site holding another data set of the same seed has the same numbers)
			found = search.ranked_names(person.amka)
			assert person.name in found
			assert {frappe.db.get_value("Beneficiary", name, "amka") for name in found} == {person.amka}
	# the ORM reads the bulk-written records like any other, and each passes the form's identity rule
	for person in people:
		doc = frappe.get_doc("Beneficiary", person.name)
		doc.validate_amka()
		doc.validate_identity_present()
	# the index rows leave with the data set
	tag = small_data_set["tag"]
	bulk.remove(tag)
	assert not frappe.db.sql(
		f"select 1 from `{search_index.TABLE}` where beneficiary like %s limit 1", f"BEN-B{tag}-%"
	)


def test_every_benchmark_probe_runs(small_data_set, two_centres, tmp_path):
	user = two_centres.users["coordinator_a"]
	search = benchmark.search_probe(user, 3)
	assert set(search) == {"name", "amka", "afm", "phone"}
	for stats in search.values():
		assert stats["p95_ms"] >= stats["p50_ms"] > 0
		found, total = map(int, stats["found"].split("/"))
		assert found == total > 0
	typing = benchmark.typing_probe(user, 1)
	assert typing["n"] > 3 and typing["p95_ms"] >= typing["p50_ms"] > 0

	lists = benchmark.list_probe(user, 2)
	assert lists["Beneficiary"]["n"] == 2 and lists["Case"]["p50_ms"] > 0

	report = benchmark.report_probe(user)
	assert all(report["same_totals_as_sql"].values()), report

	imported = benchmark.import_probe(4, user)
	assert imported["registry_import"]["imported"] == 4
	assert imported["frappe_data_import"]["imported"] == 4
	assert imported["ratio"] > 0

	# desk users over HTTP through a real gunicorn, driven by Locust
	frappe.set_user("Administrator")
	passwords = {two_centres.users[k]: two_centres.passwords[k] for k in ("coordinator_a", "receptionist_a")}
	probe = http_load.http_load_probe(users=2, seconds=5, passwords=passwords)
	assert probe["requests"] > 2 and probe["errors"] == 0, probe["failures"]
	assert "login" in probe["by_request"] and probe["p95_ms"] >= probe["p50_ms"] > 0
	results = {"scale": "test", "data": {}, "user": user, "import": imported, "search": search,
		"typing": typing, "lists": lists, "report": report, "http_load": probe}  # fmt: skip
	print(benchmark.table(results))

	# the cost curve: the latest run of each scale, growth factors, the JSON and the PNG
	for people, started in ((1_000, "2026-01-01 10:00"), (10_000, "2026-01-01 11:00")):
		run = {**results, "scale": str(people), "started": started, "data": {"Beneficiary": people}}
		(tmp_path / f"benchmark-{people}.json").write_text(json.dumps(run, default=str))
	(tmp_path / "benchmark-small.json").write_text(json.dumps({**results, "scale": "small"}, default=str))
	paths = cost_curve.draw(tmp_path)
	rows = json.loads((tmp_path / "cost-curve.json").read_text())
	name = next(row for row in rows if row["probe"] == "search surname first-name p95")
	assert [p["beneficiaries"] for p in name["points"]] == [1_000, 10_000]
	assert name["points"][1]["growth"] == 1.0
	assert (tmp_path / "cost-curve.png").read_bytes().startswith(b"\x89PNG") and paths["png"]
