"""The machinery of the access matrix (`tests/test_access_matrix.py`), kept apart so that the test module
reads as the policy it checks.

- `CanaryWorld` commits records in centre B (and level-protected ones in centre A) whose text fields hold
  unique ASCII markers ("canaries"), so that a leak is found by searching response bodies for bytes
  rather than by knowing what each method returns.
- `discover_endpoints` reads the list of callable methods from Frappe's own whitelist at run time (every
  module with `@frappe.whitelist` imported, the site's `override_whitelisted_methods` applied), so a method
  added by a future Frappe or by the app is covered without editing the test.
- `Planner.plan` turns each method's parameter names into arguments for every DocType and target record,
  `Runner.run` calls them over HTTP from a thread pool, and a `Finding` is canary bytes in a response,
  an oracle (two calls that differ only in whether a filter matches another centre's data, answered
  differently), or, after the run, a change to centre B's data (`CanaryWorld.integrity_problems`).
"""

from __future__ import annotations

import gzip
import importlib
import inspect
import io
import json
import re
import secrets
import subprocess
import threading
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import frappe
import requests
from frappe.utils import add_days, now_datetime, today

# The attackers: staff of centre A. None of them may read centre B, none reads level 2 (session notes);
# the receptionist and the employment counsellor do not read level 1 (vulnerable groups, need assessment).
ATTACKERS = ("receptionist_a", "social_worker_a", "coordinator_a", "counsellor_a")
NO_LEVEL_1 = frozenset({"receptionist_a", "counsellor_a"})
# Who attacks which kind of target: centre B's records as a social worker and, where a receptionist may
# read the DocType at all, as a receptionist (elsewhere the receptionist's calls are weaker than the social
# worker's: same centre, a subset of the role permissions); level 1 as the users without level 1; level 2
# as level-1 readers without level 2. See `Planner.attackers_of`.
ATTACKERS_OF = {
	"B": ("social_worker_a",),
	"master": ("social_worker_a",),
	"L1": ("receptionist_a", "counsellor_a"),
	"L2": ("social_worker_a", "coordinator_a"),
}
CORE_DOCTYPES = (
	"Version",
	"Comment",
	"File",
	"ToDo",
	"Notification Log",
	"Access Log",
	"View Log",
	"Prepared Report",
	"DocShare",
	"Deleted Document",
)
CENTRE_FIELDS = ("centre", "home_centre", "from_centre")
KNOWN_FIELDTYPES = {"Link", "Dynamic Link", "Select", "Date", "Datetime", "Check", "Int", "Time"}
REQUEST_TIMEOUT = (5, 45)


# ----------------------------------------------------------------------------------------- canary data
@dataclass(frozen=True)
class Secret:
	value: str
	scope: str  # "B": centre B's data; "L1"/"L2": a level of centre A's data
	where: str

	@property
	def marker(self) -> str:
		"""The part of the value no request ever contains (the prefix is sent in filters and searches)."""
		return self.value.rsplit("x", 1)[-1]


@dataclass
class Target:
	"""A record the attackers name in their calls, with what they may know of it."""

	doctype: str
	name: str
	scope: str  # "B", "L1", "L2" or "master"
	parent: str | None = None  # the parent DocType of a child row
	probe: tuple[str, str] | None = None  # (DocType, fieldname) whose value starts with `prefix`
	prefix: str | None = None
	columns: tuple[str, ...] = ()  # sensitive columns in the query syntax (own and child-table ones)
	doc: dict | None = None  # name, links and timestamp: what an attacker can know without reading it
	file_url: str | None = None

	@property
	def field(self) -> str | None:
		"""The probed field when it belongs to the target's own DocType."""
		return self.probe[1] if self.probe and self.probe[0] == self.doctype else None

	@property
	def label(self) -> str:
		return f"{self.scope}:{self.doctype}"


def known_doc(doc, hide: tuple[str, ...] = ()) -> dict:
	"""What an attacker can know of a record without reading it: its name, its links and other coded
	values, and `modified` (Frappe's timestamp-mismatch message gives that away). Free text is left out,
	so the request never carries a canary."""
	known = {"doctype": doc.doctype, "name": doc.name, "docstatus": doc.docstatus}
	if doc.get("modified"):
		known["modified"] = str(doc.modified)
	if doc.get("parent"):
		known |= {k: doc.get(k) for k in ("parent", "parenttype", "parentfield", "idx")}
	for df in doc.meta.fields:
		value = doc.get(df.fieldname)
		if df.fieldname in hide or value in (None, "", []):
			continue
		if df.fieldtype in KNOWN_FIELDTYPES:
			known[df.fieldname] = str(value) if df.fieldtype in ("Date", "Datetime", "Time") else value
		elif df.fieldtype in frappe.model.table_fields:
			known[df.fieldname] = [known_doc(row) for row in value]
	return known


