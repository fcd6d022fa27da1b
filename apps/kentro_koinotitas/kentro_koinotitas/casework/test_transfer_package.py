"""The package of a case for another municipality: sealed and opened with the agreed key; any other key,
any changed byte, a package of another format refused with one message; the key's length checked."""

import json
import secrets

import frappe
import pytest

from kentro_koinotitas.casework import transfer_package
from kentro_koinotitas.casework.transfer_package import PackageError, seal, unseal

PAYLOAD = {
	"beneficiary_name": "Αλφαίου Αλίκη",
	"person": {"amka": "01018012345", "date_of_birth": "1980-01-01"},
}


def test_a_package_opens_with_the_agreed_key_and_hides_its_content():
	key = secrets.token_urlsafe(32)
	package = seal(PAYLOAD, key, {"to": "Δήμος Βήτα"})
	assert package.startswith(transfer_package.PREFIX)
	assert "Αλφαίου" not in package and "01018012345" not in package
	assert unseal(package, key) == PAYLOAD
	assert seal(PAYLOAD, key, {"to": "Δήμος Βήτα"}) != package  # a fresh nonce each time


@pytest.mark.parametrize("position", [10, 0.5, -3])
def test_a_changed_character_anywhere_is_refused(position):
	key = secrets.token_urlsafe(32)
	package = seal(PAYLOAD, key, {"to": "Δήμος Βήτα"})
	index = int(len(package) * position) if isinstance(position, float) else position
	changed = package[:index] + ("A" if package[index] != "A" else "B") + package[index + 1 :]
	with pytest.raises(PackageError):
		unseal(changed, key)


def test_another_key_a_changed_header_and_junk_are_refused_alike():
	key = secrets.token_urlsafe(32)
	package = seal(PAYLOAD, key, {"to": "Δήμος Βήτα"})
	messages = set()
	body = json.loads(transfer_package._unb64(package[len(transfer_package.PREFIX) :]))
	body["to"] = "Δήμος Γάμμα"  # the header is signed: naming another receiver breaks the signature
	rewritten = transfer_package.PREFIX + transfer_package._b64(json.dumps(body).encode())
	for candidate, with_key in (
		(package, secrets.token_urlsafe(32)),
		(rewritten, key),
		("not a package", key),
		(transfer_package.PREFIX + "!!!", key),
	):
		with pytest.raises(PackageError) as refused:
			unseal(candidate, with_key)
		messages.add(str(refused.value))
	assert len(messages) == 1


def test_a_short_transfer_key_is_refused():
	partner = frappe.get_doc(
		{
			"doctype": "Partner Municipality",
			"municipality_name": "Δήμος Σύντομου Κλειδιού",
			"transfer_key": "x" * 12,
		}
	)
	with pytest.raises(frappe.ValidationError):
		partner.insert(ignore_permissions=True)
	frappe.db.rollback()
