# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class RequestCategory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		axis: DF.Literal[
			"A. Reception, information and support",
			"B. Cooperation and networking",
			"C. Social inclusion services",
		]
		category_name: DF.Data
		enabled: DF.Check
	# end: auto-generated types
	pass
