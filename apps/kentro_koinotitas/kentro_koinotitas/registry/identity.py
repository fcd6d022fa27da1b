"""Identity rules of the registry: ΑΜΚΑ, ΑΦΜ, phones, postal codes, dates of birth and names.

The one home for these rules: the Beneficiary form, the importer and the synthetic-data generator all
call these functions, so a number is valid or invalid in the same way everywhere. Check digits are
python-stdnum's (``stdnum.gr.amka``, ``stdnum.gr.vat``), phone numbers are ``phonenumbers``'.

Validators raise ``frappe.ValidationError`` with a translated message and return the normalised value.
"""

import datetime
import functools
import re
import unicodedata

import frappe
import phonenumbers
from frappe import _
from frappe.utils import add_years, getdate, today
from stdnum import exceptions as stdnum_errors
from stdnum import luhn
from stdnum.gr import amka as stdnum_amka
from stdnum.gr import vat as stdnum_vat

MAX_AGE_YEARS = 120
DEFAULT_PHONE_REGION = "GR"


class IdentityValidationError(frappe.ValidationError):
	pass


# ----------------------------------------------------------------------------- ΑΜΚΑ
@functools.lru_cache(maxsize=4096)  # an import checks each row's ΑΜΚΑ twice (registry look-up, form check)
def validate_amka(value: str) -> str:
	"""Return the ΑΜΚΑ without separators, or raise with the reason it is not valid."""
	number = stdnum_amka.compact(value or "")
	try:
		return stdnum_amka.validate(number)
	except stdnum_errors.InvalidLength:  # (a subclass of InvalidFormat: catch it first)
		frappe.throw(
			_("AMKA {0} must have exactly 11 digits (it has {1}).").format(value, len(number)),
			IdentityValidationError,
		)
	except stdnum_errors.InvalidFormat:
		frappe.throw(_("AMKA {0} must contain digits only.").format(value), IdentityValidationError)
	except stdnum_errors.InvalidChecksum:
		frappe.throw(
			_("AMKA {0} is not valid: its check digit is wrong. Please check for a typing error.").format(
				value
			),
			IdentityValidationError,
		)
	except stdnum_errors.InvalidComponent:
		frappe.throw(
			_("AMKA {0} is not valid: its first six digits are not a date of birth (DDMMYY).").format(value),
			IdentityValidationError,
		)


def amka_birth_date(amka: str, reference: datetime.date | None = None) -> datetime.date:
	"""The date of birth an ΑΜΚΑ encodes. The century is ambiguous: take the latest date not in the future."""
	reference = reference or getdate(today())
	born_1900s = stdnum_amka.get_birth_date(amka)
	try:
		born_2000s = born_1900s.replace(year=born_1900s.year + 100)
	except ValueError:
		return born_1900s
	return born_2000s if born_2000s <= reference else born_1900s


def amka_gender(amka: str) -> str:
	"""The gender an ΑΜΚΑ encodes (odd tenth digit: male), as the Beneficiary's Gender option."""
	return "Male" if stdnum_amka.get_gender(amka) == "M" else "Female"


def amka_matches_birth_date(amka: str, date_of_birth) -> bool:
	"""Day, month and two-digit year agree (the ΑΜΚΑ carries no century)."""
	encoded = stdnum_amka.get_birth_date(amka)
	born = getdate(date_of_birth)
	return (encoded.day, encoded.month, encoded.year % 100) == (born.day, born.month, born.year % 100)


def amka_contradictions(amka: str, date_of_birth=None, gender: str | None = None) -> list[str]:
	"""What in the person's record contradicts their ΑΜΚΑ, one translated sentence per field (empty when
	the birth date and gender agree, or are not recorded). The ΑΜΚΑ must be valid."""
	found = []
	if date_of_birth and not amka_matches_birth_date(amka, date_of_birth):
		found.append(
			_("AMKA {0} encodes the date of birth {1}, but the date of birth entered is {2}.").format(
				amka,
				frappe.format(amka_birth_date(amka), "Date"),
				frappe.format(getdate(date_of_birth), "Date"),
			)
		)
	if gender in ("Female", "Male") and gender != amka_gender(amka):
		found.append(
			_("AMKA {0} encodes the gender {1} (its tenth digit), but the gender entered is {2}.").format(
				amka, _(amka_gender(amka)), _(gender)
			)
		)
	return found


def make_amka(date_of_birth, gender: str, serial: int) -> str:
	"""A valid ΑΜΚΑ for synthetic data and tests: DDMMYY, a 3-digit serial, a gender digit, a check digit."""
	born = getdate(date_of_birth)
	gender_digit = (serial % 5) * 2 + (1 if gender == "Male" else 0)
	body = f"{born:%d%m%y}{serial % 1000:03d}{gender_digit}"
	return body + luhn.calc_check_digit(body)