class CanaryWorld:
	"""Committed canary records in centre B and level-protected ones in centre A (built on the session's
	`two_centres`), with the targets each attacker names and the secrets each one must never receive."""

	def __init__(self, centres):
		self.centres = centres
		self.tag = secrets.token_hex(3)
		self.secrets: list[Secret] = []
		self.targets: list[Target] = []
		self.created: list[tuple[str, str]] = []
		self.started = now_datetime()
		self.records: dict[str, frappe.model.document.Document] = {}
		self.reports: list[str] = []
		self.saved_centre_b: dict = {}
		self.schema_before = self.schema()

	@staticmethod
	def schema() -> dict[str, set[str]]:
		"""Every table's columns: some whitelisted methods add a column on the fly (`ALTER TABLE`)."""
		rows = frappe.db.sql(
			"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
		)
		tables: dict[str, set[str]] = {}
		for table, column in rows:
			tables.setdefault(table, set()).add(column)
		return tables

	def schema_changes(self) -> dict[str, set[str]]:
		after = self.schema()
		return {
			table: columns - self.schema_before.get(table, set())
			for table, columns in after.items()
			if table.startswith("tab") and table in self.schema_before and columns - self.schema_before[table]
		}

	# canaries ------------------------------------------------------------------------------------------
	def canary(self, code: str, scope: str, where: str) -> str:
		"""A unique marker: `kkcanary<tag><code>x<secret>` (no "x" in the tag, the code or the secret)."""
		value = f"kkcanary{self.tag}{code}x{secrets.token_hex(5)}"
		self.secrets.append(Secret(value, scope, where))
		return value

	@staticmethod
	def prefix(value: str) -> str:
		"""`kkcanary<tag><code>x`: what an attacker may guess (neither tag, code nor prefix holds an "x"; the
		app upper-cases some fields, such as document numbers)."""
		return value[: value.lower().index("x") + 1]

	def forbidden(self, user_key: str) -> list[Secret]:
		scopes = {"B", "L2"} | ({"L1"} if user_key in NO_LEVEL_1 else set())
		return [s for s in self.secrets if s.scope in scopes]

	def target(self, doc, scope: str, probe_field: str | None = None, child: tuple | None = None, **extra):
		"""Register `doc` as a target. `probe_field` (own field) or `child` ((child DocType, field)) names
		where the probe canary is; `extra` holds columns, hide and file_url."""
		hide = extra.pop("hide", ())
		probe, prefix, columns = None, None, list(extra.pop("columns", ()))
		if probe_field:
			probe, prefix = (doc.doctype, probe_field), self.prefix(doc.get(probe_field))
			columns.insert(0, probe_field)
		elif child:
			child_doctype, child_field, value = child
			probe, prefix = (child_doctype, child_field), self.prefix(value)
			columns.append(f"`tab{child_doctype}`.`{child_field}`")
		target = Target(
			doctype=doc.doctype,
			name=doc.name,
			scope=scope,
			parent=doc.get("parenttype") if doc.meta.istable else None,
			probe=probe,
			prefix=prefix,
			columns=tuple(dict.fromkeys(columns)),
			doc=known_doc(doc, hide=hide),
			**extra,
		)
		self.targets.append(target)
		return target

	def remember(self, doc):
		self.created.append((doc.doctype, doc.name))
		return doc

	def insert(self, values: dict):
		doc = frappe.get_doc(values)
		doc.insert(ignore_permissions=True)
		return self.remember(doc)

	# building ------------------------------------------------------------------------------------------
	@staticmethod
	def master(doctype: str, preferred: str | None = None) -> str:
		if preferred and frappe.db.exists(doctype, preferred):
			return preferred
		return frappe.get_all(doctype, pluck="name", order_by="name", limit=1)[0]

	def unique_amka(self, born: str, gender: str) -> str:
		from kentro_koinotitas.registry import identity

		for _attempt in range(50):
			amka = identity.make_amka(born, gender, secrets.randbelow(900) + 100)
			if not frappe.db.exists("Beneficiary", {"amka": amka}):
				return amka
		raise RuntimeError("no free ΑΜΚΑ for the canary beneficiary")

	def build(self) -> CanaryWorld:
		frappe.set_user("Administrator")
		c = self.centres
		a, b = c.centre_a, c.centre_b
		m = frappe._dict(
			group=self.master("Vulnerable Group", "Θύμα ενδοοικογενειακής βίας"),
			id_type=self.master("Identity Document Type"),
			purpose=self.master("Consent Purpose"),
			request=self.master("Request Category"),
			service=self.master("Service"),
			partner=self.master("Partner Organisation"),
			programme=self.master("Welfare Programme"),
		)
		self.masters = m
		now = now_datetime()
		# ---- centre B: a person and every record about them, each free-text field a canary
		self.amka_b = self.unique_amka("1975-05-05", "Male")
		ben_b = self.insert(
			{
				"doctype": "Beneficiary",
				"first_name": self.canary("b01", "B", "Beneficiary.first_name"),
				"last_name": self.canary("b02", "B", "Beneficiary.last_name"),
				"father_name": self.canary("b03", "B", "Beneficiary.father_name"),
				"address_street": self.canary("b04", "B", "Beneficiary.address_street"),
				"mother_tongue": self.canary("b05", "B", "Beneficiary.mother_tongue"),
				"amka": self.amka_b,
				"home_centre": b,
				"identity_documents": [
					{
						"document_type": m.id_type,
						"document_number": self.canary("b06", "B", "Identity Document"),
					}
				],
				"vulnerable_groups": [
					{"vulnerable_group": m.group, "notes": self.canary("b07", "B", "Vulnerable Group.notes")}
				],
			}
		)
		self.secrets.append(Secret(self.amka_b, "B", "Beneficiary.amka"))
		case_b = self.insert(
			{
				"doctype": "Case",
				"beneficiary": ben_b.name,
				"outcome": self.canary("c01", "B", "Case.outcome"),
				"requests": [
					{"request_category": m.request, "description": self.canary("c02", "B", "Case Request")}
				],
				"action_plan": [
					{
						"goal": self.canary("c03", "B", "Case Action Step.goal"),
						"action": self.canary("c04", "B", "Step"),
					}
				],
				"follow_ups": [
					{"follow_up_date": today(), "note": self.canary("c05", "B", "Case Follow Up.note")}
				],
			}
		)
		case_b.reload()
		case_b.needs_assessment[0].notes = self.canary("c06", "B", "Case Need Assessment.notes")
		case_b.outcome = self.canary("c07", "B", "Case.outcome (second value, in a Version)")
		case_b.save(ignore_permissions=True, ignore_version=False)
		household_b = self.insert(
			{
				"doctype": "Household",
				"head_of_household": ben_b.name,
				"household_name": self.canary("h01", "B", "Household.household_name"),
				"address_street": self.canary("h02", "B", "Household.address_street"),
				"members": [
					{"beneficiary": ben_b.name, "relationship": "Head"},
					{
						"member_name": self.canary("h03", "B", "Household Member.member_name"),
						"relationship": "Other",
					},
				],
			}
		)
		consent_b = self.insert(
			{
				"doctype": "Consent",
				"beneficiary": ben_b.name,
				"consent_date": today(),
				"notes": self.canary("n01", "B", "Consent.notes"),
				"purposes": [
					{
						"consent_purpose": m.purpose,
						"decision": "Given",
						"withdrawal_note": self.canary("n02", "B", "Consent Item.withdrawal_note"),
					}
				],
			}
		)
		delivery_b = self.insert(
			{
				"doctype": "Service Delivery",
				"service": m.service,
				"delivery_datetime": add_days(now, -1),
				"mode": "In person",
				"beneficiary": ben_b.name,
				"case": case_b.name,
				"centre": b,
				"notes": self.canary("s01", "B", "Service Delivery.notes"),
				"outcome": self.canary("s02", "B", "Service Delivery.outcome"),
				"session_notes": self.canary("s03", "B", "Service Delivery.session_notes"),
				"participants": [{"beneficiary": ben_b.name}],
			}
		)
		referral_b = self.insert(
			{
				"doctype": "Referral",
				"case": case_b.name,
				"beneficiary": ben_b.name,
				"referral_type": "External",
				"partner_organisation": m.partner,
				"reason": self.canary("r01", "B", "Referral.reason"),
				"outcome_notes": self.canary("r02", "B", "Referral.outcome_notes"),
			}
		)
		application_b = self.insert(
			{
				"doctype": "Programme Application",
				"beneficiary": ben_b.name,
				"case": case_b.name,
				"programme": m.programme,
				"status": "Preparing",
				"external_reference": self.canary("p01", "B", "Programme Application.external_reference"),
				"notes": self.canary("p02", "B", "Programme Application.notes"),
				"documents": [{"document": self.canary("p03", "B", "Programme Application Document")}],
			}
		)
		visit_b = self.insert(
			{
				"doctype": "Front Desk Visit",
				"visit_datetime": add_days(now, -1),
				"centre": b,
				"channel": "Walk-in",
				"request_category": m.request,
				"beneficiary": ben_b.name,
				"notes": self.canary("v01", "B", "Front Desk Visit.notes"),
			}
		)
		activity_b = self.insert(
			{
				"doctype": "Group Activity",
				"title": self.canary("g01", "B", "Group Activity.title"),
				"service": m.service,
				"centre": b,
				"start_date": today(),
				"description": self.canary("g02", "B", "Group Activity.description"),
				"participants": [{"beneficiary": ben_b.name}],
				"attendance": [{"session_date": today(), "beneficiary": ben_b.name, "present": 1}],
			}
		)
		import_b = self.registry_import(b)
		self.saved_centre_b = {
			"supervising_department": frappe.db.get_value("Community Centre", b, "supervising_department")
		}
		frappe.db.set_value(
			"Community Centre",
			b,
			"supervising_department",
			self.canary("k01", "B", "Community Centre"),
			update_modified=False,
		)
		centre_b = frappe.get_doc("Community Centre", b)

		# ---- centre A: what only some of A's staff may read (`ignore_version=False`: under `in_test` Frappe
		# records no change log, which the web server does)
		ben_a = self.insert(
			{
				"doctype": "Beneficiary",
				"first_name": "Δέσποινα",
				"last_name": f"Δοκιμαστική{self.tag}",
				"amka": self.unique_amka("1982-02-02", "Female"),
				"home_centre": a,
			}
		)
		ben_a.append(
			"vulnerable_groups",
			{"vulnerable_group": m.group, "notes": self.canary("a01", "L1", "A vulnerable group")},
		)
		ben_a.save(
			ignore_permissions=True, ignore_version=False
		)  # the change log of a level-1 table: a Version
		case_a = self.insert({"doctype": "Case", "beneficiary": ben_a.name})
		case_a.reload()
		case_a.needs_assessment[0].notes = self.canary("a02", "L1", "A need assessment")
		case_a.save(ignore_permissions=True, ignore_version=False)
		delivery_a = self.insert(
			{
				"doctype": "Service Delivery",
				"service": m.service,
				"delivery_datetime": add_days(now, -1),
				"mode": "In person",
				"beneficiary": ben_a.name,
				"case": case_a.name,
				"centre": a,
				"notes": "Συνεδρία",
				"session_notes": self.canary("a03", "L2", "A session notes"),
			}
		)
		delivery_a.session_notes = self.canary("a04", "L2", "A session notes, changed")
		delivery_a.save(ignore_permissions=True, ignore_version=False)

		for doc in (ben_b, case_b, ben_a, case_a, delivery_a):
			doc.reload()
		self.records = dict(
			ben_b=ben_b, case_b=case_b, household_b=household_b, consent_b=consent_b, delivery_b=delivery_b,
			referral_b=referral_b, application_b=application_b, visit_b=visit_b, activity_b=activity_b,
			import_b=import_b, ben_a=ben_a, case_a=case_a, delivery_a=delivery_a,
		)  # fmt: skip
		core = self.core_records(ben_b, case_b, ben_a, delivery_a)
		frappe.db.commit()
		from frappe.utils.global_search import sync_global_search

		sync_global_search()  # the awesome bar's index, as the scheduler would build it
		frappe.db.commit()
		self.register_targets(centre_b, core)
		self.reports = frappe.get_all(
			"Report",
			filters={"module": ("in", frappe.get_module_list("kentro_koinotitas"))},
			pluck="name",
			order_by="name",
		)
		return self

	def registry_import(self, centre: str):
		content = f"Επώνυμο,Όνομα,ΑΜΚΑ\n{self.canary('i01', 'B', 'Registry Import file')},Α,\n"
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"kkimport{self.tag}.csv",
				"content": content.encode(),
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		self.remember(file)
		# stored as the upload leaves it (its `validate` would parse the file, which is not what is tested)
		doc = frappe.get_doc(
			{"doctype": "Registry Import", "centre": centre, "import_file": file.file_url, "status": "Draft"}
		)
		doc.set_new_name()
		doc.db_insert()
		self.remember(doc)
		doc.db_set("log", self.canary("i02", "B", "Registry Import.log"))
		frappe.db.set_value(
			"File", file.name, {"attached_to_doctype": "Registry Import", "attached_to_name": doc.name}
		)
		return doc

	def core_records(self, ben_b, case_b, ben_a, delivery_a) -> dict:
		"""Frappe's own records about the canary records: timeline, attachments, logs, shares, stored
		report results, deleted copies."""
		users = self.centres.users
		sw_b = users["social_worker_b"]
		core = frappe._dict()
		core.version_b = frappe.get_last_doc(
			"Version", filters={"ref_doctype": "Case", "docname": case_b.name}
		)
		core.version_a2 = frappe.get_last_doc(
			"Version", filters={"ref_doctype": "Service Delivery", "docname": delivery_a.name}
		)
		core.version_a1 = frappe.get_last_doc(
			"Version", filters={"ref_doctype": "Beneficiary", "docname": ben_a.name}
		)
		core.comment = self.insert(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"reference_doctype": "Beneficiary",
				"reference_name": ben_b.name,
				"content": self.canary("z01", "B", "Comment.content"),
			}
		)
		file_marker = self.canary("z02", "B", "File content")
		core.file = self.insert(
			{
				"doctype": "File",
				"file_name": f"kkcanary{self.tag}f01x.txt",  # a name one could guess; the content is secret
				"attached_to_doctype": "Beneficiary",
				"attached_to_name": ben_b.name,
				"is_private": 1,
				"content": file_marker.encode(),
			}
		)
		core.todo = self.insert(
			{
				"doctype": "ToDo",
				"allocated_to": sw_b,
				"reference_type": "Beneficiary",
				"reference_name": ben_b.name,
				"description": self.canary("z03", "B", "ToDo.description"),
			}
		)

		def raw(values: dict):
			doc = frappe.get_doc(values)
			doc.db_insert()
			return self.remember(doc)

		core.notification = raw(
			{
				"doctype": "Notification Log",
				"for_user": sw_b,
				"type": "Alert",
				"document_type": "Beneficiary",
				"document_name": ben_b.name,
				"subject": self.canary("z04", "B", "Notification Log.subject"),
				"email_content": self.canary("z05", "B", "Notification Log.email_content"),
			}
		)
		core.access_log = raw(
			{
				"doctype": "Access Log",
				"user": sw_b,
				"export_from": "Beneficiary",
				"reference_document": ben_b.name,
				"file_type": "CSV",
				"filters": self.canary("z06", "B", "Access Log.filters"),
				"columns": self.canary("z07", "B", "Access Log.columns"),
			}
		)
		core.view_log = raw(
			{
				"doctype": "View Log",
				"viewed_by": sw_b,
				"reference_doctype": "Beneficiary",
				"reference_name": ben_b.name,
			}
		)
		core.prepared = raw(
			{
				"doctype": "Prepared Report",
				"report_name": self.master("Report", "Caseload per Professional"),
				"status": "Completed",
				"owner": users["coordinator_b"],
				"filters": json.dumps(
					{
						"centre": self.centres.centre_b,
						"note": self.canary("z08", "B", "Prepared Report.filters"),
					}
				),
			}
		)
		result = {
			"columns": [{"label": "x", "fieldname": "x"}],
			"result": [{"x": self.canary("z09", "B", "Prepared Report result")}],
		}
		self.remember(
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"kkprepared{self.tag}.json.gz",
					"attached_to_doctype": "Prepared Report",
					"attached_to_name": core.prepared.name,
					"is_private": 1,
					"content": gzip.compress(json.dumps(result).encode()),
				}
			).insert(ignore_permissions=True)
		)
		core.share = raw(
			{
				"doctype": "DocShare",
				"user": sw_b,
				"share_doctype": "Beneficiary",
				"share_name": ben_b.name,
				"read": 1,
			}
		)
		deleted = {
			"doctype": "Beneficiary",
			"name": f"BEN-DEL-{self.tag}",
			"first_name": self.canary("z10", "B", "Deleted Document.data"),
			"last_name": "Διαγραμμένη",
			"home_centre": self.centres.centre_b,
			"no_identity_reason": "x",
		}
		core.deleted_b = raw(
			{
				"doctype": "Deleted Document",
				"deleted_doctype": "Beneficiary",
				"deleted_name": deleted["name"],
				"data": json.dumps(deleted),
			}
		)
		deleted_a = delivery_a.as_dict(convert_dates_to_str=True) | {"name": f"SRV-DEL-{self.tag}"}
		deleted_a["session_notes"] = self.canary("a05", "L2", "A deleted session notes")
		core.deleted_a = raw(
			{
				"doctype": "Deleted Document",
				"deleted_doctype": "Service Delivery",
				"deleted_name": deleted_a["name"],
				"data": json.dumps(deleted_a, default=str),
			}
		)
		return core

	def register_targets(self, centre_b, core) -> None:
		r = frappe._dict(self.records)
		t = self.target
		ben_b = r.ben_b
		t(ben_b, "B", "first_name", columns=("last_name", "father_name", "amka", "vulnerable_groups"))
		t(ben_b.identity_documents[0], "B", "document_number")
		t(ben_b.vulnerable_groups[-1], "B", "notes")
		t(r.household_b, "B", "household_name", columns=("address_street",))
		t(r.household_b.members[-1], "B", "member_name")
		t(r.consent_b, "B", "notes", columns=("beneficiary_name",))
		t(r.consent_b.purposes[0], "B", "withdrawal_note")
		case_b = r.case_b
		t(case_b, "B", "outcome", columns=("beneficiary_name", "`tabCase Need Assessment`.`notes`"))
		t(case_b.requests[0], "B", "description")
		t(case_b.needs_assessment[0], "B", "notes")
		t(case_b.action_plan[0], "B", "goal")
		t(case_b.follow_ups[0], "B", "note")
		t(r.delivery_b, "B", "notes", columns=("session_notes", "outcome", "beneficiary_name"))
		t(r.delivery_b.participants[0], "B", "beneficiary_name")
		t(r.referral_b, "B", "reason", columns=("outcome_notes", "beneficiary_name"))
		t(r.application_b, "B", "external_reference", columns=("notes",))
		t(r.application_b.documents[0], "B", "document")
		t(r.visit_b, "B", "notes", columns=("visitor_name",))
		t(r.activity_b, "B", "title", columns=("description",))
		t(r.activity_b.participants[0], "B", "beneficiary_name")
		t(r.activity_b.attendance[0], "B")  # no text of its own
		t(r.import_b, "B", "log")
		t(centre_b, "B", "supervising_department")
		if centre_b.staff:
			t(centre_b.staff[0], "B")
		t(core.version_b, "B", "data")
		t(core.comment, "B", "content")
		t(core.file, "B", "file_name", file_url=core.file.file_url)
		t(core.todo, "B", "description")
		t(core.notification, "B", "subject", columns=("email_content",))
		t(core.access_log, "B", "filters", columns=("columns",))
		t(core.view_log, "B")
		t(core.prepared, "B", "filters")
		t(core.share, "B")
		t(core.deleted_b, "B", "data")
		# the masters the canary records link to: lists of what links to them must stay within the centre
		for doctype, name in (
			("Service", self.masters.service),
			("Vulnerable Group", self.masters.group),
			("Request Category", self.masters.request),
			("Consent Purpose", self.masters.purpose),
			("Partner Organisation", self.masters.partner),
			("Welfare Programme", self.masters.programme),
			("Identity Document Type", self.masters.id_type),
		):
			t(frappe.get_doc(doctype, name), "master")
		# centre A, above the attacker's level
		notes_a = r.ben_a.vulnerable_groups[-1]
		t(
			r.ben_a,
			"L1",
			child=("Beneficiary Vulnerable Group", "notes", notes_a.notes),
			hide=("vulnerable_groups",),
		)
		t(notes_a, "L1", "notes")
		need_a = r.case_a.needs_assessment[0]
		t(r.case_a, "L1", child=("Case Need Assessment", "notes", need_a.notes), hide=("needs_assessment",))
		t(need_a, "L1", "notes")
		t(r.delivery_a, "L2", "session_notes", hide=("session_notes",))
		t(core.version_a2, "L2", "data")
		t(core.version_a1, "L1", "data")
		t(core.deleted_a, "L2", "data")

	# spoofed documents ---------------------------------------------------------------------------------
	def spoofed(self, target: Target) -> dict | None:
		"""B's record as the attacker would send it claiming it belongs to centre A."""
		if not target.doc or target.scope != "B" or not any(f in target.doc for f in CENTRE_FIELDS):
			return None
		return target.doc | {f: self.centres.centre_a for f in CENTRE_FIELDS if f in target.doc}

	def new_naming_b(self, target: Target) -> dict | None:
		"""A new record of centre A whose links point at B's records (what fetch_from and print formats
		would then read)."""
		spoof = self.spoofed(target)
		if not spoof:
			return None
		new = {k: v for k, v in spoof.items() if k not in ("name", "modified", "docstatus")}
		for value in new.values():
			if isinstance(value, list):
				for row in value:
					for key in ("name", "parent", "modified"):
						row.pop(key, None)
		return new | {"__islocal": 1}

	# checks and clean-up -------------------------------------------------------------------------------
	VOLATILE = ("modified", "_seen")

	AROUND = (
		("Comment", "reference_name"),
		("Communication", "reference_name"),
		("DocShare", "share_name"),
		("ToDo", "reference_name"),
		("File", "attached_to_name"),
		("Version", "docname"),
	)

	def fingerprint(self) -> dict[str, dict]:
		"""Centre B's canary records as stored (every field but the timestamp and the "seen by" list), and
		what points at each of them: timeline entries, shares, assignments, attachments, change logs."""
		frappe.db.rollback()  # a fresh snapshot: the web server committed in between
		prints = {}
		records = [(d, n) for d, n in self.created if self.scope_of(d, n) == "B"]
		records.append(("Community Centre", self.centres.centre_b))
		for doctype, name in records:
			if not frappe.db.exists(doctype, name):
				prints[f"{doctype} {name}"] = {"deleted": True}
				continue
			doc = frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)
			fields = {k: v for k, v in doc.items() if k not in self.VOLATILE and not isinstance(v, list)}
			for key, rows in ((k, v) for k, v in doc.items() if isinstance(v, list)):
				for row in rows:
					fields.update(
						{f"{key}.{row.name}.{k}": v for k, v in row.items() if k not in self.VOLATILE}
					)
			around = {
				f"{dt} {row.name}": f"{row.get('comment_type') or ''} by {self.user_key(row.owner)}: "
				f"{str(row.get('content') or row.get('data') or row.get('user') or '')[:80]}"
				for dt, column in self.AROUND
				for row in frappe.get_all(dt, filters={column: name}, fields=["*"])
			}
			prints[f"{doctype} {name}"] = {"fields": fields, "around": around}
		return prints

	def scope_of(self, doctype: str, name: str) -> str | None:
		return next((t.scope for t in self.targets if (t.doctype, t.name) == (doctype, name)), None)

	def user_key(self, email: str) -> str:
		keys = {v: k for k, v in self.centres.users.items()}
		return keys.get(email, email)

	def integrity_problems(self, before: dict[str, dict]) -> list[str]:
		"""What changed in centre B's records since `before` (fields, and new or removed timeline
		entries, shares, attachments), and canaries of centre A no longer stored: a call changed or deleted
		data its user may not even read."""
		after = self.fingerprint()
		problems = []
		for key, old in before.items():
			new = after.get(key, {"deleted": True})
			if new.get("deleted") or old.get("deleted"):
				if new != old:
					problems.append(f"{key}: deleted")
				continue
			for column in sorted(set(old["fields"]) | set(new["fields"])):
				if old["fields"].get(column) != new["fields"].get(column):
					problems.append(
						f"{key}: {column} {old['fields'].get(column)!r} -> {new['fields'].get(column)!r}"
					)
			for entry in sorted(set(new["around"]) - set(old["around"])):
				problems.append(f"{key}: new {entry} ({new['around'][entry]})")
			for entry in sorted(set(old["around"]) - set(new["around"])):
				problems.append(f"{key}: removed {entry} ({old['around'][entry]})")
		stored = ""
		for doctype, name in self.created:
			if frappe.db.exists(doctype, name):
				stored += frappe.as_json(frappe.get_doc(doctype, name).as_dict()).lower()
		for secret in self.secrets:
			if (
				secret.scope in ("L1", "L2")
				and secret.value not in stored
				and secret.where != "A session notes"
			):
				problems.append(f"{secret.where}: canary {secret.value} no longer stored")
		for table, columns in self.schema_changes().items():
			problems.append(f"schema: a call added the column(s) {sorted(columns)} to `{table}`")
		return problems

	def cleanup(self, attackers: list[str]) -> None:
		"""Remove every canary record, what Frappe recorded about them and anything the attackers' calls
		created, and restore centre B."""
		frappe.set_user("Administrator")
		frappe.db.rollback()
		like = f"%kkcanary{self.tag}%"
		for doctype, name in reversed(self.created):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
		# records of the two centres made during the run under another name (renamed, or created by a call)
		from kentro_koinotitas.access.scope import centre_field

		centres = [self.centres.centre_a, self.centres.branch_a, self.centres.centre_b]
		for doctype in frappe.get_all(
			"DocType",
			filters={"module": ("in", frappe.get_module_list("kentro_koinotitas")), "istable": 0},
			pluck="name",
		):
			column = centre_field(doctype)
			if not column or column == "name":
				continue
			for name in frappe.get_all(
				doctype, filters={column: ("in", centres), "creation": (">=", self.started)}, pluck="name"
			):
				frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
		# the attackers' successful side effects
		for doctype in frappe.get_all(
			"DocType", filters={"istable": 0, "issingle": 0, "is_virtual": 0}, pluck="name"
		):
			if not frappe.db.table_exists(doctype) or not frappe.db.has_column(doctype, "owner"):
				continue
			names = frappe.get_all(
				doctype,
				filters={"owner": ("in", attackers), "creation": (">=", self.started)},
				pluck="name",
			)
			for name in names:
				try:
					frappe.delete_doc(
						doctype, name, ignore_permissions=True, force=True, delete_permanently=True
					)
				except Exception:
					frappe.db.delete(doctype, {"name": name})
		# Frappe's records about the canary records
		refs = [name for _doctype, name in self.created]
		for doctype, column in (
			("Version", "docname"),
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
			("Notification Log", "document_name"),
			("View Log", "reference_name"),
			("DocShare", "share_name"),
			("Access Log", "reference_document"),
			("File", "attached_to_name"),
		):
			frappe.db.delete(doctype, {column: ("in", refs)})
		frappe.db.delete("Deleted Document", {"data": ("like", like)})
		frappe.db.delete("Deleted Document", {"deleted_name": ("like", f"%{self.tag}%")})
		frappe.db.delete("Version", {"data": ("like", like)})
		frappe.db.sql("DELETE FROM `__global_search` WHERE content LIKE %s", like)
		frappe.db.set_value(
			"Community Centre", self.centres.centre_b, self.saved_centre_b, update_modified=False
		)
		frappe.db.commit()
		for table, columns in self.schema_changes().items():  # put the schema back as it was
			for column in columns:
				if column.startswith("_"):  # only Frappe's on-the-fly columns (_user_tags, _liked_by, …)
					frappe.db.sql_ddl(f"ALTER TABLE `{table}` DROP COLUMN `{column}`")


