# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.data_protection import retention


class RetentionRule(Document):
	def validate(self):
		retention.validate_rule(self)
