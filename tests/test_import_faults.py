"""A background registry import whose database is killed in the middle: nothing of the file is saved, not
one half-written row, the import says so, and it runs again to the end.

The site is a copy of the test site on a MariaDB server of its own (`tests/replica.SiteServer`), so the
test can kill that server (SIGKILL, as a crash does) without touching the machine's MariaDB. The import
runs as RQ's worker runs a job (`frappe.utils.background_jobs.execute_job`), in its own process."""

import json
import secrets
import shutil
import subprocess  # nosec B404
import time

import frappe
import pytest

from tests.operating import ROOT, on_site
from tests.replica import SiteServer

ROWS = 3000
SURNAME = "Διακοπτάκη"
WRITING_SECONDS = 2  # how long after the import starts the server is killed (the whole import takes 5-10 s)
JOB_SECONDS = 300

PREPARE = """
import json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
frappe.set_user("Administrator")
rows = int(sys.argv[2])
from kentro_koinotitas.registry.identity import make_amka
lines = ["Επώνυμο,Όνομα,Ημερομηνία γέννησης,Φύλο,ΑΜΚΑ"]
for day in range(rows):
    born = str(frappe.utils.add_days("1940-01-01", day))
    lines.append(f"{sys.argv[3]},Ελένη,{born},Γυναίκα,{make_amka(born, 'Female', 613)}")
file = frappe.get_doc({"doctype": "File", "file_name": "kill-import.csv", "is_private": 1,
    "content": "\\n".join(lines).encode()}).insert()
centre = frappe.get_doc({"doctype": "Community Centre", "centre_name": "Κέντρο Κοινότητας Διακοπής",
    "municipality": "Δήμος Δοκιμής", "centre_type": "Main centre"}).insert().name
doc = frappe.get_doc({"doctype": "Registry Import", "centre": centre, "import_file": file.file_url}).insert()
frappe.db.commit()
print(json.dumps(doc.name))
"""

STATE = """
import json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
doc = frappe.get_doc("Registry Import", sys.argv[2])
people = frappe.get_all("Beneficiary", filters={"last_name": sys.argv[3]}, pluck="name")
print(json.dumps({
    "status": doc.status, "log": (doc.log or "")[:400], "imported": doc.imported_rows,
    "interrupted": doc.is_interrupted(), "people": len(people),
    "without_search_key": frappe.db.count("Beneficiary", {"last_name": sys.argv[3], "search_key": ("is", "not set")}),
    "totals": {doctype: frappe.db.count(doctype) for doctype in ("Beneficiary", "Household", "Consent", "Case")},
}))
"""

RERUN = """
import json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
frappe.set_user("Administrator")
from kentro_koinotitas.data_import.doctype.registry_import.registry_import import run_import
run_import(sys.argv[2])
frappe.db.commit()
print(json.dumps(frappe.db.get_value("Registry Import", sys.argv[2], "status")))
"""


@pytest.fixture
def site_on_its_own_server():
	config = frappe.get_site_config()
	copy = f"_kill{secrets.token_hex(6)}"
	server = SiteServer().start(config.db_name, copy, config.db_password)
	site = f"kill-{secrets.token_hex(3)}.localhost"
	folder = ROOT / "sites" / site
	try:
		for sub in ("private/files", "public/files", "logs", "locks"):
			(folder / sub).mkdir(parents=True)
		site_config = {**config, "db_name": copy, "db_host": "127.0.0.1", "db_port": server.port}
		(folder / "site_config.json").write_text(json.dumps(site_config))
		yield site, server
	finally:
		server.stop()
		shutil.rmtree(folder, ignore_errors=True)


def importing(server: SiteServer, name: str) -> str:
	"""The import's status as committed on the site's server (the job commits «Importing» before writing)."""
	rows = server.sql(f"select status from `{server.database}`.`tabRegistry Import` where name = '{name}'")
	return rows[0][0] if rows else ""


def test_killing_the_database_mid_import_saves_nothing_of_the_file_and_the_import_runs_again(
	site_on_its_own_server,
):
	site, server = site_on_its_own_server
	name = on_site(site, PREPARE, str(ROWS), SURNAME)
	before = on_site(site, STATE, name, SURNAME)["totals"]
	job = subprocess.Popen(  # nosec B603
		[
			str(ROOT / "env" / "bin" / "python"),
			"-c",
			"import os, sys; os.chdir('sites'); from frappe.utils.background_jobs import execute_job; "
			"execute_job(sys.argv[1], 'kentro_koinotitas.data_import.doctype.registry_import.registry_import"
			".run_import', None, 'registry_import', {'name': sys.argv[2]})",
			site,
			name,
		],
		cwd=ROOT,
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		text=True,
	)
	try:
		deadline = time.monotonic() + JOB_SECONDS
		while importing(server, name) != "Importing":
			assert job.poll() is None, (
				f"the import ended before it started writing: {job.stdout.read()[-2000:]}"
			)
			assert time.monotonic() < deadline, "the import did not start within the time allowed"
			time.sleep(0.05)
		time.sleep(WRITING_SECONDS)  # the rows are being written (the job's failure below proves it was)
		server.kill()
		time.sleep(2)  # the job meets the dead server
		server.start_server()  # crash recovery: InnoDB rolls back what was not committed
		output, _ = job.communicate(timeout=JOB_SECONDS)
	finally:
		if job.poll() is None:
			job.kill()
	assert job.returncode != 0, output[-2000:]  # the job failed, as RQ records it

	state = on_site(site, STATE, name, SURNAME)
	assert state["people"] == 0 and state["totals"] == before, state  # not one row of the file
	assert state["status"] == "Failed" and not state["interrupted"], state
	assert "none of its rows was saved" in state["log"], state

	# started again (the desk's «Έναρξη εισαγωγής» runs the same job), it imports the whole file
	assert on_site(site, RERUN, name) == "Completed"
	state = on_site(site, STATE, name, SURNAME)
	assert state["people"] == ROWS and state["imported"] == ROWS and state["without_search_key"] == 0, state
