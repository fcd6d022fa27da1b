"""Insert many new documents with the checks of `Document.insert` and a few multi-row INSERTs.

`Document.insert` checks a document and then writes it with one INSERT per table row and two queries for
its number in the naming series. For thousands of rows the writing, not the checking, is the cost. Here
each document goes through the steps of `insert` in the same order: defaults, link checks, the user's
create permission, `before_insert`, `before_validate`/`validate`/`before_save` of the controller and of
the installed apps' doc events, Frappe's mandatory, length, select and data checks. Then the checked
documents are numbered from one block of their naming series and written together with
`frappe.db.bulk_insert`, and each gets `after_insert`, `on_update` and `on_change` and its global search
entry.

What is left out does nothing for a batch of new documents, or is done once per batch: the "list changed"
realtime message (once per DocType), clearing a document cache that a new document does not have, and the
Version that Frappe writes only for inserts made by its own Data Import. (For a DocType of the app whose
records belong to a centre, the "list changed" message goes to the readers of those centres only:
`access/realtime.py`.) Frappe's configurable reactions (Notification, Server Script, Webhook, Assignment
Rule, Energy Point Rule, Milestone Tracker, Workflow) run exactly as in `insert` whenever one exists for
the DocType; when none does, their per-document look-ups are skipped. A DocType whose naming is not a plain series is numbered one by one, as `insert` would.

Two of Frappe's per-document costs are paid once per batch, with the same outcome: the field lists its
checks ask the DocType's `Meta` for (each document gets a `_BatchMeta` that computes each list once), and,
for a user without a field's permission level, the new-document values the field is reset to
(`_validate_higher_perm_levels`; Frappe makes a new document for each).

A controller may define a static `after_bulk_insert(docs)` for what its `on_update` leaves, in a bulk
insert (`doc.flags.in_bulk_insert`), to be done once for the batch: the Beneficiary's search index rows.

It calls `Document`'s private steps, written against Frappe v15 (read on v15.55.1): on import it checks
that Frappe is that major version, that every step it calls exists, and that `Document.insert`,
`Document._validate` and the permission-level reset still call the steps it reproduces, in the same order
(`INSERT_STEPS`, read from their source); it refuses to load otherwise (`check_frappe_internals`), naming what changed. The importer's tests compare its records with `Document.insert`'s.
"""

import ast
import inspect
import textwrap
from collections import defaultdict

import frappe
from frappe.model import display_fieldtypes, optional_fields
from frappe.model.document import Document
from frappe.model.meta import Meta
from frappe.model.naming import NamingSeries
from frappe.utils import cstr
from frappe.utils.global_search import update_global_search

from kentro_koinotitas.access import realtime
from kentro_koinotitas.meta import from_meta

FRAPPE_MAJOR_VERSION = 15


class FrappeInternalsChanged(RuntimeError):
	pass


# Frappe's records that make inserting a DocType do something more, and their field naming the DocType
LISTENERS = {
	"Notification": "document_type",
	"Server Script": "reference_doctype",
	"Webhook": "webhook_doctype",
	"Assignment Rule": "document_type",
	"Energy Point Rule": "reference_doctype",
	"Milestone Tracker": "document_type",
	"Workflow": "document_type",
}


def listeners(doctype: str) -> list[str]:
	"""Which of Frappe's configurable reactions exist for the DocType (enabled or not), once per request."""
	cache = frappe.local.flags.setdefault("bulk_insert_listeners", {})
	if doctype not in cache:
		cache[doctype] = [
			listener for listener, field in LISTENERS.items() if frappe.db.exists(listener, {field: doctype})
		]
	return cache[doctype]


def run(doc: Document, method: str) -> None:
	"""`doc.run_method(method)`; without Frappe's own doc events and reactions when the DocType has none
	configured (they would only look up that there is nothing to do)."""
	if listeners(doc.doctype):
		doc.run_method(method)
		return
	function = getattr(doc, method, None)
	if callable(function):
		function()
	for hook in _app_hooks(doc.doctype, method):
		hook(doc, method)


def _app_hooks(doctype: str, method: str) -> list:
	cache = frappe.local.flags.setdefault("bulk_insert_hooks", {})
	if (doctype, method) not in cache:
		cache[doctype, method] = [frappe.get_attr(hook) for hook in _hooks_of_apps(doctype, method)]
	return cache[doctype, method]


