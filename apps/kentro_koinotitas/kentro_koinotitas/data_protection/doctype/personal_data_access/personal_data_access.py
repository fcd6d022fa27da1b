# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.access.audit import refuse_change


class PersonalDataAccess(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		access_kind: DF.Literal["Form", "REST read", "Print", "PDF", "Report", "Export", "Access pack"]
		accessed_on: DF.Datetime | None
		beneficiary: DF.Link | None
		detail: DF.Data | None
		ip_address: DF.Data | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		user: DF.Link | None
	# end: auto-generated types

	# Rows are written by `access/audit.py` only (multi-row INSERTs); nothing goes through the ORM.
	def before_insert(self):
		refuse_change(self)

	def validate(self):
		refuse_change(self)

	def before_rename(self, old, new, merge=False):
		refuse_change(self)

	def on_trash(self):
		refuse_change(self)
