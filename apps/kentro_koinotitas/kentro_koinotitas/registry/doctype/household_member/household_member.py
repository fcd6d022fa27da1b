# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class HouseholdMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		beneficiary: DF.Link | None
		date_of_birth: DF.Date | None
		member_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		relationship: DF.Literal[
			"Head",
			"Spouse or partner",
			"Child",
			"Parent",
			"Sibling",
			"Grandparent",
			"Grandchild",
			"Other relative",
			"Other",
		]
	# end: auto-generated types
	pass