def _hooks_of_apps(doctype: str, method: str) -> list[str]:
	"""The doc events of the installed apps other than Frappe (whose own are covered by `listeners`)."""
	frappe_hooks = frappe.get_hooks("doc_events", app_name="frappe")
	own = set(frappe_hooks.get("*", {}).get(method, [])) | set(frappe_hooks.get(doctype, {}).get(method, []))
	hooks = frappe.get_doc_hooks()
	return [
		hook
		for events in (hooks.get(doctype, {}), hooks.get("*", {}))
		for hook in events.get(method, [])
		if hook not in own
	]


def check(doc: Document) -> Document:
	"""Run what `Document.insert` runs before its INSERT; raises what a form would."""
	_use_batch_meta(doc)
	doc.flags.notifications_executed = []
	doc.set("__islocal", True)
	_set_defaults(doc)
	doc.set_user_and_timestamp()
	doc.set_docstatus()
	doc._action = "save"  # what `check_if_latest` sets for a new document
	doc._validate_links()
	_check_create_permission(doc)
	run(doc, "before_insert")
	# a provisional name until the document has passed (child rows must point at their parent);
	# `name` then numbers only the documents that are written, so rejected rows leave no gap in the series
	doc.set_new_name(set_name=f"new-{frappe.generate_hash(length=12)}")
	doc.set_parent_in_children()
	_validate_higher_perm_levels(doc)
	doc.flags.in_insert = True
	for method in ("before_validate", "validate", "before_save"):
		run(doc, method)
	doc.set_title_field()
	_validate(doc)
	doc.set_docstatus()
	doc.flags.in_insert = False
	return doc


class _BatchMeta(Meta):
	"""A DocType's `Meta` whose filtered field lists (`meta.get("fields", {...})`: link, data, select,
	global search fields and the like) are computed once per batch instead of once per document: Frappe's
	checks ask for them again for every document and child row. The lists are copies; the fields are the
	Meta's own."""

	def get(self, key, filters=None, limit=None, default=None):
		if not isinstance(filters, dict) or isinstance(key, dict):
			return super().get(key, filters, limit, default)
		memo = self.__dict__.setdefault("_batch_lists", {})
		index = (key, repr(sorted(filters.items())), limit)
		if index not in memo:
			memo[index] = super().get(key, filters, limit, default)
		return list(memo[index])


def batch_meta(doctype: str) -> Meta:
	"""The `_BatchMeta` of the DocType's current `Meta` (made again when Frappe's cached Meta changes)."""
	return from_meta(doctype, _batch_copy)


def _batch_copy(meta: Meta) -> Meta:
	memo = object.__new__(_BatchMeta)
	memo.__dict__.update({k: v for k, v in meta.__dict__.items() if k != "_batch_lists"})
	return memo


def _use_batch_meta(doc: Document) -> None:
	"""`doc.meta` (a cached property of the document) and its rows' become the batch's Meta."""
	for row in (doc, *doc.get_all_children()):
		row.__dict__["meta"] = batch_meta(row.doctype)


def _validate_higher_perm_levels(doc: Document) -> None:
	"""`doc.validate_higher_perm_levels()` for a new document: fields at a permission level the user may
	not write get the values of a new document. Frappe makes a new document for each; here, when the
	DocType's new-document values are static (`_static_defaults`), they are made once per request."""
	if not _static_defaults(doc.doctype):
		doc.validate_higher_perm_levels()
		return
	if doc.flags.ignore_permissions or frappe.flags.in_install or frappe.session.user == "Administrator":
		return
	fields = doc.meta.get_high_permlevel_fields()
	if not fields:
		return
	access = doc.get_permlevel_access()
	ignored = doc.flags.get("ignore_permlevel_for_fields", [])
	new = _new_values(doc.doctype)
	for df in fields:
		if (
			df.permlevel not in access
			and df.fieldtype not in display_fieldtypes
			and df.fieldname not in ignored
		):
			doc.set(df.fieldname, new.get(df.fieldname))


