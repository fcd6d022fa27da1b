"""What identifies the person being anonymised, read before anything is changed: the strings to find
and redact in copies (names, ΑΜΚΑ, ΑΦΜ, phones, e-mail, document numbers) and how to match them in
text however it was typed (case, Greek accents, final sigma)."""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import frappe

from kentro_koinotitas.registry import identity

REDACTED = "[…]"
MIN_TOKEN = 3  # shorter name parts ("Ιω") would redact half of any text


def fold(text: str) -> str:
	"""Lower case, without accents, σ for ς: two spellings of a Greek name fold to the same text."""
	decomposed = unicodedata.normalize("NFD", str(text or "").lower())
	return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ς", "σ")


def _char_class(char: str) -> str:
	variants = {char, char.upper()}
	if char == "σ":
		variants |= {"ς", "Σ"}
	for composed in ACCENTED.get(char, ()):
		variants |= {composed, composed.upper()}
	variants = {v for v in variants if len(v) == 1}
	return (
		"[" + "".join(re.escape(v) for v in sorted(variants)) + "]" if len(variants) > 1 else re.escape(char)
	)


# base letter -> its accented forms (ά, ϊ, ΐ, é ...), for the patterns that match any spelling
ACCENTED: dict[str, set[str]] = {}
for _code in [*range(0x00C0, 0x0250), *range(0x0370, 0x0400), *range(0x1F00, 0x2000)]:
	_char = chr(_code)
	_base = fold(_char)
	if len(_base) == 1 and _base != _char.lower():
		ACCENTED.setdefault(_base, set()).add(_char.lower())


def pattern(needles: list[str]) -> re.Pattern | None:
	"""One regular expression matching any of the strings, in any case and with or without accents."""
	parts = sorted({fold(n) for n in needles if n and len(fold(n)) >= MIN_TOKEN}, key=len, reverse=True)
	if not parts:
		return None
	return re.compile("|".join("".join(_char_class(c) for c in part) for part in parts))


@dataclass
class Person:
	name: str
	first_name: str = ""
	last_name: str = ""
	full_name: str = ""
	latin_first_name: str = ""
	latin_last_name: str = ""
	father_name: str = ""
	mother_name: str = ""
	amka: str = ""
	afm: str = ""
	email: str = ""
	phones: list[str] = field(default_factory=list)
	documents: list[str] = field(default_factory=list)

	@classmethod
	def load(cls, beneficiary: str) -> "Person":
		doc = frappe.get_doc("Beneficiary", beneficiary)
		phones = [
			form
			for number in (doc.phone, doc.phone_2)
			if number
			for form in identity.phone_search_forms(number)
		]
		return cls(
			name=doc.name,
			**{
				f: doc.get(f) or ""
				for f in cls.__dataclass_fields__
				if f not in ("name", "phones", "documents")
			},
			phones=[*{p for p in (doc.phone, doc.phone_2) if p}, *phones],
			documents=[row.document_number for row in doc.identity_documents if row.document_number],
		)

	@property
	def numbers(self) -> list[str]:
		"""Strings that identify the person alone wherever they appear."""
		return [s for s in (self.amka, self.afm, self.email, *self.phones, *self.documents) if s]

	@property
	def full_names(self) -> list[str]:
		pairs = ((self.first_name, self.last_name), (self.latin_first_name, self.latin_last_name))
		return [
			s for first, last in pairs if first and last for s in (f"{first} {last}", f"{last} {first}")
		] + ([self.full_name] if self.full_name else [])

	@property
	def strong_needles(self) -> list[str]:
		"""Searched for in the site's shared records (comments, logs, deleted documents)."""
		return [*self.numbers, *self.full_names]

	@property
	def name_tokens(self) -> list[str]:
		return [
			t
			for t in (self.first_name, self.last_name, self.latin_first_name, self.latin_last_name)
			if t and len(t) >= MIN_TOKEN
		]

	@cached_property
	def redaction(self) -> re.Pattern | None:
		"""For text the person shares with others (a household, a group session): every strong needle
		and each part of the name."""
		return pattern([*self.strong_needles, *self.name_tokens])

	def redact(self, text):
		if not text or not isinstance(text, str) or not self.redaction:
			return text
		return self.redaction.sub(REDACTED, text)

	def mentioned_in(self, text) -> bool:
		return bool(text and isinstance(text, str) and self.redaction and self.redaction.search(text))
