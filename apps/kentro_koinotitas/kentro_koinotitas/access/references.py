"""Frappe's own records and methods that name an app record by its name, outside the app's permission hooks
(which act on the app's DocTypes): who is assigned to or follows a record, its tags, the workflow step it
waits in, a Kanban board's cards.

- **Tag Link, Document Follow, Workflow Action, Energy Point Log**: every desk user (Tag Link: every
  user) lists them all, and each names a record (a Tag Link also its title, the person's name, and its tag;
  a Workflow Action the state the record waits in). Here a row naming an app record is read only by a user
  who may read that record (`permission_query_conditions` and `has_permission`, added to Frappe's own).
- **Document Follow** (creating one): Frappe lets any desk user create one by REST, for any record; the
  hourly digest then mails the record's every change. The followed record must be one the follower may
  read at every level (as `access/writes.follow_document` asks).
- `frappe.desk.form.assign_to.add` (and `add_multiple`) checks the record only for each assignee: with an
  empty list it answered any record's assignments. `document_follow.get_follow_users` answered any
  record's followers, `unfollow_document` whether any user follows any record, `assign_to.remove_multiple`
  whether a record has assignments (an error only when it had). The names are a sequence
  (BEN-2026-00001…): which professional of another centre, a psychologist perhaps, works on which person.
- **ToDo** (an assignment, inserted by REST): it wrote the named record's `_assign`, whatever its centre,
  and notified the assignee with the record's title. Its author and its assignee must both read the
  record.
- `kanban_board.update_order` read each card's column field without a check and tried to save only the
  cards whose value differed from the column sent: "no error" meant "this record has this value" (any field
  of any record, through a board on that field). `update_order`, `update_order_for_single_card` and
  `add_card` also saved and returned any board, another user's private one included. A board stores its
  cards' names by column (`order`), filled in with its creator's permissions: a director's public board on
  the app's records named every centre's records by value to every desk user, so boards of the app's
  DocTypes keep no stored order (the cards show in the list's order).
"""

import frappe
from frappe.desk.doctype.kanban_board import kanban_board
from frappe.desk.form import assign_to, document_follow

from kentro_koinotitas.access.scope import records_subquery
from kentro_koinotitas.access.versions import reads_every_level
from kentro_koinotitas.access.workflow import trusted_server_code
from kentro_koinotitas.access.writes import require_record
from kentro_koinotitas.meta import app_doctypes, is_app_doctype

