"""The retention schedule: which records each Retention Rule makes due, the daily review list for the
data protection officer, and the action taken only on the officer's approval (see README, "Data
protection").

A rule's trigger gives each record a date; the record is due once `period_months` have passed since it.
- Case closed: the closing date of the record's case; for a record without a case (and for the person
  and their consents), the date the person's last case was closed, once none of their cases is open.
- Last activity: the person's last recorded activity (registration, visit, case opened or closed,
  service, referral, application, consent); for a visit of someone not registered, the visit's date.
- Consent withdrawn: for a Consent, the date of its last withdrawal once none of its purposes stands
  given; for anything else, the same for all the person's consents.

Anonymise acts on the person (part of the erasure module, `anonymise_beneficiary`), so its rules name
Beneficiary; Delete acts on the records of the rule's type, permanently (no Deleted Document copy).
Persons under legal hold are left out of the review and skipped again when the approved review runs.
"""

from collections.abc import Callable
from datetime import date

import frappe
from frappe import _
from frappe.query_builder import Case as When
from frappe.query_builder.functions import Coalesce, Max, Sum
from frappe.utils import add_months, cint, format_date, getdate, now_datetime

from kentro_koinotitas.access.officer import check_officer

# record type -> (the field naming the person, the field naming its case, its own activity date)
PERSON_RECORDS: dict[str, tuple[str, str | None, str]] = {
	"Beneficiary": ("name", None, "registration_date"),
	"Case": ("beneficiary", "name", "opened_on"),
	"Consent": ("beneficiary", None, "consent_date"),
	"Front Desk Visit": ("beneficiary", "case", "visit_datetime"),
	"Programme Application": ("beneficiary", "case", "submitted_on"),
	"Referral": ("beneficiary", "case", "sent_on"),
	"Service Delivery": ("beneficiary", "case", "delivery_datetime"),
}
CASE_CLOSED, LAST_ACTIVITY, CONSENT_WITHDRAWN = "Case closed", "Last activity", "Consent withdrawn"
ANONYMISE, DELETE = "Anonymise", "Delete"
# Reg. (EU) 2021/1060 Art. 82: five years from 31 December of the year of the last payment. A period of
# 72 months is the shortest that keeps a record until that date whatever day of its year it starts.
ESF_AUDIT_MONTHS = 72
PENDING, APPROVED, COMPLETED, SUPERSEDED = "Pending approval", "Approved", "Completed", "Superseded"
ROW_PENDING, ROW_HELD, ROW_FAILED = "Pending", "Skipped (legal hold)", "Failed"
BATCH_SIZE = 50


def validate_rule(rule) -> None:
	if rule.record_type not in PERSON_RECORDS:
		frappe.throw(
			_("A retention rule applies to one of these record types: {0}.").format(
				", ".join(_(doctype) for doctype in PERSON_RECORDS)
			)
		)
	if rule.action == ANONYMISE and rule.record_type != "Beneficiary":
		frappe.throw(
			_(
				"Anonymisation acts on the person and every record about them: choose Beneficiary as the record type."
			)
		)
	if rule.action == DELETE and rule.record_type == "Beneficiary":
		frappe.throw(_("A retention rule never deletes a person: choose Anonymise."))
	if cint(rule.period_months) < 1:
		frappe.throw(_("The retention period must be at least one month."))
	if cint(rule.period_months) < ESF_AUDIT_MONTHS and not cint(rule.confirm_short_period):
		frappe.throw(
			_(
				"A period shorter than {0} months may act on records still needed for the ESF+ audit trail"
				" (five years from 31 December of the year of the last payment, Reg. (EU) 2021/1060 Art. 82)."
				" Tick the confirmation to keep it."
			).format(ESF_AUDIT_MONTHS)
		)


# Trigger dates
# -------------


def _table(doctype: str):
	return frappe.qb.DocType(doctype)


def _latest(dates) -> date | None:
	dates = [getdate(d) for d in dates if d]
	return max(dates) if dates else None


def last_activity_by_person() -> dict[str, date]:
	"""The person's last recorded activity, over every record type about them."""
	latest: dict[str, date] = {}

	def merge(rows):
		for person, when in rows:
			if person and when and (person not in latest or getdate(when) > latest[person]):
				latest[person] = getdate(when)

	for doctype, (person_field, _case, date_field) in PERSON_RECORDS.items():
		table = _table(doctype)
		merge(
			frappe.qb.from_(table)
			.select(table[person_field], Max(Coalesce(table[date_field], table.creation)))
			.groupby(table[person_field])
			.run()
		)
	case = _table("Case")
	merge(
		frappe.qb.from_(case)
		.select(case.beneficiary, Max(case.closed_on))
		.where(case.closed_on.isnotnull())
		.groupby(case.beneficiary)
		.run()
	)
	return latest


