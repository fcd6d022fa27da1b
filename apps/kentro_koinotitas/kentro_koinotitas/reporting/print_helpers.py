"""Helpers for the app's print formats, exposed to Jinja through `hooks.jinja`.

The print formats are Greek documents, so values print in Greek whatever the user's desk language.
Everything a print format shows about a person passes through the same permission checks as the form:
fields the user cannot read never reach the page.
"""

import base64
import mimetypes

import frappe
from frappe.utils import formatdate, getdate, nowdate
from frappe.utils.caching import request_cache
from markupsafe import Markup

from kentro_koinotitas.registry.consent import consent_overview, partner_disclosure
from kentro_koinotitas.registry.identity import address_line
from kentro_koinotitas.reporting import esf

PRINT_LANGUAGE = "el"
NO_VALUE = "—"


def kentro_el(value) -> str:
	"""A value (Select option, DocType or status) in Greek."""
	if value in (None, ""):
		return NO_VALUE
	return frappe._(str(value), lang=PRINT_LANGUAGE)


def kentro_date(value) -> str:
	"""A date as dd-mm-yyyy, the Greek convention, whatever the system setting."""
	if not value:
		return NO_VALUE
	return formatdate(getdate(value), "dd-mm-yyyy")


def kentro_today() -> str:
	return kentro_date(nowdate())


def kentro_can_read(doc, fieldname: str) -> bool:
	"""Whether the current user may read a field of a document (its permission level)."""
	df = doc.meta.get_field(fieldname)
	if not df or not df.permlevel or frappe.session.user == "Administrator":
		return True
	return df.permlevel in doc.get_permlevel_access("read")


@request_cache
def kentro_centre(centre: str | None) -> frappe._dict:
	"""The centre's letterhead details; a branch takes what it lacks from its main centre."""
	if not centre:
		return frappe._dict()
	fields = (
		"name",
		"centre_name",
		"centre_type",
		"municipality",
		"address_line",
		"postal_code",
		"city",
		"phone",
		"email",
		"logo",
		"mis_code",
		"operational_programme",
		"co_funding_notice",
		"parent_community_centre",
	)
	details = frappe._dict(frappe.db.get_value("Community Centre", centre, fields, as_dict=True) or {})
	parent = details.parent_community_centre
	if parent:
		main = frappe.db.get_value("Community Centre", parent, fields, as_dict=True) or {}
		for field in ("municipality", "logo", "mis_code", "operational_programme", "co_funding_notice"):
			details[field] = details.get(field) or main.get(field)
		details.main_centre = main.get("centre_name")
	return details


@request_cache
def _logo_data_uri(file_url: str | None) -> str | None:
	"""The logo inlined, so the PDF renderer needs no request to fetch it."""
	if not file_url:
		return None
	name = frappe.db.get_value("File", {"file_url": file_url}, "name")
	if not name:
		return None
	try:
		content = frappe.get_doc("File", name).get_content()
	except OSError:
		return None
	if isinstance(content, str):
		content = content.encode()
	mime = mimetypes.guess_type(file_url)[0] or "image/png"
	return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def kentro_letterhead(centre: str | None) -> Markup:
	"""The header of every print format: municipality, centre, address, phone and logo."""
	details = kentro_centre(centre)
	# the app's own template; the centre's fields are sanitised by Frappe on save (sanitize_html)
	return Markup(  # nosec B704
		frappe.render_template(
			"kentro_koinotitas/templates/print/letterhead.html",
			{"centre": details, "logo": _logo_data_uri(details.logo)},
		)
	)


def kentro_cofunding(centre: str | None) -> Markup:
	"""The co-funding notice of the centre's operational programme, for the foot of the page."""
	details = kentro_centre(centre)
	return Markup(  # nosec B704 # the app's own template; the centre's fields are sanitised by Frappe on save
		frappe.render_template("kentro_koinotitas/templates/print/cofunding.html", {"centre": details})
	)


def _readable(doctype: str, name: str | None) -> bool:
	"""Every record a print helper loads is checked for the current user (an unsaved document passed to
	the print preview may name anything)."""
	return bool(name) and frappe.db.exists(doctype, name) and frappe.has_permission(doctype, "read", doc=name)


def kentro_beneficiary(name: str | None):
	"""The beneficiary of a record, with the fields the user may not read removed (None when the user may
	not read the person)."""
	if not _readable("Beneficiary", name):
		return None
	doc = frappe.get_doc("Beneficiary", name)
	doc.apply_fieldlevel_read_permissions()
	return doc


def kentro_consents(beneficiary: str) -> list[dict]:
	return consent_overview(beneficiary) if _readable("Beneficiary", beneficiary) else []


