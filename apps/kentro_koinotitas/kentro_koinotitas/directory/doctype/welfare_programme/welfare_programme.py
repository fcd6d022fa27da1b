# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class WelfareProgramme(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.directory.doctype.welfare_programme_document.welfare_programme_document import (
			WelfareProgrammeDocument,
		)

		active: DF.Check
		administering_organisation: DF.Link | None
		application_channel: DF.Data | None
		eligibility_summary: DF.Text | None
		level: DF.Literal["Local", "Regional", "National"]
		programme_name: DF.Data
		renewal_period_months: DF.Int
		required_documents: DF.Table[WelfareProgrammeDocument]
	# end: auto-generated types
	pass
