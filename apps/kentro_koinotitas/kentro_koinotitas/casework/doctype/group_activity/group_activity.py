# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.casework.participants import validate_unique_participants


class GroupActivity(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.casework.doctype.group_activity_attendance.group_activity_attendance import (
			GroupActivityAttendance,
		)
		from kentro_koinotitas.casework.doctype.group_activity_participant.group_activity_participant import (
			GroupActivityParticipant,
		)

		attendance: DF.Table[GroupActivityAttendance]
		centre: DF.Link
		description: DF.Text | None
		end_date: DF.Date | None
		facilitator: DF.Link | None
		participant_count: DF.Int
		participants: DF.Table[GroupActivityParticipant]
		service: DF.Link
		start_date: DF.Date
		title: DF.Data
		unregistered_attendees: DF.Int
	# end: auto-generated types

	def validate(self):
		self.centre = default_centre(self.centre)
		self.validate_dates()
		self.validate_participants()
		self.validate_attendance()
		self.participant_count = len(self.participants)

	def validate_dates(self):
		if self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The end date is before the start date."))
		if (self.unregistered_attendees or 0) < 0:
			frappe.throw(_("Unregistered attendees cannot be negative."))

	def validate_participants(self):
		validate_unique_participants(self.participants)

	def validate_attendance(self):
		participants = {row.beneficiary for row in self.participants}
		end = getdate(self.end_date or self.start_date)
		for row in self.attendance:
			if row.beneficiary not in participants:
				frappe.throw(
					_("Attendance row {0}: {1} is not a participant of the activity.").format(
						row.idx, row.beneficiary
					)
				)
			if not getdate(self.start_date) <= getdate(row.session_date) <= end:
				frappe.throw(
					_("Attendance row {0}: the date is outside the dates of the activity.").format(row.idx)
				)
