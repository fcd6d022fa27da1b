# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class ConsentItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		consent_purpose: DF.Link
		decision: DF.Literal["Given", "Refused"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		withdrawal_note: DF.Data | None
		withdrawn_on: DF.Date | None
	# end: auto-generated types
	pass
