# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from kentro_koinotitas.partners import directory


class PartnerDirectoryChange(Document):
	"""A partner's proposed update of its directory entry; a coordinator approves or rejects it
	(partners/directory.py)."""

	def onload(self):
		self.set_onload("changes", directory.describe(self))
