# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReferralResponse(Document):
	"""A partner organisation's answer to a referral (partners/answers.py), written by server code alone."""

	pass
