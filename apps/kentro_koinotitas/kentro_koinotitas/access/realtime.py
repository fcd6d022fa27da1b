"""The desk's "list changed" message goes only to the users who may read the record.

Frappe's `Document.notify_update` (v15.55.1) publishes `list_update` — the DocType, the record's name and
the user who saved it — to the DocType's realtime room, which every user who may read the DocType joins:
a social worker of one centre would learn, as it happens, each record another centre saves and who saved
it. `install()` (with the query guard, once per process) wraps it: for a DocType of the app whose records
belong to a centre, the message goes to the room of each user who may read that centre
(`centres.readers_of_centre`) and has the DocType's read permission, after the commit as Frappe sends it;
everything else (the form's `doc_update`, which goes to the users who have that record open, and other
DocTypes) is Frappe's own. `list_update_for` does the same for the Registry Import's batch.

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
from kentro_koinotitas.access.scope import centre_fields
from kentro_koinotitas.meta import is_app_doctype

# what `Document.notify_update` calls, in the order of its source (v15.55.1)
NOTIFY_STEPS = ("publish_realtime", "get", "get", "get", "publish_realtime")


def _steps(function) -> tuple[str, ...]:
	tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
	calls = sorted(
		(node.lineno, node.col_offset, node.func.attr)
		for node in ast.walk(tree)
		if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
	)
	return tuple(attr for _line, _column, attr in calls)


def install() -> None:
	"""Wrap `Document.notify_update` once per process (idempotent)."""
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
		if frappe.flags.in_patch or not is_centre_scoped(self.doctype):
			return current(self)
		frappe.publish_realtime(
			"doc_update",
			{"modified": self.modified, "doctype": self.doctype, "name": self.name},
			doctype=self.doctype,
			docname=self.name,
			after_commit=True,
		)
		if not self.meta.get("read_only") and not self.meta.get("issingle"):
			# a record moved to another centre leaves the lists of its former centre's readers too
			before = self.get_doc_before_save()
			list_update_for(self.doctype, [self], also=[before] if before else [])

	notify_update.kentro_guard = True
	Document.notify_update = notify_update


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
	for user in sorted(readers):
		frappe.db.after_commit.add(
			functools.partial(
				frappe.realtime.emit_via_redis, "list_update", message, frappe.realtime.get_user_room(user)
			)
		)
	return readers
