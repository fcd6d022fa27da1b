# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

import frappe
from frappe.desk.search import search_link
from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.registry import identity
from kentro_koinotitas.registry.duplicates import DuplicateIdentityNumberError
from kentro_koinotitas.registry.identity import IdentityValidationError
from kentro_koinotitas.tests.factories import make_beneficiary


def messages() -> str:
	return " ".join(str(m) for m in frappe.get_message_log())


class TestBeneficiary(FrappeTestCase):
	def test_amka_fills_birth_date_gender_and_latin_names(self):
		number = identity.make_amka("1985-03-12", "Female", 301)
		doc = make_beneficiary(
			first_name="Ελένη", last_name="Ευθυμίου", date_of_birth=None, gender="", amka=number
		)
		self.assertEqual(str(doc.date_of_birth), "1985-03-12")
		self.assertEqual(doc.gender, "Female")
		self.assertEqual((doc.latin_first_name, doc.latin_last_name), ("Eleni", "Efthymiou"))
		self.assertEqual(doc.full_name, "Ευθυμίου Ελένη")

	def test_latin_name_is_editable(self):
		doc = make_beneficiary(latin_first_name="Georgios")
		self.assertEqual(doc.latin_first_name, "Georgios")

	def test_invalid_amka_saves_nothing(self):
		before = frappe.db.count("Beneficiary")
		for bad in ("1203851237", "12038512A77", "12038512378"):
			with self.assertRaises(IdentityValidationError):
				make_beneficiary(amka=bad)
		self.assertEqual(frappe.db.count("Beneficiary"), before)

	def test_amka_birth_date_mismatch_is_flagged(self):
		number = identity.make_amka("1985-03-12", "Male", 302)
		frappe.clear_messages()
		make_beneficiary(amka=number, date_of_birth="1985-03-13")
		self.assertIn("does not match", messages())

	def test_amka_gender_mismatch_is_flagged(self):
		number = identity.make_amka("1985-03-12", "Male", 303)
		frappe.clear_messages()
		make_beneficiary(amka=number, gender="Female", first_name="Μαρία")
		self.assertIn("gender", messages())

	def test_duplicate_amka_names_the_existing_record(self):
		first = make_beneficiary()
		with self.assertRaises(DuplicateIdentityNumberError) as caught:
			make_beneficiary(first_name="Άλλος", amka=first.amka)
		self.assertIn(first.name, str(caught.exception))
		self.assertIn(first.full_name, str(caught.exception))

	def test_duplicate_afm_is_refused(self):
		afm = identity.make_afm(777)
		make_beneficiary(afm=afm)
		with self.assertRaises(DuplicateIdentityNumberError):
			make_beneficiary(first_name="Νίκος", afm=f"EL{afm}")

	def test_afm_zero_and_bad_checksum_refused(self):
		with self.assertRaises(IdentityValidationError):
			make_beneficiary(afm="000000000")
		good = identity.make_afm(778)
		with self.assertRaises(IdentityValidationError):
			make_beneficiary(afm=good[:-1] + str((int(good[-1]) + 1) % 10))

	def test_possible_duplicate_across_scripts_is_shown(self):
		first = make_beneficiary(first_name="Γιώργος", last_name="Παπαδόπουλος", date_of_birth="1970-05-05")
		frappe.clear_messages()
		second = make_beneficiary(first_name="GIORGOS", last_name="papadopoulos", date_of_birth="1970-05-05")
		self.assertIn(first.name, messages())
		from kentro_koinotitas.registry.doctype.beneficiary.beneficiary import get_possible_duplicates

		self.assertEqual([d.name for d in get_possible_duplicates(second.name)], [first.name])
		other_day = make_beneficiary(
			first_name="Γιώργος", last_name="Παπαδόπουλος", date_of_birth="1970-05-06"
		)
		self.assertEqual(get_possible_duplicates(other_day.name), [])

	def test_birth_date_bounds(self):
		with self.assertRaises(IdentityValidationError):
			make_beneficiary(
				date_of_birth=frappe.utils.add_days(frappe.utils.today(), 2),
				amka=None,
				afm=identity.make_afm(1),
			)
		with self.assertRaises(IdentityValidationError):
			make_beneficiary(date_of_birth="1880-01-01", amka=None, afm=identity.make_afm(2))

	def test_postal_code_and_phones(self):
		doc = make_beneficiary(postal_code="546 25", phone="6912345678", phone_2="2310 123456")
		self.assertEqual(
			(doc.postal_code, doc.phone, doc.phone_2), ("54625", "+306912345678", "+302310123456")
		)
		with self.assertRaises(IdentityValidationError):
			make_beneficiary(first_name="Άννα", postal_code="5462")
		with self.assertRaises(IdentityValidationError):
			make_beneficiary(first_name="Άννα", phone="12345")

	def test_identity_or_reason_required(self):
		with self.assertRaises(frappe.ValidationError):
			make_beneficiary(amka=None)
		homeless = make_beneficiary(amka=None, no_identity_reason="Άστεγος χωρίς έγγραφα")
		self.assertTrue(homeless.name)
		paaypa = make_beneficiary(
			first_name="Ahmad",
			last_name="Karimi",
			amka=None,
			identity_documents=[{"document_type": "ΠΑΑΥΠΑ", "document_number": "ab1234567"}],
		)
		self.assertEqual(paaypa.identity_documents[0].document_number, "AB1234567")

	def test_vulnerable_group_added_as_record_is_usable_at_once(self):
		group = frappe.get_doc(
			{"doctype": "Vulnerable Group", "group_name": "Οικογένεια με μέλος σε φυλακή"}
		).insert()
		doc = make_beneficiary(vulnerable_groups=[{"vulnerable_group": group.name}])
		self.assertEqual(doc.vulnerable_groups[0].vulnerable_group, "Οικογένεια με μέλος σε φυλακή")
		with self.assertRaises(frappe.LinkValidationError):
			make_beneficiary(first_name="Κώστας", vulnerable_groups=[{"vulnerable_group": "Δεν υπάρχει"}])

	def test_disability_percentage_bounds(self):
		with self.assertRaises(frappe.ValidationError):
			make_beneficiary(
				vulnerable_groups=[
					{"vulnerable_group": "Άτομο με αναπηρία (ΑμεΑ)", "disability_percentage": 140}
				]
			)

	def test_accent_free_search_through_frappe_search_api(self):
		doc = make_beneficiary(
			first_name="Δημήτρης",
			last_name="Παπαδόπουλος",
			phone="6987654321",
			identity_documents=[{"document_type": "Διαβατήριο", "document_number": "AN9988776"}],
		)
		make_beneficiary(first_name="Μαρία", last_name="Κωνσταντίνου")
		for typed in (
			"παπαδοπουλος",
			"PAPADOPOULOS",
			"Παπαδόπουλος Δημ",
			"ΠΑΠΑΔΟΠΟΥΛΟΣ",
			doc.amka,
			"6987654321",
			"+30 698 765 4321",
			"an9988776",
		):
			found = [r["value"] for r in search_link("Beneficiary", typed)]
			self.assertIn(doc.name, found, msg=f"searching {typed!r}")
		self.assertNotIn(doc.name, [r["value"] for r in search_link("Beneficiary", "κωνσταντινου")])
		labels = {r["value"]: r.get("label") for r in search_link("Beneficiary", "papadopoulos")}
		self.assertEqual(labels[doc.name], "Παπαδόπουλος Δημήτρης")

	def test_list_view_search_filter(self):
		doc = make_beneficiary(first_name="Ιωάννα", last_name="Αλεξίου")
		for typed in ("αλεξιου", "ALEXIOU", "Αλεξίου"):
			names = frappe.get_list(
				"Beneficiary", filters=[["search_key", "like", f"%{typed}%"]], pluck="name"
			)
			self.assertIn(doc.name, names, msg=typed)

	def test_no_copy_of_the_person_in_frappes_global_search(self):
		"""The registry's own search finds people; Frappe's `__global_search` (isolated by no centre) keeps
		no copy of their names or numbers, and global search still finds them."""
		from frappe.utils.global_search import sync_global_search

		from kentro_koinotitas.access import search as global_search
		from kentro_koinotitas.patches.v1 import beneficiary_out_of_global_search

		doc = make_beneficiary(first_name="Ευανθία", last_name="Γλοβανίδου", phone="6971234987")
		sync_global_search()
		self.assertFalse(frappe.db.exists("__global_search", {"doctype": "Beneficiary", "name": doc.name}))
		self.assertIn(doc.name, [r.name for r in global_search.search("γλοβανιδου ευανθια")])
		# a site set up before: its copies are removed, queued ones too
		frappe.db.sql(
			"insert into `__global_search` (doctype, name, content, published, title, route) "
			"values ('Beneficiary', %s, 'Γλοβανίδου', 0, '', '')",
			doc.name,
		)
		frappe.cache.lpush(
			"global_search_queue",
			frappe.as_json(
				{
					"doctype": "Beneficiary",
					"name": doc.name,
					"content": "Γλοβανίδου",
					"published": 0,
					"title": "",
					"route": "",
				}
			),
		)
		beneficiary_out_of_global_search.execute()
		sync_global_search()
		self.assertFalse(frappe.db.exists("__global_search", {"doctype": "Beneficiary", "name": doc.name}))

	def test_merge_moves_links_and_fills_empty_fields(self):
		source = make_beneficiary(
			first_name="Σοφία",
			last_name="Νικολάου",
			date_of_birth="1990-02-02",
			gender="Female",
			phone="6900000001",
		)
		target = make_beneficiary(
			first_name="ΣΟΦΙΑ", last_name="NIKOLAOU", date_of_birth="1990-02-02", gender="Female"
		)
		consent = frappe.get_doc(
			{
				"doctype": "Consent",
				"beneficiary": source.name,
				"purposes": [{"consent_purpose": "Τήρηση στο μητρώο ωφελουμένων"}],
			}
		).insert()
		household = frappe.get_doc(
			{"doctype": "Household", "members": [{"beneficiary": source.name, "relationship": "Head"}]}
		).insert()
		from kentro_koinotitas.registry.doctype.beneficiary.beneficiary import merge

		self.assertEqual(merge(source.name, target.name), target.name)
		self.assertFalse(frappe.db.exists("Beneficiary", source.name))
		self.assertEqual(frappe.db.get_value("Consent", consent.name, "beneficiary"), target.name)
		self.assertEqual(frappe.db.get_value("Household", household.name, "head_of_household"), target.name)
		self.assertEqual(frappe.db.get_value("Beneficiary", target.name, "phone"), "+306900000001")

	def test_merge_needs_delete_permission(self):
		from kentro_koinotitas.registry.merge import merge_beneficiaries

		a, b = make_beneficiary(), make_beneficiary(first_name="Πέτρος")
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			merge_beneficiaries(a.name, b.name)
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.ValidationError):
			merge_beneficiaries(a.name, a.name)