# ----------------------------------------------------------------------------------------- the whitelist
# parameter name -> role; a method is in the matrix when one of its parameters has a role
ROLES = {
	"doctype": {
		"doctype", "dt", "ref_doctype", "reference_doctype", "document_type", "parenttype", "reminder_doctype",
		"reference_dt", "_doctype", "child_type", "for_doctype", "doctype_name",
	},
	"parent": {"parent", "parent_doctype"},
	"name": {
		"name", "docname", "dn", "doc_name", "document", "document_name", "reference_name", "reference_docname",
		"reminder_docname", "ref_name", "source_name", "old_name", "old", "from_version", "to_version",
	},
	"names": {"names", "docnames", "source_names"},
	"doc": {"doc", "target_doc"},
	"docs": {"docs"},
	"filters": {"filters", "or_filters", "current_filters", "extra_filters", "export_filters"},
	"fields": {"fields", "select_columns", "export_fields"},
	"field": {"field", "fieldname", "searchfield"},
	"report": {"report_name", "reference_report"},
	"txt": {"txt", "text", "search_text", "search_term"},
	"file_url": {"file_url"},
}  # fmt: skip
# the app's own parameter names, which name a record of one DocType
APP_PARAMS = {
	"beneficiary": "Beneficiary",
	"case": "Case",
	"visit": "Front Desk Visit",
	"source": "Beneficiary",
	"target": "Beneficiary",
}
# whitelisted readers that take their arguments from `frappe.form_dict` (no declared parameters)
FORM_DICT_READERS = {
	"frappe.desk.reportview.get": ("doctype", "fields", "filters", "or_filters", "parent_doctype"),
	"frappe.desk.reportview.get_list": ("doctype", "fields", "filters", "or_filters", "parent_doctype"),
	"frappe.desk.reportview.get_count": ("doctype", "filters", "parent_doctype"),
	"frappe.desk.reportview.export_query": ("doctype", "fields", "filters", "file_format_type", "title"),
	"frappe.desk.query_report.export_query": ("report_name", "filters", "file_format_type", "visible_idx"),
}
CONSTANTS = {
	"file_format_type": "CSV",
	"title": "kk",
	"visible_idx": "[]",
	"limit_page_length": 100,
	"page_length": 100,
	"page_len": 100,
	"limit": 50,
	"as_dict": 1,
	"with_parent": 1,
}
# Required parameters without a role get a neutral value, so that the call reaches the method's own checks
# instead of failing on a missing argument. "<self>" is the calling user.
FILLERS = {
	"action": "Save",
	"args": {},
	"assign_to": ["<self>"],
	"board_name": "kkprobe",
	"colname": "kkprobe",
	"comment": "kkprobe comment",
	"comment_by": "kkprobe",
	"comment_email": "<self>",
	"content": "kkprobe content",
	"data": {},
	"description": "kkprobe",
	"email": "kkprobe@example.com",
	"end": "2100-01-01",
	"field_map": {"start": "creation", "end": "modified", "id": "name", "title": "name"},
	"following": 1,
	"frequency": "Daily",
	"like": 0,
	"message": "kkprobe",
	"note": "kkprobe",
	"perm_type": "read",
	"permission_to": "read",
	"points": 1,
	"prev": 0,
	"reason": "kkprobe",
	"remind_at": "2100-01-01 00:00:00",
	"review_type": "Appreciation",
	"route": "kkprobe",
	"start": "2000-01-01",
	"status": "Open",
	"subject": "kkprobe",
	"tag": "kkprobe",
	"tags": ["kkprobe"],
	"title": "kkprobe",
	"to_user": "<self>",
	"type": "location_field",
	"user": "<self>",
	"value": "kkprobe",
	"values": {},
}
# Methods whose `doc` or `name` means something else than a JSON document or one record's name
SHAPES = {
	# `doc` is the DocType when `name` is given, a JSON document otherwise
	"frappe.www.printview.get_html_and_style": "doc-is-doctype",
	"frappe.www.printview.get_rendered_raw_commands": "doc-is-doctype",
	# `doc` is a document object for server callers: the client names the record
	"frappe.utils.print_format.download_pdf": "no-doc",
	# `name` is a JSON list of names
	"frappe.utils.print_format.download_multi_pdf": "name-list",
	"frappe.utils.print_format.download_multi_pdf_async": "name-list",
	# `docs` is a list of documents (elsewhere a list of names)
	"frappe.client.insert_many": "docs-documents",
	"frappe.client.bulk_update": "docs-documents",
	"frappe.desk.form.linked_with.cancel_all_linked_docs": "docs-documents",
}

