# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_months, getdate, today

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.casework.cases import validate_case_beneficiary


class ProgrammeApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.casework.doctype.programme_application_document.programme_application_document import (
			ProgrammeApplicationDocument,
		)

		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		case: DF.Link | None
		centre: DF.Link
		decision_date: DF.Date | None
		documents: DF.Table[ProgrammeApplicationDocument]
		external_reference: DF.Data | None
		notes: DF.SmallText | None
		programme: DF.Link
		renewal_due_date: DF.Date | None
		status: DF.Literal["Preparing", "Submitted", "Needs documents", "Approved", "Rejected"]
		submitted_on: DF.Date | None
	# end: auto-generated types

	def before_insert(self):
		self.copy_document_checklist()

	def validate(self):
		self.centre = default_centre(self.centre)
		self.validate_case()
		self.validate_status_dates()
		self.set_renewal_due_date()

	def copy_document_checklist(self):
		if self.documents:
			return
		for row in frappe.get_all(
			"Welfare Programme Document",
			filters={"parent": self.programme, "parenttype": "Welfare Programme"},
			pluck="document",
			order_by="idx asc",
		):
			self.append("documents", {"document": row})

	def validate_case(self):
		validate_case_beneficiary(self.case, self.beneficiary)

	def validate_status_dates(self):
		if self.status != "Preparing" and not self.submitted_on:
			frappe.throw(_("Enter the date the application was submitted."))
		if self.submitted_on and getdate(self.submitted_on) > getdate(today()):
			frappe.throw(_("The submission date cannot be in the future."))
		if self.status in ("Approved", "Rejected") and not self.decision_date:
			frappe.throw(_("Enter the decision date of the application."))
		if (
			self.decision_date
			and self.submitted_on
			and getdate(self.decision_date) < getdate(self.submitted_on)
		):
			frappe.throw(_("The decision date is before the submission date."))

	def set_renewal_due_date(self):
		if self.status != "Approved" or self.renewal_due_date or not self.decision_date:
			return
		months = frappe.db.get_value("Welfare Programme", self.programme, "renewal_period_months")
		if months:
			self.renewal_due_date = add_months(self.decision_date, months)
