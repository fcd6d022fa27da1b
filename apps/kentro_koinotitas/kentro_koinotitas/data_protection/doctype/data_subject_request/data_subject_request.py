# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.data_protection import requests


class DataSubjectRequest(Document):
	def validate(self):
		requests.check_requester(self)
		requests.check_dates(self)
		requests.set_due_date(self)
		requests.check_extension(self)
		requests.check_decision(self)
		requests.check_exemption(self)