# Not called, and why: they end the attackers' sessions, run jobs or code, change the site for every
# later call, send mail or need the network. Each is also either System-Manager-only or has no access
# to the app's records.
EXCLUDED = {
	"frappe.handler.logout": "ends the session the matrix uses",
	"frappe.handler.web_logout": "ends the session the matrix uses",
	"frappe.sessions.clear": "ends the session the matrix uses",
	"frappe.core.doctype.user.user.reset_password": "sends mail; changes a password",
	"frappe.core.doctype.user.user.update_password": "changes a password, ends sessions",
	"frappe.core.doctype.user.user.verify_password": "failed attempts lock the attacker out",
	"frappe.core.doctype.user.user.generate_keys": "rotates API keys",
	"frappe.core.doctype.user.user.impersonate": "starts another user's session (System Manager only)",
	"frappe.core.doctype.user.user.sign_up": "creates users, sends mail",
	"frappe.www.login.send_login_link": "sends mail",
	"frappe.twofactor.reset_otp_secret": "sends mail, resets 2FA",
	"frappe.desk.doctype.system_console.system_console.execute_code": "system console: runs code",
	"frappe.desk.doctype.system_console.system_console.show_processlist": "system console",
	"frappe.core.doctype.scheduled_job_type.scheduled_job_type.execute_event": "runs scheduler jobs",
	"frappe.utils.scheduler.activate_scheduler": "starts the scheduler",
	"frappe.utils.nestedset.rebuild_tree": "rebuilds a tree (the centres' lft/rgt) for the whole site",
	"frappe.core.report.database_storage_usage_by_tables.database_storage_usage_by_tables.optimize_doctype": (
		"OPTIMIZE TABLE: slow DDL"
	),
	"frappe.core.doctype.recorder.recorder.add_indexes": "DDL",
	"frappe.custom.doctype.custom_field.custom_field.rename_fieldname": "DDL",
	"frappe.modules.utils.export_customizations": "writes files into the apps' source tree",
	"frappe.core.page.permission_manager.permission_manager.add": "changes role permissions site-wide",
	"frappe.core.page.permission_manager.permission_manager.remove": "changes role permissions site-wide",
	"frappe.core.page.permission_manager.permission_manager.reset": "changes role permissions site-wide",
	"frappe.core.page.permission_manager.permission_manager.update": "changes role permissions site-wide",
	"frappe.core.doctype.user_permission.user_permission.clear_user_permissions": "deletes user permissions",
	"frappe.core.doctype.user_permission.user_permission.add_user_permissions": "changes user permissions",
	"frappe.email.doctype.auto_email_report.auto_email_report.send_now": "sends mail",
	"frappe.email.doctype.email_queue.email_queue.send_now": "sends mail",
	"frappe.email.doctype.email_queue.email_queue.bulk_retry": "sends mail",
	"frappe.email.doctype.email_queue.email_queue.toggle_sending": "switches mail sending for the site",
	"frappe.www.contact.send_message": "sends mail",
	"frappe.core.doctype.sms_settings.sms_settings.send_sms": "outbound network",
	"frappe.utils.print_format.print_by_server": "network printer",
	"frappe.printing.page.print_format_builder_beta.print_format_builder_beta.get_google_fonts": "outbound network",
	"frappe.push_notification.auth_webhook": "outbound network",
	"frappe.push_notification.subscribe": "outbound network",
	"frappe.push_notification.unsubscribe": "outbound network",
	"frappe.website.doctype.personal_data_deletion_request.personal_data_deletion_request.confirm_deletion": (
		"deletes a user's personal data, sends mail"
	),
	"frappe.recorder.start": "records every later request (slows the matrix, stores request bodies)",
	"frappe.recorder.stop": "recorder",
	"frappe.recorder.delete": "recorder",
	"frappe.recorder.import_data": "recorder",
	"frappe.desk.page.setup_wizard.setup_wizard.setup_complete": "re-runs the site's setup",
	"frappe.desk.page.backups.backups.schedule_files_backup": "backup job on disk, sends mail",
	"frappe.utils.change_log.update_last_known_versions": "changes the update notice state only",
	"frappe.core.doctype.rq_job.rq_job.remove_failed_jobs": "background job queue",
	"frappe.core.doctype.rq_job.rq_job.stop_job": "background job queue",
	"frappe.core.doctype.installed_applications.installed_applications.update_installed_apps_order": (
		"changes the site's app order"
	),
	"frappe.handler.upload_file": "covered by test_security (upload needs a multipart file)",
	"frappe.handler.uploadfile": "legacy upload, needs a file",
}
EXCLUDED_PREFIXES = {
	"frappe.integrations.": "OAuth, Google, Dropbox, S3, LDAP and Frappe Cloud: outbound network or login flows",
	"frappe.email.doctype.newsletter.": "newsletters: mail sending",
	"frappe.www.login.login_via": "OAuth login flows",
	"frappe.utils.backups.": "backups on disk",
	"frappe.core.doctype.data_import.data_import.form_start_import": "starts an import job",
}
MUTATES = re.compile(
	r"^(accept|add|apply|approve|archive|attach|bulk|cancel|clear|close|confirm|create|deferred|delete|duplicate|"
	r"execute|follow|generate|hide|import|insert|like|make|mark|merge|move|new|open_case|optimize|relink|remove|rename|"
	r"reopen|reset|restore|revert|review|save|send|set|sort|start|submit|subscribe|switch|sync|toggle|trigger|unfollow|"
	r"unhide|unlock|unsubscribe|unzip|update|upload|validate_rows|submit_|quick_)"
)
DESTROYS = re.compile(
	r"^(archive|bulk|cancel|clear|close|delete|merge|move|relink|remove|rename|reopen|reset|restore|revert|submit|"
	r"unlock|update_document_title|start_import|cancel_all)"
)
SKIP_DIRS = {"tests", "patches", "node_modules", "public", "__pycache__", "commands"}


