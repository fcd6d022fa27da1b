"""The desk's realtime messages about a centre's record go only to the users who may read it, when sent.

Frappe's `Document.notify_update` (v15.55.1) publishes `list_update` — the DocType, the record's name and
the user who saved it — to the DocType's realtime room, which every user who may read the DocType joins:
a social worker of one centre would learn, as it happens, each record another centre saves and who saved
it. `install()` (with the query guard, once per process) wraps it: for a DocType of the app whose records
belong to a centre, the message goes to the room of each user who may read that centre
(`centres.readers_of_centre`) and has the DocType's read permission, after the commit as Frappe sends it;
everything else (the form's `doc_update`, which goes to the users who have that record open, and other
DocTypes) is Frappe's own. `list_update_for` does the same for the Registry Import's batch.

The form's messages about one record — `doc_update` (saved) and `docinfo_update` (a comment or e-mail
added) — go to the record's room, which a user joins once, when opening the form: a user whose centre
has since handed the case over to another centre, or who has left the centre's staff, would go on
hearing them, comment text and author included. The wrapped `frappe.realtime.publish_realtime` sends
them instead to the user rooms of those who may read the record at the moment of sending (its readers'
`has_permission`, record and all). The socket.io server's own `doc_viewers` (who has the form open) is
built from the room in node and cannot be reached from here.

Frappe's own rows about a centre's record (an assignment, attachment, e-mail, comment, tag, follower,
workflow action, notification: `FRAPPE_ROWS`) announced their saves to every user who may read their
DocType, with the saving user: their `list_update` goes to the readers of the record's centre who may
read the row.

Written for Frappe v15 (checked on v15.55.1): `install` refuses to wrap a `notify_update` whose steps
differ from the ones read here, so that an upgrade cannot silently bring the broadcast back.
"""

import ast
import functools
import inspect
import textwrap

import frappe
import frappe.realtime
from frappe.model.document import Document

from kentro_koinotitas.access import centres
from kentro_koinotitas.access.references import REFERENCES
from kentro_koinotitas.access.restriction import RELATED
from kentro_koinotitas.access.scope import centre_fields
from kentro_koinotitas.meta import is_app_doctype

# what `Document.notify_update` calls, in the order of its source (v15.55.1)
NOTIFY_STEPS = ("publish_realtime", "get", "get", "get", "publish_realtime")
# the parameters of `frappe.realtime.publish_realtime` (v15.55.1), in order
PUBLISH_PARAMETERS = ("event", "message", "room", "user", "doctype", "docname", "task_id", "after_commit")
RECORD_EVENTS = ("doc_update", "docinfo_update")
# Frappe's DocTypes whose rows name an app record: (field holding its DocType, field holding its name)
FRAPPE_ROWS = {**RELATED, **REFERENCES, "Notification Log": ("document_type", "document_name")}


def _steps(function) -> tuple[str, ...]:
	tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
	calls = sorted(
		(node.lineno, node.col_offset, node.func.attr)
		for node in ast.walk(tree)
		if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
	)
	return tuple(attr for _line, _column, attr in calls)


def install() -> None:
	"""Wrap `Document.notify_update` and `frappe.realtime.publish_realtime` once per process (idempotent)."""
	_install_notify()
	_install_publish()


def _install_notify() -> None:
	current = Document.notify_update
	if getattr(current, "kentro_guard", False):
		return
	if not frappe.__version__.startswith("15.") or _steps(current) != NOTIFY_STEPS:
		raise RuntimeError(
			"kentro_koinotitas.access.realtime was written for Frappe v15.55.1's Document.notify_update; "
			f"found Frappe {frappe.__version__} with the steps {_steps(current)}. Review the guard."
		)

	@functools.wraps(current)
	def notify_update(self):
		if frappe.flags.in_patch:
			return current(self)
		if not is_centre_scoped(self.doctype):
			if referenced := _referenced_record(self):
				return _notify_row_about(self, *referenced)
			return current(self)
		record_message_to_readers(
			"doc_update",
			{"modified": self.modified, "doctype": self.doctype, "name": self.name},
			self.doctype,
			self.name,
			doc=self,
		)
		if not self.meta.get("read_only") and not self.meta.get("issingle"):
			# a record moved to another centre leaves the lists of its former centre's readers too
			before = self.get_doc_before_save()
			list_update_for(self.doctype, [self], also=[before] if before else [])

	notify_update.kentro_guard = True
	Document.notify_update = notify_update


