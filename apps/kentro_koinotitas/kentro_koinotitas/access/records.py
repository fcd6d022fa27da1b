"""Checks on saving an app record: it stays within the user's centres, and it names only records the user
may read (a visit, case, household or application of one's own centre cannot point at another centre's
person and so reveal their name and birth date through the fetched fields).

`validate` hooks (hooks.py, "*"): they run after the controller's `validate`, so a centre the controller
fills in from the user's own centre is checked too.
"""

import frappe
from frappe import _

from kentro_koinotitas.access import partners
from kentro_koinotitas.access.centres import can_read_centre
from kentro_koinotitas.access.scope import centre_field
from kentro_koinotitas.access.workflow import trusted_server_code
from kentro_koinotitas.links import link_label, throw_not_found
from kentro_koinotitas.meta import app_doctypes_only, from_meta, is_app_doctype


class RecordScopeError(frappe.PermissionError):
	pass


@app_doctypes_only
def check_links_first(doc, method=None) -> None:
	"""`before_validate`: the links are checked before the controller's `validate`, whose own checks read
	the linked records (whose person a case is about, whether a person has died) and would answer about a
	record of another centre before `check_record` refused it. A link to no record is refused here too
	(Frappe leaves one that other fields fetch from to `links.validate_fetched_links`, after the
	controller), so that no controller's message tells the two apart.

	A table row has no `before_validate` of its own when its record is saved: one that has it is being
	saved alone (`PUT /api/resource/<table>/<row>`), where no check of the record sees it."""
	if doc.meta.istable:
		refuse_row_alone(doc)
	elif not _exempt(doc):
		check_rows_belong(doc)
		check_links(doc, refuse_missing=True)


@app_doctypes_only
def refuse_row_deleted_alone(doc, method=None) -> None:
	"""`on_trash`: Frappe removes a record's rows with the record, or when a save leaves them out, without
	their own `on_trash`: a row that has one is being deleted alone (`DELETE /api/resource/<table>/<row>`),
	where no check of its record (a restricted person's, GDPR Art. 18) sees it."""
	if doc.meta.istable:
		refuse_row_alone(doc)


def refuse_row_alone(row) -> None:
	if trusted_server_code():
		return
	frappe.throw(
		_("A table row changes only with its record, from the record's form."),
		frappe.PermissionError,
		title=_("Not permitted"),
	)


@app_doctypes_only
def check_record(doc, method=None) -> None:
	if _exempt(doc):
		return
	check_centre(doc)
	check_links(doc)  # again for a link the controller set in `validate`
	check_attachments(doc)


def check_rows_belong(doc) -> None:
	"""A row sent as already stored (a name, and not new) must be a stored row of the same table of this
	record: Frappe writes such a row by its name alone (`BaseDocument.db_update`), so the row of another
	record, of any centre, sent under its name would be moved into this one and its record would lose it."""
	if doc.is_new():
		return  # `insert` names every row anew
	for df in doc.meta.get_table_fields():
		sent = {row.name: row for row in doc.get(df.fieldname) or [] if row.name and not row.is_new()}
		if not sent:
			continue
		stored = set(
			frappe.get_all(
				df.options,
				filters={
					"parent": doc.name,
					"parenttype": doc.doctype,
					"parentfield": df.fieldname,
					"name": ("in", list(sent)),
				},
				pluck="name",
			)
		)
		if unknown := [link_label(row, df, name) for name, row in sent.items() if name not in stored]:
			throw_not_found(unknown)


def _exempt(doc) -> bool:
	return doc.meta.istable or trusted_server_code() or partners.answering(doc)


def check_centre(doc) -> None:
	field = centre_field(doc.doctype)
	if not field or field == "name" or not (doc.is_new() or doc.has_value_changed(field)):
		return
	if not can_read_centre(doc.get(field)):
		frappe.throw(
			_("You can record only for the centres you work at."), RecordScopeError, title=_("Not permitted")
		)