# The steps of `Document._validate` (Frappe v15), in its order. The ones in `_FIELD_STEPS` each loop over
# the fields of one kind only, and are skipped for a DocType that has no such field.
_STEPS = (
	"_validate_data_fields",
	"_validate_selects",
	"_validate_non_negative",
	"_validate_length",
	"_fix_rating_value",
	"_validate_code_fields",
	"_sync_autoname_field",
	"_extract_images_from_editor",
	"_sanitize_content",
	"_save_passwords",
)
_FIELD_STEPS = {
	"_validate_non_negative": lambda df: df.non_negative and df.fieldtype in ("Int", "Float", "Currency"),
	"_fix_rating_value": lambda df: df.fieldtype == "Rating",
	"_validate_code_fields": lambda df: df.fieldtype == "Code",
	"_extract_images_from_editor": lambda df: df.fieldtype in ("Text Editor", "HTML Editor"),
	"_save_passwords": lambda df: df.fieldtype == "Password",
}


def _steps(doctype: str) -> list[str]:
	cache = frappe.local.flags.setdefault("bulk_insert_steps", {})
	if doctype not in cache:
		meta = frappe.get_meta(doctype)
		cache[doctype] = [
			step
			for step in _STEPS
			if (step not in _FIELD_STEPS or any(_FIELD_STEPS[step](df) for df in meta.fields))
			and (step != "_sync_autoname_field" or "field:" in (meta.autoname or ""))
		]
	return cache[doctype]


def _validate(doc: Document) -> None:
	"""`Document._validate` for a new document, without the steps that have no field to work on."""
	doc._validate_mandatory()
	for step in _steps(doc.doctype):
		getattr(doc, step)()
	doc.validate_workflow()
	for row in doc.get_all_children():
		for step in _steps(row.doctype):
			getattr(row, step)()
	for fieldname in optional_fields:
		doc.set(fieldname, None)


def _check_create_permission(doc: Document) -> None:
	"""`doc.check_permission("create")`, once per set of link values: without `has_permission` hooks for
	the DocType, Frappe's answer for a new document depends only on the user's roles and on the values of
	its (dynamic) link fields, which user permissions restrict."""
	if frappe.get_hooks("has_permission").get(doc.doctype):
		doc.check_permission("create")
		return
	key = (
		doc.doctype,
		frappe.session.user,
		*(
			row.get(df.fieldname)
			for row in (doc, *doc.get_all_children())
			for df in row.meta.get_link_fields() + row.meta.get_dynamic_link_fields()
		),
	)
	allowed = frappe.local.flags.setdefault("bulk_insert_create_allowed", set())
	if key not in allowed:
		doc.check_permission("create")
		allowed.add(key)


def _set_defaults(doc: Document) -> None:
	"""`Document._set_defaults`, with each DocType's new-document values computed once per request: they
	depend only on the DocType, the user and the day, unless a field's default is taken from another field
	or is the current time (then Frappe's own method runs)."""
	tables = doc.meta.get_table_fields()
	if not all(_static_defaults(d) for d in (doc.doctype, *(df.options for df in tables))):
		doc._set_defaults()
		return
	doc.update_if_missing(_new_values(doc.doctype))
	for df in tables:
		for row in doc.get(df.fieldname) or []:
			row.update_if_missing(_new_values(df.options) | {"parentfield": df.fieldname})


def _static_defaults(doctype: str) -> bool:
	return from_meta(doctype, _has_static_defaults)


def _has_static_defaults(meta: Meta) -> bool:
	return not any(
		cstr(df.default).startswith(":")
		or (df.fieldtype == "Datetime" and cstr(df.default).lower() == "now")
		or df.fieldtype == "Time"
		for df in meta.fields
	)


def _new_values(doctype: str) -> dict:
	cache = frappe.local.flags.setdefault("bulk_insert_new_values", {})
	if doctype not in cache:
		cache[doctype] = frappe.new_doc(doctype, as_dict=True)
	return cache[doctype]


