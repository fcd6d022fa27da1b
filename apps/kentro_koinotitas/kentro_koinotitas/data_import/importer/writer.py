"""Writing the rows of a registry file: each row whole or not at all, in chunks written in bulk, with
the people's households, consents and cases.

A row is rejected with its reason only for what a form would refuse (a validation or permission error, a
duplicate); anything else is a fault of the program: it is logged in the Error Log and stops the import."""

import frappe
from frappe import _
from frappe.utils import cstr, getdate

from kentro_koinotitas.data_import import bulk_insert
from kentro_koinotitas.data_import.importer.columns import detect_mapping, header
from kentro_koinotitas.data_import.importer.rows import ImportResult, RowPlan, RowReader
from kentro_koinotitas.registry import duplicates, households

CHUNK_ROWS = 500
# what a form would show its user as the reason it refuses a record
ROW_ERRORS = (frappe.ValidationError, frappe.PermissionError, frappe.DuplicateEntryError)


def import_rows(
	headers: list[str],
	rows: list[list],
	centre: str,
	dry_run: bool = False,
	mapping: dict[str, int] | None = None,
	progress=None,
	bulk: bool = True,
) -> ImportResult:
	"""Validate (dry run) or import the rows; each row is imported whole or not at all.

	Rows go in chunks of CHUNK_ROWS: every document is checked as `Document.insert` checks it, then the
	chunk is written with multi-row INSERTs (`bulk_insert`). If writing a chunk fails, the chunk is rolled
	back and imported row by row, each row in its own savepoint, so the failing rows get their own reasons.
	`bulk=False` imports every row that way (slower; the benchmark compares both)."""
	if not centre or not frappe.db.exists("Community Centre", centre):
		frappe.throw(_("Choose the Community Centre the people are registered at."))
	if not frappe.has_permission("Community Centre", "read", centre):
		frappe.throw(_("You cannot see the records of {0}.").format(centre), frappe.PermissionError)
	mapping = mapping or detect_mapping(headers)
	if "last_name" not in mapping or "first_name" not in mapping:
		frappe.throw(
			_("The file needs the columns {0} and {1}; found: {2}.").format(
				header("last_name"), header("first_name"), ", ".join(headers)
			),
			title=_("Columns not recognised"),
		)
	plans = RowReader(mapping, centre).plans(rows)
	result = ImportResult(
		headers=headers, mapping=mapping, rows=[plan.outcome for plan in plans], dry_run=dry_run
	)
	codes: dict[str, str] = {}  # household code in the file -> the Household it became
	if dry_run:
		frappe.db.savepoint("registry_import_dry_run")
	try:
		for start in range(0, len(plans), CHUNK_ROWS):
			chunk = [
				plan
				for plan in plans[start : start + CHUNK_ROWS]
				if not plan.outcome.errors and not plan.outcome.skipped
			]
			chunk = skip_registered(chunk)
			if bulk:
				import_chunk(chunk, centre, codes, start)
			else:
				for plan in chunk:
					import_row(plan, centre, codes)
			if progress:
				progress(min(start + CHUNK_ROWS, len(plans)), len(plans))
	except Exception:
		# not a row's fault (those are caught as ROW_ERRORS): a fault of the program, kept in the Error Log
		# even though the caller rolls the import back
		frappe.log_error(_("Registry import failed"), reference_doctype="Registry Import", defer_insert=True)
		raise
	if dry_run:
		frappe.db.rollback(save_point="registry_import_dry_run")
	return result


def skip_registered(plans: list[RowPlan]) -> list[RowPlan]:
	"""Mark the people already in the registry (the rule of `registry.duplicates`) as skipped; returns
	the plans still to import."""
	remaining = []
	for plan, existing in zip(plans, duplicates.find_registered([p.doc for p in plans]), strict=True):
		if existing:
			plan.outcome.beneficiary = existing
			plan.outcome.skipped = _("Already in the registry as {0}").format(existing)
		else:
			remaining.append(plan)
	return remaining