def check_links(doc, before=None, refuse_missing: bool = False) -> None:
	"""Every Link (in the record and its tables) to a centre-bound app record, when set or changed, must
	point to a record the user may read. One the user may not read is refused with Frappe's own answer for
	a record that does not exist, so that saving is no test of which names exist in other centres. A link
	to no record is left to Frappe's link validation, or refused alike (`refuse_missing`: the print
	preview, which Frappe does not validate)."""
	before = before or doc.get_doc_before_save()
	old_rows = {row.name: row for row in before.get_all_children()} if before else {}
	user, checked = frappe.session.user, doc.flags.setdefault("readable_links", set())
	unknown = []
	for row in [doc, *doc.get_all_children()]:
		old = before if row is doc else old_rows.get(row.name)
		refused: list[str] = []
		for df in from_meta(row.doctype, _links_in_fetch_order):
			target, value = df.options, row.get(df.fieldname)
			if not value or (old is not None and old.get(df.fieldname) == value):
				continue
			if target == "Community Centre" or (user, target, value) in checked:
				continue
			if not is_app_doctype(target) or not centre_field(target):
				continue
			if (df.fetch_from or "").split(".", 1)[0] in refused:
				continue  # Frappe filled it in from a refused link: naming it would tell what that holds
			if not frappe.db.exists(target, value):
				if refuse_missing:
					refused.append(df.fieldname)
					unknown.append(link_label(row, df, value))
				continue  # Frappe's own link validation reports it
			if frappe.has_permission(target, "read", doc=value):
				checked.add((user, target, value))
			else:
				refused.append(df.fieldname)
				unknown.append(link_label(row, df, value))
	if unknown:
		throw_not_found(unknown)


def _links_in_fetch_order(meta) -> list:
	"""The Link fields, those filled in from another link (`fetch_from`) after the others."""
	return sorted(meta.get_link_fields(), key=lambda df: bool(df.fetch_from))


def protect_centre(centre, method=None) -> None:
	"""`validate` of Community Centre: the tree's bookkeeping (`lft`, `rgt`) is Frappe's alone, and only
	municipal IT changes who works at a centre or where it sits in the tree (a coordinator who removed or
	widened their own row would change what they may read)."""
	if centre.is_new():
		return
	before = centre.get_doc_before_save()
	stored = frappe.db.get_value("Community Centre", centre.name, ["lft", "rgt", "old_parent"], as_dict=True)
	centre.update(stored)
	if "System Manager" in frappe.get_roles() or trusted_server_code() or not before:
		return
	staff = [(row.user, row.include_branches) for row in centre.staff]
	staff_before = [(row.user, row.include_branches) for row in before.staff]
	if (
		sorted(staff) != sorted(staff_before)
		or centre.parent_community_centre != before.parent_community_centre
		or centre.is_group != before.is_group
	):
		frappe.throw(
			_("Only municipal IT (System Manager) changes a centre's staff or its place among the centres."),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def attached_file(doc, fieldname: str):
	"""The File an Attach field of an app record names, if the user may use it there: a file attached to
	this record (or, while the record is unsaved, to a new record of its DocType, uploaded by the user),
	or the user's own upload that is attached to nothing. Anything else — another import's file, another
	record's attachment, someone else's upload — is refused, so that naming a URL cannot read a file."""
	url, user = doc.get(fieldname), frappe.session.user
	if not url:
		return None
	files = frappe.get_all(
		"File",
		filters={"file_url": url, "is_folder": 0},
		fields=["name", "attached_to_doctype", "attached_to_name", "owner"],
		order_by="creation desc",
	)
	for file in files:
		mine = file.owner == user
		if file.attached_to_doctype == doc.doctype and (
			file.attached_to_name == doc.name
			or (doc.is_new() and mine and str(file.attached_to_name or "").startswith("new-"))
		):
			return frappe.get_doc("File", file.name)
		if not file.attached_to_doctype and mine:
			return frappe.get_doc("File", file.name)
	if files and trusted_server_code():
		return frappe.get_doc("File", files[0].name)
	frappe.throw(
		_("{0}: choose a file uploaded to this record.").format(_(doc.meta.get_label(fieldname))),
		RecordScopeError,
		title=_("Not permitted"),
	)


def check_attachments(doc) -> None:
	"""Every Attach field of the record, when set or changed, names a file the user may use there."""
	for df in [df for df in doc.meta.fields if df.fieldtype in ("Attach", "Attach Image")]:
		if doc.get(df.fieldname) and (doc.is_new() or doc.has_value_changed(df.fieldname)):
			attached_file(doc, df.fieldname)


@app_doctypes_only
def strip_unreadable_fields(doc, method=None) -> None:
	"""`on_change` of every app DocType (the last event of a save): the document a web request saved goes
	back to the client (REST insert and update, `frappe.client.save`, the desk's save) with the fields
	above the user's level emptied, as a read would give it. The database keeps them."""
	if getattr(frappe.local, "request", None) and not doc.meta.istable:
		doc.apply_fieldlevel_read_permissions()
