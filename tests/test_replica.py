"""Scale-out on MariaDB replication: a replica of the test site's database (tests/replica.py) and Frappe's
`read_from_replica`, which sends what Frappe marks `@frappe.read_only()` (reports, list views) there.

Which server answered is told by MariaDB's own per-table counters (`userstat`:
information_schema.TABLE_STATISTICS, rows read per table of this site's database), read on each server."""

import json

import frappe
import pymysql
import pytest
from frappe.installer import update_site_config
from kentro_koinotitas.demo import bulk, replica_benchmark
from kentro_koinotitas.registry import identity

from tests.conftest import ARTIFACTS, SiteSession
from tests.replica import Replica, root_sql, table_reads

DATA_TABLES = ["tabBeneficiary", "tabCase", "tabCase Request", "tabService Delivery", "tabReferral"]
REPORT_FILTERS = {"from_date": "2000-01-01", "to_date": "2100-12-31", "periodicity": "Yearly"}
APP_READS = (
	("kentro_koinotitas.reporting.dashboard.overdue_items_count", {}),
	("kentro_koinotitas.reporting.dashboard_chart_source.services_by_axis.services_by_axis.get", {}),
	("kentro_koinotitas.reporting.dashboard_chart_source.requests_by_category.requests_by_category.get", {}),
	(
		"kentro_koinotitas.reporting.excel.download_xlsx",
		{"report_name": "Centre Indicators", "filters": json.dumps(REPORT_FILTERS)},
	),
	(
		"kentro_koinotitas.registry.search.beneficiary_query",
		{"doctype": "Beneficiary", "txt": "Αλ", "searchfield": "name", "start": 0, "page_len": 10},
	),
	(
		"kentro_koinotitas.registry.doctype.beneficiary.beneficiary.get_possible_duplicates",
		{"beneficiary": ""},
	),
)


def configure_replica(port: int | None) -> None:
	"""`read_from_replica` in the site's config (read by every request), or none of its keys."""
	values = {"read_from_replica": 1, "replica_host": "127.0.0.1", "replica_db_port": port}
	for key, value in values.items():
		update_site_config(key, value if port else "None")


@pytest.fixture(scope="module")
def data_set(two_centres):
	tag = f"Q{frappe.generate_hash(length=6).upper()}"
	bulk.generate(beneficiaries=60, cases=90, service_deliveries=300, referrals=30, tag=tag)
	yield tag
	frappe.set_user("Administrator")
	bulk.remove(tag)


@pytest.fixture(scope="module")
def replica(data_set):
	(userstat,) = root_sql("select @@global.userstat")[0]
	root_sql("set global userstat = 1")
	server = Replica()
	try:
		server.start(frappe.conf.db_name)
		configure_replica(server.port)
		yield server
	finally:
		configure_replica(None)
		server.stop()
		root_sql(f"set global userstat = {int(userstat)}")


@pytest.fixture
def coordinator(web_server, two_centres):
	with SiteSession(web_server) as session:
		session.login(two_centres.users["coordinator_a"], two_centres.passwords["coordinator_a"])
		yield session


def run_report(session: SiteSession) -> dict:
	response = session.get(
		"/api/method/frappe.desk.query_report.run",
		params={"report_name": "Centre Indicators", "filters": json.dumps(REPORT_FILTERS)},
	)
	assert response.status_code == 200, response.text[:500]
	return response.json()["message"]


def list_view(session: SiteSession, method: str = "frappe.desk.reportview.get"):
	response = session.get(
		f"/api/method/{method}",
		params={
			"doctype": "Beneficiary",
			"fields": json.dumps(["`tabBeneficiary`.`name`", "`tabBeneficiary`.`full_name`"]),
			"filters": json.dumps([["Beneficiary", "name", "like", "BEN-B%"]]),
			"order_by": "`tabBeneficiary`.`modified` desc",
			"start": 0,
			"page_length": 500,
		},
	)
	assert response.status_code == 200, response.text[:500]
	return response.json()["message"]


def test_replica_follows_the_primary_and_takes_no_writes(replica):
	note = frappe.get_doc({"doctype": "ToDo", "description": f"replica {replica.port}"}).insert(
		ignore_permissions=True
	)
	frappe.db.commit()
	try:
		replica.wait_caught_up(timeout=60)
		database = frappe.conf.db_name
		assert replica.sql(f"select description from `{database}`.tabToDo where name = '{note.name}'") == [
			[note.description]
		]
		status = replica.status()
		assert status["Slave_IO_Running"] == "Yes" and status["Slave_SQL_Running"] == "Yes"
		assert status["Using_Gtid"] == "Slave_Pos"
		# the site's account reads the replica and nothing more: a write routed there by mistake fails
		connection = pymysql.connect(
			host="127.0.0.1",
			port=replica.port,
			user=database,
			password=frappe.conf.db_password,
			database=database,
		)
		with connection, connection.cursor() as cursor:
			cursor.execute("select count(*) from tabToDo where name = %s", (note.name,))
			assert cursor.fetchone() == (1,)
			with pytest.raises(pymysql.err.OperationalError) as refused:
				cursor.execute("update tabToDo set description = 'x' where name = %s", (note.name,))
			assert refused.value.args[0] == 1290  # the server runs --read-only (the account reads only, too)
	finally:
		frappe.delete_doc("ToDo", note.name, ignore_permissions=True, force=True)
		frappe.db.commit()


