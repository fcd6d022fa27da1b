# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt
"""A registry import from the desk: upload, check the detected columns, validate (a dry run that returns
the error report), then import, in the background when the file is long."""

import contextlib
import json
import time

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils.background_jobs import is_job_enqueued
from frappe.utils.file_manager import save_file

from kentro_koinotitas.access.records import attached_file
from kentro_koinotitas.data_import.importer import columns, files, report, writer

BACKGROUND_FROM_ROWS = 200
# how long a background import whose database went away waits for it to come back, to record its failure
RECONNECT_SECONDS = 120


class RegistryImport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		centre: DF.Link
		column_mapping: DF.Code | None
		error_report: DF.Attach | None
		failed_rows: DF.Int
		import_file: DF.Attach
		imported_rows: DF.Int
		log: DF.LongText | None
		skipped_rows: DF.Int
		status: DF.Literal[
			"Draft", "Validated", "Queued", "Importing", "Completed", "Completed with errors", "Failed"
		]
		total_rows: DF.Int
	# end: auto-generated types

	def onload(self):
		# the mapping preview names each column by its label in the user's language
		self.set_onload("column_labels", {column: columns.label(column) for column in columns.COLUMNS})
		self.set_onload("interrupted", self.is_interrupted())

	def is_interrupted(self) -> bool:
		"""Marked as running, but no job runs it: its worker or database died before it could say so."""
		return self.status in ("Queued", "Importing") and not is_job_enqueued(job_id(self.name))

	def validate(self):
		self.validate_file_type()
		self.detect_columns()

	def validate_file_type(self):
		if self.import_file and not self.import_file.lower().endswith((".xlsx", ".csv")):
			frappe.throw(_("Upload an .xlsx or .csv file."), title=_("Unsupported file"))

	def detect_columns(self):
		if self.import_file and (self.has_value_changed("import_file") or not self.column_mapping):
			headers, _rows = self.read()
			self.column_mapping = json.dumps(columns.detect_mapping(headers), indent=1)

	def read(self) -> tuple[list[str], list[list]]:
		file = attached_file(self, "import_file")  # only this import's own file, never any file on the site
		return files.read_rows(file.get_content(), file.file_name or self.import_file)

	def mapping(self) -> dict[str, int]:
		try:
			mapping = json.loads(self.column_mapping or "{}")
			return {str(k): int(v) for k, v in mapping.items() if k in columns.COLUMNS}
		except (ValueError, TypeError):
			frappe.throw(_("The column mapping is not valid JSON."))

	def run(self, dry_run: bool) -> None:
		headers, rows = self.read()
		publish = lambda done, total: frappe.publish_realtime(  # noqa: E731
			"registry_import_progress",
			{"done": done, "total": total, "name": self.name},
			doctype=self.doctype,
			docname=self.name,
		)
		result = writer.import_rows(
			headers, rows, self.centre, dry_run=dry_run, mapping=self.mapping(), progress=publish
		)
		summary = result.summary()
		self.total_rows = summary["total"]
		self.imported_rows = 0 if dry_run else summary["imported"]
		self.skipped_rows = summary["skipped"]
		self.failed_rows = summary["failed"]
		self.error_report = self.attach_error_report(result) if result.failed else None
		lines = [_("Row {0}: {1}").format(r.number, "; ".join(r.errors)) for r in result.failed[:200]]
		lines += [_("Row {0}: {1}").format(r.number, r.skipped) for r in result.skipped[:200]]
		self.log = "\n".join(lines)
		if dry_run:
			self.status = "Validated"
		else:
			self.status = "Completed with errors" if result.failed else "Completed"
		self.save()

	def attach_error_report(self, result) -> str:
		name = f"{self.name}-σφάλματα.xlsx"
		file = save_file(name, report.error_report(result), self.doctype, self.name, is_private=1)
		return file.file_url


@frappe.whitelist(methods=["POST"])
def validate_rows(name: str) -> dict:
	"""The dry run: every row checked with the form rules, nothing saved."""
	doc = frappe.get_doc("Registry Import", name)
	doc.check_permission("write")
	doc.run(dry_run=True)
	return doc.as_dict()


@frappe.whitelist(methods=["POST"])
def start_import(name: str) -> str:
	"""Import now, or in the background (RQ, queue "long") when the file is long."""
	doc = frappe.get_doc("Registry Import", name)
	doc.check_permission("write")
	if doc.status in ("Queued", "Importing") and not doc.is_interrupted():
		frappe.throw(_("This import is already running."))
	_headers, rows = doc.read()
	if len(rows) < BACKGROUND_FROM_ROWS or frappe.flags.in_test:
		run_import(name)
		return "done"
	doc.db_set("status", "Queued")
	frappe.enqueue(run_import, queue="long", timeout=3600, name=name, job_id=job_id(name))
	return "queued"


def job_id(name: str) -> str:
	return f"registry_import::{name}"


def run_import(name: str) -> None:
	"""The import job. The file is imported in one transaction: if anything stops it (a fault, the
	database going away), none of its rows is saved, and the import is marked failed with that news."""
	doc = frappe.get_doc("Registry Import", name)
	doc.db_set("status", "Importing")
	frappe.db.commit()  # the status is seen by others while the rows are written
	try:
		doc.run(dry_run=False)
	except Exception:
		mark_failed(name, frappe.get_traceback())
		raise
	finally:
		frappe.publish_realtime("registry_import_done", {"name": name}, doctype=doc.doctype, docname=name)


def mark_failed(name: str, traceback: str) -> None:
	"""Roll the import back and record its failure, reconnecting if the database went away (for up to
	RECONNECT_SECONDS; after that the form shows the import as interrupted)."""
	deadline = time.monotonic() + RECONNECT_SECONDS
	while True:
		try:
			frappe.db.rollback()
			break
		except Exception:
			if time.monotonic() > deadline:
				return
			time.sleep(1)
			with contextlib.suppress(Exception):
				frappe.db.connect()
	message = _(
		"The import stopped before it finished, so none of its rows was saved (a file is imported whole or "
		"not at all). Start it again: people already in the registry are skipped."
	)
	frappe.db.set_value("Registry Import", name, {"status": "Failed", "log": f"{message}\n\n{traceback}"})
	frappe.db.commit()


@frappe.whitelist()
def download_template() -> None:
	frappe.response["filename"] = "Πρότυπο εισαγωγής μητρώου.xlsx"
	frappe.response["filecontent"] = report.template()
	frappe.response["type"] = "binary"
