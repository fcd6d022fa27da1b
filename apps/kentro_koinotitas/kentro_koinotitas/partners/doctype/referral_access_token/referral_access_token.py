# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReferralAccessToken(Document):
	"""A partner's link to one referral (partners/tokens.py); only the token's SHA-256 is stored.
	Written by server code alone: no role may create or change one."""

	pass
