"""One duplicate rule for the form and the Registry Import: the batch look-up finds whom the single-record
checks find, and nobody they would not."""

import datetime

import pytest

from kentro_koinotitas.registry import duplicates, identity
from kentro_koinotitas.tests.factories import make_beneficiary, next_serial


def test_batch_finds_whom_the_form_finds():
	known = make_beneficiary(
		first_name="Ζωή",
		last_name="Καλογεράκη",
		date_of_birth="1977-07-07",
		gender="Female",
		afm=identity.make_afm(next_serial()),
	)
	new_amka = identity.make_amka("1990-01-01", "Male", next_serial())
	people = [
		{"first_name": "Άλλη", "last_name": "Ονομασία", "amka": f"{known.amka[:6]} {known.amka[6:]}"},
		{"first_name": "Άλλη", "last_name": "Ονομασία", "afm": f"EL{known.afm}"},
		# the same name spelt without accents, in capitals, or in Latin letters, born the same day
		{"first_name": "ZOI", "last_name": "KALOGERAKI", "date_of_birth": datetime.date(1977, 7, 7)},
		{"first_name": "Ζωη", "last_name": "ΚΑΛΟΓΕΡΑΚΗ", "date_of_birth": known.date_of_birth},
		{"first_name": "Ζωή", "last_name": "Καλογεράκη", "date_of_birth": datetime.date(1977, 7, 8)},
		{"first_name": "Νέος", "last_name": "Άνθρωπος", "amka": new_amka},
		{"first_name": "Λάθος", "last_name": "Αριθμός", "amka": "12345678901"},  # not valid: finds nobody
	]
	assert duplicates.find_registered(people) == [known.name] * 4 + [None, None, None]

	assert duplicates.existing_with_number("amka", known.amka).name == known.name
	assert duplicates.existing_with_number("afm", known.afm).name == known.name
	assert duplicates.existing_with_number("amka", known.amka, exclude=known.name) is None
	assert duplicates.existing_with_number("amka", new_amka) is None
	found = duplicates.find_possible_duplicates("ZOI", "KALOGERAKI", "1977-07-07")
	assert [d.name for d in found] == [known.name]
	assert duplicates.find_possible_duplicates("ZOI", "KALOGERAKI", "1977-07-07", exclude=known.name) == []


def test_an_empty_batch_asks_nothing():
	assert duplicates.find_registered([]) == []
	assert duplicates.find_registered([{"first_name": "Χωρίς", "last_name": "Στοιχεία"}]) == [None]


def test_only_identity_numbers_are_looked_up_by_number():
	with pytest.raises(ValueError):
		duplicates.existing_with_number("full_name", "x")