def _install_publish() -> None:
	current = frappe.realtime.publish_realtime
	if getattr(current, "kentro_guard", False):
		return
	if tuple(inspect.signature(current).parameters) != PUBLISH_PARAMETERS:
		raise RuntimeError(
			"kentro_koinotitas.access.realtime was written for Frappe v15.55.1's publish_realtime; found the"
			f" parameters {tuple(inspect.signature(current).parameters)}. Review the guard."
		)

	@functools.wraps(current)
	def publish_realtime(
		event=None,
		message=None,
		room=None,
		user=None,
		doctype=None,
		docname=None,
		task_id=None,
		after_commit=False,
	):
		if (
			event in RECORD_EVENTS
			and doctype
			and docname
			and not (user or task_id)
			and room in (None, frappe.realtime.get_doc_room(doctype, docname))
			and is_centre_scoped(doctype)
		):
			return record_message_to_readers(event, message, doctype, docname)
		return current(event, message, room, user, doctype, docname, task_id, after_commit)

	publish_realtime.kentro_guard = True
	frappe.realtime.publish_realtime = publish_realtime


def record_message_to_readers(
	event: str, message: dict | None, doctype: str, docname: str, doc: Document | None = None
) -> set[str]:
	"""A message about one record (`doc`, else loaded), after the commit, to each user who may read the
	record now."""
	if doc is None:
		try:
			doc = frappe.get_doc(doctype, docname)
		except frappe.DoesNotExistError:
			return set()  # deleted in the same request: nobody has anything of it to refresh
	fields = centre_fields(doctype)
	readers = {
		user
		for user in centres.readers_of_centre([doc.get(field) for field in fields])
		if frappe.has_permission(doctype, "read", doc, user=user)
	}
	_to_user_rooms(event, message or {}, readers)
	return readers


def _to_user_rooms(event: str, message: dict, users) -> None:
	for user in sorted(users):
		frappe.db.after_commit.add(
			functools.partial(
				frappe.realtime.emit_via_redis, event, message, frappe.realtime.get_user_room(user)
			)
		)


def _referenced_record(doc) -> tuple[str, str] | None:
	"""The centre record a Frappe row (an assignment, attachment, e-mail, tag…) is about, if any."""
	fields = FRAPPE_ROWS.get(doc.doctype)
	if not fields:
		return None
	doctype, name = doc.get(fields[0]), doc.get(fields[1])
	return (doctype, name) if doctype and name and is_centre_scoped(doctype) else None


def _notify_row_about(row, doctype: str, name: str) -> None:
	"""Frappe's messages for a row about a centre's record: the row's `doc_update` to its own room (whose
	join checks the row itself), its `list_update` only to the readers of the record's centre who may
	read the row (not to everyone who may read the row's DocType)."""
	frappe.publish_realtime(
		"doc_update",
		{"modified": row.modified, "doctype": row.doctype, "name": row.name},
		doctype=row.doctype,
		docname=row.name,
		after_commit=True,
	)
	if row.meta.get("read_only") or row.meta.get("issingle") or row.meta.get("istable"):
		return
	fields = centre_fields(doctype)
	record = frappe.db.get_value(doctype, name, list(fields), as_dict=True) or {}
	readers = {
		user
		for user in centres.readers_of_centre([record.get(field) for field in fields])
		if frappe.has_permission(row.doctype, "read", row, user=user)
	}
	_to_user_rooms(
		"list_update", {"doctype": row.doctype, "name": row.name, "user": frappe.session.user}, readers
	)


def is_centre_scoped(doctype: str) -> bool:
	return is_app_doctype(doctype) and not frappe.get_meta(doctype).istable and bool(centre_fields(doctype))


def list_update_for(doctype: str, docs: list, also: list | None = None) -> set[str]:
	"""Tell the readers of these records' centres (and of the centres of `also`, the records as they were)
	that the DocType's list changed, with the record's name when there is one record; returns the users
	told."""
	fields = centre_fields(doctype)
	named = [doc.get(field) for doc in (*docs, *(also or ())) for field in fields]
	readers = {
		user for user in centres.readers_of_centre(named) if frappe.has_permission(doctype, "read", user=user)
	}
	message = {"doctype": doctype, "user": frappe.session.user}
	if len(docs) == 1:
		message["name"] = docs[0].name
	_to_user_rooms("list_update", message, readers)
	return readers
