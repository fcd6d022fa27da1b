# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.casework.cases import validate_case_beneficiary
from kentro_koinotitas.registry.consent import has_partner_sharing_consent


class Referral(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		acknowledged_on: DF.Date | None
		approval_requested_by: DF.Link | None
		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		case: DF.Link | None
		documents: DF.Attach | None
		due_by: DF.Date | None
		from_centre: DF.Link
		internal_professional: DF.Link | None
		internal_service: DF.Link | None
		outcome: DF.Literal["", "Accepted", "Rejected", "Completed successfully", "Completed unsuccessfully"]
		outcome_notes: DF.SmallText | None
		outcome_reason: DF.Link | None
		partner_organisation: DF.Link | None
		reason: DF.Text
		referral_type: DF.Literal["External", "Welfare programme", "Internal"]
		sent_on: DF.Date | None
		shares_personal_data: DF.Check
		status: DF.Literal[
			"Draft", "Pending Approval", "Sent", "Acknowledged", "Completed", "Rejected", "Cancelled"
		]
		urgency: DF.Literal["Normal", "Urgent", "Emergency"]
		welfare_programme: DF.Link | None
	# end: auto-generated types

	# Statuses in which the referral has left the centre (the workflow sets `status`)
	SENT_STATUSES = ("Sent", "Acknowledged", "Completed", "Rejected")
	# Statuses in which the consent to share is checked before the referral leaves (the worker's submission)
	CONSENT_CHECKED_STATUSES = ("Pending Approval",)
	UNSUCCESSFUL_OUTCOMES = ("Rejected", "Completed unsuccessfully")

	def validate(self):
		self.from_centre = default_centre(self.from_centre)
		self.validate_case()
		self.validate_destination()
		self.validate_consent()
		self.set_status_dates()
		self.validate_outcome()

	def validate_case(self):
		validate_case_beneficiary(self.case, self.beneficiary)

	def validate_destination(self):
		if self.referral_type == "External":
			if not self.partner_organisation:
				frappe.throw(_("Choose the partner organisation the person is referred to."))
			if not frappe.db.get_value(
				"Partner Organisation", self.partner_organisation, "accepts_referrals"
			):
				frappe.throw(_("{0} does not accept referrals.").format(self.partner_organisation))
		elif self.referral_type == "Welfare programme" and not self.welfare_programme:
			frappe.throw(_("Choose the welfare programme the person is referred to."))
		elif self.referral_type == "Internal" and not (self.internal_service or self.internal_professional):
			frappe.throw(_("Choose the service or the professional the person is referred to."))

	def validate_consent(self):
		"""An external referral that shares personal data leaves only with the person's consent: checked
		when the worker submits it for approval (with a button to record the consent) and again when it
		is sent."""
		if self.status not in (*self.CONSENT_CHECKED_STATUSES, *self.SENT_STATUSES):
			return
		if not self.has_value_changed("status"):
			return
		if self.referral_type != "External" or not self.shares_personal_data:
			return
		if not has_partner_sharing_consent(self.beneficiary):
			frappe.throw(
				_(
					"{0} has not given consent to share personal data with partner agencies. Record the consent before sending the referral."
				).format(frappe.utils.escape_html(self.beneficiary_name or self.beneficiary)),
				title=_("Consent required"),
				primary_action={
					"label": _("Record consent"),
					"client_action": "kentro_koinotitas.record_consent",
					"args": {"beneficiary": self.beneficiary},
				},
			)

	def set_status_dates(self):
		if self.status in self.SENT_STATUSES and not self.sent_on:
			self.sent_on = today()
		if self.status in ("Acknowledged", "Completed") and not self.acknowledged_on:
			self.acknowledged_on = today()
		if self.acknowledged_on and self.sent_on and getdate(self.acknowledged_on) < getdate(self.sent_on):
			frappe.throw(_("The acknowledgement date is before the date the referral was sent."))

	def validate_outcome(self):
		if self.status in ("Completed", "Rejected") and not self.outcome:
			frappe.throw(_("Record the outcome of the referral."))
		if self.outcome in self.UNSUCCESSFUL_OUTCOMES and not self.outcome_reason:
			frappe.throw(_("Choose the reason for the outcome {0}.").format(_(self.outcome)))


def on_doctype_update():
	"""Reports and lists filter by centre and period: one composite index serves both. A referral not yet
	sent counts on the day it was written: its creation, after the empty `sent_on`, is in the index too."""
	frappe.db.add_index("Referral", ["from_centre", "sent_on", "creation"])
	frappe.db.add_index("Referral", ["`case`"], index_name="case_index")
