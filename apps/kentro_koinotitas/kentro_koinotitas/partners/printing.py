"""Jinja helpers (hooks.jinja) for the partner's link on the referral letter and the citizen's consent
receipt. Both check that the user printing may read the referral."""

import frappe
import segno

from kentro_koinotitas.partners import tokens
from kentro_koinotitas.partners.disclosure import consent_receipt


def _readable(referral) -> bool:
	return bool(referral and referral.name) and frappe.has_permission("Referral", "read", doc=referral.name)


def kentro_partner_link(referral) -> frappe._dict | None:
	"""A fresh link for the printed letter, as a short URL and a QR code (PNG data URI); None before the
	referral is sent or for a user who may not read it."""
	if not _readable(referral):
		return None
	url = tokens.letter_link(frappe.get_doc("Referral", referral.name))
	if not url:
		return None
	qr = segno.make(url, error="m")
	return frappe._dict(url=url, qr=qr.png_data_uri(scale=4, border=2), days=tokens.lifetime_days())


def kentro_consent_receipt(referral) -> frappe._dict | None:
	return consent_receipt(referral.name) if _readable(referral) else None
