import json

import frappe
from frappe.desk.search import search_link
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.access import search as global_search
from kentro_koinotitas.registry import identity, search, search_index
from kentro_koinotitas.registry.transliteration import query_words
from kentro_koinotitas.tests.factories import make_beneficiary, make_centre, make_user_with_roles


def found(text: str) -> list[str]:
	return [row["value"] for row in search_link("Beneficiary", text, page_length=20)]


class TestBeneficiarySearch(FrappeTestCase):
	def setUp(self):
		# (the harness rolls back after each test) names no synthetic data set holds, so that a large
		# data set on the site does not crowd them out
		self.person = make_beneficiary(
			first_name="Χριστόφορος",
			last_name="Θεοχαρόπουλος",
			phone="6987650001",
			identity_documents=[{"document_type": "Διαβατήριο", "document_number": "AK4455667"}],
		)
		self.other = make_beneficiary(first_name="Ευστάθιος", last_name="Βαμβακόπουλος")

	def test_accents_case_script_and_final_sigma(self):
		for typed in (
			"Θεοχαρόπουλος",
			"θεοχαροπουλος",
			"ΘΕΟΧΑΡΟΠΟΥΛΟΣ",
			"θεοχαροπουλοσ",
			"Theocharopoulos",
			"THEOCHAROPOULOS",
			"θεοχαρ",
		):
			self.assertIn(self.person.name, found(typed), msg=typed)
		self.assertNotIn(self.person.name, found("Βαμβακόπουλος"))

	def test_informal_latin_spellings(self):
		for typed in (
			"Theoharopoulos",  # χ as h
			"Theoxaropoulos",  # χ as x
			"Theocharopulos",  # ου as u
			"Hristoforos",
			"Xristophoros",  # φ as ph
		):
			self.assertIn(self.person.name, found(typed), msg=typed)
		for typed in ("Eustathios", "Evstathios", "Bambakopoulos", "Vamvakopoulos", "Vamvakopulos"):
			self.assertIn(self.other.name, found(typed), msg=typed)

	def test_several_words_narrow_in_any_order(self):
		for typed in ("θεοχαρ χριστοφ", "Χριστόφορος Θεοχαρόπουλος", "hristoforos theoharopoulos"):
			self.assertIn(self.person.name, found(typed), msg=typed)
		self.assertEqual(found("Θεοχαρόπουλος Ευστάθιος"), [])
		self.assertEqual(found("Θεοχαρόπουλος 00000000"), [])

	def test_identifiers_with_and_without_country_code(self):
		for typed in (
			self.person.amka,
			"6987650001",
			"+306987650001",
			"+30 698 765 0001",
			"ak4455667",
			"AK 4455667",
			"ΑΚ4455667",  # Greek capitals that look Latin
			self.person.name,
		):
			self.assertEqual(found(typed)[:1], [self.person.name], msg=typed)

	def test_exact_identifier_ranks_before_one_it_begins(self):
		# another person whose document number begins with this person's ΑΜΚΑ
		decoy = make_beneficiary(
			first_name="Αρτέμιος",
			last_name="Ζαχαριάδης",
			identity_documents=[{"document_type": "Διαβατήριο", "document_number": f"{self.person.amka}7"}],
		)
		results = found(self.person.amka)
		self.assertEqual(results[0], self.person.name)
		self.assertIn(decoy.name, results)

	def test_surname_ranks_before_first_name(self):
		by_first_name = make_beneficiary(first_name="Ζηνοβία", last_name="Αβραμίδου")
		by_surname = make_beneficiary(first_name="Ελπίδα", last_name="Ζηνοβίου")
		results = found("ζηνοβ")
		self.assertLess(results.index(by_surname.name), results.index(by_first_name.name))

	def test_index_follows_saves_renames_and_deletes(self):
		doc = make_beneficiary(first_name="Ονούφριος", last_name="Καλλιγάς")
		self.assertIn(doc.name, found("ονουφρ"))
		doc.first_name = "Πανάρετος"
		doc.save()
		self.assertNotIn(doc.name, found("ονουφρ"))
		self.assertIn(doc.name, found("Πανάρετος Καλλιγάς"))
		new_name = frappe.rename_doc("Beneficiary", doc.name, f"{doc.name}-R", show_alert=False)
		self.assertEqual(found("Πανάρετος Καλλιγάς"), [new_name])
		frappe.delete_doc("Beneficiary", new_name, ignore_permissions=True)
		self.assertEqual(found("Πανάρετος Καλλιγάς"), [])
		self.assertFalse(
			frappe.db.sql(f"select 1 from `{search_index.TABLE}` where beneficiary = %s", new_name)
		)

	def test_link_search_label(self):
		labels = {r["value"]: r.get("label") for r in search_link("Beneficiary", "theocharopoulos")}
		self.assertEqual(labels[self.person.name], "Θεοχαρόπουλος Χριστόφορος")

	def test_query_reads_the_token_index_not_the_registry(self):
		"""EXPLAIN: the driving table is the index's `kind_token` range; Beneficiary is read by its primary
		key, never scanned whole, for a name, a number, several words, as a centre-restricted user."""
		user = make_user_with_roles("Social Worker")
		make_centre(f"Κέντρο Αναζήτησης {frappe.generate_hash(length=5)}", staff=[{"user": user}])
		for who in ("Administrator", user):
			for text, pair in (
				("θεοχαρ", False),
				(self.person.amka, False),
				("θεοχαρ χριστοφ", False),
				("Θεοχαρόπουλος Χριστ", True),
			):
				sql, values = search.candidate_query(query_words(text), who, 10, pair=pair)
				plan = frappe.db.sql("explain " + sql, values, as_dict=True)
				for row in plan:
					if row.table == "tabBeneficiary":
						self.assertEqual(row.type, "eq_ref", msg=(who, text, row))
						self.assertEqual(row.key, "PRIMARY", msg=(who, text, row))
				drivers = [row for row in plan if row.table == "t0"]
				self.assertTrue(drivers)
				for row in drivers:
					self.assertIn(row.type, ("range", "ref"), msg=(who, text, row))
					self.assertEqual(row.key, "kind_token", msg=(who, text, row))


