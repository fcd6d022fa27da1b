# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.casework import transfer_package


class IncomingCaseTransfer(Document):
	def validate(self):
		if self.is_new():
			transfer_package.read_summary(self)
		transfer_package.check_decision(self)

	def on_update(self):
		transfer_package.on_decision(self)