@dataclass(frozen=True)
class Endpoint:
	cmd: str  # what the client names: /api/method/<cmd>
	params: tuple[str, ...]
	http: str
	mutates: bool
	destroys: bool
	required: tuple[str, ...] = ()  # parameters without a default

	def roles(self) -> dict[str, list[str]]:
		found: dict[str, list[str]] = {}
		for param in self.params:
			for role, names in ROLES.items():
				if param in names:
					found.setdefault(role, []).append(param)
			if self.cmd.startswith("kentro_koinotitas.") and param in APP_PARAMS:
				found.setdefault("app", []).append(param)
		return found


def import_whitelisting_modules(packages=("frappe", "kentro_koinotitas")) -> list[str]:
	"""Import every module of the packages that uses `@frappe.whitelist`, so `frappe.whitelisted` holds
	every callable method. Returns the modules that failed to import."""
	failed = []
	for package in packages:
		root = Path(importlib.import_module(package).__file__).parent
		for path in sorted(root.rglob("*.py")):
			relative = path.relative_to(root.parent)
			if SKIP_DIRS & set(relative.parts) or path.name.startswith("test_"):
				continue
			try:
				if "whitelist" not in path.read_text(encoding="utf-8"):
					continue
			except (OSError, UnicodeDecodeError):
				continue
			module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
			try:
				importlib.import_module(module)
			except Exception as error:
				failed.append(f"{module}: {error!r}"[:200])
	return failed


def _parameters(fn) -> tuple[tuple[str, ...], tuple[str, ...]]:
	"""The parameter names, and those without a default."""
	try:
		parameters = inspect.signature(fn).parameters.values()
	except (TypeError, ValueError):
		return (), ()
	named = [p for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]
	return tuple(p.name for p in named), tuple(p.name for p in named if p.default is p.empty)


def _http_method(fn) -> str:
	allowed = frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["POST"]
	return "POST" if "POST" in allowed else "GET" if "GET" in allowed else allowed[0]


def excluded_reason(cmd: str) -> str | None:
	if cmd in EXCLUDED:
		return EXCLUDED[cmd]
	return next((reason for prefix, reason in EXCLUDED_PREFIXES.items() if cmd.startswith(prefix)), None)


@dataclass
class Catalogue:
	endpoints: list[Endpoint] = field(default_factory=list)
	controller_methods: list = field(default_factory=list)  # whitelisted methods of Document classes
	excluded: dict[str, str] = field(default_factory=dict)
	aliases: dict[str, str] = field(default_factory=dict)
	import_errors: list[str] = field(default_factory=list)
	whitelisted: int = 0


def discover_endpoints() -> Catalogue:
	"""Every whitelisted method the client can call, as Frappe itself lists them at run time."""
	import frappe.handler

	catalogue = Catalogue(import_errors=import_whitelisting_modules())
	overrides = {
		cmd: paths[-1] for cmd, paths in (frappe.get_hooks("override_whitelisted_methods") or {}).items()
	}
	catalogue.whitelisted = len(frappe.whitelisted)
	commands: dict[str, object] = {}
	for fn in frappe.whitelisted:
		if "." in fn.__qualname__:
			catalogue.controller_methods.append(fn)
			continue
		commands[f"{fn.__module__}.{fn.__qualname__}"] = fn
	for cmd in overrides:
		commands.setdefault(cmd, None)
	answered_by: dict[object, str] = {}
	for cmd in sorted(commands, key=lambda c: (c.startswith("kentro_koinotitas."), c)):
		target = overrides.get(cmd)
		if target:
			fn = frappe.get_attr(target) if "." in target else getattr(frappe.handler, target)
		else:
			fn = commands[cmd]
		if fn in answered_by:  # an alias or the override's own path: the same function
			catalogue.aliases[cmd] = answered_by[fn]
			continue
		answered_by[fn] = cmd
		if reason := excluded_reason(cmd):
			catalogue.excluded[cmd] = reason
			continue
		name = cmd.rsplit(".", 1)[1]
		params, required = (FORM_DICT_READERS[cmd], ()) if cmd in FORM_DICT_READERS else _parameters(fn)
		catalogue.endpoints.append(
			Endpoint(
				cmd=cmd,
				params=params,
				http=_http_method(fn),
				mutates=bool(MUTATES.match(name)),
				destroys=bool(DESTROYS.match(name)),
				required=required,
			)
		)
	return catalogue


# ----------------------------------------------------------------------------------------- planning
@dataclass
class Call:
	http: str
	path: str
	data: dict | None = None
	json_body: dict | None = None

	def describe(self) -> str:
		shown = self.data if self.data is not None else self.json_body
		return f"{self.http} {self.path} {json.dumps(shown, ensure_ascii=False, default=str)[:600]}"


@dataclass
class Job:
	endpoint: str
	doctype: str
	target: str  # the target's label, or "-" for calls naming no record
	user: str
	variant: str
	calls: list[Call]  # one call, or an oracle pair (match, miss)
	probes: tuple[str, ...] = ()  # what the pair differs in, removed before comparing
	phase: int = 1


def encode(values: dict) -> dict:
	return {
		k: json.dumps(v, default=str) if isinstance(v, dict | list | tuple) else v
		for k, v in values.items()
		if v is not None
	}