def series_block(doctype: str, count: int) -> list[str] | None:
	"""`count` consecutive names of the DocType's naming series (one locked UPDATE), or None when its
	naming is not a plain series (a field, a hash, a controller's autoname)."""
	autoname = frappe.get_meta(doctype).autoname or ""
	if not _plain_series(doctype, autoname):
		return None
	series = NamingSeries(autoname)
	prefix = series.get_prefix()
	digits = autoname.rsplit(".", 1)[-1].count("#")
	current = frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name`=%s FOR UPDATE", prefix)
	if current:
		start = int(current[0][0] or 0)
		frappe.db.sql("UPDATE `tabSeries` SET `current`=%s WHERE `name`=%s", (start + count, prefix))
	else:
		start = 0
		frappe.db.sql("INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, %s)", (prefix, count))
	return [f"{prefix}{str(start + i).zfill(digits)}" for i in range(1, count + 1)]


def _plain_series(doctype: str, autoname: str) -> bool:
	"""Whether `Document.insert` would name the DocType from its series alone, with nothing that could
	choose another name: no naming rule set up from the desk, no `autoname`/`before_naming` code."""
	if "#" not in autoname or "{" in autoname or ":" in autoname:
		return False
	controller = frappe.get_doc({"doctype": doctype})
	if any(callable(getattr(controller, method, None)) for method in ("autoname", "before_naming")):
		return False
	hooks = frappe.get_doc_hooks()
	for events in (hooks.get(doctype, {}), hooks.get("*", {})):
		if "autoname" in events or "before_naming" in events:
			return False
	return not frappe.db.exists("Document Naming Rule", {"document_type": doctype, "disabled": 0})


def name(docs: list[Document]) -> None:
	"""Give checked documents of one DocType their names, and their child rows theirs."""
	if not docs:
		return
	block = series_block(docs[0].doctype, len(docs))
	for position, doc in enumerate(docs):
		doc.set_new_name(force=True, set_name=block[position] if block else None)
		doc.set_parent_in_children()


def write(docs: list[Document]) -> None:
	"""INSERT named, checked documents and their child rows, a few hundred rows per statement."""
	rows: dict[str, list[dict]] = defaultdict(list)
	for doc in docs:
		rows[doc.doctype].append(doc.get_valid_dict(convert_dates_to_str=True))
		for child in doc.get_all_children():
			rows[child.doctype].append(child.get_valid_dict(convert_dates_to_str=True))
	for doctype, dicts in rows.items():
		fields = list(dicts[0])
		columns = ", ".join(f"`{f}`" for f in fields)
		placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
		for start in range(0, len(dicts), 500):
			chunk = dicts[start : start + 500]
			# one statement per 500 rows; the values travel as parameters (pymysql escapes them)
			frappe.db.sql(
				f"INSERT INTO `tab{doctype}` ({columns}) VALUES {', '.join([placeholders] * len(chunk))}",  # nosec B608 # columns from DocType metadata
				[d.get(f) for d in chunk for f in fields],
			)


def finish(docs: list[Document]) -> None:
	"""What `Document.insert` runs after its INSERT (see the module's note for what is left out)."""
	from frappe.desk.notifications import clear_doctype_notifications

	for doc in docs:
		run(doc, "after_insert")
		doc.flags.in_insert = doc.flags.in_bulk_insert = True
		run(doc, "on_update")
		update_global_search(doc)
		run(doc, "on_change")
		doc.flags.in_insert = doc.flags.in_bulk_insert = False
		doc.delete_key("__islocal")
		doc.delete_key("__unsaved")
	by_doctype: dict[str, list[Document]] = defaultdict(list)
	for doc in docs:
		by_doctype[doc.doctype].append(doc)
	for group in by_doctype.values():
		# a controller may do once for the batch what its `on_update` leaves undone in a bulk insert
		if batch := getattr(type(group[0]), "after_bulk_insert", None):
			batch(group)
	for doctype, group in by_doctype.items():
		clear_doctype_notifications(doctype)
		if realtime.is_centre_scoped(doctype):  # only to the users who may read the records' centres
			realtime.list_update_for(doctype, group)
		else:
			frappe.publish_realtime(
				"list_update", {"doctype": doctype, "user": frappe.session.user}, after_commit=True
			)


# Every method of `Document` (and of `NamingSeries`) called above, private or not
_DOCUMENT_METHODS = (
	"_set_defaults",
	"_validate_links",
	"_validate_mandatory",
	*_STEPS,
	"set_user_and_timestamp",
	"set_docstatus",
	"set_new_name",
	"set_parent_in_children",
	"validate_higher_perm_levels",
	"get_permlevel_access",
	"set_title_field",
	"validate_workflow",
	"get_all_children",
	"get_valid_dict",
	"update_if_missing",
	"delete_key",
	"run_method",
	"check_permission",
)


# What `Document.insert`, `Document._validate` and the permission-level reset call on the document, in the
# order of their source, in the Frappe this module reproduces (v15.55.1). A Frappe whose insert adds, drops
# or reorders a step is refused until this module is compared with it and updated.
INSERT_STEPS = {
	"insert": (
		"set", "_set_defaults", "set_user_and_timestamp", "set_docstatus", "check_if_latest", "_validate_links",
		"check_permission", "run_method", "set_new_name", "set_parent_in_children", "validate_higher_perm_levels",
		"run_before_save_methods", "_validate", "set_docstatus", "update_single", "get_valid_dict", "db_insert",
		"get_all_children", "run_method", "get", "validate_amended_from", "copy_attachments_from_amended_from",
		"run_post_save_methods",
	),
	"_validate": (
		"_validate_mandatory", "_validate_data_fields", "_validate_selects", "_validate_non_negative",
		"_validate_length", "_fix_rating_value", "_validate_code_fields", "_sync_autoname_field",
		"_extract_images_from_editor", "_sanitize_content", "_save_passwords", "validate_workflow",
		"get_all_children", "is_new", "set", "validate_set_only_once",
	),
	# reproduced for a new document by `_validate_higher_perm_levels`
	"validate_higher_perm_levels": ("get_permlevel_access", "reset_values_if_no_permlevel_access", "is_new", "get"),
	"reset_values_if_no_permlevel_access": ("is_new", "get_latest", "set"),
}  # fmt: skip


def insert_steps(document: type = Document) -> dict[str, tuple[str, ...]]:
	"""The methods that `insert` and `_validate` of `document` call on `self`, in source order (read from
	their source, so that comments and formatting do not count)."""
	steps = {}
	for method in INSERT_STEPS:
		tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(document, method))))
		calls = sorted(
			(node.lineno, node.col_offset, node.func.attr)
			for node in ast.walk(tree)
			if isinstance(node, ast.Call)
			and isinstance(node.func, ast.Attribute)
			and isinstance(node.func.value, ast.Name)
			and node.func.value.id == "self"
		)
		steps[method] = tuple(attr for _line, _column, attr in calls)
	return steps


def check_frappe_internals(
	version: str = frappe.__version__, document: type = Document, naming_series: type = NamingSeries
) -> None:
	"""Refuse to run on a Frappe whose `Document.insert` this module was not written against."""
	major = int(version.split(".", 1)[0]) if version.split(".", 1)[0].isdigit() else None
	if major != FRAPPE_MAJOR_VERSION:
		raise FrappeInternalsChanged(
			f"data_import/bulk_insert.py reproduces Document.insert of Frappe v{FRAPPE_MAJOR_VERSION}; this is"
			f" Frappe {version}: compare it with the new Document.insert and update it"
		)
	missing = [m for m in _DOCUMENT_METHODS if not callable(getattr(document, m, None))]
	missing += [f"NamingSeries.{m}" for m in ("get_prefix",) if not callable(getattr(naming_series, m, None))]
	if missing:
		raise FrappeInternalsChanged(
			f"data_import/bulk_insert.py calls steps of Document.insert that Frappe {version} lacks:"
			f" {', '.join(missing)}"
		)
	for method, steps in insert_steps(document).items():
		if steps != INSERT_STEPS[method]:
			added = [step for step in steps if step not in INSERT_STEPS[method]]
			dropped = [step for step in INSERT_STEPS[method] if step not in steps]
			raise FrappeInternalsChanged(
				f"data_import/bulk_insert.py reproduces Document.{method} of Frappe v15.55.1; in Frappe {version}"
				f" its steps differ (new: {', '.join(added) or '-'}; gone: {', '.join(dropped) or '-'};"
				" or their order changed): compare it with the new Document.insert and update it"
			)


check_frappe_internals()


def insert(docs: list[Document]) -> list[Document]:
	"""Name, write and finish documents that have passed `check` (any mix of DocTypes)."""
	by_doctype: dict[str, list[Document]] = defaultdict(list)
	for doc in docs:
		by_doctype[doc.doctype].append(doc)
	for group in by_doctype.values():
		name(group)
	write(docs)
	finish(docs)
	return docs
