"""Operating it, through the commands IT runs: an upgrade from a database of today's main, and the restore
drill (an encrypted backup of a site with records and attachments, the site dropped, the backup restored
into a new site: every table and every file as it was). Real MariaDB, gpg and bench; each site made here
is dropped at the end."""

import json
import os
from pathlib import Path

import pytest

from tests.operating import BENCH, KENTRO, ROOT, drop_sites, new_name, on_site, run

FIXTURE = ROOT / "tests" / "fixtures" / "upgrade" / "main-728ddad-demo-database.sql.gz"

# Records an upgrade must keep, beside every table of the app's DocTypes
CORE_RECORDS = ("File", "Comment", "Version", "User", "Has Role", "Contact")

RECORDS = """
import hashlib, json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
from kentro_koinotitas.meta import app_modules
doctypes = frappe.get_all("DocType", filters={"module": ("in", list(app_modules())), "issingle": 0}, pluck="name")
result = {}
for doctype in sorted(set(doctypes) | set(sys.argv[2].split(","))):
    if not frappe.db.table_exists(doctype):
        continue
    # a user's roles are data; the roles of shipped charts and reports follow the new code's files
    where = " where parenttype = 'User'" if doctype == "Has Role" else ""
    result[doctype] = frappe.db.sql(f"select name from `tab{doctype}`{where} order by name", pluck=True)
people = frappe.db.sql("select name, amka, afm, full_name, date_of_birth from tabBeneficiary order by name")
result["people"] = hashlib.sha256(repr(people).encode()).hexdigest()
print(json.dumps(result))
"""

POPULATE = """
import json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
frappe.set_user("Administrator")
person = frappe.get_all("Beneficiary", pluck="name", order_by="name", limit=1)[0]
centre = frappe.get_all("Community Centre", pluck="name", order_by="lft", limit=1)[0]
made = []
for private, content in ((0, b"public leaflet"), (1, "ιδιωτικό έγγραφο ".encode() * 200)):
    made.append(frappe.get_doc({"doctype": "File", "file_name": f"drill-{private}.txt", "content": content,
        "is_private": private, "attached_to_doctype": "Beneficiary" if private else None,
        "attached_to_name": person if private else None}).insert().file_url)
rows = "Επώνυμο,Όνομα,Ημερομηνία γέννησης,Φύλο\\nΔοκιμαστική,Ελένη,1980-01-02,Γυναίκα\\n"
import_file = frappe.get_doc({"doctype": "File", "file_name": "drill-import.csv", "content": rows.encode(),
    "is_private": 1}).insert()
frappe.get_doc({"doctype": "Registry Import", "centre": centre, "import_file": import_file.file_url}).insert()
frappe.db.commit()
print(json.dumps(made))
"""


def snapshot(site: str) -> dict:
	out = run(BENCH, "--site", site, "execute", "kentro_koinotitas.ops.snapshot.print_snapshot").stdout
	return json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
	folder = tmp_path_factory.mktemp("keys")
	os.chmod(folder, 0o700)
	return str(folder)


@pytest.fixture(scope="module")
def sites():
	"""Names of the sites made here; each is dropped at the end."""
	made: list[str] = []
	yield made
	drop_sites(made)


@pytest.fixture(scope="module")
def upgraded(sites):
	"""A database dumped from main at commit 728ddad (schema and demo data), restored and migrated to
	this code: the records before and after the migrate."""
	site = new_name("upgrade")
	sites.append(site)
	run(KENTRO, "restore", site, FIXTURE, "--no-migrate")
	before = on_site(site, RECORDS, ",".join(CORE_RECORDS))
	run(BENCH, "--site", site, "migrate")
	after = on_site(site, RECORDS, ",".join(CORE_RECORDS))
	return site, before, after


def test_a_database_of_todays_main_migrates_with_every_record_intact(upgraded):
	"""Every record of the dump is there after the migrate, and the people's identities are unchanged (the
	migrate may add records of its own: default masters, roles, the change log of settings it applies)."""
	_site, before, after = upgraded
	assert len(before["Beneficiary"]) == 320 and len(before["Case"]) == 183  # the demo data of the dump
	lost = {
		doctype: sorted(set(names) - set(after.get(doctype, [])))[:5]
		for doctype, names in before.items()
		if doctype != "people" and not set(names) <= set(after.get(doctype, []))
	}
	assert not lost, f"records lost by the migrate: {lost}"
	assert after["people"] == before["people"]