def case_closed_by_person() -> dict[str, date]:
	"""The day the person's last case was closed, for persons with cases and none of them open."""
	case = _table("Case")
	open_cases = Sum(When().when(case.status != "Closed", 1).else_(0))
	rows = (
		frappe.qb.from_(case)
		.select(case.beneficiary, Max(case.closed_on), open_cases)
		.groupby(case.beneficiary)
		.run()
	)
	return {person: getdate(closed) for person, closed, still_open in rows if closed and not still_open}


def _withdrawal_rows():
	consent, item = _table("Consent"), _table("Consent Item")
	return (
		frappe.qb.from_(item)
		.join(consent)
		.on(consent.name == item.parent)
		.select(consent.name, consent.beneficiary, item.decision, item.withdrawn_on)
		.where(item.parenttype == "Consent")
		.run()
	)


def _withdrawn(rows, key: int) -> dict[str, date]:
	"""Last withdrawal per key (consent or person) where no purpose stands given."""
	standing, withdrawn = set(), {}
	for row in rows:
		owner, decision, withdrawn_on = row[key], row[2], row[3]
		if decision == "Given" and not withdrawn_on:
			standing.add(owner)
		elif withdrawn_on:
			withdrawn[owner] = max(getdate(withdrawn_on), withdrawn.get(owner, getdate(withdrawn_on)))
	return {owner: when for owner, when in withdrawn.items() if owner not in standing}


def _records(doctype: str) -> list[tuple[str, str | None, str | None, date | None]]:
	"""(name, person, case, own date) of every record of a type."""
	person_field, case_field, date_field = PERSON_RECORDS[doctype]
	table = _table(doctype)
	rows = (
		frappe.qb.from_(table)
		.select(
			table.name,
			table[person_field],
			table[case_field] if case_field else table.name,
			Coalesce(table[date_field], table.creation),
		)
		.run()
	)
	return [(name, person, case if case_field else None, getdate(when)) for name, person, case, when in rows]


def _case_closing_dates() -> dict[str, date]:
	case = _table("Case")
	rows = frappe.qb.from_(case).select(case.name, case.closed_on).where(case.status == "Closed").run()
	return {name: getdate(closed) for name, closed in rows if closed}


def trigger_dates(doctype: str, trigger: str) -> list[tuple[str, str | None, date]]:
	"""(record, person, trigger date) of the records of a type that the trigger has reached."""
	records = _records(doctype)
	found = []
	if trigger == LAST_ACTIVITY:
		by_person = last_activity_by_person()
		for name, person, _case, own in records:
			when = by_person.get(person) if person else own
			found.append((name, person, when))
	elif trigger == CASE_CLOSED:
		by_person, by_case = case_closed_by_person(), _case_closing_dates()
		for name, person, case, _own in records:
			if doctype == "Case":
				when = by_case.get(name)
			else:
				when = by_case.get(case) if case else by_person.get(person)
			found.append((name, person, when))
	elif trigger == CONSENT_WITHDRAWN:
		rows = _withdrawal_rows()
		by_consent, by_person = _withdrawn(rows, 0), _withdrawn(rows, 1)
		for name, person, _case, _own in records:
			found.append(
				(name, person, by_consent.get(name) if doctype == "Consent" else by_person.get(person))
			)
	return [row for row in found if row[2]]


# The review list
# ---------------


def _due(rule, today: date) -> list[dict]:
	due = []
	anonymised = set()
	if rule.action == ANONYMISE:
		anonymised = set(frappe.get_all("Beneficiary", filters={"status": "Anonymised"}, pluck="name"))
	for record, person, when in trigger_dates(rule.record_type, rule.trigger):
		due_on = getdate(add_months(when, cint(rule.period_months)))
		if due_on > today or record in anonymised:
			continue
		due.append(
			{
				"rule": rule.name,
				"action": rule.action,
				"record_type": rule.record_type,
				"record": record,
				"person": person,
				"reason": _("{0} on {1}; kept {2} months, due since {3}. {4}").format(
					_(rule.trigger),
					format_date(when),
					rule.period_months,
					format_date(due_on),
					rule.legal_basis,
				),
			}
		)
	return due


def holds_of(person: str | None, cache: dict) -> list[dict]:
	if not person:
		return []
	if person not in cache:
		from kentro_koinotitas.data_protection.legal_holds import active_holds

		cache[person] = active_holds(person)
	return cache[person]


