"""What a partner organisation sees of a referral, and the consent receipt: the minimum the person's
consent allows, decided by `registry.consent.partner_disclosure`.

- Always: the person's name, the reason, the urgency and the referring centre's contact details.
- With the referral marked as sharing personal data and a given partner-sharing consent: father's name,
  birth date, AMKA, phone, e-mail and address (as the referral letter).
- With a given special-category consent as well: the person's special-category groups (health,
  disability).

Called only after `access/partners.py` has resolved the partner's access to the referral.
"""

import frappe
from frappe.utils import formatdate, getdate

from kentro_koinotitas.registry.consent import partner_disclosure
from kentro_koinotitas.registry.identity import address_line

ALWAYS = ("Ονοματεπώνυμο", "Λόγος παραπομπής")
DETAIL_LABELS = ("Πατρώνυμο", "Ημερομηνία γέννησης", "ΑΜΚΑ", "Τηλέφωνο", "Email", "Διεύθυνση")
SPECIAL_LABEL = "Ειδικές κατηγορίες δεδομένων (υγεία, αναπηρία)"
URGENCY = {"Normal": "Κανονική", "Urgent": "Επείγουσα", "Emergency": "Έκτακτη ανάγκη"}
STATUS = {"Sent": "Στάλθηκε", "Acknowledged": "Παραλήφθηκε"}


def greek_date(value) -> str:
	return formatdate(getdate(value), "dd-mm-yyyy") if value else "—"


def shared_categories(referral) -> tuple[list[str], bool]:
	"""The categories of data a partner sees for this referral now (those with a value), and whether
	special-category data is among them (the consent receipt's "what was shared")."""
	view = partner_view(referral.name)
	categories = [*ALWAYS[:1], *(label for label, _value in view.details), ALWAYS[1]]
	if view.special_groups:
		categories.append(SPECIAL_LABEL)
	return categories, bool(view.special_groups)


def _special_groups(beneficiary: str) -> list[str]:
	sensitive = frappe.get_all("Vulnerable Group", filters={"special_category_data": 1}, pluck="name")
	if not sensitive:
		return []
	return frappe.get_all(
		"Beneficiary Vulnerable Group",
		filters={
			"parent": beneficiary,
			"parenttype": "Beneficiary",
			"vulnerable_group": ("in", sensitive),
		},
		pluck="vulnerable_group",
		order_by="idx asc",
	)


def partner_view(referral_name: str) -> frappe._dict:
	"""The referral as the partner page shows it."""
	referral = frappe.get_doc("Referral", referral_name)
	sharing, special = partner_disclosure(referral.beneficiary, referral.shares_personal_data)
	centre = (
		frappe.db.get_value(
			"Community Centre",
			referral.from_centre,
			["centre_name", "municipality", "phone", "email", "address_line", "city"],
			as_dict=True,
		)
		or frappe._dict()
	)
	view = frappe._dict(
		name=referral.name,
		beneficiary_name=referral.beneficiary_name,
		reason=referral.reason,
		urgency=URGENCY.get(referral.urgency, referral.urgency),
		status=referral.status,
		status_label=STATUS.get(referral.status, referral.status),
		outcome=referral.outcome,
		sent_on=greek_date(referral.sent_on),
		acknowledged_on=greek_date(referral.acknowledged_on) if referral.acknowledged_on else None,
		acknowledge_by=greek_date(referral.acknowledge_by) if referral.acknowledge_by else None,
		organisation=referral.partner_organisation,
		centre=centre,
		details=[],
		special_groups=[],
	)
	if sharing:
		person = frappe.db.get_value(
			"Beneficiary",
			referral.beneficiary,
			[
				"father_name",
				"date_of_birth",
				"amka",
				"phone",
				"email",
				"address_street",
				"address_number",
				"postal_code",
				"address_municipality",
			],
			as_dict=True,
		)
		address = address_line(person)
		values = (
			person.father_name,
			greek_date(person.date_of_birth) if person.date_of_birth else None,
			person.amka,
			person.phone,
			person.email,
			address,
		)
		view.details = [(label, value) for label, value in zip(DETAIL_LABELS, values, strict=True) if value]
	if special:
		view.special_groups = _special_groups(referral.beneficiary)
	return view


def consent_receipt(referral_name: str) -> frappe._dict:
	"""What was shared, with whom and until when: for the partner's page and the citizen's print."""
	referral = frappe.get_doc("Referral", referral_name)
	categories, special = shared_categories(referral)
	tokens = frappe.get_all(
		"Referral Access Token",
		filters={"referral": referral.name, "revoked": 0},
		fields=["expires_on"],
		order_by="expires_on desc",
		limit=1,
	)
	return frappe._dict(
		referral=referral.name,
		beneficiary_name=referral.beneficiary_name,
		organisation=referral.partner_organisation,
		centre=frappe.db.get_value("Community Centre", referral.from_centre, "centre_name"),
		shared_on=greek_date(referral.sent_on),
		categories=categories,
		special=special,
		until=greek_date(tokens[0].expires_on) if tokens else None,
	)
