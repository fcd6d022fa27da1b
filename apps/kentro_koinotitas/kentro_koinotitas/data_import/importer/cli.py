"""The command-line entry of the registry importer:

	bench --site SITE execute kentro_koinotitas.data_import.importer.cli.import_file \
		--kwargs "{'path': 'registry.xlsx', 'centre': 'Κέντρο Κοινότητας ...'}"
"""

import frappe

from kentro_koinotitas.data_import.importer.files import read_rows
from kentro_koinotitas.data_import.importer.report import error_report
from kentro_koinotitas.data_import.importer.writer import import_rows


def import_file(
	path: str, centre: str, dry_run: bool = False, report: str | None = None, commit: bool = True
) -> dict:
	"""Import (or with `dry_run` only check) a registry file. Writes the error report next to the file
	(or to `report`) when rows are rejected, and prints and returns the summary."""
	with open(path, "rb") as handle:
		headers, rows = read_rows(handle.read(), path)
	result = import_rows(headers, rows, centre, dry_run=dry_run)
	if commit and not dry_run:
		frappe.db.commit()
	summary = result.summary()
	if result.failed:
		report = report or f"{path.rsplit('.', 1)[0]}-σφάλματα.xlsx"
		with open(report, "wb") as handle:
			handle.write(error_report(result))
		summary["error_report"] = report
	print(summary)
	return summary