def miss_of(prefix: str) -> str:
	return prefix[:-1] + "y"


def infer_doctype(endpoint: Endpoint, doctypes: set[str]) -> str | None:
	"""The DocType a method without a doctype parameter works on: from the app's parameter names, a few
	known helpers, or the controller module it lives in (`…doctype.<folder>.<folder>`)."""
	for param in endpoint.params:
		if endpoint.cmd.startswith("kentro_koinotitas.") and param in APP_PARAMS:
			return APP_PARAMS[param]
	known = {
		"frappe.utils.diff.get_version_diff": "Version",
		"frappe.utils.diff.version_query": "Version",
		"frappe.desk.form.utils.update_comment": "Comment",
		"frappe.handler.download_file": "File",
		"frappe.core.api.file.": "File",
	}
	for prefix, doctype in known.items():
		if endpoint.cmd.startswith(prefix):
			return doctype
	match = re.search(r"\.doctype\.(\w+)\.\1\.", endpoint.cmd)
	if match:
		doctype = match.group(1).replace("_", " ").title()
		return next((d for d in doctypes if d.lower() == doctype.lower()), "")
	return None


LINK_QUERY = ("doctype", "txt", "searchfield", "start", "page_len", "filters")


class Planner:
	"""Arguments from parameter names, for every DocType and target; see `plan`."""

	def __init__(self, world: CanaryWorld, doctypes: list[str]):
		self.world = world
		self.doctypes = doctypes
		self.by_doctype: dict[str, list[Target]] = {}
		for target in world.targets:
			self.by_doctype.setdefault(target.doctype, []).append(target)
		self.jobs: list[Job] = []
		self.doctype_set = set(doctypes)
		self.receptionist_reads = {
			d for d in doctypes if d not in CORE_DOCTYPES and self.reads("receptionist_a", d)
		}

	def reads(self, user_key: str, doctype: str) -> bool:
		"""Whether the user's roles may read the DocType (a child table: its parent) at all."""
		if frappe.get_meta(doctype).istable:
			doctype = parent_of(doctype) or doctype
		return bool(frappe.has_permission(doctype, "read", user=self.world.centres.users[user_key]))

	def attackers_of(self, target: Target) -> tuple[str, ...]:
		users = ATTACKERS_OF[target.scope]
		if target.scope == "B" and target.doctype in self.receptionist_reads:
			users = ("receptionist_a", *users)
		return users

	def doctype_users(self, doctype: str) -> tuple[str, ...]:
		"""Who lists a whole DocType: the social worker, and the attackers of its level-protected records."""
		users = {"social_worker_a"}
		for target in self.by_doctype.get(doctype, []):
			if target.scope in ("L1", "L2"):
				users.update(ATTACKERS_OF[target.scope])
		return tuple(sorted(users))

	def add(
		self, endpoint: Endpoint, doctype: str, target: Target | None, user: str, variant: str, calls, **kw
	):
		phase = 3 if endpoint.destroys else 2 if endpoint.mutates else 1
		self.jobs.append(
			Job(
				endpoint.cmd,
				doctype,
				target.label if target else "-",
				user,
				variant,
				calls,
				phase=phase,
				**kw,
			)
		)

	def call(self, endpoint: Endpoint, values: dict) -> Call:
		path = f"/api/method/{endpoint.cmd}"
		if endpoint.http == "GET":
			return Call("GET", path, data=encode(values))
		return Call("POST", path, data=encode(values))

	def values(self, endpoint: Endpoint, doctype: str, target: Target | None, **overrides) -> dict:
		"""One argument per parameter with a role (the attacker's view of `target`)."""
		roles = endpoint.roles()
		values = {p: CONSTANTS[p] for p in endpoint.params if p in CONSTANTS}
		istable = frappe.get_meta(doctype).istable if doctype else False
		for param in roles.get("doctype", []):
			values[param] = doctype
		for param in roles.get("parent", []):
			if endpoint.cmd.startswith("frappe.desk.treeview"):
				values[param] = target.name if target else None
			elif istable and target and target.parent:
				values[param] = target.parent
			elif istable:
				values[param] = parent_of(doctype)
		if "report" in roles:
			for param in roles["report"]:
				values[param] = self.world.reports[0] if self.world.reports else None
		shape = SHAPES.get(endpoint.cmd)
		if target:
			for param in roles.get("name", []):
				values[param] = [target.name] if shape == "name-list" else target.name
			for param in roles.get("names", []):
				values[param] = [target.name]
			# a method that takes a record's name is asked by name; the `doc` variants send a document
			by_name = bool(roles.get("name") or roles.get("app"))
			for param in roles.get("doc", []):
				values[param] = doctype if shape == "doc-is-doctype" else None if by_name else target.doc
			for param in roles.get("docs", []):
				values[param] = (
					[target.doc | {"docname": target.name}] if shape == "docs-documents" else [target.name]
				)
			for param in roles.get("filters", []):  # lists: some readers add conditions to them
				values[param] = (
					[[doctype, "name", "=", target.name]] if param == roles["filters"][0] else None
				)
			for param in roles.get("field", []):
				values[param] = target.field
			for param in roles.get("txt", []):
				values[param] = target.prefix or f"kkcanary{self.world.tag}"
			for param in roles.get("file_url", []):
				values[param] = target.file_url
			for param in roles.get("app", []):
				values[param] = target.name
		for param in roles.get("fields", []):
			if param in ("select_columns", "export_fields"):
				values[param] = {doctype: ["name", *(target.columns if target else ())]}
			else:
				values[param] = ["*"]
		if "stats" in endpoint.params:  # the list sidebar's value counts of these columns
			values["stats"] = [target.field] if target and target.field else ["owner"]
		for param in ("new_name", "new"):
			if param in endpoint.required:
				values[param] = f"{target.name}kk" if target else "kkprobe"
		for param in endpoint.required:
			if values.get(param) is None and param in FILLERS:
				values[param] = FILLERS[param]
		values.update(overrides)
		return values

	def plan(self, catalogue: Catalogue) -> list[Job]:
		for endpoint in catalogue.endpoints:
			roles = endpoint.roles()
			if not roles:
				if not endpoint.mutates:  # a reader with no record parameter: what does it list?
					for user in ATTACKERS:
						self.add(endpoint, "", None, user, "no-arguments", [self.call(endpoint, {})])
				continue
			if "report" in roles and "doctype" not in roles:
				self.plan_report(endpoint, roles)
				continue
			if (
				"doctype" in roles
				and endpoint.params[: len(LINK_QUERY)] == LINK_QUERY
				and not endpoint.cmd.startswith("frappe.desk.search.")
			):
				# a custom link query searches its own DocType whatever `doctype` says
				doctypes = [infer_doctype(endpoint, self.doctype_set) or "Beneficiary"]
			elif "doctype" in roles or (
				("doc" in roles or "docs" in roles) and infer_doctype(endpoint, self.doctype_set) is None
			):
				# a generic method: the DocType is named, or carried by the document sent (a method of
				# another DocType's controller, such as Number Card's, takes a document of that DocType)
				doctypes = self.doctypes
			else:
				# the DocType it works on; for one outside the matrix, B's person is named anyway
				doctypes = [infer_doctype(endpoint, self.doctype_set) or "Beneficiary"]
			for doctype in doctypes:
				self.plan_doctype(endpoint, roles, doctype)
		self.plan_rest()
		self.plan_controller_methods(catalogue)
		return self.jobs

	def plan_doctype(self, endpoint: Endpoint, roles: dict, doctype: str) -> None:
		targets = self.by_doctype.get(doctype, [])
		takes_doctype = "doctype" in roles
		record_params = {
			p for role in ("name", "names", "doc", "docs", "app", "file_url") for p in roles.get(role, [])
		}
		# a child table is listed through its parent (Frappe refuses it otherwise: the rows cover it)
		listable = not frappe.get_meta(doctype).istable or "parent" in roles
		if (
			takes_doctype
			and listable
			and not endpoint.destroys
			and not record_params & set(endpoint.required)
		):
			# the whole DocType as each attacker sees it
			for user in self.doctype_users(doctype):
				self.add(
					endpoint,
					doctype,
					None,
					user,
					"doctype",
					[self.call(endpoint, self.values(endpoint, doctype, None))],
				)
		record_roles = {
			"name",
			"names",
			"doc",
			"docs",
			"filters",
			"field",
			"txt",
			"file_url",
			"app",
			"parent",
		}
		if not record_roles & set(roles):
			return
		for target in targets:
			if target.scope in ("L1", "L2") and endpoint.destroys:
				continue  # the attacker's own centre: deleting or renaming it is allowed, and proves nothing
			self.plan_target(endpoint, roles, doctype, target)

	def plan_target(self, endpoint: Endpoint, roles: dict, doctype: str, target: Target) -> None:
		world = self.world
		variants: list[tuple[str, list[Call], tuple[str, ...]]] = []
		variants.append(("record", [self.call(endpoint, self.values(endpoint, doctype, target))], ()))
		# flags a caller may send to widen a read (Frappe's search reads with ignore_permissions when
		# asked to ignore user permissions)
		flags = {param: 1 for param in endpoint.params if param.startswith("ignore_")}
		if flags:
			arguments = self.values(endpoint, doctype, target, **flags)
			variants.append(("ignore-flags", [self.call(endpoint, arguments)], ()))
		fields = roles.get("fields", [])
		if fields and target.columns and fields[0] not in ("select_columns", "export_fields"):
			columns = ["name", *target.columns]
			variants.append(
				(
					"columns",
					[self.call(endpoint, self.values(endpoint, doctype, target, **{fields[0]: columns}))],
					(),
				)
			)
		unnamed = {p: None for role in ("name", "names") for p in roles.get(role, [])}
		filters = roles.get("filters", [])
		if filters and target.probe:
			probe_doctype, probe_field = target.probe
			match, miss = f"%{target.prefix}%", f"%{miss_of(target.prefix)}%"
			pair = [
				self.call(
					endpoint,
					self.values(
						endpoint,
						doctype,
						target,
						**unnamed,
						**{filters[0]: [[probe_doctype, probe_field, "like", v]]},
					),
				)
				for v in (match, miss)
			]
			variants.append(("filter-oracle", pair, (target.prefix, miss_of(target.prefix))))
		if filters and target.scope == "B":
			other = target.name[:-1] + ("q" if target.name[-1] != "q" else "r")
			pair = [
				self.call(
					endpoint,
					self.values(
						endpoint, doctype, target, **unnamed, **{filters[0]: [[doctype, "name", "=", v]]}
					),
				)
				for v in (target.name, other)
			]
			variants.append(("name-oracle", pair, (target.name, other)))
		txt = roles.get("txt", [])
		if txt and target.prefix:
			pair = [
				self.call(endpoint, self.values(endpoint, doctype, target, **unnamed, **{txt[0]: v}))
				for v in (target.prefix, miss_of(target.prefix))
			]
			variants.append(("search-oracle", pair, (target.prefix, miss_of(target.prefix))))
		docs = roles.get("doc", []) + roles.get("docs", [])
		if docs and SHAPES.get(endpoint.cmd) != "no-doc":
			documents = [
				("doc-claims-centre-A", world.spoofed(target)),
				("new-doc-naming-B", world.new_naming_b(target)),
			]
			if roles.get("name") or roles.get("app"):  # asked by name above: the record as a document too
				documents.insert(0, ("doc", target.doc))
			for label, doc in documents:
				if doc:
					value = [doc] if docs[0] in roles.get("docs", []) else doc
					arguments = self.values(endpoint, doctype, target, **unnamed, **{docs[0]: value})
					variants.append((label, [self.call(endpoint, arguments)], ()))
		for user in self.attackers_of(target):
			for variant, calls, probes in variants:
				if variant == "name-oracle" and user == "receptionist_a":
					continue  # whether B's record exists: the social worker's wider roles ask it
				self.add(endpoint, doctype, target, user, variant, calls, probes=probes)

	def plan_report(self, endpoint: Endpoint, roles: dict) -> None:
		world = self.world
		report_param = roles["report"][0]
		filters = roles.get("filters", [])
		for report in world.reports:
			base = self.values(endpoint, "", None, **{report_param: report})
			variants = [("report", [self.call(endpoint, base)], ())]
			if filters:
				prepared = next(t for t in world.targets if t.doctype == "Prepared Report")
				variants.append(
					(
						"report-prepared-of-B",
						[self.call(endpoint, base | {filters[0]: {"prepared_report_name": prepared.name}})],
						(),
					)
				)
				other = world.centres.centre_b[:-1] + "Ω"
				pair = [
					self.call(endpoint, base | {filters[0]: {"centre": c}})
					for c in (world.centres.centre_b, other)
				]
				variants.append(("report-centre-oracle", pair, (world.centres.centre_b, other)))
			for user in ATTACKERS:
				for variant, calls, probes in variants:
					phase = 2 if endpoint.mutates else 1
					self.jobs.append(
						Job(
							endpoint.cmd,
							f"report:{report}",
							"-",
							user,
							variant,
							calls,
							probes=probes,
							phase=phase,
						)
					)

	def plan_rest(self) -> None:
		"""Frappe's REST routes (v1 and v2) and the print view, which reach the same records without a
		whitelisted method."""
		for target in self.world.targets:
			dt, name = target.doctype, target.name
			reads = [
				("REST v1 read", Call("GET", f"/api/resource/{dt}/{name}")),
				("REST v2 read", Call("GET", f"/api/v2/document/{dt}/{name}")),
				("print view", Call("GET", f"/printview?doctype={dt}&name={name}")),
			]
			if target.file_url:
				reads.append(("private file", Call("GET", target.file_url)))
			writes = [
				("REST v1 update", Call("PUT", f"/api/resource/{dt}/{name}", json_body={})),
				("REST v2 update", Call("PATCH", f"/api/v2/document/{dt}/{name}", json_body={})),
			]
			if target.scope == "B":
				writes.append(("REST v1 delete", Call("DELETE", f"/api/resource/{dt}/{name}")))
				writes.append(("REST v2 delete", Call("DELETE", f"/api/v2/document/{dt}/{name}")))
			for user in self.attackers_of(target):
				for label, call in reads:
					self.jobs.append(Job(label, dt, target.label, user, "record", [call]))
				for label, call in writes:
					phase = 3 if "delete" in label else 2
					self.jobs.append(Job(label, dt, target.label, user, "record", [call], phase=phase))
				if target.probe:
					probe_doctype, probe_field = target.probe
					for label, path in (
						("REST v1 list", f"/api/resource/{dt}"),
						("REST v2 list", f"/api/v2/document/{dt}"),
					):
						pair = [
							Call(
								"GET",
								path,
								data=encode(
									{
										"fields": ["name", *target.columns]
										if not target.parent
										else ["name"],
										"filters": [[probe_doctype, probe_field, "like", f"%{p}%"]],
										**({"parent": target.parent} if target.parent else {}),
									}
								),
							)
							for p in (target.prefix, miss_of(target.prefix))
						]
						self.jobs.append(
							Job(
								label,
								dt,
								target.label,
								user,
								"filter-oracle",
								pair,
								probes=(target.prefix, miss_of(target.prefix)),
							)
						)
		for dt in self.doctypes:
			for user in self.doctype_users(dt):
				self.jobs.append(
					Job(
						"REST v1 list",
						dt,
						"-",
						user,
						"doctype",
						[
							Call(
								"GET",
								f"/api/resource/{dt}",
								data=encode({"fields": ["*"], "limit_page_length": 100}),
							)
						],
					)
				)
				self.jobs.append(
					Job(
						"REST v2 count",
						dt,
						"-",
						user,
						"doctype",
						[Call("GET", f"/api/v2/doctype/{dt}/count")],
					)
				)

	def plan_controller_methods(self, catalogue: Catalogue) -> None:
		"""Whitelisted methods of document classes, run on a stored record (`run_doc_method`, which the
		handler answers without checking the whitelist itself) or on a document sent by the client (API
		v2). `Document.add_comment` applies to every DocType."""
		from frappe.model.base_document import get_controller

		for target in self.world.targets:
			try:
				controller = get_controller(target.doctype)
			except Exception:
				continue
			for fn in catalogue.controller_methods:
				method = fn.__name__
				bound = getattr(controller, method, None)
				if getattr(bound, "__func__", bound) is not fn:
					continue
				destroys = bool(DESTROYS.match(method))
				if target.scope in ("L1", "L2") and destroys:
					continue
				args = {"comment_type": "Comment", "text": "kkprobe"} if method == "add_comment" else {}
				v1 = {"dt": target.doctype, "dn": target.name, "method": method, "args": args}
				calls = [
					("run_doc_method", "record", Call("POST", "/api/method/run_doc_method", data=encode(v1))),
					("v2 run_doc_method", "record", self.v2_call(target.doc, method, args)),
				]
				if spoof := self.world.spoofed(target):
					calls.append(
						("v2 run_doc_method", "doc-claims-centre-A", self.v2_call(spoof, method, args))
					)
				for user in self.attackers_of(target):
					for label, variant, call in calls:
						self.jobs.append(
							Job(
								f"{label}:{fn.__qualname__}",
								target.doctype,
								target.label,
								user,
								variant,
								[call],
								phase=3 if destroys else 2,
							)
						)

	@staticmethod
	def v2_call(document: dict, method: str, args: dict) -> Call:
		return Call(
			"POST",
			"/api/v2/method/run_doc_method",
			data=encode({"document": document, "method": method, "kwargs": args}),
		)


