"""Search keys of names: one spelling-free form for a name in Greek, in ELOT 743 Latin, and in the informal
Latin spellings staff type ("Xristos", "Hristos", "Christos" for Χρήστος).

A word is first written in Latin by ELOT 743 (`identity.transliterate`, the passport transcription), then
folded by `FOLDS`, applied left to right, longest spelling first. Greek text and Latin text go through the
same fold, so every spelling in a row of the table meets every other:

	θ          th                → 8      ξ, χ         x, ks, ch, kh, h        → x
	φ          f, ph             → f      β, μπ, μβ    v, b, mp, mb, mv        → b
	δ          d, dh             → d      ντ, νδ       nt, nd                  → d
	γγ, γκ     ng, gg, gk        → g      κ            k, c, ck                → k
	η, ι, υ    i, y              → i      ει, οι       ei, oi                  → i
	ου         ou, u             → u      αι, ε        ai, e                   → e
	ο, ω       o, w              → o      αυ, ευ       av, af, au, ev, ef, eu  → ab, eb
	γι         gi, yi            → gi     doubled letters (λλ, ll, ππ, …)      → one

Folding merges a few names that differ (ξ with χ, ο with ω): the search finds more, and ranks whole-word
matches first. Words with a digit (ΑΜΚΑ, ΑΦΜ, phones, document and record numbers) are identifiers: they
keep their letters and digits, lower case, nothing else.

Not covered: Greeklish that writes η as "h" ("Dhmhtrhs": "h" is χ here) or digits for letters ("8" for θ).
"""

import re
from typing import NamedTuple

from kentro_koinotitas.registry import identity

# (spelling, folded), in two passes, each applied greedily left to right: consonants, then vowels (so that
# a consonant spelling the first pass folds, e.g. "ph" → "f", meets the vowel rules like an ELOT "f" does)
CONSONANTS: tuple[tuple[str, str], ...] = (
	("th", "8"),
	("ch", "x"),
	("kh", "x"),
	("ks", "x"),
	("ck", "k"),
	("ph", "f"),
	("dh", "d"),
	("mp", "b"),
	("mb", "b"),
	("mv", "b"),
	("nt", "d"),
	("nd", "d"),
	("ng", "g"),
	("gg", "g"),
	("gk", "g"),
	("h", "x"),
	("c", "k"),
	("v", "b"),
	("w", "o"),
)
VOWELS: tuple[tuple[str, str], ...] = (
	("ou", "u"),
	("ai", "e"),
	("ei", "i"),
	("oi", "i"),
	("yi", "gi"),
	("au", "ab"),
	("af", "ab"),
	("eu", "eb"),
	("ef", "eb"),
	("y", "i"),
)
FOLDS = (CONSONANTS, VOWELS)
_PASSES = [
	(re.compile("|".join(re.escape(spelling) for spelling, _folded in table)), dict(table)) for table in FOLDS
]
_DOUBLED = re.compile(r"(.)\1+")
_WORD = re.compile(r"[^\W_]+")
_PHONE_OR_NUMBER = re.compile(r"[\d\s+().-]+")
MAX_WORDS = 5
MAX_TOKEN = 64  # the token column's length


def fold(word: str) -> str:
	"""The search form of one word of a name: ``Χρήστος``, ``Christos``, ``Hristos`` → ``xristos``."""
	latin = identity.strip_accents(identity.transliterate((word or "").lower()))
	latin = re.sub(r"[^a-z0-9]", "", latin)
	for pattern, folded in _PASSES:
		latin = pattern.sub(lambda m, folded=folded: folded[m.group(0)], latin)
	return _DOUBLED.sub(r"\1", latin)[:MAX_TOKEN]


# Greek identity cards' letters are the Greek capitals that look Latin: staff type them in either script
LOOKALIKES = str.maketrans("αβεζηικμνορτυχ", "abezhikmnoptyx")


def identifier(text: str) -> str:
	"""The search form of a number or code: letters and digits, lower case, Greek letters as the Latin ones
	they look like (``ΑΚ 445-566`` and ``AK445566`` → ``ak445566``)."""
	plain = identity.strip_accents(text or "").translate(LOOKALIKES)
	return re.sub(r"[^0-9a-z]", "", identity.transliterate(plain).lower())[:MAX_TOKEN]


def name_tokens(*names: str | None) -> list[str]:
	"""The folded words of names, each once, in order (``Παπαδόπουλος-Νικολάου`` gives two)."""
	tokens: list[str] = []
	for name in names:
		for word in _WORD.findall(name or ""):
			token = identifier(word) if any(ch.isdigit() for ch in word) else fold(word)
			if token and token not in tokens:
				tokens.append(token)
	return tokens


def prefixes(word: str) -> list[str]:
	"""The folded prefixes a word still being typed may begin: its last letter may start a two-letter
	spelling (``Λαμ`` may become ``Λαμπράκη``, folded ``lab…``), so each completion is looked up too."""
	latin = re.sub(r"[^a-z0-9]", "", identity.strip_accents(identity.transliterate((word or "").lower())))
	found = [fold(latin)]
	if latin:
		found += [
			fold(latin[:-1] + spelling)
			for table in FOLDS
			for spelling, _folded in table
			if len(spelling) == 2 and spelling[0] == latin[-1]
		]
	found = [p for p in dict.fromkeys(found) if p]
	# a prefix that begins with another one adds nothing
	return [p for p in found if not any(p != q and p.startswith(q) for q in found)]


class Word(NamedTuple):
	token: str  # the whole word, folded (or the identifier)
	is_identifier: bool
	prefixes: tuple[str, ...]  # what the person's token may begin with


def query_words(text: str) -> list[Word]:
	"""What a search box's text is looked up as, at most `MAX_WORDS` words.

	A text of digits and phone punctuation is one number (``+30 698 765 4321`` → ``6987654321``, the form
	phones are indexed under besides E.164); otherwise each word is a name word (folded) or, when it holds
	a digit, an identifier. The last word, unless a space follows it, may still be being typed: its
	`prefixes` include the completions of its last letter."""
	text = text or ""
	if not text.strip():
		return []
	if _PHONE_OR_NUMBER.fullmatch(text.strip()):
		digits = re.sub(r"\D", "", text)
		if digits.startswith("30") and len(digits) == 12:
			digits = digits[2:]
		return [Word(digits, True, (digits,))] if digits else []
	words: list[Word] = []
	typing = not text[-1].isspace()
	# a document number typed with a space after its letters ("ΑΚ 445566") is one identifier
	parts = re.sub(r"(?<!\S)([^\W\d_]{1,3})\s+(\d{4,})(?!\S)", r"\1\2", text).split()
	for position, part in enumerate(parts):
		if any(ch.isdigit() for ch in part):
			found = [Word(token, True, (token,))] if (token := identifier(part)) else []
		else:
			pieces = _WORD.findall(part)
			found = []
			for index, piece in enumerate(pieces):
				token = fold(piece)
				last = typing and position == len(parts) - 1 and index == len(pieces) - 1
				if token:
					found.append(Word(token, False, tuple(prefixes(piece)) if last else (token,)))
		words += [word for word in found if word.token not in {w.token for w in words}]
	return words[:MAX_WORDS]