# ----------------------------------------------------------------------------- ΑΦΜ
def validate_afm(value: str) -> str:
	"""Return the 9-digit ΑΦΜ (an ``EL`` prefix is accepted and dropped), or raise with the reason."""
	number = stdnum_vat.compact(value or "")
	if number.startswith("EL"):
		number = number[2:]
	try:
		number = stdnum_vat.validate(number)
	except stdnum_errors.InvalidLength:
		frappe.throw(_("AFM {0} must have exactly 9 digits.").format(value), IdentityValidationError)
	except stdnum_errors.InvalidFormat:
		frappe.throw(_("AFM {0} must contain digits only.").format(value), IdentityValidationError)
	except stdnum_errors.InvalidChecksum:
		frappe.throw(
			_("AFM {0} is not valid: its check digit is wrong. Please check for a typing error.").format(
				value
			),
			IdentityValidationError,
		)
	if not number.strip("0"):
		frappe.throw(_("AFM {0} is not a real tax number.").format(value), IdentityValidationError)
	return number


def make_afm(serial: int) -> str:
	"""A valid ΑΦΜ for synthetic data and tests (never 000000000)."""
	body = f"{10_000_000 + serial % 89_999_999:08d}"
	return body + stdnum_vat.calc_check_digit(body)


# ----------------------------------------------------------------------------- contact details
def normalise_phone(value: str, region: str = DEFAULT_PHONE_REGION) -> str:
	"""Parse a phone number (Greek by default) and return it in E.164, e.g. ``+306912345678``."""
	try:
		parsed = phonenumbers.parse(value, region)
	except phonenumbers.NumberParseException:
		parsed = None
	if not parsed or not phonenumbers.is_valid_number(parsed):
		frappe.throw(
			_(
				"Phone {0} is not a valid phone number. Greek numbers have 10 digits (e.g. 2101234567)."
			).format(value),
			IdentityValidationError,
		)
	return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_search_forms(e164: str) -> list[str]:
	"""The forms staff type a stored phone in: E.164 digits and, for Greek numbers, the 10-digit one."""
	digits = e164.lstrip("+")
	forms = [digits]
	if digits.startswith("30"):
		forms.append(digits[2:])
	return forms


def validate_postal_code(value: str) -> str:
	"""Greek postal codes have five digits; ``123 45`` is accepted and stored as ``12345``."""
	code = re.sub(r"\s", "", value or "")
	if not re.fullmatch(r"\d{5}", code):
		frappe.throw(
			_("Postal code {0} is not valid: a Greek postal code has 5 digits.").format(value),
			IdentityValidationError,
		)
	return code


def validate_birth_date(value) -> datetime.date:
	born = getdate(value)
	now = getdate()  # today in the system's time zone, as `today()` without parsing it back
	if born > now:
		frappe.throw(
			_("Date of birth {0} is in the future.").format(frappe.format(born, "Date")),
			IdentityValidationError,
		)
	if born < getdate(add_years(now, -MAX_AGE_YEARS)):
		frappe.throw(
			_("Date of birth {0} is more than {1} years ago.").format(
				frappe.format(born, "Date"), MAX_AGE_YEARS
			),
			IdentityValidationError,
		)
	return born


# ----------------------------------------------------------------------------- names
_ELOT_LETTERS = {
	"α": "a",
	"β": "v",
	"γ": "g",
	"δ": "d",
	"ε": "e",
	"ζ": "z",
	"η": "i",
	"θ": "th",
	"ι": "i",
	"κ": "k",
	"λ": "l",
	"μ": "m",
	"ν": "n",
	"ξ": "x",
	"ο": "o",
	"π": "p",
	"ρ": "r",
	"σ": "s",
	"ς": "s",
	"τ": "t",
	"υ": "y",
	"φ": "f",
	"χ": "ch",
	"ψ": "ps",
	"ω": "o",
}
_ELOT_DIGRAPHS = {
	"αι": "ai",
	"ει": "ei",
	"οι": "oi",
	"υι": "yi",
	"ου": "ou",
	"γγ": "ng",
	"γξ": "nx",
	"γχ": "nch",
	"γκ": "gk",
	"ντ": "nt",
}
_VOWEL_U = {"α": "a", "ε": "e", "η": "i"}
_VOICELESS = set("θκξπστφχψ")
_DIAERESIS = {"ϊ": "ι", "ϋ": "υ", "ΐ": "ι", "ΰ": "υ"}