def parent_of(child: str) -> str | None:
	return frappe.db.get_value(
		"DocField", {"fieldtype": ("in", ("Table", "Table MultiSelect")), "options": child}, "parent"
	)


# ----------------------------------------------------------------------------------------- running
@dataclass
class Finding:
	kind: str  # "canary", "oracle", "integrity"
	endpoint: str
	doctype: str
	target: str
	user: str
	variant: str
	detail: str
	reproduction: str
	confirmed: bool = False
	job: Job | None = field(default=None, repr=False, compare=False)

	def as_dict(self) -> dict:
		return {k: v for k, v in self.__dict__.items() if k != "job"}

	def line(self) -> str:
		return f"[{self.kind}] {self.endpoint} | {self.doctype or '-'} | {self.target} | {self.user} | {self.variant}: {self.detail}"


@dataclass
class Outcome:
	status: int
	text: str  # everything readable, for the canary search
	seconds: float
	error: str | None = None
	plain: str = ""  # the decoded content only (no compressed bytes), for comparing two answers

	def reason(self) -> str:
		"""Frappe's exception type and message of a failed call, to tell a refusal from a malformed call."""
		try:
			body = json.loads(self.plain)
		except ValueError:
			return f"HTTP {self.status}"
		messages = []
		for message in json.loads(body.get("_server_messages") or "[]"):
			try:
				messages.append(str(json.loads(message).get("message", ""))[:160])
			except (ValueError, AttributeError):
				messages.append(str(message)[:160])
		exception = (body.get("exception") or "")[:160]
		return f"{self.status} {body.get('exc_type', '')}: {exception or '; '.join(messages)}"


LOCKED = re.compile(r"QueryTimeoutError|Lock wait timeout|Deadlock found")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?")
HEXRUN = re.compile(r"\b[0-9a-f]{10,}\b")


