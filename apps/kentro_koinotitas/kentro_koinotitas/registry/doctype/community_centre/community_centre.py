# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import get_time
from frappe.utils.nestedset import NestedSet

from kentro_koinotitas.registry import identity


class CommunityCentre(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.registry.doctype.community_centre_opening_hours.community_centre_opening_hours import (
			CommunityCentreOpeningHours,
		)
		from kentro_koinotitas.registry.doctype.community_centre_staff.community_centre_staff import (
			CommunityCentreStaff,
		)

		address_line: DF.Data | None
		budget: DF.Currency
		centre_name: DF.Data
		centre_type: DF.Literal[
			"Main centre", "Roma branch", "Migrant integration branch (KEM)", "Mobile unit", "Other"
		]
		city: DF.Data | None
		co_funding_notice: DF.SmallText | None
		email: DF.Data | None
		funding_source: DF.Data | None
		is_group: DF.Check
		lft: DF.Int
		logo: DF.AttachImage | None
		mis_code: DF.Data | None
		municipality: DF.Data
		old_parent: DF.Link | None
		opening_hours: DF.Table[CommunityCentreOpeningHours]
		operational_programme: DF.Data | None
		parent_community_centre: DF.Link | None
		phone: DF.Data | None
		phone_2: DF.Data | None
		postal_code: DF.Data | None
		rgt: DF.Int
		staff: DF.Table[CommunityCentreStaff]
		supervising_department: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_postal_code()
		self.validate_opening_hours()
		self.validate_staff()

	def validate_postal_code(self):
		if self.postal_code:
			self.postal_code = identity.validate_postal_code(self.postal_code)

	def validate_opening_hours(self):
		for row in self.opening_hours:
			if row.from_time and row.to_time and get_time(row.from_time) >= get_time(row.to_time):
				frappe.throw(_("Row {0}: the opening time must be before the closing time.").format(row.idx))

	def validate_staff(self):
		seen = set()
		for row in self.staff:
			if row.user in seen:
				frappe.throw(_("Row {0}: {1} is listed twice in the staff.").format(row.idx, row.user))
			seen.add(row.user)
