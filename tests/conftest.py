"""System-test fixtures: a real gunicorn serving the test site, and real users who log in over HTTP."""

import os
import secrets
import socket
import subprocess
import time
from pathlib import Path

import frappe
import pytest
import requests

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


def _free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


@pytest.fixture(scope="session")
def web_server():
	"""Start gunicorn (as in production) on a free loopback port for the whole session."""
	ARTIFACTS.mkdir(exist_ok=True)
	port = _free_port()
	log = open(ARTIFACTS / "gunicorn.log", "ab")
	process = subprocess.Popen(
		[
			str(ROOT / "env/bin/gunicorn"),
			"--bind",
			f"127.0.0.1:{port}",
			"--workers",
			"2",
			"--threads",
			"4",
			"--worker-class",
			"gthread",
			"--timeout",
			"120",
			"kentro_koinotitas.serve:application",
		],
		cwd=ROOT / "sites",
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	base_url = f"http://127.0.0.1:{port}"
	deadline = time.monotonic() + 60
	while True:
		try:
			if requests.get(base_url + "/api/method/ping", headers={"Host": SITE}, timeout=5).ok:
				break
		except requests.ConnectionError:
			pass
		if process.poll() is not None or time.monotonic() > deadline:
			process.kill()
			raise RuntimeError(f"gunicorn did not start; see {ARTIFACTS / 'gunicorn.log'}")
		time.sleep(0.3)
	yield base_url
	process.terminate()
	try:
		process.wait(timeout=15)
	except subprocess.TimeoutExpired:
		process.kill()
	log.close()


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
