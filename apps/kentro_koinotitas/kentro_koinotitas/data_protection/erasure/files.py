"""Files: the attachments of the person's own records are deleted, and the rows of the person are cut out
of every Registry Import file and error report (the rest of each file is kept as it was). Stored report
results (Prepared Report, a gzipped JSON attachment) that name the person are deleted whole: they are a
cache, and the report runs again on the anonymised data.

Nothing leaves the disk before the transaction commits: File records are deleted in the transaction and
their files removed by an `after_commit` callback, only when no other File record still points at them.
A rewritten import file is a new File; if the anonymisation fails, `discard_new_files` removes it."""

import csv
import gzip
import io
import json
import os
import zlib

import frappe
from frappe.utils import cstr
from openpyxl import load_workbook

from kentro_koinotitas.data_protection.erasure.people import Person, fold
from kentro_koinotitas.data_protection.erasure.records import PersonRecords, table_fields

ATTACH_FIELDTYPES = ("Attach", "Attach Image")
IMPORT_FILE_FIELDS = ("import_file", "error_report")


def attach_urls(doctype: str, name: str) -> set[str]:
	meta = frappe.get_meta(doctype)
	fields = [df.fieldname for df in meta.fields if df.fieldtype in ATTACH_FIELDTYPES]
	urls = (
		set(filter(None, frappe.db.get_value(doctype, name, fields, as_dict=True).values()))
		if fields
		else set()
	)
	for df in table_fields(doctype):
		child = [f.fieldname for f in frappe.get_meta(df.options).fields if f.fieldtype in ATTACH_FIELDTYPES]
		for row in frappe.get_all(
			df.options, filters={"parenttype": doctype, "parent": name}, fields=child or ["name"]
		):
			urls |= {row.get(f) for f in child if row.get(f)}
	return urls


def attached_files(records: PersonRecords) -> list[str]:
	"""Names of the File records of the person's own records (attached to them, or named in one of their
	Attach fields and attached to nothing else). Read before the records are cleared."""
	names: set[str] = set()
	for doctype, record in records.own_list():
		names |= set(
			frappe.get_all(
				"File", filters={"attached_to_doctype": doctype, "attached_to_name": record}, pluck="name"
			)
		)
		urls = attach_urls(doctype, record)
		if urls:
			names |= set(
				frappe.get_all(
					"File",
					filters={"file_url": ("in", list(urls)), "attached_to_name": ("in", ("", record))},
					pluck="name",
				)
			)
			names |= set(
				frappe.get_all(
					"File",
					filters={"file_url": ("in", list(urls)), "attached_to_name": ("is", "not set")},
					pluck="name",
				)
			)
	return sorted(names)


def prepared_reports_naming(person: Person, records: PersonRecords) -> tuple[list[str], list[str]]:
	"""(Prepared Report names, their File names) of the stored results that name the person: their names
	or numbers, or one of their records."""
	own = [f'"{name}"' for _doctype, name in records.own_list()]
	reports, files = set(), []
	for file in frappe.get_all(
		"File", filters={"attached_to_doctype": "Prepared Report"}, fields=["name", "attached_to_name"]
	):
		try:
			raw = gzip.decompress(frappe.get_doc("File", file.name).get_content())
			text = json.dumps(json.loads(raw), ensure_ascii=False)  # JSON escapes non-Latin text
		except (OSError, ValueError, EOFError, zlib.error):
			continue
		if person.mentioned_in(text) or any(name in text for name in own):
			reports.add(file.attached_to_name)
	if reports:
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Prepared Report", "attached_to_name": ("in", list(reports))},
			pluck="name",
		)
	return sorted(reports), files


def delete_files(names: list[str]) -> list[str]:
	"""Delete the File records; returns the paths of their files (and thumbnails) that no other File record
	points at, for the caller to remove once the transaction has committed."""
	if not names:
		return []
	paths: dict[str, set[str]] = {}
	for name in names:
		file = frappe.get_doc("File", name)
		if file.is_folder or not file.file_url or file.file_url.startswith(("http://", "https://")):
			continue
		found = paths.setdefault(file.file_url, set())
		found.add(file.get_full_path())
		if file.thumbnail_url and not file.thumbnail_url.startswith("http"):
			found.add(frappe.get_site_path(*file.thumbnail_url.lstrip("/").split("/")))
	frappe.db.delete("File", {"name": ("in", names)})
	frappe.db.delete("__global_search", {"doctype": "File", "name": ("in", names)})
	return sorted(
		path
		for url, found in paths.items()
		if not frappe.db.exists("File", {"file_url": url})
		for path in found
	)