class TestSearchCentreIsolation(FrappeTestCase):
	def test_user_of_one_centre_never_finds_another_centres_people(self):
		word = frappe.generate_hash(length=5)
		user_a = make_user_with_roles("Social Worker")
		user_b = make_user_with_roles("Social Worker")
		centre_a = make_centre(f"Κέντρο Α {word}", staff=[{"user": user_a}])
		centre_b = make_centre(f"Κέντρο Β {word}", staff=[{"user": user_b}])
		phone_a, phone_b = "6987650011", "6987650012"
		in_a = make_beneficiary(
			first_name="Σωσίπατρος", last_name="Ευρυβιάδης", home_centre=centre_a, phone=phone_a
		)
		in_b = make_beneficiary(
			first_name="Σωσίπατρος", last_name="Ευρυβιάδης", home_centre=centre_b, phone=phone_b
		)
		for user, mine, theirs in ((user_a, in_a, in_b), (user_b, in_b, in_a)):
			frappe.set_user(user)
			try:
				for text in ("Ευρυβιάδης Σωσίπατρος", "evrybiadis", theirs.amka, theirs.phone, mine.amka):
					links = found(text)
					self.assertNotIn(theirs.name, links, msg=(user, text))
					listed = [r[0] for r in search.beneficiary_query("Beneficiary", text, "name", 0, 20)]
					self.assertNotIn(theirs.name, listed, msg=(user, text))
					everywhere = [r.name for r in global_search.search(text)]
					self.assertNotIn(theirs.name, everywhere, msg=(user, text))
				self.assertEqual(found("Ευρυβιάδης Σωσίπατρος"), [mine.name])
				self.assertEqual([r.name for r in global_search.search("evrybiadis")], [mine.name])
				self.assertEqual(found(theirs.amka), [])
			finally:
				frappe.set_user("Administrator")
		self.assertEqual(sorted(found("Ευρυβιάδης Σωσίπατρος")), sorted([in_a.name, in_b.name]))
		self.assertEqual(identity.normalise_phone(phone_a), in_a.phone)


class TestListSearchBox(FrappeTestCase):
	def test_search_key_filter_becomes_the_people_the_search_finds(self):
		from kentro_koinotitas.registry import list_search

		person = make_beneficiary(first_name="Χριστόφορος", last_name="Θεοχαρόπουλος")
		for filters in (
			json.dumps([["Beneficiary", "search_key", "like", "%Theoharopoulos%"]]),
			[["search_key", "like", "%θεοχαροπουλοσ%"]],
			{"search_key": ["like", "%ΘΕΟΧΑΡ χριστοφ%"]},
		):
			rewritten = list_search.rewrite(filters)
			self.assertEqual(type(rewritten), type(filters) if not isinstance(filters, dict) else list)
			names = frappe.get_list("Beneficiary", filters=rewritten, pluck="name")
			self.assertIn(person.name, names, msg=filters)
		other = [["Beneficiary", "status", "=", "Active"]]
		self.assertIs(list_search.rewrite(other), other)
		nobody = list_search.rewrite([["search_key", "like", "%Θεοχαρόπουλος Ευστάθιος%"]])
		self.assertEqual(frappe.get_list("Beneficiary", filters=nobody, pluck="name"), [])
