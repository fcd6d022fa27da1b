# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class CommunityCentreStaff(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		full_name: DF.Data | None
		include_branches: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		professional_title: DF.Link | None
		user: DF.Link
	# end: auto-generated types
	pass