def remove_from_disk(paths: list[str]) -> None:
	for path in paths:
		if os.path.isfile(path):
			os.remove(path)


class ImportScrubber:
	"""Cuts the person's rows out of Registry Import files and error reports."""

	def __init__(self, person: Person):
		self.person = person
		self.numbers = {fold(_number(n)) for n in person.numbers}
		self.names = (fold(person.first_name), fold(person.last_name))
		self.new_paths: list[str] = []
		self.replaced: list[str] = []  # File records of the old versions

	def run(self, records: PersonRecords) -> int:
		rows = 0
		for imp in frappe.get_all("Registry Import", fields=["name", *IMPORT_FILE_FIELDS, "log"]):
			changed = 0
			for fieldname in IMPORT_FILE_FIELDS:
				if imp.get(fieldname):
					changed += self._scrub_file(imp.name, fieldname, imp.get(fieldname))
			if changed or self.person.mentioned_in(imp.log):
				frappe.db.set_value(
					"Registry Import", imp.name, "log", self.person.redact(imp.log), update_modified=False
				)
				records.shared["Registry Import"].add(imp.name)
			rows += changed
		return rows

	def _scrub_file(self, imp: str, fieldname: str, url: str) -> int:
		name = frappe.db.get_value(
			"File",
			{"file_url": url, "attached_to_doctype": "Registry Import", "attached_to_name": imp},
			"name",
		)
		if not name:
			return 0
		file = frappe.get_doc("File", name)
		content = file.get_content()
		if (file.file_name or url).lower().endswith(".csv"):
			new, removed = self._without_rows_csv(content)
		else:
			new, removed = self._without_rows_xlsx(content)
		if not removed:
			return 0
		replacement = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file.file_name,
				"content": new,
				"is_private": 1,
				"attached_to_doctype": "Registry Import",
				"attached_to_name": imp,
				"attached_to_field": fieldname,
			}
		).insert(ignore_permissions=True)
		self.new_paths.append(replacement.get_full_path())
		frappe.db.set_value("Registry Import", imp, fieldname, replacement.file_url, update_modified=False)
		self.replaced.append(name)
		return removed

	def is_person_row(self, values) -> bool:
		folded = {fold(_number(v)) for v in values if v not in (None, "")}
		if self.numbers.intersection(folded):
			return True
		return all(self.names) and set(self.names) <= folded

	def _without_rows_csv(self, content) -> tuple[bytes, int]:
		text = content.removeprefix("\ufeff") if isinstance(content, str) else _decode(content)
		dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
		rows = list(csv.reader(io.StringIO(text), dialect))
		kept = [row for row in rows if not self.is_person_row(row)]
		out = io.StringIO()
		csv.writer(out, dialect).writerows(kept)
		return out.getvalue().encode("utf-8-sig"), len(rows) - len(kept)

	def _without_rows_xlsx(self, content) -> tuple[bytes, int]:
		book = load_workbook(io.BytesIO(content if isinstance(content, bytes) else content.encode()))
		removed = 0
		for sheet in book.worksheets:
			for index in range(sheet.max_row, 0, -1):
				if self.is_person_row([cell.value for cell in sheet[index]]):
					sheet.delete_rows(index)
					removed += 1
		out = io.BytesIO()
		book.save(out)
		return out.getvalue(), removed

	def discard_new_files(self) -> None:
		remove_from_disk(self.new_paths)


def _number(value) -> str:
	"""A cell as text; a number typed into a spreadsheet cell loses its leading zeros, and so does this."""
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	text = cstr(value).strip()
	digits = text.replace(" ", "").replace("-", "").replace(".", "")
	return digits.lstrip("0") if digits.isdigit() else text


def _decode(content: bytes) -> str:
	for encoding in ("utf-8-sig", "cp1253"):
		try:
			return content.decode(encoding)
		except UnicodeDecodeError:
			continue
	return content.decode("utf-8", errors="replace")
