# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.access.workflow import transition_to_status


class Case(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.casework.doctype.case_action_step.case_action_step import CaseActionStep
		from kentro_koinotitas.casework.doctype.case_follow_up.case_follow_up import CaseFollowUp
		from kentro_koinotitas.casework.doctype.case_need_assessment.case_need_assessment import (
			CaseNeedAssessment,
		)
		from kentro_koinotitas.casework.doctype.case_request.case_request import CaseRequest

		action_plan: DF.Table[CaseActionStep]
		approval_requested_by: DF.Link | None
		assigned_to: DF.Link | None
		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		centre: DF.Link
		channel: DF.Literal["Walk-in", "Phone", "Email", "Outreach", "Referred by agency"]
		closed_on: DF.Date | None
		closure_reason: DF.Link | None
		follow_ups: DF.Table[CaseFollowUp]
		front_desk_visit: DF.Link | None
		needs_assessment: DF.Table[CaseNeedAssessment]
		opened_on: DF.Date
		outcome: DF.SmallText | None
		reopen_count: DF.Int
		requests: DF.Table[CaseRequest]
		status: DF.Literal[
			"Open",
			"Assessment",
			"Action Plan Pending Approval",
			"Active",
			"Closure Pending Approval",
			"Closed",
		]
	# end: auto-generated types

	NEED_AREAS = ("Income", "Housing", "Employment", "Health", "Education", "Family", "Legal")

	def before_insert(self):
		self.add_assessment_areas()

	def validate(self):
		self.centre = default_centre(self.centre)
		self.validate_beneficiary_can_open_case()
		self.validate_dates()
		self.record_reopening()
		self.validate_closure()

	def add_assessment_areas(self):
		present = {row.area for row in self.needs_assessment}
		for area in self.NEED_AREAS:
			if area not in present:
				self.append("needs_assessment", {"area": area})

	def validate_beneficiary_can_open_case(self):
		if not self.is_new():
			return
		status = frappe.db.get_value("Beneficiary", self.beneficiary, "status")
		if status in ("Deceased", "Anonymised"):
			frappe.throw(
				_("A case cannot be opened for a beneficiary whose status is {0}.").format(_(status))
			)

	def validate_dates(self):
		if getdate(self.opened_on) > getdate(today()):
			frappe.throw(_("The case cannot be opened on a future date."))
		for row in self.follow_ups:
			if row.next_follow_up and getdate(row.next_follow_up) < getdate(row.follow_up_date):
				frappe.throw(
					_("Follow-up row {0}: the next follow-up is before the follow-up date.").format(row.idx)
				)

	def validate_closure(self):
		if self.status == "Closed":
			if not self.closure_reason:
				frappe.throw(
					_("Choose a closure reason to close the case."), title=_("Closure reason missing")
				)
			self.closed_on = self.closed_on or today()
		else:
			self.closed_on = None

	def record_reopening(self):
		"""A closed case that moves to another status is reopened: keep the closure in its history."""
		before = self.get_doc_before_save()
		if not before or before.status != "Closed" or self.status == "Closed":
			return
		self.append(
			"follow_ups",
			{
				"follow_up_date": today(),
				"note": _("Case reopened (it was closed on {0}, reason: {1}).").format(
					frappe.format(before.closed_on, "Date"), before.closure_reason
				),
			},
		)
		self.closure_reason = None
		self.reopen_count = (self.reopen_count or 0) + 1


@frappe.whitelist(methods=["POST"])
def reopen_case(case: str, note: str | None = None) -> str:
	"""Reopen a closed case through the workflow (the coordinator's step), noting why."""
	doc = frappe.get_doc("Case", case)
	doc.check_permission("read")
	if doc.status != "Closed":
		frappe.throw(_("Only a closed case can be reopened."))
	doc = transition_to_status(doc, "Open")
	if note:
		doc.add_comment("Comment", note)
	return doc.status


CENTRE_PERIOD_INDEX = "centre_period_person_index"


def on_doctype_update():
	"""Reports filter by centre and period: one composite index serves them, and holds the person too, so
	that counting a period's active people never opens the rows. Lists show the newest first (by opening
	date, the list's `sort_field`, or by creation): with an index on each, MariaDB reads in that order and
	stops at the page's last row instead of sorting every case of the user's centres."""
	frappe.db.add_index("Case", ["centre", "opened_on", "beneficiary"], index_name=CENTRE_PERIOD_INDEX)
	frappe.db.add_index("Case", ["opened_on"])
	frappe.db.add_index("Case", ["creation"])
