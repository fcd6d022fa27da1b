# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class Service(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.casework.doctype.service_profession.service_profession import ServiceProfession

		axis: DF.Literal[
			"A. Reception, information and support",
			"B. Cooperation and networking",
			"C. Social inclusion services",
		]
		default_duration_minutes: DF.Int
		description: DF.SmallText | None
		enabled: DF.Check
		professions: DF.TableMultiSelect[ServiceProfession]
		service_category: DF.Data | None
		service_name: DF.Data
	# end: auto-generated types
	pass
