"""The production set-up as README gives it: two municipalities on one bench behind nginx over HTTPS, with
supervised processes, and nothing of one site reachable from the other. Real nginx, supervisor, gunicorn
and Redis; the processes are stopped, and the sites dropped, at the end."""

import json
import re
import time

import pyotp
import pytest
import requests

from tests.operating import KENTRO, ROOT, drop_sites, new_name, on_site, run

# gunicorn behind nginx: the bench's port (common_site_config's webserver_port)
WEB_PORT = json.loads((ROOT / "sites" / "common_site_config.json").read_text()).get("webserver_port", 8000)

AMKA_PERSON = """
import json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
frappe.set_user("Administrator")
from frappe.utils.password import get_encryption_key
from kentro_koinotitas.registry.identity import make_amka
centre = frappe.get_all("Community Centre", pluck="name", limit=1)[0]
person = frappe.get_doc({"doctype": "Beneficiary", "first_name": sys.argv[2], "last_name": sys.argv[3],
    "gender": "Female", "date_of_birth": "1979-05-04", "amka": make_amka("1979-05-04", "Female", 417),
    "home_centre": centre}).insert()
password = "Kk-" + frappe.generate_hash(length=16)
user = frappe.get_doc({"doctype": "User", "email": sys.argv[4], "first_name": "Υποδοχή",
    "send_welcome_email": 0, "new_password": password, "roles": [{"role": "Receptionist"}]}).insert()
frappe.get_doc("Community Centre", centre).append("staff", {"user": user.name}).save()
it = frappe.get_doc({"doctype": "User", "email": "it-" + sys.argv[4], "first_name": "Πληροφορική",
    "send_welcome_email": 0, "new_password": password, "roles": [{"role": "System Manager"}]}).insert()
public = frappe.get_doc({"doctype": "File", "file_name": f"leaflet-{sys.argv[3]}.txt", "is_private": 0,
    "content": sys.argv[3].encode()}).insert()
# the receptionist has enrolled an authenticator app (Frappe asks every user of the site for a second factor)
from frappe.twofactor import get_otpsecret_for_, set_default as set_two_factor_default
otp_secret = get_otpsecret_for_(user.name)
set_two_factor_default(user.name + "_otplogin", 1)
config = frappe.get_site_config()
frappe.db.commit()
print(json.dumps({"amka": person.amka, "person": person.name, "user": user.name, "password": password,
    "otp_secret": otp_secret,
    "it": it.name,
    "file": public.file_url, "db_name": config.db_name, "encryption_key": get_encryption_key(),
    "developer_mode": config.get("developer_mode"), "allow_tests": config.get("allow_tests"),
    "two_factor": config.get("kentro_require_two_factor")}))
"""


class Site(requests.Session):
	"""A session that reaches a production site through nginx on this machine, trusting the site's own
	(self-signed) certificate: paths are relative to https://<site>."""

	def __init__(self, site: str):
		super().__init__()
		self.base = f"https://{site}"
		self.certificate = f"/etc/kentro/tls/{site}.crt"

	def request(self, method, url, *args, **kwargs):
		kwargs.setdefault(
			"verify", self.certificate
		)  # per request: REQUESTS_CA_BUNDLE overrides session.verify
		kwargs.setdefault("timeout", 30)
		return super().request(method, self.base + url if url.startswith("/") else url, *args, **kwargs)


@pytest.fixture(scope="module")
def municipalities():
	sites = [new_name("dimos-a"), new_name("dimos-b")]
	try:
		out = run(KENTRO, "production", "--domain", sites[0], "--municipality", "Δήμος Άλφα", "--self-signed")
		second = run(KENTRO, "site", "add", sites[1], "--municipality", "Δήμος Βήτα", "--self-signed")
		passwords = re.findall(
			r"Administrator password of \S+ \(shown once[^)]*\): (\S+)", out.stdout + second.stdout
		)
		people = {
			site: on_site(site, AMKA_PERSON, "Ελένη", surname, f"reception-{site.split('.')[0]}@example.com")
			for site, surname in zip(sites, ("Άλφα", "Βήτα"), strict=True)
		}
		yield sites, people, passwords
	finally:
		run(KENTRO, "production", "--stop", check=False)
		drop_sites(sites)