# DocType: (its field holding the DocType of the record it names, the field holding the record's name)
REFERENCES = {
	"Tag Link": ("document_type", "document_name"),
	"Document Follow": ("ref_doctype", "ref_docname"),
	"Workflow Action": ("reference_doctype", "reference_name"),
	"Energy Point Log": ("reference_doctype", "reference_name"),
}
# a ToDo's fields that make it another assignment
ASSIGNMENT_FIELDS = ("reference_type", "reference_name", "allocated_to")


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of the DocTypes of `REFERENCES`: rows naming an app record only where
	the user reads the record."""
	user = user or frappe.session.user
	if user == "Administrator" or doctype not in REFERENCES:
		return ""
	doctype_field, name_field = (f"`tab{doctype}`.`{field}`" for field in REFERENCES[doctype])
	allowed = []
	for name in app_doctypes():
		if not frappe.has_permission(name, "read", user=user):
			continue
		condition = f"{doctype_field} = {frappe.db.escape(name)}"
		if subquery := records_subquery(name, user):
			condition += f" AND {name_field} IN ({subquery})"
		allowed.append(f"({condition})")
	app = ", ".join(frappe.db.escape(name) for name in app_doctypes())
	return f"(ifnull({doctype_field}, '') NOT IN ({app}) OR {' OR '.join(allowed) or '1=0'})"


def reads(doctype: str, name: str, user: str) -> bool:
	"""Whether the user reads the record, without adding Frappe's explanation (which names the record) to
	the refusal of the row being checked."""
	logs = frappe.flags.pop("has_permission_check_logs", None)
	try:
		return frappe.has_permission(doctype, "read", doc=name, user=user)
	finally:
		if logs is not None:
			frappe.flags["has_permission_check_logs"] = logs


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	user = user or frappe.session.user
	doctype_field, name_field = REFERENCES[doc.doctype]
	target, name = doc.get(doctype_field), doc.get(name_field)
	if user == "Administrator" or not is_app_doctype(target) or ptype == "create":
		return None
	if not name or not frappe.db.exists(target, name):
		return False
	return None if reads(target, name, user) else False


def check_follow(follow, method=None) -> None:
	"""`validate` of Document Follow: the follower reads the record, at every level (the digest mails
	every change with its old and new value)."""
	if not is_app_doctype(follow.ref_doctype) or follow.user == "Administrator" or trusted_server_code():
		return
	if not (
		frappe.db.exists(follow.ref_doctype, follow.ref_docname)
		and reads(follow.ref_doctype, follow.ref_docname, follow.user)
		and reads_every_level(follow.ref_doctype, follow.user)
	):
		frappe.throw(frappe._("Not permitted"), frappe.PermissionError)


def check_todo(todo, method=None) -> None:
	"""`validate` of ToDo (an assignment): a ToDo naming an app record writes the record's `_assign` (its
	list shows who works on it) and notifies the assignee with the record's title. Its author and its
	assignee must both read the record."""
	target, name = todo.reference_type, todo.reference_name
	if not is_app_doctype(target) or not name or trusted_server_code():
		return
	if not (todo.is_new() or any(todo.has_value_changed(f) for f in ASSIGNMENT_FIELDS)):
		return
	users = {frappe.session.user, todo.allocated_to} - {None, "", "Administrator"}
	if not users:
		return
	if not frappe.db.exists(target, name) or not all(reads(target, name, user) for user in users):
		frappe.throw(frappe._("Not permitted"), frappe.PermissionError)


def _require_readable(doctype: str | None, name: str | None) -> None:
	"""Any record, the app's or Frappe's: the same refusal whether it exists or not."""
	if not doctype or not name or not frappe.db.exists("DocType", doctype):
		raise frappe.PermissionError
	require_record(doctype, name)
	if not frappe.db.exists(doctype, name) or not frappe.has_permission(doctype, "read", doc=name):
		raise frappe.PermissionError


@frappe.whitelist()
def add_assignment(args: dict | None = None):
	args = args or frappe.local.form_dict
	_require_readable(args.get("doctype"), args.get("name"))
	return assign_to.add(args)


@frappe.whitelist()
def add_assignments(args: dict | None = None):
	args = args or frappe.local.form_dict
	for name in frappe.parse_json(args.get("name")) or []:
		_require_readable(args.get("doctype"), name)
	return assign_to.add_multiple(args)


@frappe.whitelist()
def remove_assignments(doctype: str, names: str):
	for name in frappe.parse_json(names) or []:
		_require_readable(doctype, name)
	return assign_to.remove_multiple(doctype, names)


@frappe.whitelist()
def get_follow_users(doctype: str, doc_name: str):
	_require_readable(doctype, doc_name)
	return document_follow.get_follow_users(doctype, doc_name)


@frappe.whitelist()
def unfollow_document(doctype: str, doc_name: str, user: str):
	if user != frappe.session.user:
		raise frappe.PermissionError
	return document_follow.unfollow_document(doctype, doc_name, user)


def _board(board_name: str):
	board = frappe.get_doc("Kanban Board", board_name)
	board.check_permission("read")
	return board


@frappe.whitelist()
def update_kanban_order(board_name: str, order: str):
	board = _board(board_name)
	for cards in (frappe.parse_json(order) or {}).values():
		for card in cards:
			if not frappe.db.exists(board.reference_doctype, card) or not frappe.has_permission(
				board.reference_doctype, "write", doc=card
			):
				raise frappe.PermissionError
	return kanban_board.update_order(board_name, order)


@frappe.whitelist()
def update_kanban_card(
	board_name: str,
	docname: str,
	from_colname: str,
	to_colname: str,
	old_index: int | str,
	new_index: int | str,
):
	_board(board_name)
	return kanban_board.update_order_for_single_card(
		board_name, docname, from_colname, to_colname, old_index, new_index
	)


@frappe.whitelist()
def add_kanban_card(board_name: str, docname: str, colname: str):
	_board(board_name)
	return kanban_board.add_card(board_name, docname, colname)


def clear_card_order(board, method=None) -> None:
	"""`validate` of Kanban Board (after its `before_insert` on an insert): a board of an app DocType keeps no list of its
	cards' names (filled in with its creator's permissions, read by every desk user)."""
	if is_app_doctype(board.reference_doctype):
		for column in board.columns:
			column.order = None