def readable_body(response: requests.Response) -> tuple[str, str]:
	"""The response as text, with archives and PDFs opened (an .xlsx export would hide canaries): all of
	it for the canary search, and the decoded content alone for comparing two answers."""
	raw = response.content or b""
	decoded: list[bytes] = []
	try:
		if raw[:2] == b"\x1f\x8b":
			decoded.append(gzip.decompress(raw))
		elif raw[:4] == b"PK\x03\x04":
			with zipfile.ZipFile(io.BytesIO(raw)) as archive:
				decoded.extend(archive.read(member) for member in archive.namelist())
		elif raw[:5] == b"%PDF-":
			text = subprocess.run(["pdftotext", "-", "-"], input=raw, capture_output=True, timeout=60).stdout
			decoded.extend([text, re.sub(rb"\s+", b"", text)])
	except Exception as error:  # an unreadable archive is reported, not skipped silently
		decoded.append(f"<undecodable body: {error!r}>".encode())
	plain = "\n".join(part.decode("utf-8", "replace") for part in decoded or [raw])
	return (plain if not decoded else plain + "\n" + raw.decode("utf-8", "replace")), plain


class Runner:
	"""Calls over HTTP from a thread pool: one logged-in session per user, shared by cookie with one
	`requests.Session` per thread (a second login would end the first session)."""

	def __init__(self, base_url: str, host: str, world: CanaryWorld, threads: int = 6):
		self.base_url, self.host, self.world, self.threads = base_url, host, world, threads
		self.sids: dict[str, str] = {}
		self.local = threading.local()
		self.calls = 0
		self.lock = threading.Lock()
		self.statuses: Counter = Counter()

	def login(self, user_key: str) -> None:
		session = requests.Session()
		session.headers.update({"Host": self.host, "Accept": "application/json"})
		response = session.post(
			f"{self.base_url}/api/method/login",
			data={"usr": self.world.centres.users[user_key], "pwd": self.world.centres.passwords[user_key]},
			timeout=REQUEST_TIMEOUT,
		)
		response.raise_for_status()
		self.sids[user_key] = session.cookies["sid"]

	def session(self, user_key: str) -> requests.Session:
		sessions = getattr(self.local, "sessions", None)
		if sessions is None:
			sessions = self.local.sessions = {}
		if user_key not in sessions:
			session = requests.Session()
			session.headers.update({"Host": self.host, "Accept": "application/json"})
			session.cookies.set("sid", self.sids[user_key])
			sessions[user_key] = session
		return sessions[user_key]

	def send(self, user_key: str, call: Call) -> Outcome:
		started = time.monotonic()
		kwargs: dict = {"timeout": REQUEST_TIMEOUT, "allow_redirects": False}
		email = self.world.centres.users[user_key]
		data = {
			k: v.replace("<self>", email) if isinstance(v, str) else v for k, v in (call.data or {}).items()
		}
		if call.json_body is not None:
			kwargs["json"] = call.json_body
		elif call.http == "GET":
			kwargs["params"] = data
		else:
			kwargs["data"] = data
		for attempt in range(3):
			with self.lock:
				self.calls += 1
			try:
				response = self.session(user_key).request(call.http, self.base_url + call.path, **kwargs)
			except requests.RequestException as error:
				return Outcome(0, "", time.monotonic() - started, error=repr(error)[:200])
			text, plain = readable_body(response)
			if response.status_code != 500 or not LOCKED.search(plain) or attempt == 2:
				break
			time.sleep(1 + attempt)  # another call holds the row: ask again rather than judge a lock error
		with self.lock:
			self.statuses[response.status_code] += 1
		return Outcome(response.status_code, text, time.monotonic() - started, plain=plain)

	def check(self, job: Job, outcomes: list[Outcome]) -> list[Finding]:
		findings = []
		forbidden = self.world.forbidden(job.user)
		for call, outcome in zip(job.calls, outcomes, strict=True):
			text = outcome.text.lower()  # the app upper-cases some fields; markers are lower-case hex
			leaked = [s for s in forbidden if s.marker in text]
			if leaked:
				findings.append(
					Finding(
						"canary",
						job.endpoint,
						job.doctype,
						job.target,
						job.user,
						job.variant,
						f"HTTP {outcome.status}; leaked " + ", ".join(sorted({s.where for s in leaked})),
						call.describe(),
						job=job,
					)
				)
		if len(outcomes) == 2 and all(o.error is None for o in outcomes):  # an oracle pair
			first, second = (normalise(o, job.probes) for o in outcomes)
			if first != second:
				findings.append(
					Finding(
						"oracle",
						job.endpoint,
						job.doctype,
						job.target,
						job.user,
						job.variant,
						difference(first, second),
						f"{job.calls[0].describe()}\n  vs {job.calls[1].describe()}",
						job=job,
					)
				)
		return findings

	def run_group(self, jobs: list[Job]) -> list[tuple[Job, list[Outcome], list[Finding]]]:
		return [self.run_job(job) for job in jobs]

	def run_job(self, job: Job) -> tuple[Job, list[Outcome], list[Finding]]:
		outcomes = [self.send(job.user, call) for call in job.calls]
		return job, outcomes, self.check(job, outcomes)

	def run(self, jobs: list[Job]) -> tuple[list[Finding], dict]:
		"""Read-only calls first, then the ones that may change data; findings are confirmed by calling
		again, one at a time. Returns the findings and per-endpoint statistics (no bodies are kept)."""
		frappe.db.rollback()  # hold no lock: a call may alter a table, which waits for every reader
		for user in sorted({job.user for job in jobs}):
			if user not in self.sids:
				self.login(user)
		findings: list[Finding] = []
		stats: dict[str, Counter] = {}
		reasons: dict[str, Counter] = {}
		errors: list[str] = []
		seconds: dict[int, float] = {}
		busy: Counter = Counter()  # seconds spent waiting for each endpoint
		for phase in (1, 2, 3):
			started = time.monotonic()
			# phase 3 (deletions, renames, cancellations) runs each record's calls one after the other:
			# Frappe takes the row lock without waiting, so two at once would fail on the lock instead of
			# on the permission check
			groups: dict[str, list[Job]] = {}
			for job in jobs:
				if job.phase == phase:
					key = f"{job.doctype}|{job.target}" if phase == 3 else str(len(groups))
					groups.setdefault(key, []).append(job)
			with ThreadPoolExecutor(self.threads) as pool:
				pool_results = (
					result for group in pool.map(self.run_group, groups.values()) for result in group
				)
				for job, outcomes, found in pool_results:
					counter = stats.setdefault(job.endpoint, Counter())
					for outcome in outcomes:
						counter[outcome.status] += 1
						busy[job.endpoint] += outcome.seconds
						if outcome.error:
							errors.append(f"{job.endpoint} {job.doctype} {job.user}: {outcome.error}")
						elif outcome.status >= 400:
							reasons.setdefault(job.endpoint, Counter())[outcome.reason()] += 1
					findings.extend(found)
			seconds[phase] = round(time.monotonic() - started, 1)
		for finding in findings:
			finding.confirmed = any(f.kind == finding.kind for f in self.run_job(finding.job)[2])
		return findings, {
			"statuses": {k: dict(v) for k, v in sorted(stats.items())},
			"refusals": {k: dict(v.most_common(4)) for k, v in sorted(reasons.items())},
			"errors": errors,
			"seconds_per_phase": {"read": seconds.get(1), "change": seconds.get(2), "delete": seconds.get(3)},
			"slowest": {k: round(v, 1) for k, v in busy.most_common(25)},
		}


VOLATILE = (
	(TIMESTAMP, "<TS>"),
	(re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}"), "<TS>"),  # the .xlsx header's "generated on"
	(re.compile(r'"execution_time":\s*[\d.]+'), '"execution_time": 0'),
	(re.compile(r'"name":\s*"[0-9a-z]{10}"'), '"name": "<HASH>"'),  # a record created by the call
	(HEXRUN, "<HEX>"),
)


def normalise(outcome: Outcome, probes: tuple[str, ...]) -> tuple[int, str]:
	"""An answer without what differs between any two calls (timestamps, new record names, request ids)
	and without the probe value itself, which Frappe may echo."""
	text = outcome.plain
	for probe in sorted(probes, key=len, reverse=True):
		text = text.replace(probe, "<PROBE>")
	for pattern, replacement in VOLATILE:
		text = pattern.sub(replacement, text)
	return outcome.status, text


def difference(first: tuple[int, str], second: tuple[int, str]) -> str:
	if first[0] != second[0]:
		return f"HTTP {first[0]} when the filter matches, {second[0]} when it does not"
	a, b = first[1], second[1]
	at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
	return f"bodies differ at {at}: {a[max(at - 60, 0) : at + 60]!r} vs {b[max(at - 60, 0) : at + 60]!r}"


def matrix_size(jobs: list[Job], catalogue: Catalogue) -> dict:
	variants = Counter(job.variant for job in jobs)
	return {
		"whitelisted_functions": catalogue.whitelisted,
		"methods": len({j.endpoint for j in jobs}),
		"methods_from_whitelist": len(catalogue.endpoints),
		"controller_methods": len(catalogue.controller_methods),
		"excluded": len(catalogue.excluded),
		"aliases": len(catalogue.aliases),
		"doctypes": len({j.doctype for j in jobs if j.doctype and not j.doctype.startswith("report:")}),
		"reports": len({j.doctype for j in jobs if j.doctype.startswith("report:")}),
		"users": len({j.user for j in jobs}),
		"targets": len({j.target for j in jobs}),
		"method_doctype_user_variant": len(
			{(j.endpoint, j.doctype, j.target, j.user, j.variant) for j in jobs}
		),
		"variants": dict(variants),
		"jobs": len(jobs),
		"planned_http_calls": sum(len(j.calls) for j in jobs),
	}
