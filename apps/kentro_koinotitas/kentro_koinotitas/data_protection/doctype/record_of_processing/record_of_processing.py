# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.data_protection import processing_record


class RecordofProcessing(Document):
	"""Generated from the configuration each time it is shown (`data_protection/processing_record.py`)."""

	def onload(self):
		self.set_onload("summary", processing_record.render())

	def before_print(self, settings=None):
		processing_record.check_reader()
		self.record = processing_record.build()
