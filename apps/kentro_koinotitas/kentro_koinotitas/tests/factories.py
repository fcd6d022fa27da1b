"""Small factories for the app's tests: real documents inserted through the ORM, never mocks."""

import itertools

import frappe

from kentro_koinotitas.registry import identity

_serial = itertools.count(frappe.utils.cint(frappe.utils.now_datetime().strftime("%H%M%S")) % 900 + 1)


def next_serial() -> int:
	return next(_serial)


def make_centre(name: str = "Κέντρο Κοινότητας Δοκιμών", parent: str | None = None, **fields) -> str:
	if frappe.db.exists("Community Centre", name):
		return name
	doc = frappe.get_doc(
		{
			"doctype": "Community Centre",
			"centre_name": name,
			"municipality": "Δήμος Δοκιμών",
			"centre_type": "Main centre" if not parent else "Roma branch",
			"parent_community_centre": parent,
			"is_group": 0 if parent else 1,
			**fields,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def beneficiary_doc(
	first_name="Γιώργος", last_name="Παπαδόπουλος", date_of_birth="1985-03-12", gender="Male", **fields
):
	"""An unsaved Beneficiary with a valid, unique ΑΜΚΑ unless one is given."""
	fields.setdefault(
		"amka", identity.make_amka(date_of_birth, gender, next_serial()) if date_of_birth else None
	)
	fields.setdefault("home_centre", make_centre())
	return frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"first_name": first_name,
			"last_name": last_name,
			"date_of_birth": date_of_birth,
			"gender": gender,
			**fields,
		}
	)


def make_beneficiary(**fields):
	doc = beneficiary_doc(**fields)
	doc.insert(ignore_permissions=True)
	return doc


SHARING = "Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή"
DYPA = "ΔΥΠΑ – Δημόσια Υπηρεσία Απασχόλησης"
KEA = "Ελάχιστο Εγγυημένο Εισόδημα (ΚΕΑ)"


def give_consent(beneficiary: str, purpose: str = SHARING, decision: str = "Given", on: str | None = None):
	return frappe.get_doc(
		{
			"doctype": "Consent",
			"beneficiary": beneficiary,
			"consent_date": on or frappe.utils.today(),
			"purposes": [{"consent_purpose": purpose, "decision": decision}],
		}
	).insert(ignore_permissions=True)


def make_case(beneficiary: str | None = None, **fields):
	beneficiary = beneficiary or make_beneficiary().name
	return frappe.get_doc({"doctype": "Case", "beneficiary": beneficiary, **fields}).insert(
		ignore_permissions=True
	)


def make_referral(case=None, **fields):
	case = case or make_case()
	return frappe.get_doc(
		{
			"doctype": "Referral",
			"case": case.name,
			"beneficiary": case.beneficiary,
			"referral_type": "External",
			"partner_organisation": DYPA,
			"reason": "Εγγραφή στο μητρώο ανέργων",
			**fields,
		}
	).insert(ignore_permissions=True)


def make_user_with_roles(*roles: str, first_name: str = "Δοκιμή") -> str:
	"""An enabled desk user holding the roles (not committed)."""
	email = f"kk-{frappe.generate_hash(length=8)}@example.com"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first_name,
			"send_welcome_email": 0,
			"roles": [{"role": role} for role in roles],
		}
	).insert(ignore_permissions=True)
	return email


ERASURE_REQUEST = "Erasure (Art. 17)"


def make_subject_request(
	beneficiary: str | None = None,
	request_type: str = ERASURE_REQUEST,
	status: str = "In progress",
	decision: str | None = "Granted",
	**fields,
):
	"""A Data Subject Request moved straight to the given workflow state and decision (as set-up code)."""
	doc = frappe.get_doc(
		{
			"doctype": "Data Subject Request",
			"request_type": request_type,
			"beneficiary": beneficiary,
			"received_on": fields.pop("received_on", frappe.utils.today()),
			"identity_verification": "In person with identity document",
			**fields,
		}
	).insert(ignore_permissions=True)
	doc.db_set({"status": status, "workflow_state": status, "decision": decision})
	return doc
