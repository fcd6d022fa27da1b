"""A beneficiary's current consent per purpose, derived from the signed Consent records."""

import frappe
from frappe.query_builder import DocType

GIVEN = "Given"
REFUSED = "Refused"
WITHDRAWN = "Withdrawn"
NOT_RECORDED = "Not recorded"


def get_current_consents(beneficiary: str) -> dict[str, dict]:
	"""Per purpose, the latest decision: Given, Refused or Withdrawn, with its date and Consent record."""
	consent, item = DocType("Consent"), DocType("Consent Item")
	rows = (
		frappe.qb.from_(consent)
		.join(item)
		.on(item.parent == consent.name)
		.select(
			item.consent_purpose,
			item.decision,
			item.withdrawn_on,
			consent.consent_date,
			consent.name.as_("consent"),
		)
		.where((consent.beneficiary == beneficiary) & (item.parenttype == "Consent"))
		.orderby(consent.consent_date, order=frappe.qb.desc)
		.orderby(consent.creation, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	current: dict[str, dict] = {}
	for row in rows:
		if row.consent_purpose in current:
			continue
		status = WITHDRAWN if row.withdrawn_on else row.decision
		current[row.consent_purpose] = {
			"purpose": row.consent_purpose,
			"status": status,
			"date": row.withdrawn_on or row.consent_date,
			"consent": row.consent,
		}
	return current


def has_consent(beneficiary: str, purpose: str) -> bool:
	return get_current_consents(beneficiary).get(purpose, {}).get("status") == GIVEN


def has_partner_sharing_consent(beneficiary: str) -> bool:
	"""Whether the person currently allows their data to be shared with partner agencies for referral."""
	sharing_purposes = set(
		frappe.get_all("Consent Purpose", filters={"covers_partner_sharing": 1}, pluck="name")
	)
	return any(
		row["status"] == GIVEN and purpose in sharing_purposes
		for purpose, row in get_current_consents(beneficiary).items()
	)


def consent_overview(beneficiary: str) -> list[dict]:
	"""Every enabled purpose with the person's current status, for the Beneficiary form."""
	current = get_current_consents(beneficiary)
	purposes = frappe.get_all("Consent Purpose", filters={"enabled": 1}, pluck="name", order_by="name asc")
	overview = [
		current.get(p) or {"purpose": p, "status": NOT_RECORDED, "date": None, "consent": None}
		for p in purposes
	]
	overview.extend(row for purpose, row in current.items() if purpose not in purposes)
	return overview


def partner_disclosure(beneficiary: str, shares_personal_data: bool) -> tuple[bool, bool]:
	"""What a referral may tell a partner organisation beyond the name and the reason: (personal details,
	special-category data). Details need the referral marked as sharing personal data and a given
	partner-sharing consent; special-category data (health, disability) also a given special-category
	consent."""
	if not shares_personal_data:
		return False, False
	given = {purpose for purpose, row in get_current_consents(beneficiary).items() if row["status"] == GIVEN}
	flags = frappe.get_all(
		"Consent Purpose",
		filters={"name": ("in", list(given) or [""])},
		fields=["name", "covers_partner_sharing", "covers_special_category"],
	)
	sharing = any(row.covers_partner_sharing for row in flags)
	return sharing, sharing and any(row.covers_special_category for row in flags)


def partner_sharing_withdrawn(beneficiary: str) -> bool:
	"""Whether the person has withdrawn a partner-sharing consent (and not given it again): the partner
	organisations' access to their referrals ends."""
	sharing_purposes = set(
		frappe.get_all("Consent Purpose", filters={"covers_partner_sharing": 1}, pluck="name")
	)
	return any(
		row["status"] == WITHDRAWN and purpose in sharing_purposes
		for purpose, row in get_current_consents(beneficiary).items()
	)
