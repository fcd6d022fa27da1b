# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.casework.intake import open_case_from_visit
from kentro_koinotitas.registry import identity


class FrontDeskVisit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		beneficiary: DF.Link | None
		case: DF.Link | None
		centre: DF.Link
		channel: DF.Literal["Walk-in", "Phone", "Email", "Outreach", "Referred by agency"]
		duration_minutes: DF.Int
		handled_by: DF.Link | None
		notes: DF.SmallText | None
		outcome: DF.Literal["Informed", "Case opened", "Referred"]
		request_category: DF.Link
		visit_datetime: DF.Datetime
		visitor_amka: DF.Data | None
		visitor_first_name: DF.Data | None
		visitor_last_name: DF.Data | None
		visitor_name: DF.Data | None
		visitor_phone: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.centre = default_centre(self.centre)
		self.validate_visitor_details()
		self.set_visitor_name()

	def validate_visitor_details(self):
		if self.visitor_amka:
			self.visitor_amka = identity.validate_amka(self.visitor_amka)
		if self.visitor_phone:
			self.visitor_phone = identity.normalise_phone(self.visitor_phone)

	def set_visitor_name(self):
		if self.beneficiary:
			self.visitor_name = frappe.db.get_value("Beneficiary", self.beneficiary, "full_name")
		else:
			name = f"{self.visitor_last_name or ''} {self.visitor_first_name or ''}".strip()
			self.visitor_name = name or _("Anonymous")


@frappe.whitelist(methods=["POST"])
def open_case(visit: str) -> dict:
	"""Register the visitor and open a case from this visit in one step."""
	return open_case_from_visit(visit)
