# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class CaseRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		request_category: DF.Link
		status: DF.Literal["Open", "In progress", "Resolved", "Not resolved"]
	# end: auto-generated types
	pass


def on_doctype_update():
	"""The Centre Indicators count each period's requests by category through their cases: the rows of a
	case with their category, read from the index alone."""
	frappe.db.add_index(
		"Case Request", ["parent", "parenttype", "request_category"], index_name="parent_category_index"
	)