def test_restore_drill_gives_back_every_table_and_file(upgraded, sites, keys, tmp_path):
	from kentro_koinotitas.ops.snapshot import differences

	source = upgraded[0]
	files = on_site(source, POPULATE)
	assert any("/private/files/" in url for url in files)
	second_location = tmp_path / "second-location"
	settings = json.dumps({"copy_to": str(second_location), "keep_days": 30})
	run(
		ROOT / ".bench-cli" / "bin" / "bench",
		"--site",
		source,
		"set-config",
		"-p",
		"kentro_backups",
		settings,
	)
	run(KENTRO, "backup-key", source, KENTRO_KEY_DIR=keys)
	out = run(KENTRO, "backup", source, "--with-files", KENTRO_KEY_DIR=keys).stdout
	backup = json.loads(out[out.index("{") :])
	assert len(backup["files"]) == 4 and all("-enc" in path for path in backup["files"])
	# the copy in the second location is what survives the loss of the site
	assert sorted(Path(p).name for p in backup["copies"]) == sorted(Path(p).name for p in backup["files"])
	assert all(Path(p).parent == second_location / source for p in backup["copies"])
	database = next(Path(path) for path in backup["copies"] if "-database-enc" in path)
	# encrypted: no name, no ΑΜΚΑ and no file content of the site can be read in the backup set
	for path in backup["copies"]:
		content = Path(path).read_bytes()
		assert b"encryption_key" not in content and "ιδιωτικό".encode() not in content
	before = snapshot(source)

	# a wrong key is refused before anything is created
	other = new_name("wrongkey")
	wrong = Path(keys) / "wrong.backup-key"
	wrong.write_text("not-the-key")
	os.chmod(wrong, 0o600)
	failed = run(KENTRO, "restore", other, database, "--key-file", wrong, check=False)
	assert failed.returncode != 0 and "does not decrypt with this key" in failed.stdout + failed.stderr
	assert not (ROOT / "sites" / other).exists()

	# the site is dropped, and its backup restored into a new site
	run(KENTRO, "site", "drop", source, KENTRO_CONFIRM=source)
	assert not (ROOT / "sites" / source).exists()
	restored = new_name("restored")
	sites.append(restored)
	key_file = Path(keys) / f"{source}.backup-key"
	run(KENTRO, "restore", restored, database, "--key-file", key_file, "--no-migrate")
	after = snapshot(restored)
	assert not differences(before, after)
	assert len(before["tables"]) > 200 and len(before["files"]) >= 3
	assert before["tables"]["tabBeneficiary"][0] == 320 and before["tables"]["tabRegistry Import"][0] == 1


SABOTAGE = """
import json, sys
import frappe
frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
# Data that breaks a rule the schema is about to enforce: two closure reasons with the same text, and the
# DocType marked as changed, so that the migrate rebuilds the table's unique index and fails on them
reason = frappe.db.sql("select reason from `tabClosure Reason` order by name limit 1")[0][0]
for (index,) in frappe.db.sql(
    "select distinct index_name from information_schema.statistics where table_schema = database() "
    "and table_name = 'tabClosure Reason' and column_name = 'reason' and non_unique = 0"
):
    frappe.db.sql_ddl(f"alter table `tabClosure Reason` drop index `{index}`")
frappe.db.sql(
    "insert into `tabClosure Reason` (name, reason, creation, modified, owner, modified_by) "
    "values ('Διπλή αιτία', %s, now(), now(), 'Administrator', 'Administrator')", reason)
frappe.db.sql("update tabDocType set migration_hash = null where name = 'Closure Reason'")
frappe.db.commit()
print(json.dumps(reason))
"""


def test_an_upgrade_whose_migrate_fails_leaves_the_site_as_it_was(sites, keys):
	"""`./kentro upgrade` backs the site up, migrates, and on a failed migrate restores the backup: the
	database is as it was before the upgrade, table by table, and the command says what happened."""
	from kentro_koinotitas.ops.snapshot import differences

	site = new_name("failing-upgrade")
	sites.append(site)
	run(KENTRO, "restore", site, FIXTURE, "--no-migrate")
	on_site(site, SABOTAGE)
	before = snapshot(site)
	failed = run(KENTRO, "upgrade", "--site", site, check=False, KENTRO_KEY_DIR=keys, KENTRO_UPGRADE_PULL="0")
	output = failed.stdout + failed.stderr
	assert failed.returncode != 0, output[-3000:]
	assert f"{site} failed to migrate" in output and "restored from its backup" in output
	assert "non-unique existing values" in output or "Duplicate entry" in output, output[-3000:]
	after = snapshot(site)
	assert not differences(before, after)
	assert after["tables"]["tabClosure Reason"][0] == before["tables"]["tabClosure Reason"][0]
	# the backup it restored is the one made at the start, kept with the site's other backups
	assert list((ROOT / "sites" / site / "private" / "backups").glob("*-database-enc.sql.gz"))
