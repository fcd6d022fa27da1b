"""Load and soak through the production stack: desk users over HTTPS through nginx to the supervised
gunicorn, RQ workers, scheduler and Redis that `./kentro production` set up, on the large data set.

	bench --site <domain> execute kentro_koinotitas.demo.production_load.prepare    # demo + large data set
	bench --site <domain> execute kentro_koinotitas.demo.production_load.load       # 50 users, 5 minutes
	bench --site <domain> execute kentro_koinotitas.demo.production_load.soak       # 20 users, 30 minutes

The users are the demo staff, each logging in with the site's second factor (a TOTP code, as an
authenticator app gives it). Locust (`demo/locustfile.py`, in its own virtualenv) records every request's
time; the figures exclude logging in. The soak samples the resident memory of every process of the stack
(each supervised program with its children, nginx, MariaDB) and reports its growth after a warm-up.
Only this machine's loopback address is loaded; every run stops by itself."""

import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import frappe
import psutil
from frappe.utils import get_bench_path

from kentro_koinotitas.demo import bulk, http_load, loader

RESULTS = Path(get_bench_path()) / "results"
WARM_UP_SECONDS = 300  # workers import modules and fill caches on their first requests


def prepare(beneficiaries: int = 100_000) -> dict:
	"""The demo data, then the large data set (once): a benchmark site, never a municipality's."""
	frappe.only_for("System Manager")
	if not frappe.db.count("Case"):
		loader.load_demo()
		frappe.db.commit()
	generated = None
	if frappe.db.count("Beneficiary") < beneficiaries:
		generated = bulk.generate(
			beneficiaries=beneficiaries,
			cases=beneficiaries * 3 // 2,
			service_deliveries=beneficiaries * 8,
			referrals=beneficiaries // 2,
		)
	return {"generated": generated, "beneficiaries": frappe.db.count("Beneficiary")}


def desk_logins() -> list[dict]:
	"""The demo staff with their TOTP secrets (enrolled here, as each would enrol an authenticator app)."""
	from frappe.twofactor import get_otpsecret_for_, set_default

	logins = http_load.desk_logins()
	for login in logins:
		login["otp_secret"] = get_otpsecret_for_(login["user"])
		set_default(login["user"] + "_otplogin", 1)
	frappe.db.commit()
	return logins


