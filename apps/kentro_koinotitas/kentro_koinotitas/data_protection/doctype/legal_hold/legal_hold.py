# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.data_protection import legal_holds


class LegalHold(Document):
	def validate(self):
		legal_holds.check_dates(self)
