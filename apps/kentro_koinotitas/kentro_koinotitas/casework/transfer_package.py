"""Transfers of a case to another municipality (another site, another data controller).

The two municipalities agree a transfer key out of band (Partner Municipality, a Password field: Frappe
keeps it encrypted). From it HKDF-SHA256 derives two keys: one encrypts the package (AES-256-GCM), the
other signs it (HMAC-SHA256 over the header and the ciphertext, checked before anything is decrypted). A
changed byte, another municipality's key or a package made for someone else is refused with one message.

The sending coordinator exports the case (`export_case`) after the person agrees; the package travels by
the municipalities' own secure channel. At the receiving site a coordinator pastes it into an Incoming Case
Transfer: only its summary is read then. After the person confirms their consent to the receiving centre
and the coordinator accepts, the person and the case are created in the transaction that saves the
decision; anything refused on the way (a duplicate person, a request category the site lacks) leaves
nothing behind.
"""

import base64
import hashlib
import hmac
import json
import os

import frappe
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from frappe import _
from frappe.utils import now_datetime, today
from frappe.utils.password import get_decrypted_password

from kentro_koinotitas.access import audit
from kentro_koinotitas.access.centres import can_read_centre
from kentro_koinotitas.casework.transfers import case_summary
from kentro_koinotitas.setup.roles import COORDINATOR

FORMAT = "kentro-case-transfer"
VERSION = 1
PREFIX = "KKTRF1."
MIN_KEY_LENGTH = 32
# what of the person travels: identity, contact and the registry's social fields (not the centre, the
# household or the restriction flags, which belong to the sending site)
PERSON_FIELDS = (
	"first_name",
	"last_name",
	"father_name",
	"mother_name",
	"latin_first_name",
	"latin_last_name",
	"gender",
	"date_of_birth",
	"amka",
	"afm",
	"no_identity_reason",
	"mother_tongue",
	"interpreter_needed",
	"interpreter_language",
	"phone",
	"phone_2",
	"email",
	"address_street",
	"address_number",
	"postal_code",
	"address_municipality",
	"address_area",
	"marital_status",
	"education_level",
	"employment_status",
	"dypa_registration_number",
)


class PackageError(frappe.ValidationError):
	pass


# ----------------------------------------------------------------------------------------------- crypto
def check_key(partner) -> None:
	"""`validate` of Partner Municipality: a key long enough to derive keys from."""
	key = partner.transfer_key or ""
	if key and set(key) != {"*"} and len(key) < MIN_KEY_LENGTH:
		frappe.throw(_("The transfer key must be at least {0} characters long.").format(MIN_KEY_LENGTH))


def _keys(secret: str) -> tuple[bytes, bytes]:
	def derive(info: bytes) -> bytes:
		return HKDF(algorithm=hashes.SHA256(), length=32, salt=FORMAT.encode(), info=info).derive(
			secret.encode()
		)

	return derive(b"encryption"), derive(b"signature")


def _partner_secret(partner: str) -> str:
	secret = get_decrypted_password("Partner Municipality", partner, "transfer_key", raise_exception=False)
	if not secret:
		frappe.throw(_("No transfer key is recorded for {0}.").format(partner))
	return secret