def build_review(today: date | str | None = None) -> str | None:
	"""The daily job: list what every enabled rule makes due today, leaving out persons under legal hold.
	Nothing is changed; the list waits for the data protection officer's approval. Returns its name."""
	today = getdate(today)
	items, seen, held, holds = [], set(), 0, {}
	for rule in frappe.get_all("Retention Rule", filters={"enabled": 1}, fields=["*"], order_by="name"):
		for item in _due(rule, today):
			key = (item["record_type"], item["record"])
			if key in seen:
				continue
			seen.add(key)
			if holds_of(item["person"], holds):
				held += 1
				continue
			items.append(item)
	for previous in frappe.get_all("Retention Review", filters={"status": PENDING}, pluck="name"):
		frappe.db.set_value("Retention Review", previous, "status", SUPERSEDED)
	if not items and not held:
		return None
	review = frappe.get_doc(
		{
			"doctype": "Retention Review",
			"review_date": today,
			"status": PENDING,
			"item_count": len(items),
			"held_count": held,
			"items": items,
		}
	)
	review.insert(ignore_permissions=True)
	return review.name


def daily_review() -> None:
	"""`scheduler_events["daily"]`."""
	build_review()


# Approval and action
# -------------------


@frappe.whitelist(methods=["POST"])
def approve_review(review: str) -> dict:
	"""The data protection officer approves a review: its records are anonymised or deleted in batches
	in the background, each row's outcome recorded on the review."""
	check_officer(_("Only the Data Protection Officer may do this."))
	doc = frappe.get_doc("Retention Review", review)
	doc.check_permission("read")
	if doc.status != PENDING:
		frappe.throw(_("This retention review is not awaiting approval."))
	doc.db_set({"status": APPROVED, "approved_by": frappe.session.user, "approved_on": now_datetime()})
	doc.add_comment("Info", _("Approved by {0}").format(frappe.session.user))
	rows = [row.name for row in doc.items if row.outcome == ROW_PENDING]
	for start in range(0, len(rows), BATCH_SIZE):
		frappe.enqueue(
			"kentro_koinotitas.data_protection.retention.process_batch",
			queue="long",
			review=doc.name,
			rows=rows[start : start + BATCH_SIZE],
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)
	if not rows:
		finish(doc.name)
	return {"status": APPROVED, "batches": -(-len(rows) // BATCH_SIZE)}


def _delete(row, review: str) -> str:
	frappe.delete_doc(row.record_type, row.record, ignore_permissions=True, delete_permanently=True)
	return "Deleted"


def _anonymise(row, review: str) -> str:
	from kentro_koinotitas.data_protection import erasure

	erasure.anonymise_beneficiary(row.person, review=review)
	return "Anonymised"


ACTIONS: dict[str, Callable] = {ANONYMISE: _anonymise, DELETE: _delete}


def process_batch(review: str, rows: list[str]) -> None:
	"""One batch of an approved review: each row in its own savepoint, legal holds checked again now."""
	if frappe.db.get_value("Retention Review", review, "status") != APPROVED:
		return
	holds: dict = {}
	for row in frappe.get_all(
		"Retention Review Item",
		filters={
			"parent": review,
			"parenttype": "Retention Review",
			"name": ("in", rows),
			"outcome": ROW_PENDING,
		},
		fields=["name", "action", "record_type", "record", "person"],
		order_by="idx",
	):
		note = ""
		if active := holds_of(row.person, holds):
			outcome, note = ROW_HELD, ", ".join(hold.get("name", "") for hold in active)
		else:
			frappe.db.savepoint("retention_row")
			try:
				outcome = ACTIONS[row.action](row, review)
			except Exception as error:
				frappe.db.rollback(save_point="retention_row")
				frappe.clear_messages()
				outcome, note = ROW_FAILED, frappe.utils.strip_html(str(error))[:500]
				frappe.log_error(
					_("Retention review {0}: {1} {2}").format(review, row.record_type, row.record)
				)
		frappe.db.set_value(
			"Retention Review Item",
			row.name,
			{"outcome": outcome, "outcome_note": note, "processed_on": now_datetime()},
			update_modified=False,
		)
	finish(review)


def finish(review: str) -> None:
	pending = frappe.db.count("Retention Review Item", {"parent": review, "outcome": ROW_PENDING})
	if not pending:
		frappe.db.set_value("Retention Review", review, {"status": COMPLETED, "completed_on": now_datetime()})