def import_chunk(plans: list[RowPlan], centre: str, codes: dict[str, str], start: int) -> None:
	"""Check every row's beneficiary; write the good ones and their households, consents and cases with
	multi-row INSERTs. A failure while writing rolls the chunk back and imports it row by row."""
	checked = []
	for plan in plans:
		try:
			doc = frappe.get_doc(plan.doc)
			doc.flags.registry_checked = True  # `skip_registered` has looked the chunk up in the registry
			plan.beneficiary = bulk_insert.check(doc)
			checked.append(plan)
		except ROW_ERRORS as error:
			reject(plan, error)
	if not checked:
		return

	savepoint = f"import_chunk_{start}"
	codes_before = dict(codes)
	frappe.db.savepoint(savepoint)
	try:
		bulk_insert.insert([plan.beneficiary for plan in checked])
		bulk_households(checked, codes)
		dependants = [
			bulk_insert.check(frappe.get_doc(doc))
			for plan in checked
			for doc in (consent(plan, centre), case(plan, centre))
			if doc
		]
		bulk_insert.insert(dependants)
	except Exception as error:  # a multi-row INSERT raises the database's own error for a duplicate key
		if not is_row_error(error):
			raise
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_messages()
		codes.clear()
		codes.update(codes_before)
		for plan in checked:
			import_row(plan, centre, codes)
		return
	for plan in checked:
		plan.outcome.beneficiary = plan.beneficiary.name


def bulk_households(plans: list[RowPlan], codes: dict[str, str]) -> None:
	"""Rows with the same household code form one household; its first row is the head. A code met in an
	earlier chunk adds the members to that household."""
	new: dict[str, list[RowPlan]] = {}
	for plan in plans:
		if not plan.household:
			continue
		if plan.household in codes:
			households.join(codes[plan.household], plan.beneficiary, plan.relationship)
		else:
			new.setdefault(plan.household, []).append(plan)
	docs = [
		bulk_insert.check(
			frappe.get_doc(
				households.new_household(
					members[0].beneficiary, [(m.beneficiary.name, m.relationship) for m in members[1:]]
				)
			)
		)
		for members in new.values()
	]
	bulk_insert.insert(docs)
	for code, doc in zip(new, docs, strict=True):
		codes[code] = doc.name


def import_row(plan: RowPlan, centre: str, codes: dict[str, str]) -> None:
	"""One row through `Document.insert`, in its own savepoint."""
	savepoint = f"import_row_{plan.outcome.number}"
	frappe.db.savepoint(savepoint)
	try:
		beneficiary = frappe.get_doc(plan.doc).insert()
		plan.beneficiary = beneficiary
		if plan.household in codes:
			households.join(codes[plan.household], beneficiary, plan.relationship)
		elif plan.household:
			codes[plan.household] = households.create(beneficiary).name
		for doc in (consent(plan, centre), case(plan, centre)):
			if doc:
				frappe.get_doc(doc).insert()
		plan.outcome.beneficiary = beneficiary.name
	except ROW_ERRORS as error:
		frappe.db.rollback(save_point=savepoint)
		reject(plan, error)


def consent(plan: RowPlan, centre: str) -> dict | None:
	if not plan.consents:
		return None
	return {
		"doctype": "Consent",
		"beneficiary": plan.beneficiary.name,
		"centre": centre,
		"consent_date": plan.consent_date or plan.beneficiary.registration_date or getdate(),
		"purposes": [{"consent_purpose": p, "decision": "Given"} for p in plan.consents],
	}


def case(plan: RowPlan, centre: str) -> dict | None:
	if not (plan.case_opened_on or plan.requests):
		return None
	return {
		"doctype": "Case",
		"beneficiary": plan.beneficiary.name,
		"centre": centre,
		"opened_on": plan.case_opened_on or getdate(),
		"channel": "Walk-in",
		"requests": [{"request_category": r} for r in plan.requests],
	}


def is_row_error(error: Exception) -> bool:
	"""A reason to refuse the row (what a form would show), not a fault of the program. A multi-row
	INSERT reports a duplicate key as the database's own error, which `Document.insert` would turn into
	Frappe's `DuplicateEntryError`/`UniqueValidationError`."""
	if isinstance(error, ROW_ERRORS):
		return True
	return bool(error.args) and frappe.db.is_duplicate_entry(error)


def reject(plan: RowPlan, error: Exception) -> None:
	"""Give the row the reason a form would have shown."""
	frappe.clear_messages()
	text = cstr(error) or error.__class__.__name__
	plan.outcome.errors.append(frappe.utils.strip_html(text).strip())
