# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.casework import transfers


class CaseTransfer(Document):
	def validate(self):
		if self.is_new():
			transfers.validate_request(self)
		transfers.check_decision(self)

	def after_insert(self):
		transfers.notify_receiving_centre(self)

	def on_update(self):
		transfers.on_decision(self)
