"""Frappe's whitelisted methods that write on a record without checking that the user may read it,
replaced (hooks: `override_whitelisted_methods`) by versions that refuse another centre's records:
website comments, likes, tags (whose first use on a DocType also alters its table), following a record
(the hourly digest mails its changes), marking someone else's notification as read.
"""

import frappe
from frappe import _
from frappe.desk import like
from frappe.desk.doctype.notification_log import notification_log
from frappe.desk.doctype.tag import tag as tag_api
from frappe.desk.form import document_follow
from frappe.templates.includes.comments import comments

from kentro_koinotitas.access.versions import reads_every_level
from kentro_koinotitas.meta import app_doctypes, is_app_doctype


def require_record(doctype: str, name: str, ptype: str = "read") -> None:
	"""Refuse a record of the app the user may not read (or write), or a row of one of its tables."""
	if not is_app_doctype(doctype):
		return
	if frappe.get_meta(doctype).istable or not frappe.db.exists(doctype, name):
		raise frappe.PermissionError
	if not frappe.has_permission(doctype, ptype, doc=name):
		raise frappe.PermissionError


@frappe.whitelist(allow_guest=True)
def add_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route):
	if is_app_doctype(reference_doctype):
		frappe.throw(
			_("Comments on the Community Centre's records are made from the form."), frappe.PermissionError
		)
	if frappe.session.user != "Guest" and not (
		frappe.db.exists(reference_doctype, reference_name)
		and frappe.has_permission(reference_doctype, "read", doc=reference_name)
	):
		raise frappe.PermissionError  # Frappe lets any logged-in user comment on any record
	return comments.add_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route)


@frappe.whitelist()
def toggle_like(doctype: str, name: str, add: bool | str = False):
	"""Frappe checks nothing before writing `_liked_by` (and a comment): any record the user may read."""
	require_record(doctype, name)  # the app's records and their rows
	if not frappe.db.exists(doctype, name) or not frappe.has_permission(doctype, "read", doc=name):
		raise frappe.PermissionError  # Frappe's own records (comments, files, logs…)
	return like.toggle_like(doctype, name, add)


@frappe.whitelist()
def add_tag(tag: str, dt: str, dn: str, color: str | None = None):
	require_record(dt, dn, "write")
	return tag_api.add_tag(tag, dt, dn, color)


@frappe.whitelist()
def add_tags(tags: str | list, dt: str, docs: str | list, color: str | None = None):
	for name in frappe.parse_json(docs) or []:
		require_record(dt, name, "write")
	return tag_api.add_tags(tags, dt, docs, color)


@frappe.whitelist()
def remove_tag(tag: str, dt: str, dn: str):
	require_record(dt, dn, "write")
	return tag_api.remove_tag(tag, dt, dn)


def _check_follow(doctype: str, name: str, user: str) -> None:
	if is_app_doctype(doctype):
		if user != frappe.session.user:
			raise frappe.PermissionError
		require_record(doctype, name)
		if not reads_every_level(doctype, user):
			frappe.throw(
				_("You can follow only the records you may read in full (the digest mails every change)."),
				frappe.PermissionError,
			)


@frappe.whitelist()
def follow_document(doctype: str, doc_name: str, user: str):
	_check_follow(doctype, doc_name, user)
	return document_follow.follow_document(doctype, doc_name, user)


@frappe.whitelist()
def update_follow(doctype: str, doc_name: str, following: bool):
	if frappe.utils.sbool(following):
		_check_follow(doctype, doc_name, frappe.session.user)
	return document_follow.update_follow(doctype, doc_name, following)


def check_follow_setting(user, method=None) -> None:
	"""`validate` of User: the e-mail digest of followed records (Frappe follows every record a user saves
	once they turn it on) mails each change with its old and new value, so it is for users who read every
	level of the app's records; for others it stays off."""
	if user.document_follow_notify and user.name != "Administrator":
		readable = [d for d in app_doctypes() if frappe.has_permission(d, "read", user=user.name)]
		if readable and not all(reads_every_level(d, user.name) for d in readable):
			frappe.throw(
				_(
					"E-mail updates of followed records are not available to roles that may not read every part of a record."
				),
				frappe.PermissionError,
			)


@frappe.whitelist()
def mark_as_read(docname: str):
	if frappe.db.get_value("Notification Log", docname, "for_user") != frappe.session.user:
		raise frappe.PermissionError
	return notification_log.mark_as_read(docname)