class TestBeneficiaryFormHelp(FrappeTestCase):
	"""What the form tells staff while they register a person (issue: rough edges of the flows)."""

	def test_contradicting_amka_gets_one_titled_message_naming_both_fields(self):
		number = identity.make_amka("1985-03-12", "Male", 304)
		frappe.clear_messages()
		make_beneficiary(amka=number, date_of_birth="1986-04-13", gender="Female", first_name="Μαρία")
		[message] = [m for m in frappe.get_message_log() if "AMKA" in str(m.get("title"))]
		self.assertEqual(message.title, "The AMKA does not match the birth date or gender")
		self.assertIn("12-03-1985", message.message)  # what the ΑΜΚΑ says
		self.assertIn("13-04-1986", message.message)  # what was entered
		self.assertIn("the gender entered is Female", message.message)

	def test_matching_amka_gets_no_message(self):
		number = identity.make_amka("1985-03-12", "Female", 305)
		frappe.clear_messages()
		make_beneficiary(amka=number, date_of_birth="1985-03-12", gender="Female", first_name="Ρένα")
		self.assertNotIn("AMKA", messages())

	def test_duplicate_amka_links_the_record_the_user_may_open(self):
		first = make_beneficiary(last_name="Τ<b>εστ")
		with self.assertRaises(DuplicateIdentityNumberError) as caught:
			make_beneficiary(first_name="Άλλος", amka=first.amka)
		self.assertIn(f'/app/beneficiary/{first.name}">', str(caught.exception))
		self.assertNotIn("<b>", str(caught.exception))  # the typed name is escaped

	def test_possible_duplicate_message_links_the_record(self):
		first = make_beneficiary(
			first_name="Σοφία",
			last_name="Λινάρδου",
			amka=None,
			afm=None,
			no_identity_reason="Δεν έχει",
			date_of_birth="1970-02-02",
		)
		frappe.clear_messages()
		make_beneficiary(
			first_name="Σοφια",
			last_name="ΛΙΝΑΡΔΟΥ",
			amka=None,
			afm=None,
			no_identity_reason="Δεν έχει",
			date_of_birth="1970-02-02",
		)
		self.assertIn(f'/app/beneficiary/{first.name}">', messages())

	def test_latin_name_is_the_servers_rule(self):
		from kentro_koinotitas.registry.doctype.beneficiary.beneficiary import latin_name

		for greek in ("Ευθυμίου", "Μπακογιάννη", "Χρυσούλα"):
			self.assertEqual(latin_name(greek), identity.transliterate(greek))
		self.assertEqual(latin_name("Ελένη"), "Eleni")

	def test_latin_name_needs_the_right_to_register(self):
		from kentro_koinotitas.registry.doctype.beneficiary.beneficiary import latin_name
		from kentro_koinotitas.tests.factories import make_user_with_roles

		frappe.set_user(make_user_with_roles("Data Protection Officer"))
		try:
			with self.assertRaises(frappe.PermissionError):
				latin_name("Ελένη")
		finally:
			frappe.set_user("Administrator")

	def test_link_field_results_show_the_birth_date_as_staff_write_it(self):
		doc = make_beneficiary(
			first_name="Ζωή",
			last_name="Ξανθοπούλου",
			date_of_birth="1979-07-05",
			amka=identity.make_amka("1979-07-05", "Female", 306),
		)
		[row] = [r for r in search_link("Beneficiary", "Ξανθοπούλου") if r["value"] == doc.name]
		self.assertIn("05-07-1979", row["description"])
		self.assertNotIn("1979-07-05", row["description"])
