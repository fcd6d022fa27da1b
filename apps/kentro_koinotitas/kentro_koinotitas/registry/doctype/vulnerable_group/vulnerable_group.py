# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class VulnerableGroup(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		enabled: DF.Check
		esf_category: DF.Literal[
			"",
			"Disability",
			"Third-country national",
			"Foreign background",
			"Minority (including Roma)",
			"Homeless or housing exclusion",
			"Rural area",
		]
		group_name: DF.Data
		requires_percentage: DF.Check
		special_category_data: DF.Check
	# end: auto-generated types
	pass
