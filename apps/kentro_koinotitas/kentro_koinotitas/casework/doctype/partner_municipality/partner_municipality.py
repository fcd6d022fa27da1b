# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.casework import transfer_package


class PartnerMunicipality(Document):
	def validate(self):
		transfer_package.check_key(self)
