"""The benchmark's HTTP load probe: desk users on loopback through a real gunicorn, driven by Locust.

Locust is installed from PyPI into its own virtualenv (`.kentro/locust-venv` in the bench) on first use,
so that its dependencies never touch Frappe's environment.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import frappe
import requests
from frappe import _
from frappe.utils import get_bench_path

LOCUST = "locust==2.32.4"


def _free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def locust_executable() -> Path:
	venv = Path(get_bench_path()) / ".kentro" / "locust-venv"
	executable = venv / "bin" / "locust"
	if not executable.exists():
		# `--clear`: an install that was interrupted leaves a venv that pip cannot install into again
		subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
		subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", LOCUST], check=True)
	return executable


def desk_logins(passwords: dict[str, str] | None = None) -> list[dict]:
	"""Desk users with their passwords (by default the demo staff of fixtures/demo/users.json), whether
	each may save a beneficiary and whether they may read cases."""
	if passwords is None:
		path = Path(get_bench_path()) / "fixtures" / "demo" / "users.json"
		passwords = {u["email"]: u["password"] for u in json.loads(path.read_text(encoding="utf-8"))}
	logins = [
		{
			"user": user,
			"password": password,
			"can_write": bool(frappe.has_permission("Beneficiary", "write", user=user)),
			"can_read_cases": bool(frappe.has_permission("Case", "read", user=user)),
		}
		for user, password in passwords.items()
		if frappe.db.exists("User", {"name": user, "enabled": 1})
	]
	if not logins:
		frappe.throw(_("No demo users on this site: load the demo data first."))
	return logins


def start_server(site: str, log_path: Path | None = None, workers: int = 2) -> tuple[subprocess.Popen, str]:
	"""gunicorn as in production (2 workers × 4 threads on this 2-core machine) on a free loopback port,
	once it answers for `site`. The HTTP tests use it too; several app servers behind nginx run with
	fewer `workers` each."""
	bench = Path(get_bench_path())
	port = _free_port()
	log_path = log_path or bench / "logs" / "load-probe-gunicorn.log"
	with open(log_path, "ab") as log:
		process = subprocess.Popen(
			[
				str(bench / "env" / "bin" / "gunicorn"),
				*("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4"),
				*("--worker-class", "gthread", "--timeout", "120", "--graceful-timeout", "5", "--preload"),
				# clients reach it directly, not through nginx: an idle keep-alive connection closed by the
				# server (2 s by default) just as a user, after thinking up to 2 s, sends on it is reset
				*("--keep-alive", "10"),
				"kentro_koinotitas.serve:application",
			],
			cwd=bench / "sites",
			stdout=log,
			stderr=subprocess.STDOUT,
			start_new_session=True,  # its own process group: stopping it reaches the workers too
		)
	base_url = f"http://127.0.0.1:{port}"
	deadline = time.monotonic() + 120
	while time.monotonic() < deadline and process.poll() is None:
		try:
			if requests.get(f"{base_url}/api/method/ping", headers={"Host": site}, timeout=30).ok:
				return process, base_url
		except requests.RequestException:
			pass
		time.sleep(0.3)
	stop_server(process)
	frappe.throw(_("The web server did not start; see {0}.").format(log_path))


def stop_server(process: subprocess.Popen) -> None:
	"""Stop gunicorn and its workers (the whole process group), killing them if they linger."""
	for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
		try:
			os.killpg(process.pid, sig)
			process.wait(timeout=wait)
			return
		except ProcessLookupError:
			return
		except subprocess.TimeoutExpired:
			continue


def http_load_probe(users: int = 20, seconds: int = 60, passwords: dict[str, str] | None = None) -> dict:
	"""`users` desk users for `seconds`: requests/s, p95 and errors, overall and per kind of request."""
	site = frappe.local.site
	logins = desk_logins(passwords)
	locust = locust_executable()
	frappe.db.commit()  # the server's workers must see what this process has written
	process, base_url = start_server(site)
	prefix = Path(get_bench_path()) / "logs" / f"load-probe-{os.getpid()}"
	try:
		subprocess.run(
			[
				str(locust),
				*("-f", str(Path(__file__).with_name("locustfile.py"))),
				*("--headless", "--users", str(users), "--spawn-rate", str(users)),
				*("--run-time", f"{seconds}s", "--host", base_url, "--csv", str(prefix), "--only-summary"),
				"--loglevel",
				"WARNING",
			],
			env={**os.environ, "KENTRO_SITE": site, "KENTRO_LOGINS": json.dumps(logins)},
			check=False,
			timeout=seconds + 120,
			stdout=subprocess.DEVNULL,
		)
	finally:
		stop_server(process)
	with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
		rows = list(csv.DictReader(handle))
	with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
		failures = [
			{"request": row["Name"], "error": row["Error"][:300], "times": int(row["Occurrences"])}
			for row in csv.DictReader(handle)
		]
	for suffix in ("_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"):
		Path(f"{prefix}{suffix}").unlink(missing_ok=True)

	def summary(row: dict) -> dict:
		return {
			"requests": int(row["Request Count"]),
			"errors": int(row["Failure Count"]),
			"requests_per_s": round(float(row["Requests/s"]), 1),
			"p50_ms": float(row["50%"]),
			"p95_ms": float(row["95%"]),
		}

	total = next(row for row in rows if row["Name"] == "Aggregated")
	return {
		"users": users,
		"seconds": seconds,
		**summary(total),
		"by_request": {row["Name"]: summary(row) for row in rows if row["Name"] != "Aggregated"},
		"failures": failures,
	}
