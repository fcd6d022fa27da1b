# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today


class Consent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.registry.doctype.consent_item.consent_item import ConsentItem

		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		centre: DF.Link | None
		consent_date: DF.Date
		notes: DF.SmallText | None
		purposes: DF.Table[ConsentItem]
		recorded_by: DF.Link | None
		signed_document: DF.Attach | None
	# end: auto-generated types

	def validate(self):
		self.validate_dates()
		self.validate_purposes()

	def validate_dates(self):
		if getdate(self.consent_date) > getdate(today()):
			frappe.throw(_("The consent date cannot be in the future."))
		for row in self.purposes:
			if not row.withdrawn_on:
				continue
			if row.decision != "Given":
				frappe.throw(_("Row {0}: only a consent that was given can be withdrawn.").format(row.idx))
			if getdate(row.withdrawn_on) < getdate(self.consent_date):
				frappe.throw(_("Row {0}: the withdrawal date is before the consent date.").format(row.idx))
			if getdate(row.withdrawn_on) > getdate(today()):
				frappe.throw(_("Row {0}: the withdrawal date cannot be in the future.").format(row.idx))

	def validate_purposes(self):
		seen = set()
		for row in self.purposes:
			if row.consent_purpose in seen:
				frappe.throw(
					_("Row {0}: the purpose {1} is entered twice.").format(row.idx, row.consent_purpose)
				)
			seen.add(row.consent_purpose)