@functools.lru_cache(maxsize=8192)
def strip_accents(text: str) -> str:
	"""Lower case, without accents or diaeresis, final sigma folded: ``Παπαδόπουλος`` → ``παπαδοπουλοσ``."""
	decomposed = unicodedata.normalize("NFD", (text or "").lower())
	plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
	return plain.replace("ς", "σ")


@functools.lru_cache(maxsize=4096)
def _transliterate_word(word: str) -> str:
	# names repeat (an import or the generator meets the same ones thousands of times): cached, as are
	# `strip_accents` and `latin_key`
	lowered = word.lower()
	# keep the diaeresis as a marker so that "αϋ" is not read as the digraph "αυ"
	letters = []
	for ch in unicodedata.normalize("NFC", lowered):
		if ch in _DIAERESIS:
			letters.append((_DIAERESIS[ch], True))
		else:
			base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
			letters.append((base, False))
	out = []
	i, n = 0, len(letters)
	while i < n:
		ch, _separate = letters[i]
		nxt, nxt_separate = letters[i + 1] if i + 1 < n else ("", False)
		pair = ch + nxt
		if ch in _VOWEL_U and nxt == "υ" and not nxt_separate:
			after = letters[i + 2][0] if i + 2 < n else ""
			voiceless = after == "" or after in _VOICELESS or not after.isalpha()
			out.append(_VOWEL_U[ch] + ("f" if voiceless else "v"))
			i += 2
		elif pair == "μπ":
			at_edge = i == 0 or i + 2 >= n
			out.append("b" if at_edge else "mp")
			i += 2
		elif pair in _ELOT_DIGRAPHS and not nxt_separate:
			out.append(_ELOT_DIGRAPHS[pair])
			i += 2
		else:
			out.append(_ELOT_LETTERS.get(ch, ch))
			i += 1
	result = "".join(out)
	if word.isupper() and len(word) > 1:
		return result.upper()
	if word[:1].isupper():
		return result[:1].upper() + result[1:]
	return result


def transliterate(text: str) -> str:
	"""Greek to Latin by ELOT 743 (the passport transcription): ``Παπαδόπουλος`` → ``Papadopoulos``."""
	return re.sub(r"[^\W\d_]+", lambda m: _transliterate_word(m.group(0)), text or "")


@functools.lru_cache(maxsize=8192)
def latin_key(text: str) -> str:
	"""Script-, case- and accent-free form of a name, for comparing Greek with Latin spellings."""
	return re.sub(r"[^a-z0-9 ]", "", transliterate(strip_accents(text)).lower()).strip()


def name_key(first_name: str, last_name: str) -> str:
	"""Key under which two spellings of the same person's name meet (duplicates check)."""
	return f"{latin_key(first_name)} {latin_key(last_name)}".strip()


def normalise_search_text(text: str) -> str:
	"""What a search box's text becomes before it is matched against a search key."""
	text = (text or "").strip()
	if re.fullmatch(r"[\d\s+().-]+", text):
		digits = re.sub(r"\D", "", text)
		return digits[2:] if digits.startswith("30") and len(digits) == 12 else digits
	return re.sub(r"\s+", " ", strip_accents(text))


def build_search_key(*parts: str) -> str:
	"""One lower-case, accent-free line holding each part in Greek and in Latin script."""
	tokens: list[str] = []
	for part in parts:
		if not part:
			continue
		plain = re.sub(r"\s+", " ", strip_accents(str(part))).strip()
		for token in (plain, latin_key(str(part))):
			if token and token not in tokens:
				tokens.append(token)
	return " | ".join(tokens)


SEARCH_KEY_LENGTH = 500  # the Beneficiary's `search_key` column


def beneficiary_search_key(
	full_name: str,
	latin_last_name: str | None,
	latin_first_name: str | None,
	amka: str | None,
	afm: str | None,
	phones: list[str | None],
	document_numbers: list[str | None],
) -> str:
	"""A Beneficiary's `search_key`: name in both scripts, ΑΜΚΑ, ΑΦΜ, each phone (E.164) in the forms
	people type it, and identity document numbers (the form, the importer and the demo generator)."""
	phone_forms = [form for phone in phones if phone for form in phone_search_forms(phone)]
	return build_search_key(
		full_name, latin_last_name, latin_first_name, amka, afm, *phone_forms, *document_numbers
	)[:SEARCH_KEY_LENGTH]


ADDRESS_FIELDS = ("address_street", "address_number", "postal_code", "address_municipality")


def address_line(person) -> str:
	"""The person's postal address on one line (street, number, postal code, municipality), as the
	referral letter and the partner's page show it."""
	return " ".join(str(person.get(field)) for field in ADDRESS_FIELDS if person.get(field))