def run_locust(users: int, seconds: int, think: tuple[float, float], sample=None) -> dict:
	"""Locust against https://<site> (resolved to 127.0.0.1); `sample()` is called every 30 s meanwhile."""
	site = frappe.local.site
	certificate = frappe.conf.get("ssl_certificate")
	if not certificate:
		frappe.throw(f"{site} is not a production site (no ssl_certificate): run ./kentro production first")
	logins = desk_logins()
	locust = http_load.locust_executable()
	times = Path(get_bench_path()) / "logs" / f"production-load-{os.getpid()}.json"
	command = [
		str(locust),
		*("-f", str(Path(__file__).with_name("locustfile.py"))),
		*("--headless", "--users", str(users), "--spawn-rate", str(max(1, users // 10))),
		*(
			"--run-time",
			f"{seconds}s",
			"--host",
			f"https://{site}",
			"--only-summary",
			"--loglevel",
			"WARNING",
		),
	]
	env = {
		**os.environ,
		"KENTRO_SITE": site,
		"KENTRO_LOGINS": json.dumps(logins),
		"KENTRO_THINK": f"{think[0]},{think[1]}",
		"KENTRO_LOOPBACK_HOST": site,
		"KENTRO_CA": certificate,
		"KENTRO_TIMES": str(times),
	}
	process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
	deadline = time.monotonic() + seconds + 120
	try:
		while process.poll() is None:
			if time.monotonic() > deadline:
				process.kill()
				frappe.throw("Locust did not stop in time")
			if sample:
				sample()
			time.sleep(30 if sample else 5)
	finally:
		if process.poll() is None:
			process.kill()
	records = json.loads(times.read_text())
	times.unlink()
	return summarise(records, users, seconds, think)


def summarise(records: list[list], users: int, seconds: int, think: tuple[float, float]) -> dict:
	"""records: [name, milliseconds, error or None] per request."""

	def stats(rows: list[list]) -> dict:
		ms = sorted(row[1] for row in rows)
		return {
			"requests": len(ms),
			"errors": sum(1 for row in rows if row[2]),
			"p50_ms": round(statistics.median(ms), 1) if ms else None,
			"p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1) if ms else None,
			"max_ms": round(ms[-1], 1) if ms else None,
		}

	desk = [row for row in records if row[0] != "login"]
	names = sorted({row[0] for row in records})
	return {
		"users": users,
		"seconds": seconds,
		"think_seconds": list(think),
		"requests_per_s": round(len(desk) / seconds, 1),
		"excluding_login": stats(desk),
		"login": stats([row for row in records if row[0] == "login"]),
		"by_request": {name: stats([row for row in records if row[0] == name]) for name in names},
		"errors": sorted({row[2] for row in records if row[2]})[:20],
	}


def load(users: int = 50, seconds: int = 300, think_min: float = 2, think_max: float = 8) -> dict:
	"""`users` desk users for `seconds` (README: 50 users, 5 minutes)."""
	frappe.only_for("System Manager")
	result = {"probe": "load", "site": frappe.local.site, **machine()}
	result.update(run_locust(users, seconds, (think_min, think_max)))
	return save(result)


def soak(users: int = 20, seconds: int = 1800, think_min: float = 2, think_max: float = 8) -> dict:
	"""`users` desk users for `seconds` (README: 20 users, 30 minutes) while the memory of every process
	of the stack is sampled; growth is measured from the end of the warm-up to the end of the run."""
	frappe.only_for("System Manager")
	samples: list[dict] = []
	start = time.monotonic()

	def sample():
		samples.append({"t": round(time.monotonic() - start), "rss_mib": stack_memory()})

	result = {"probe": "soak", "site": frappe.local.site, **machine()}
	result.update(run_locust(users, seconds, (think_min, think_max), sample=sample))
	sample()
	result["memory"] = memory_growth(samples)
	result["memory_samples"] = samples
	return save(result)


def memory_growth(samples: list[dict]) -> dict:
	"""Per process group: RSS (MiB) at the end of the warm-up and at the end (each the mean of three
	samples), and the growth in per cent."""
	warm = [s for s in samples if s["t"] >= WARM_UP_SECONDS] or samples
	first, last = warm[:3], warm[-3:]
	growth = {}
	for group in sorted(set().union(*(s["rss_mib"] for s in samples))):
		before = statistics.mean(s["rss_mib"].get(group, 0) for s in first)
		after = statistics.mean(s["rss_mib"].get(group, 0) for s in last)
		growth[group] = {
			"after_warm_up_mib": round(before, 1),
			"end_mib": round(after, 1),
			"growth_pct": round(100 * (after - before) / before, 1) if before else None,
		}
	return growth


def stack_memory() -> dict[str, float]:
	"""Resident memory (MiB) of each supervised program (with its children), nginx and MariaDB."""
	groups: dict[str, list[psutil.Process]] = {}
	for line in supervisor_status():
		name, state, *rest = line.split()
		if state == "RUNNING" and "pid" in rest:
			pid = int(rest[rest.index("pid") + 1].rstrip(","))
			with _gone():
				process = psutil.Process(pid)
				groups[name.split(":")[-1]] = [process, *process.children(recursive=True)]
	for process in psutil.process_iter(["name"]):
		if process.info["name"] in ("nginx", "mariadbd"):
			groups.setdefault(process.info["name"], []).append(process)
	memory = {}
	for group, processes in groups.items():
		total = 0
		for process in processes:
			with _gone():
				total += process.memory_info().rss
		memory[group] = round(total / 2**20, 1)
	return memory


def supervisor_status() -> list[str]:
	bench = Path(get_bench_path()).name
	result = subprocess.run(
		["supervisorctl", "status", f"{bench}-web:", f"{bench}-workers:", f"{bench}-redis:"],
		capture_output=True,
		text=True,
		timeout=30,
		check=False,
	)
	return [line for line in result.stdout.splitlines() if line.strip()]


class _gone:
	"""A process may end between listing and reading it (a gunicorn worker recycled after its requests)."""

	def __enter__(self):
		return self

	def __exit__(self, kind, value, traceback):
		return kind is not None and issubclass(kind, psutil.NoSuchProcess | psutil.AccessDenied)


def machine() -> dict:
	return {
		"cores": os.cpu_count(),
		"beneficiaries": frappe.db.count("Beneficiary"),
		"cases": frappe.db.count("Case"),
		"service_deliveries": frappe.db.count("Service Delivery"),
		"gunicorn_workers": frappe.conf.get("gunicorn_workers"),
		"date": frappe.utils.now(),
	}


def save(result: dict) -> dict:
	RESULTS.mkdir(exist_ok=True)
	path = RESULTS / f"production-{result['probe']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
	path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
	result["written_to"] = str(path)
	return result