def test_report_and_list_views_read_from_the_replica(replica, coordinator, two_centres, data_set):
	replica.wait_caught_up(timeout=60)
	database = frappe.conf.db_name
	primary_before = table_reads(DATA_TABLES, database)
	replica_before = table_reads(DATA_TABLES, database, replica.socket)

	report = run_report(coordinator)
	listed = list_view(coordinator)
	count = coordinator.get(
		"/api/method/frappe.desk.reportview.get_count",
		params={"doctype": "Beneficiary", "filters": json.dumps([["Beneficiary", "name", "like", "BEN-B%"]])},
	)
	assert count.status_code == 200, count.text[:500]
	# the app's own read-only methods: workspace numbers and charts, the .xlsx export, link search and
	# the duplicate hint of the form
	for method, params in APP_READS:
		if "beneficiary" in params:
			params = {**params, "beneficiary": two_centres.person_a.name}
		response = coordinator.get(f"/api/method/{method}", params=params)
		assert response.status_code == 200, (method, response.text[:300])

	primary_after = table_reads(DATA_TABLES, database)
	replica_after = table_reads(DATA_TABLES, database, replica.socket)
	assert primary_after == primary_before  # not one row of these tables read on the primary
	for table in ("tabBeneficiary", "tabCase", "tabService Delivery", "tabReferral"):
		assert replica_after[table] > replica_before[table], table

	# the same answers as the primary gives (the coordinator's centre only)
	frappe.set_user(two_centres.users["coordinator_a"])
	visible = frappe.get_list("Beneficiary", filters={"name": ("like", "BEN-B%")}, pluck="name", limit=0)
	assert sorted(row[0] for row in listed["values"]) == sorted(visible) and visible
	assert count.json()["message"] == len(visible)
	from frappe.desk.query_report import run

	def counts(rows: list[dict]) -> list[dict]:  # the labels follow each side's language
		return [{k: v for k, v in row.items() if k not in ("section", "indicator")} for row in rows]

	expected = counts(json.loads(json.dumps(run("Centre Indicators", REPORT_FILTERS)["result"])))
	assert counts(report["result"]) == expected and expected[0]["total"] > 0

	# Frappe v15 does not mark frappe.client.get_list (REST lists) read-only: it stays on the primary
	before = table_reads(["tabBeneficiary"], database)["tabBeneficiary"]
	response = coordinator.get(
		"/api/method/frappe.client.get_list",
		params={"doctype": "Beneficiary", "filters": json.dumps({"name": ["like", "BEN-B%"]})},
	)
	assert response.status_code == 200 and response.json()["message"]
	assert table_reads(["tabBeneficiary"], database)["tabBeneficiary"] > before


def test_replication_lag_is_measured_during_an_import(replica):
	keys = {"read_from_replica": 1, "replica_host": "127.0.0.1", "replica_db_port": replica.port}
	frappe.local.conf.update(keys)
	try:
		figures = replica_benchmark.replication_lag(
			beneficiaries=400, cases=600, service_deliveries=3000, referrals=200, interval=0.05
		)
	finally:
		for key in keys:
			frappe.local.conf.pop(key, None)
	(ARTIFACTS / "replica_lag.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
	assert figures["replica_has_every_row"], figures["counts"]
	assert figures["rows_imported"] == 4200 and figures["samples"] > 0
	assert 0 <= figures["lag_p50_ms"] <= figures["lag_p95_ms"] <= figures["lag_max_ms"]
	# the data set was removed on the primary, and the deletion reached the replica
	replica.wait_caught_up(timeout=120)
	pattern = f"BEN-B{figures['tag']}-%"
	database = frappe.conf.db_name
	assert replica.sql(f"select count(*) from `{database}`.tabBeneficiary where name like '{pattern}'") == [
		["0"]
	]


def test_without_the_replica_reads_fail_and_writes_go_on(replica, coordinator, two_centres):
	"""Frappe does not fall back to the primary: `@frappe.read_only()` methods fail (HTTP 500,
	OperationalError) until the replica is back or `read_from_replica` is removed from site_config."""
	replica.stop_server()
	try:
		response = coordinator.get(
			"/api/method/frappe.desk.query_report.run",
			params={"report_name": "Centre Indicators", "filters": json.dumps(REPORT_FILTERS)},
		)
		assert response.status_code == 500
		assert response.json()["exc_type"] == "OperationalError"
		listed = coordinator.get(
			"/api/method/frappe.desk.reportview.get",
			params={"doctype": "Beneficiary", "fields": json.dumps(["`tabBeneficiary`.`name`"])},
		)
		assert listed.status_code == 500 and listed.json()["exc_type"] == "OperationalError"

		# what runs on the primary goes on: opening a record, saving one
		form = coordinator.get(
			"/api/method/frappe.desk.form.load.getdoc",
			params={"doctype": "Beneficiary", "name": two_centres.person_a.name},
		)
		assert form.status_code == 200, form.text[:300]
		person = {
			"doctype": "Beneficiary",
			"first_name": "Ελένη",
			"last_name": f"Χωρίςαντίγραφο{replica.port}",
			"home_centre": two_centres.centre_a,
			"amka": identity.make_amka("1984-05-06", "Female", 650),
		}
		saved = coordinator.post(
			"/api/method/frappe.desk.form.save.savedocs",
			data={"doc": json.dumps(person), "action": "Save"},
		)
		assert saved.status_code == 200, saved.text[:300]
		frappe.db.rollback()
		names = frappe.get_all("Beneficiary", filters={"last_name": person["last_name"]}, pluck="name")
		assert len(names) == 1
		frappe.delete_doc("Beneficiary", names[0], ignore_permissions=True, force=True)
		frappe.db.commit()

		# the operator's way out: stop reading from the replica (site_config is read by every request)
		update_site_config("read_from_replica", "None")
		assert run_report(coordinator)["result"]
	finally:
		configure_replica(replica.port)
		replica.restart()
	replica.wait_caught_up(timeout=120)
	assert run_report(coordinator)["result"]
