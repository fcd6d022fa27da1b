# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.casework.cases import validate_case_beneficiary
from kentro_koinotitas.casework.participants import validate_unique_participants


class ServiceDelivery(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.casework.doctype.service_delivery_participant.service_delivery_participant import (
			ServiceDeliveryParticipant,
		)

		axis: DF.Data | None
		beneficiary: DF.Link | None
		beneficiary_name: DF.Data | None
		case: DF.Link | None
		centre: DF.Link
		delivery_datetime: DF.Datetime
		duration_minutes: DF.Int
		is_group_session: DF.Check
		mode: DF.Literal["In person", "Phone", "Home visit", "Online"]
		notes: DF.Text | None
		outcome: DF.SmallText | None
		participants: DF.Table[ServiceDeliveryParticipant]
		professional: DF.Link | None
		service: DF.Link
		session_notes: DF.TextEditor | None
	# end: auto-generated types

	def validate(self):
		self.validate_recipients()
		self.validate_case()
		self.validate_datetime()
		self.set_defaults_from_service()
		self.set_centre()

	def set_centre(self):
		"""The case's centre, else the beneficiary's (or first participant's), else the user's."""
		if self.centre:
			return
		if self.case:
			self.centre = frappe.db.get_value("Case", self.case, "centre")
		person = self.beneficiary or (self.participants and self.participants[0].beneficiary)
		if not self.centre and person:
			self.centre = frappe.db.get_value("Beneficiary", person, "home_centre")
		self.centre = default_centre(self.centre)

	def validate_recipients(self):
		if self.is_group_session:
			self.beneficiary = None
			if not self.participants:
				frappe.throw(_("A group session needs at least one participant."))
			validate_unique_participants(self.participants)
		elif not self.beneficiary:
			frappe.throw(_("Choose the beneficiary who received the service, or mark it as a group session."))

	def validate_case(self):
		validate_case_beneficiary(self.case, self.beneficiary)

	def validate_datetime(self):
		if get_datetime(self.delivery_datetime) > add_to_date(now_datetime(), hours=1):
			frappe.throw(_("A service delivery is recorded after it happens: the date is in the future."))

	def set_defaults_from_service(self):
		if not self.duration_minutes:
			self.duration_minutes = frappe.db.get_value("Service", self.service, "default_duration_minutes")


def on_doctype_update():
	"""Reports and lists filter by centre and period: one composite index serves both. It also holds the
	columns the indicator reports read (who, which axis and service), so they never open the rows."""
	frappe.db.add_index(
		"Service Delivery",
		["centre", "delivery_datetime", "is_group_session", "beneficiary", "axis", "service"],
		index_name="centre_period_covering_index",
	)
	frappe.db.add_index("Service Delivery", ["`case`"], index_name="case_index")
