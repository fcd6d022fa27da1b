"""What a restore must give back: every table's row count and checksum, and every file's digest.

`./kentro drill <site>` compares the snapshot of a site with the snapshot of its backup restored into a
scratch site (`bench --site <site> execute kentro_koinotitas.ops.snapshot.print_snapshot`)."""

import hashlib
import json
import os

import frappe

# Tables a restore and the migrate after it write by themselves (not the site's data): the migrate's
# own log and the scheduler's state; of the settings (`tabSingles`, compared apart), the scheduler switch
RESTORE_WRITES = frozenset(
	{"tabPatch Log", "tabDefaultValue", "tabScheduled Job Type", "tabScheduled Job Log", "tabSingles"}
)
RESTORE_WRITES_SETTINGS = (("System Settings", "enable_scheduler"), ("System Settings", "modified"))


def table_snapshot() -> dict[str, list]:
	"""{table: [rows, checksum]} of every table of the site's database."""
	tables = [row[0] for row in frappe.db.sql("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")]
	result = {}
	for table in sorted(tables):
		quoted = f"`{table.replace('`', '``')}`"
		rows = frappe.db.sql(f"SELECT COUNT(*) FROM {quoted}")[0][0]  # nosec B608 # names from SHOW TABLES
		checksum = frappe.db.sql(f"CHECKSUM TABLE {quoted} EXTENDED")[0][1]
		result[table] = [rows, str(checksum)]
	return result


def file_snapshot(site_path: str) -> dict[str, str]:
	"""{path under the site: sha256} of every public and private file (backups excluded)."""
	digests = {}
	for folder in ("public/files", "private/files"):
		root = os.path.join(site_path, folder)
		for directory, _dirs, names in os.walk(root):
			for name in names:
				path = os.path.join(directory, name)
				with open(path, "rb") as content:
					digests[os.path.relpath(path, site_path)] = hashlib.sha256(content.read()).hexdigest()
	return digests


def settings_snapshot() -> dict[str, str]:
	"""{"doctype.field": value} of every setting (single DocTypes), but those a restore writes."""
	return {
		f"{doctype}.{field}": value
		for doctype, field, value in frappe.db.sql("SELECT doctype, field, value FROM tabSingles")
		if (doctype, field) not in RESTORE_WRITES_SETTINGS
	}


def snapshot() -> dict:
	return {
		"tables": table_snapshot(),
		"settings": settings_snapshot(),
		"files": file_snapshot(frappe.get_site_path()),
	}


def print_snapshot() -> None:
	print(json.dumps(snapshot(), sort_keys=True))


def differences(before: dict, after: dict) -> list[str]:
	"""What the restored site lacks or holds differently (tables the restore itself writes excepted)."""
	found = []
	for table, (rows, checksum) in before["tables"].items():
		if table in RESTORE_WRITES:
			continue
		restored = after["tables"].get(table)
		if restored is None:
			found.append(f"table {table} is missing")
		elif restored[0] != rows:
			found.append(f"table {table}: {restored[0]} rows instead of {rows}")
		elif restored[1] != checksum:
			found.append(f"table {table}: same {rows} rows, different content")
	for setting, value in before["settings"].items():
		if after["settings"].get(setting) != value:
			found.append(f"setting {setting} differs")
	for path, digest in before["files"].items():
		if after["files"].get(path) != digest:
			found.append(f"file {path} is {'different' if path in after['files'] else 'missing'}")
	return found
