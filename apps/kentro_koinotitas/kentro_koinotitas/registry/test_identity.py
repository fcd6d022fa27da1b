"""The identity rules, called directly (no form): every validator with valid and invalid input."""

import datetime

import frappe
import pytest
from stdnum import luhn
from stdnum.gr import amka as stdnum_amka

from kentro_koinotitas.registry import identity
from kentro_koinotitas.registry.identity import IdentityValidationError


def test_valid_amka_is_compacted():
	number = identity.make_amka("1985-03-12", "Male", 123)
	assert stdnum_amka.is_valid(number)
	assert identity.validate_amka(f"{number[:6]} {number[6:]}") == number


@pytest.mark.parametrize(
	"value, fragment",
	[
		("1203851237", "exactly 11 digits"),
		("120385123771", "exactly 11 digits"),
		("12038512A77", "digits only"),
		("3213851237" + luhn.calc_check_digit("3213851237"), "date of birth"),
	],
)
def test_invalid_amka_is_refused_with_its_reason(value, fragment):
	with pytest.raises(IdentityValidationError, match=fragment):
		identity.validate_amka(value)


def test_amka_check_digit_error_is_refused():
	number = identity.make_amka("1990-07-01", "Female", 42)
	wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
	with pytest.raises(IdentityValidationError, match="check digit"):
		identity.validate_amka(wrong)


def test_amka_messages_are_greek():
	frappe.local.lang = "el"
	try:
		with pytest.raises(IdentityValidationError, match="πρέπει να περιέχει μόνο ψηφία"):
			identity.validate_amka("ABCDEFGHIJK")
	finally:
		frappe.local.lang = "en"


def test_amka_birth_date_century_and_gender():
	child = identity.make_amka("2015-06-30", "Female", 5)
	elder = identity.make_amka("1940-06-30", "Male", 6)
	reference = datetime.date(2026, 1, 1)
	assert identity.amka_birth_date(child, reference) == datetime.date(2015, 6, 30)
	assert identity.amka_birth_date(elder, reference) == datetime.date(1940, 6, 30)
	assert identity.amka_gender(child) == "Female"
	assert identity.amka_gender(elder) == "Male"
	assert identity.amka_matches_birth_date(child, "2015-06-30")
	assert not identity.amka_matches_birth_date(child, "2015-06-29")


def test_afm_rules():
	number = identity.make_afm(1234)
	assert identity.validate_afm(number) == number
	assert identity.validate_afm("EL" + number) == number
	with pytest.raises(IdentityValidationError, match="not a real tax number"):
		identity.validate_afm("000000000")
	with pytest.raises(IdentityValidationError, match="check digit"):
		identity.validate_afm(number[:-1] + str((int(number[-1]) + 1) % 10))
	with pytest.raises(IdentityValidationError, match="9 digits"):
		identity.validate_afm("1234567")
	with pytest.raises(IdentityValidationError, match="digits only"):
		identity.validate_afm("12345678X")


def test_phone_is_stored_in_e164():
	assert identity.normalise_phone("691 234 5678") == "+306912345678"
	assert identity.normalise_phone("210-1234567") == "+302101234567"
	assert identity.normalise_phone("+49 30 901820") == "+4930901820"
	for bad in ("12345", "69123456789999", "τηλέφωνο"):
		with pytest.raises(IdentityValidationError, match="not a valid phone"):
			identity.normalise_phone(bad)


def test_postal_code():
	assert identity.validate_postal_code("546 25") == "54625"
	for bad in ("5462", "546255", "54Α25"):
		with pytest.raises(IdentityValidationError, match="5 digits"):
			identity.validate_postal_code(bad)


def test_birth_date_bounds():
	assert identity.validate_birth_date("1950-01-01") == datetime.date(1950, 1, 1)
	with pytest.raises(IdentityValidationError, match="in the future"):
		identity.validate_birth_date(frappe.utils.add_days(frappe.utils.today(), 1))
	with pytest.raises(IdentityValidationError, match="more than 120 years"):
		identity.validate_birth_date("1890-01-01")


@pytest.mark.parametrize(
	"greek, latin",
	[
		("Παπαδόπουλος", "Papadopoulos"),
		("Ευάγγελος", "Evangelos"),
		("Αυγερινός", "Avgerinos"),
		("Ευθυμίου", "Efthymiou"),
		("Μπακογιάννης", "Bakogiannis"),
		("Λαμπράκης", "Lamprakis"),
		("Γκίκας", "Gkikas"),
		("Χριστίνα", "Christina"),
		("Ψαρράς", "Psarras"),
		("ΓΕΩΡΓΙΟΥ", "GEORGIOU"),
		("Ταΰγετος", "Taygetos"),
		("Ζωή-Μαρία", "Zoi-Maria"),
	],
)
def test_elot_743_transliteration(greek, latin):
	assert identity.transliterate(greek) == latin


def test_name_key_ignores_accents_case_and_script():
	key = identity.name_key("Γιώργος", "Παπαδόπουλος")
	assert key == identity.name_key("ΓΙΩΡΓΟΣ", "ΠΑΠΑΔΟΠΟΥΛΟΣ")
	assert key == identity.name_key("giorgos", "PAPADOPOULOS")
	assert key != identity.name_key("Γιώργος", "Παπαδοπούλου")


def test_search_text_normalisation():
	assert identity.normalise_search_text("ΠΑΠΑΔΌΠΟΥΛΟΣ") == identity.normalise_search_text("παπαδοπουλος")
	assert identity.normalise_search_text("+30 691 234 5678") == "6912345678"
	assert identity.normalise_search_text("PAPADOPOULOS") == "papadopoulos"