def kentro_referral_letter(referral) -> frappe._dict:
	"""What a referral letter may tell the partner organisation about the person.

	Always: the name and the reason. With a given partner-sharing consent and a referral marked as
	sharing personal data: identifiers, birth date and contact details. Health and disability groups
	(special-category data) only with a given special-category consent as well, and only when the user
	may read them.
	"""
	sharing, special = (
		partner_disclosure(referral.beneficiary, referral.shares_personal_data)
		if _readable("Beneficiary", referral.beneficiary)
		else (False, False)
	)

	person = kentro_beneficiary(referral.beneficiary)
	letter = frappe._dict(
		beneficiary_name=referral.beneficiary_name,
		shares_data=sharing,
		details=[],
		special_groups=[],
		destination=_referral_destination(referral),
	)
	if sharing and person:
		address = address_line(person)
		letter.details = [
			("Πατρώνυμο", person.father_name),
			("Ημερομηνία γέννησης", kentro_date(person.date_of_birth)),
			("ΑΜΚΑ", person.amka),
			("Τηλέφωνο", person.phone),
			("Email", person.email),
			("Διεύθυνση", address),
		]
		letter.details = [(label, value) for label, value in letter.details if value and value != NO_VALUE]
	if special and person and kentro_can_read(person, "vulnerable_groups"):
		sensitive = set(
			frappe.get_all("Vulnerable Group", filters={"special_category_data": 1}, pluck="name")
		)
		letter.special_groups = [
			row.vulnerable_group
			for row in person.get("vulnerable_groups") or []
			if row.vulnerable_group in sensitive
		]
	return letter


def _referral_destination(referral) -> frappe._dict:
	if referral.referral_type == "External" and referral.partner_organisation:
		org = frappe.db.get_value(
			"Partner Organisation",
			referral.partner_organisation,
			["organisation_name", "address_line", "postal_code", "city", "email", "phone"],
			as_dict=True,
		)
		return frappe._dict(org or {"organisation_name": referral.partner_organisation})
	if referral.referral_type == "Welfare programme" and referral.welfare_programme:
		return frappe._dict(organisation_name=referral.welfare_programme)
	if referral.internal_service:
		return frappe._dict(organisation_name=referral.internal_service)
	return frappe._dict(organisation_name=NO_VALUE)


def kentro_case_records(case: str) -> frappe._dict:
	"""The services, referrals and programme applications of a case, as far as the user may read them."""
	if not _readable("Case", case):
		return frappe._dict(services=[], referrals=[], applications=[])
	return frappe._dict(
		services=frappe.get_list(
			"Service Delivery",
			filters={"case": case},
			fields=["name", "service", "axis", "delivery_datetime", "mode", "professional", "outcome"],
			order_by="delivery_datetime asc",
			limit_page_length=0,
		),
		referrals=frappe.get_list(
			"Referral",
			filters={"case": case},
			fields=[
				"name",
				"referral_type",
				"partner_organisation",
				"welfare_programme",
				"internal_service",
				"status",
				"sent_on",
				"outcome",
			],
			order_by="creation asc",
			limit_page_length=0,
		),
		applications=frappe.get_list(
			"Programme Application",
			filters={"case": case},
			fields=["name", "programme", "status", "submitted_on", "decision_date"],
			order_by="creation asc",
			limit_page_length=0,
		),
	)


def kentro_attendance(activity) -> list[frappe._dict]:
	"""Per registered participant: the sessions they attended out of the sessions held."""
	sessions = sorted({row.session_date for row in activity.get("attendance") or [] if row.session_date})
	attended: dict[str, int] = {}
	for row in activity.get("attendance") or []:
		if row.present and row.beneficiary:
			attended[row.beneficiary] = attended.get(row.beneficiary, 0) + 1
	return [
		frappe._dict(
			beneficiary=row.beneficiary,
			beneficiary_name=row.beneficiary_name,
			attended=attended.get(row.beneficiary, 0),
			sessions=len(sessions),
		)
		for row in activity.get("participants") or []
	]


def kentro_esf_sheet(case) -> frappe._dict:
	"""The ESF+ entry and exit data of the person a case serves (Reg. 2021/1057, Annex I)."""
	person = kentro_beneficiary(case.beneficiary)
	entry_date = case.opened_on or nowdate()
	can_read_groups = bool(person) and kentro_can_read(person, "vulnerable_groups")
	categories = (
		esf.beneficiary_categories([case.beneficiary]).get(case.beneficiary, set())
		if can_read_groups
		else set()
	)
	p = esf.participant(person.as_dict() if person else {"name": case.beneficiary}, entry_date, categories)
	return frappe._dict(
		person=person,
		entry_date=entry_date,
		age=esf.age_on(person.date_of_birth if person else None, entry_date),
		age_band=p.age_band,
		output=[
			(code, label, bool(test(p))) for code, label, test in esf.OUTPUT_INDICATORS if code != "EECO11"
		],
		categories_visible=can_read_groups,
		exited=case.status == "Closed",
		exit_date=case.closed_on,
		results=[(code, label, bool(case.get(field))) for code, label, field in esf.RESULT_INDICATORS],
	)