def resolve_locally(monkeypatch, sites):
	"""Names of the test sites resolve to this machine (nginx on 127.0.0.1)."""
	import socket

	original = socket.getaddrinfo

	def getaddrinfo(host, *args, **kwargs):
		return original("127.0.0.1" if host in sites else host, *args, **kwargs)

	monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def login(site: str, user: str, password: str, otp_secret: str) -> Site:
	"""Sign in with the password and the authenticator app's current code."""
	session = Site(site)
	response = session.post("/api/method/login", data={"usr": user, "pwd": password})
	assert response.status_code == 200 and response.json().get("verification"), response.text[:300]
	code = pyotp.TOTP(otp_secret).now()
	response = session.post("/api/method/login", data={"otp": code, "tmp_id": response.json()["tmp_id"]})
	assert response.status_code == 200 and response.json()["message"] == "Logged In", response.text[:300]
	return session


def decoded(response: requests.Response) -> str:
	"""The response's text with JSON's escapes undone (Frappe writes Greek as \\u escapes)."""
	try:
		return json.dumps(response.json(), ensure_ascii=False)
	except ValueError:
		return response.text


def test_production_serves_https_through_nginx_with_supervised_processes(municipalities, monkeypatch):
	sites, people, passwords = municipalities
	resolve_locally(monkeypatch, sites)
	assert len(passwords) == 2 and passwords[0] != passwords[1] and "admin" not in passwords
	plain = requests.get(f"http://{sites[0]}/login", allow_redirects=False, timeout=30)
	assert plain.status_code == 301 and plain.headers["Location"] == f"https://{sites[0]}/login"
	page = Site(sites[0]).get("/login", headers={"Accept-Encoding": "gzip"})
	assert page.status_code == 200 and page.headers["Server"].startswith("nginx")
	assert page.headers["Strict-Transport-Security"].startswith("max-age=")
	assert (
		page.headers["X-Content-Type-Options"] == "nosniff"
		and page.headers["X-Frame-Options"] == "SAMEORIGIN"
	)
	assert page.headers.get("Content-Encoding") == "gzip"
	asset = re.search(r'href="(/assets/[^"]+\.css)"', page.text).group(1)
	served = Site(sites[0]).get(asset)
	assert served.status_code == 200 and "max-age=31536000" in served.headers["Cache-Control"]
	# a name that is not a production site of this bench (the test site, an address) is refused by nginx
	with pytest.raises(requests.exceptions.ConnectionError):
		requests.get("http://127.0.0.1/login", headers={"Host": "test.localhost"}, timeout=10)

	# production defaults: no developer mode, no tests, two-factor authentication for sensitive roles
	for site in sites:
		assert not people[site]["developer_mode"] and not people[site]["allow_tests"]
		assert people[site]["two_factor"] == 1
	# municipal IT's named account needs its second factor; Administrator (never asked one by Frappe)
	# signs in only from the server itself, and the address nginx reports decides
	# (enrolling the authenticator app e-mails its QR code: until the municipality's outgoing mail is set
	# up, Frappe answers 501; either way the password alone opens no session)
	it = Site(sites[0])
	challenge = it.post(
		"/api/method/login", data={"usr": people[sites[0]]["it"], "pwd": people[sites[0]]["password"]}
	)
	assert "Logged In" not in challenge.text
	assert challenge.json().get("verification") or challenge.json().get("exc_type") == "OutgoingEmailError"
	assert it.get("/api/method/frappe.auth.get_logged_user").status_code in (401, 403)
	assert (
		Site(sites[0]).post("/api/method/login", data={"usr": "Administrator", "pwd": "admin"}).status_code
		== 401
	)
	local = Site(sites[0]).post("/api/method/login", data={"usr": "Administrator", "pwd": passwords[0]})
	assert local.status_code == 200, local.text[:300]
	remote = requests.post(
		f"http://127.0.0.1:{WEB_PORT}/api/method/login",
		data={"usr": "Administrator", "pwd": passwords[0]},
		headers={"Host": sites[0], "X-Forwarded-For": "203.0.113.7"},
		timeout=30,
	)
	assert remote.status_code in (401, 403) and "Logged In" not in remote.text

	# every process supervised, and restarted when it dies
	status = run("supervisorctl", "status").stdout
	bench = ROOT.name
	for program in ("frappe-web", "node-socketio", "frappe-schedule", "frappe-short-worker", "frappe-long-worker", "redis-cache", "redis-queue"):  # fmt: skip
		assert re.search(rf"{bench}-{program}\S*\s+RUNNING", status), status
	# socket.io on loopback only (ops/socketio-loopback.js): it believes the Origin a client sends
	socketio_port = json.loads((ROOT / "sites" / "common_site_config.json").read_text())["socketio_port"]
	listening = [
		line.split()[3]
		for line in run("ss", "-ltnH").stdout.splitlines()
		if line.split()[3].endswith(f":{socketio_port}")
	]
	assert listening == [f"127.0.0.1:{socketio_port}"], listening
	web = f"{bench}-web:{bench}-frappe-web"
	pid = run("supervisorctl", "pid", web).stdout.strip()
	# the whole program dies (its workers first, so that none is left holding the port)
	run("pkill", "-9", "-P", pid)
	run("kill", "-9", pid)
	for _ in range(60):
		time.sleep(0.5)
		now = run("supervisorctl", "status", web, check=False).stdout
		if "RUNNING" in now and run("supervisorctl", "pid", web).stdout.strip() != pid:
			break
	else:
		pytest.fail(f"gunicorn was not restarted: {now}")
	for _ in range(60):
		if Site(sites[0]).get("/login").status_code == 200:
			break
		time.sleep(0.5)