def _canonical(data: dict) -> bytes:
	return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def seal(payload: dict, secret: str, header: dict) -> str:
	"""The package: AES-GCM encrypted payload, header and ciphertext signed with HMAC-SHA256."""
	encryption_key, signature_key = _keys(secret)
	header = {"format": FORMAT, "version": VERSION, **header}
	nonce = os.urandom(12)
	ciphertext = AESGCM(encryption_key).encrypt(nonce, _canonical(payload), _canonical(header))
	body = {**header, "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}
	body["signature"] = _b64(hmac.new(signature_key, _canonical(body), hashlib.sha256).digest())
	return PREFIX + _b64(_canonical(body))


def unseal(package: str, secret: str) -> dict:
	"""The payload of a package, after its signature and its encryption check out; else PackageError."""
	encryption_key, signature_key = _keys(secret)
	try:
		text = (package or "").strip()
		if not text.startswith(PREFIX):
			raise ValueError
		body = json.loads(_unb64(text[len(PREFIX) :]))
		signature = _unb64(body.pop("signature"))
		expected = hmac.new(signature_key, _canonical(body), hashlib.sha256).digest()
		if not hmac.compare_digest(signature, expected):
			raise ValueError
		header = {k: v for k, v in body.items() if k not in ("nonce", "ciphertext")}
		if header.get("format") != FORMAT or header.get("version") != VERSION:
			raise ValueError
		plain = AESGCM(encryption_key).decrypt(
			_unb64(body["nonce"]), _unb64(body["ciphertext"]), _canonical(header)
		)
		return json.loads(plain)
	except Exception:
		frappe.throw(
			_(
				"The package cannot be opened with the transfer key of this municipality: it was changed on the way, or it was made with another key."
			),
			PackageError,
			title=_("Package refused"),
		)


def _b64(data: bytes) -> str:
	return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
	return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ----------------------------------------------------------------------------------------------- export
@frappe.whitelist(methods=["POST"])
def export_case(case: str, partner_municipality: str, reason: str, person_consents: int = 0) -> dict:
	"""The package of a case for another municipality, made by a coordinator of the case's centre."""
	if COORDINATOR not in frappe.get_roles():
		frappe.throw(
			_("Only a coordinator transfers a case to another municipality."), frappe.PermissionError
		)
	doc = frappe.get_doc("Case", case)
	doc.check_permission("read")
	if not can_read_centre(doc.centre):
		raise frappe.PermissionError
	if not frappe.db.exists("Partner Municipality", partner_municipality):
		frappe.throw(_("Choose the municipality the case is transferred to."))
	if not int(person_consents or 0):
		frappe.throw(
			_("Ask the person first: a case is transferred only when the person agrees to it."),
			title=_("Consent required"),
		)
	if not (reason or "").strip():
		frappe.throw(_("Write the reason for the transfer."))
	payload = case_payload(doc, reason.strip())
	package = seal(
		payload,
		_partner_secret(partner_municipality),
		{"to": partner_municipality, "created": str(now_datetime())},
	)
	audit.record("Beneficiary", [doc.beneficiary], audit.EXPORT)
	doc.add_comment(
		"Info",
		_("Exported for transfer to {0} with the person's agreement. Reason: {1}").format(
			partner_municipality, reason.strip()
		),
	)
	return {"package": package, "filename": f"{doc.name}-{frappe.scrub(partner_municipality)}.kktrf"}


def case_payload(case, reason: str) -> dict:
	person = frappe.get_doc("Beneficiary", case.beneficiary)
	history = frappe.get_all(
		"Service Delivery",
		filters={"case": case.name},
		fields=["delivery_datetime", "service"],
		order_by="delivery_datetime asc",
	)
	return {
		"beneficiary_name": person.full_name,
		"summary": case_summary(case.name),
		"reason": reason,
		"person": {
			field: person.get(field) for field in PERSON_FIELDS if person.get(field) not in (None, "")
		},
		"vulnerable_groups": [
			{"vulnerable_group": row.vulnerable_group, "disability_percentage": row.disability_percentage}
			for row in person.vulnerable_groups
		],
		"case": {
			"opened_on": str(case.opened_on) if case.opened_on else None,
			"channel": case.channel,
			"requests": [
				{"request_category": r.request_category, "description": r.description, "status": r.status}
				for r in case.requests
			],
			"needs_assessment": [
				{"area": r.area, "rating": r.rating, "notes": r.notes} for r in case.needs_assessment
			],
		},
		"history": [{"date": str(h.delivery_datetime)[:10], "service": h.service} for h in history],
		"consent": {"agreed_on": today(), "recorded_by": frappe.utils.get_fullname(frappe.session.user)},
		"from_centre": case.centre,
	}


# ----------------------------------------------------------------------------------------------- import
def read_summary(incoming) -> None:
	"""`validate` of a new Incoming Case Transfer: check the package and show its summary alone."""
	payload = unseal(incoming.package, _partner_secret(incoming.from_municipality))
	incoming.beneficiary_name = payload.get("beneficiary_name")
	incoming.summary = payload.get("summary")
	incoming.reason = payload.get("reason")
	incoming.status = "Pending"


def check_decision(incoming) -> None:
	if not incoming.has_value_changed("status"):
		return
	if incoming.status == "Accepted" and not incoming.person_consents:
		frappe.throw(
			_("Record the person's consent to the transfer before accepting it."), title=_("Consent required")
		)
	if incoming.status == "Rejected" and not (incoming.decision_note or "").strip():
		frappe.throw(_("Write the reason for rejecting the transfer."))


def on_decision(incoming) -> None:
	"""`on_update`: on acceptance create the person and the case (all or nothing). Either way the package
	is dropped: this site no longer needs it."""
	if not incoming.has_value_changed("status") or incoming.status == "Pending":
		return
	updates = {"decided_by": frappe.session.user, "package": ""}
	if incoming.status == "Accepted":
		payload = unseal(incoming.package, _partner_secret(incoming.from_municipality))
		frappe.db.savepoint("kentro_incoming_transfer")
		try:
			updates |= import_payload(incoming, payload)
		except Exception:
			frappe.db.rollback(save_point="kentro_incoming_transfer")
			raise
	incoming.db_set(updates, notify=True)


def import_payload(incoming, payload: dict) -> dict:
	person = frappe.get_doc(
		{
			"doctype": "Beneficiary",
			**{k: v for k, v in (payload.get("person") or {}).items() if k in PERSON_FIELDS},
			"home_centre": incoming.to_centre,
			"vulnerable_groups": payload.get("vulnerable_groups") or [],
		}
	)
	person.insert(ignore_permissions=True)
	data = payload.get("case") or {}
	case = frappe.get_doc(
		{
			"doctype": "Case",
			"beneficiary": person.name,
			"centre": incoming.to_centre,
			"opened_on": today(),
			"channel": data.get("channel"),
			"requests": data.get("requests") or [],
			"needs_assessment": data.get("needs_assessment") or [],
		}
	)
	case.insert(ignore_permissions=True)
	history = "\n".join(f"{h['date']}: {h['service']}" for h in payload.get("history") or [])
	consent = payload.get("consent") or {}
	case.add_comment(
		"Info",
		_(
			"Transferred from {0} ({1}). The person agreed on {2} (recorded by {3}) and confirmed it here: {4}. Services received there: {5}"
		).format(
			incoming.from_municipality,
			incoming.name,
			consent.get("agreed_on"),
			consent.get("recorded_by"),
			incoming.consent_note or _("yes"),
			history or _("none recorded"),
		),
	)
	return {"imported_beneficiary": person.name, "imported_case": case.name}
