"""Replication lag of a read replica during a large import: a benchmark figure, not a pass/fail check.

The site must read from a replica (`read_from_replica`, `replica_host`, `replica_db_port` in its
site_config.json). While the bulk generator (demo/bulk.py) writes a data set on the primary, a thread polls
both servers every `interval` seconds: the primary's last logged transaction (`@@gtid_binlog_pos`) and the
replica's last applied one (`@@gtid_slave_pos`). The lag of a sample is the time until the replica had
applied what the primary had logged at that moment.

	bench --site SITE execute kentro_koinotitas.demo.replica_benchmark.replication_lag \
		--kwargs "{'beneficiaries': 5000, 'service_deliveries': 40000}"
"""

import statistics
import threading
import time

import frappe
import pymysql
from frappe import _
from frappe.utils import now_datetime

from kentro_koinotitas.demo import bulk

CATCH_UP_SECONDS = 600


def gtid_positions(text: str | None) -> dict[int, int]:
	"""{domain: sequence number} of a GTID list such as "0-1-113,1-2-7"."""
	positions: dict[int, int] = {}
	for gtid in filter(None, (part.strip() for part in (text or "").split(","))):
		domain, _server, seq = gtid.split("-")
		positions[int(domain)] = max(positions.get(int(domain), 0), int(seq))
	return positions


def covers(applied: dict[int, int], logged: dict[int, int]) -> bool:
	return all(applied.get(domain, 0) >= seq for domain, seq in logged.items())


def _connect(host: str, port: int | str | None) -> pymysql.Connection:
	"""The site's own database account (it reads these two server variables like any client)."""
	return pymysql.connect(
		host=host,
		port=int(port or 3306),
		user=frappe.conf.db_name,
		password=frappe.conf.db_password,
		database=frappe.conf.db_name,
		connect_timeout=10,
		autocommit=True,
	)


class GtidSampler(threading.Thread):
	"""Polls the primary's logged and the replica's applied GTID positions on connections of its own."""

	def __init__(self, interval: float):
		super().__init__(daemon=True)
		self.interval = interval
		self.samples: list[tuple[float, dict[int, int], dict[int, int]]] = []
		self.stopping = threading.Event()
		self.primary = _connect(frappe.conf.db_host, frappe.conf.db_port)
		self.replica = _connect(frappe.conf.replica_host, frappe.conf.replica_db_port)

	def sample(self) -> tuple[float, dict[int, int], dict[int, int]]:
		with self.primary.cursor() as cursor:
			cursor.execute("select @@global.gtid_binlog_pos")
			logged = gtid_positions(cursor.fetchone()[0])
		with self.replica.cursor() as cursor:
			cursor.execute("select @@global.gtid_slave_pos")
			applied = gtid_positions(cursor.fetchone()[0])
		row = (time.monotonic(), logged, applied)
		self.samples.append(row)
		return row

	def run(self) -> None:
		while not self.stopping.wait(self.interval):
			self.sample()

	def stop(self) -> None:
		if self.stopping.is_set():
			return
		self.stopping.set()
		if self.is_alive():
			self.join(timeout=10)
		self.primary.close()
		self.replica.close()

	def lags(self) -> list[float]:
		"""For every sample, the seconds until a later sample shows the replica past what was logged."""
		lags = []
		for index, (moment, logged, _applied) in enumerate(self.samples):
			later = next(
				(t for t, _logged, applied in self.samples[index:] if covers(applied, logged)),
				None,
			)
			if later is not None:
				lags.append(later - moment)
		return lags

	def most_behind(self) -> int:
		"""The most transactions the replica had still to apply at any sample."""
		return max(
			(
				sum(max(seq - applied.get(domain, 0), 0) for domain, seq in logged.items())
				for _t, logged, applied in self.samples
			),
			default=0,
		)


def _replica_counts(tag: str) -> dict[str, int]:
	"""Rows of the data set `tag` on the replica, per DocType."""
	prefixes = {"Beneficiary": "BEN", "Case": "CASE", "Service Delivery": "SRV", "Referral": "REF"}
	connection = _connect(frappe.conf.replica_host, frappe.conf.replica_db_port)
	counts = {}
	try:
		with connection.cursor() as cursor:
			for doctype, prefix in prefixes.items():
				cursor.execute(
					f"select count(*) from `tab{doctype}` where name like %s",  # nosec B608 # fixed DocTypes
					(f"{prefix}-B{tag}-%",),
				)
				counts[doctype] = cursor.fetchone()[0]
	finally:
		connection.close()
	return counts


def _wait_caught_up(sampler: GtidSampler, interval: float) -> float:
	"""The moment the sampler first saw the replica past everything the primary had logged."""
	deadline = time.monotonic() + CATCH_UP_SECONDS
	since = len(sampler.samples)
	while time.monotonic() < deadline:
		for moment, logged, applied in sampler.samples[since:]:
			if covers(applied, logged):
				return moment
		time.sleep(interval)
	frappe.throw(
		_("The replica did not catch up with the primary within {0} seconds.").format(CATCH_UP_SECONDS)
	)


def replication_lag(
	beneficiaries: int = 5_000,
	cases: int = 7_500,
	service_deliveries: int = 40_000,
	referrals: int = 2_500,
	interval: float = 0.05,
	keep: bool = False,
) -> dict:
	"""Import a generated data set on the primary while measuring the replica's lag; returns the figures
	(milliseconds) and whether the replica holds every imported row. The data set is removed unless `keep`."""
	frappe.only_for("System Manager")
	if not (frappe.conf.read_from_replica and frappe.conf.replica_host):
		frappe.throw(
			_(
				"This site reads from no replica: set read_from_replica, replica_host and replica_db_port in its site_config.json."
			)
		)
	tag = f"R{now_datetime():%y%m%d%H%M%S}"
	sampler = GtidSampler(interval)
	sampler.start()
	try:
		started = time.monotonic()
		result = bulk.generate(
			beneficiaries=beneficiaries,
			cases=cases,
			service_deliveries=service_deliveries,
			referrals=referrals,
			tag=tag,
		)
		imported = time.monotonic()
		caught_up = _wait_caught_up(sampler, interval)
		sampler.stop()
		on_replica = _replica_counts(tag)
	finally:
		sampler.stop()
		if not keep:
			bulk.remove(tag)
	lags = sorted(sampler.lags())
	rows = sum(result["counts"].get(doctype, 0) for doctype in on_replica)
	return {
		"rows_imported": rows,
		"import_seconds": round(imported - started, 1),
		"rows_per_second": round(rows / max(imported - started, 0.001)),
		"samples": len(sampler.samples),
		"lag_p50_ms": round(statistics.median(lags) * 1000) if lags else None,
		"lag_p95_ms": round(lags[int(len(lags) * 0.95)] * 1000) if lags else None,
		"lag_max_ms": round(lags[-1] * 1000) if lags else None,
		"most_transactions_behind": sampler.most_behind(),
		"caught_up_after_import_ms": round(max(caught_up - imported, 0) * 1000),
		"replica_has_every_row": all(on_replica[d] == result["counts"].get(d) for d in on_replica),
		"counts": {"primary": {d: result["counts"].get(d) for d in on_replica}, "replica": on_replica},
		"tag": tag,
	}