def test_two_municipalities_with_the_same_amka_never_see_each_other(municipalities, monkeypatch):
	sites, people, _passwords = municipalities
	resolve_locally(monkeypatch, sites)
	a, b = (people[site] for site in sites)
	assert a["amka"] == b["amka"]
	assert a["db_name"] != b["db_name"] and a["encryption_key"] != b["encryption_key"]

	alpha = login(sites[0], a["user"], a["password"], a["otp_secret"])
	by_amka = alpha.get("/api/resource/Beneficiary", params={"filters": f'[["amka", "=", "{a["amka"]}"]]', "fields": '["name", "last_name"]'})  # fmt: skip
	assert by_amka.status_code == 200 and by_amka.json()["data"] == [
		{"name": a["person"], "last_name": "Άλφα"}
	]
	# the other municipality's person, by name, ΑΜΚΑ, global search and link search: nothing
	search = alpha.get("/api/method/frappe.utils.global_search.search", params={"text": "Βήτα", "limit": 20})
	assert search.status_code == 200 and "Βήτα" not in decoded(search)
	link = alpha.get(
		"/api/method/frappe.desk.search.search_link",
		params={"doctype": "Beneficiary", "txt": a["amka"]},
	)
	assert link.status_code == 200 and "Βήτα" not in decoded(link) and "Άλφα" in decoded(link)
	if a["person"] != b["person"]:
		assert alpha.get(f"/api/resource/Beneficiary/{b['person']}").status_code == 404

	# site A's session is no session on site B, whatever the request says about its site
	cookies = {"sid": alpha.cookies.get("sid")}
	beta = Site(sites[1])
	assert beta.get("/api/method/frappe.auth.get_logged_user", cookies=cookies).status_code in (401, 403)
	forged = alpha.get("/api/resource/Beneficiary", params={"fields": '["last_name"]'}, headers={"X-Frappe-Site-Name": sites[1]})  # fmt: skip
	assert forged.status_code == 200 and "Βήτα" not in decoded(forged) and "Άλφα" in decoded(forged)
	# a path of site B's file asked of site A's server, naming site B as host: refused by nginx
	with pytest.raises(requests.exceptions.ConnectionError):
		Site(sites[0]).get(b["file"], headers={"Host": "test.localhost"})
	other = Site(sites[1]).get(a["file"])
	assert other.status_code != 200 and "Άλφα" not in decoded(other)
	assert Site(sites[1]).get(b["file"]).content.decode() == "Βήτα"
