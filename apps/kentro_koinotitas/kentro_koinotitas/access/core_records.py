"""Frappe's own records that carry the app's data: sharing, attachments and stored report results.

- **DocShare**: a share grants read access whatever the centre (Frappe adds shared records to every list
  and permission check). App records may be shared only with a named user who works at the record's
  centre; sharing with everyone is refused. Set-up also turns document sharing off (`setup/security.py`).
- **File**: an attachment of an app record is always private (served only to users who may read the
  record); a new public one is made private, an existing one cannot be made public.
- **File** (listing): Frappe lists every file attached to a DocType the user may read; files of the app's
  centre-bound records are listed only when the user may read the record's centre.
- **File** (a subject-access pack): only the Data Protection Officer downloads it.
- **File** (naming a private file): Frappe serves `/private/files/<name>` to whoever may read *any* File
  row with that URL, and a File's owner always reads it. A File row of one's own that names an existing
  private file (REST insert, `upload_file` or `add_attachments` with a URL, or a changed URL) is allowed
  only to a user who may already download that file; `zip_files` honours the app's rules too.
- **Notification Log**: Frappe lists only the user's own notifications but lets anyone open any one by
  name; here only the addressee (its subject names the record and the person).
- **Prepared Report**: Frappe lets anyone with access to a report open any stored result of it, computed
  with its owner's permissions. For the app's reports only the owner may read one.
"""

import json
import os
import posixpath
from urllib.parse import unquote, urlsplit

import frappe
from frappe import _
from frappe.core.doctype.file.file import File

from kentro_koinotitas.access.officer import is_officer
from kentro_koinotitas.access.scope import in_scope, records_subquery
from kentro_koinotitas.meta import app_doctypes, app_modules, is_app_doctype


def check_share(share, method=None) -> None:
	"""`validate` of DocShare."""
	if not is_app_doctype(share.share_doctype):
		return
	record = frappe.get_doc(share.share_doctype, share.share_name)
	if share.everyone or not share.user or not in_scope(record, share.user):
		frappe.throw(
			_("A record of the Community Centre can be shared only with a colleague of the same centre."),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def file_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` of File: a subject-access pack (the file of a Data Subject Request) is the Data
	Protection Officer's alone. Municipal IT reads the requests to administer the site, not the person's
	records gathered in the pack."""
	user = user or frappe.session.user
	if user == "Administrator" or doc.attached_to_doctype != "Data Subject Request":
		return None
	return None if is_officer(user) else False


class KentroFile(File):
	"""Frappe's File, whose download check (`is_downloadable`, used for /private/files/…) calls File's own
	permission function and not the apps' `has_permission` hooks: here it asks `file_permission` too.
	A new File without content, or a changed URL, may name a private file only if the user may already
	download it (`check_file_reference`)."""

	def is_downloadable(self):
		return super().is_downloadable() and file_permission(self, "read") is not False

	def before_insert(self):
		if not self.is_folder and not self.get("content"):
			check_file_reference(self)
		super().before_insert()

	def validate(self):
		if not self.is_new() and not self.is_folder and self.has_value_changed("file_url"):
			check_file_reference(self)
		super().validate()


PRIVATE_FILES = "/private/files/"


def _private_reference(url: str | None) -> str | None:
	"""The private file a URL names (as "/private/files/…", normalised), else None. A full URL of the site
	(`http://host/private/files/…`) names it too: Frappe reads it from disk when downloading."""
	url = unquote(url or "").strip()
	if url.lower().startswith(("http://", "https://")):
		url = urlsplit(url).path
	if not url.startswith("/"):
		return None
	normalised = posixpath.normpath(url)
	return normalised if normalised.startswith(PRIVATE_FILES) else None


def check_file_reference(file) -> None:
	"""Refuse a File row that names a private file the user may not download (see the module's notes)."""
	flags = frappe.flags
	if frappe.session.user == "Administrator" or flags.in_install or flags.in_migrate or flags.in_patch:
		return
	target = _private_reference(file.file_url)
	if not target:
		return
	if target == file.file_url and os.path.basename(target):
		for name in frappe.get_all(
			"File", filters={"file_url": target, "name": ("!=", file.name or "")}, pluck="name"
		):
			existing = frappe.get_doc("File", name)
			if existing.file_url == target and existing.is_downloadable():
				return
	frappe.throw(
		_("You may not attach a private file that you cannot open yourself."),
		frappe.PermissionError,
		title=_("Not permitted"),
	)


@frappe.whitelist()
def zip_files(files: str) -> None:
	"""`frappe.core.api.file.zip_files`, with only the files the user may download (Frappe's own checks
	File's permission function alone, which lets IT zip a subject-access pack)."""
	from frappe.core.api import file as file_api

	names = [
		name
		for name in frappe.parse_json(files) or []
		if isinstance(name, str)
		and frappe.db.exists("File", name)
		and frappe.get_doc("File", name).is_downloadable()
	]
	file_api.zip_files(json.dumps(names))


def keep_attachment_private(file, method=None) -> None:
	"""`validate` of File."""
	if file.is_folder or file.is_private or not is_app_doctype(file.attached_to_doctype):
		return
	if not file.is_new():
		frappe.throw(
			_("Attachments of the Community Centre's records are always private."),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	file.is_private = 1
	file.handle_is_private_changed()


def _is_app_report(report_name: str | None) -> bool:
	if not report_name:
		return False
	module = frappe.get_cached_value("Report", report_name, "module")
	return bool(module) and module in app_modules()


def prepared_report_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of Prepared Report: the app's reports only for their owner."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	reports = frappe.get_all("Report", filters={"module": ("in", list(app_modules()))}, pluck="name")
	if not reports:
		return ""
	names = ", ".join(frappe.db.escape(r) for r in reports)
	return f"(`tabPrepared Report`.`report_name` NOT IN ({names}) OR `tabPrepared Report`.`owner` = {frappe.db.escape(user)})"


def prepared_report_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	user = user or frappe.session.user
	if user != "Administrator" and _is_app_report(doc.report_name) and doc.owner != user:
		return False
	return None


def file_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of File, added to Frappe's own."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	restricted, allowed = [], []
	for name in app_doctypes():
		if subquery := records_subquery(name, user):
			restricted.append(frappe.db.escape(name))
			allowed.append(
				f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(name)}"
				f" AND `tabFile`.`attached_to_name` IN ({subquery}))"
			)
	if not restricted:
		return ""
	outside = f"ifnull(`tabFile`.`attached_to_doctype`, '') NOT IN ({', '.join(restricted)})"
	return f"({' OR '.join([outside, *allowed])})"


def notification_log_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	user = user or frappe.session.user
	if user != "Administrator" and doc.for_user != user:
		return False
	return None
