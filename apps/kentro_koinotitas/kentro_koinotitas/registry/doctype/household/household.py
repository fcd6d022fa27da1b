# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from kentro_koinotitas.access.centres import default_centre
from kentro_koinotitas.registry import households, identity


class Household(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.registry.doctype.household_member.household_member import HouseholdMember

		address_area: DF.Data | None
		address_municipality: DF.Data | None
		address_number: DF.Data | None
		address_street: DF.Data | None
		centre: DF.Link
		head_of_household: DF.Link | None
		household_name: DF.Data | None
		member_count: DF.Int
		members: DF.Table[HouseholdMember]
		minimum_income_household: DF.Check
		postal_code: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_members()
		self.set_head_of_household()
		self.validate_members_not_in_other_households()
		self.set_centre()
		self.validate_postal_code()
		self.set_household_name()
		self.member_count = len(self.members)

	def on_update(self):
		self.link_member_beneficiaries()

	def on_trash(self):
		frappe.db.set_value("Beneficiary", {"household": self.name}, "household", None)

	def validate_members(self):
		seen = set()
		for row in self.members:
			if not row.beneficiary and not (row.member_name or "").strip():
				frappe.throw(
					_("Row {0}: choose a registered beneficiary or type the person's name.").format(row.idx)
				)
			if row.beneficiary:
				if row.beneficiary in seen:
					frappe.throw(
						_("Row {0}: {1} is listed twice.").format(row.idx, row.member_name or row.beneficiary)
					)
				seen.add(row.beneficiary)
			if row.date_of_birth:
				identity.validate_birth_date(row.date_of_birth)
		heads = [row for row in self.members if row.relationship == households.HEAD]
		if len(heads) > 1:
			frappe.throw(_("A household has one head: {0} rows are marked as Head.").format(len(heads)))

	def set_head_of_household(self):
		head_row = next((row for row in self.members if row.relationship == households.HEAD), None)
		if self.head_of_household:
			if head_row and head_row.beneficiary != self.head_of_household:
				frappe.throw(_("The head of household must be the member marked as Head."))
			if not head_row:
				member = next(
					(row for row in self.members if row.beneficiary == self.head_of_household), None
				)
				if member:
					member.relationship = households.HEAD
				else:
					self.append(
						"members",
						{
							"beneficiary": self.head_of_household,
							"relationship": households.HEAD,
							"member_name": frappe.db.get_value(
								"Beneficiary", self.head_of_household, "full_name"
							),
						},
					)
		elif head_row and head_row.beneficiary:
			self.head_of_household = head_row.beneficiary

	def validate_members_not_in_other_households(self):
		beneficiaries = [row.beneficiary for row in self.members if row.beneficiary]
		if not beneficiaries:
			return
		elsewhere = frappe.get_all(
			"Household Member",
			filters={
				"beneficiary": ("in", beneficiaries),
				"parent": ("!=", self.name or ""),
				"parenttype": "Household",
			},
			fields=["beneficiary", "member_name", "parent"],
			limit=1,
		)
		if elsewhere:
			row = elsewhere[0]
			frappe.throw(
				_("{0} already belongs to household {1}. Remove them from it first.").format(
					row.member_name or row.beneficiary, row.parent
				)
			)

	def set_centre(self):
		if not self.centre and self.head_of_household:
			self.centre = frappe.db.get_value("Beneficiary", self.head_of_household, "home_centre")
		self.centre = default_centre(self.centre)

	def validate_postal_code(self):
		if self.postal_code:
			self.postal_code = identity.validate_postal_code(self.postal_code)

	def set_household_name(self):
		if self.household_name:
			return
		head = next((row for row in self.members if row.relationship == households.HEAD), None)
		if head and head.beneficiary:
			surname = frappe.db.get_value("Beneficiary", head.beneficiary, "last_name")
		else:
			surname = (head.member_name if head else self.members[0].member_name or "").split(" ")[0]
		self.household_name = households.household_name(surname)

	def link_member_beneficiaries(self):
		members = {row.beneficiary for row in self.members if row.beneficiary}
		linked = set(frappe.get_all("Beneficiary", filters={"household": self.name}, pluck="name"))
		for beneficiary in members - linked:
			frappe.db.set_value("Beneficiary", beneficiary, "household", self.name)
		for beneficiary in linked - members:
			frappe.db.set_value("Beneficiary", beneficiary, "household", None)
