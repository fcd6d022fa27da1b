from frappe.tests.utils import FrappeTestCase

from kentro_koinotitas.registry.transliteration import fold, name_tokens, prefixes, query_words

# (Greek, spellings staff type for it): each spelling must fold to the Greek word's form
VARIANTS = {
	"Χρήστος": ("Christos", "Hristos", "Xristos", "Khristos", "CHRISTOS", "χρηστος"),  # χ: ch/h/x/kh
	"Χαρίκλεια": ("Charikleia", "Harikleia", "Xarikleia", "Hariklia"),
	"Βασίλης": ("Vasilis", "Basilis", "Vassilis"),  # β: v/b, doubled letters
	"Δημήτρης": ("Dimitris", "Dhimitris", "Dimitrys", "Dymytrys"),  # δ: d/dh; η/ι/υ: i/y
	"Θεόδωρος": ("Theodoros", "Theodwros"),  # θ: th; ω: o/w
	"Φίλιππος": ("Filippos", "Philippos", "Filipos"),  # φ: f/ph
	"Ξανθή": ("Xanthi", "Ksanthi"),  # ξ: x/ks
	"Ψαρράς": ("Psarras", "Psaras"),
	"Ειρήνη": ("Eirini", "Irini", "Eiryni"),  # ει: ei/i
	"Οικονόμου": ("Oikonomou", "Ikonomou", "Oikonomu"),  # οι: oi/i; ου: ou/u
	"Καίτη": ("Kaiti", "Keti"),  # αι: ai/e
	"Σταύρος": ("Stavros", "Stauros"),  # αυ: av/au
	"Ευστάθιος": ("Efstathios", "Eustathios", "Evstathios"),  # ευ: ef/ev/eu
	"Μπάμπης": ("Bampis", "Babis", "Mpampis"),  # μπ: b/mp
	"Βαμβακάς": ("Vamvakas", "Bambakas", "Bamvakas"),  # μβ: mv/mb
	"Λάμπρος": ("Lampros", "Lambros", "Labros"),
	"Ντίνα": ("Ntina", "Dina"),  # ντ: nt/d
	"Ανδρέας": ("Andreas", "Antreas"),
	"Αγγελική": ("Angeliki", "Aggeliki", "Agkeliki"),  # γγ, γκ: ng/gg/gk
	"Γιάννης": ("Giannis", "Yiannis", "Gianis"),  # γι: gi/yi
	"Κώστας": ("Kostas", "Costas"),  # κ: k/c
	"Χρυσούλα": ("Chrysoula", "Hrisoula", "Xrisula"),  # υ: y/i
}


class TestTransliteration(FrappeTestCase):
	def test_every_informal_spelling_folds_like_the_greek_name(self):
		for greek, spellings in VARIANTS.items():
			for spelling in spellings:
				self.assertEqual(fold(spelling), fold(greek), msg=f"{spelling} for {greek}")

	def test_accents_case_and_final_sigma_do_not_matter(self):
		forms = ("Νίκος", "ΝΙΚΟΣ", "νικοσ", "Νικος", "NIKOS", "nikos")
		self.assertEqual({fold(form) for form in forms}, {"nikos"})
		self.assertEqual(fold("Αϊδίνης"), fold("Aidinis"))  # diaeresis
		self.assertEqual(fold("Ευδοκία"), fold("ΕΥΔΟΚΙΑ"))

	def test_different_names_stay_apart(self):
		for one, other in (("Μαρία", "Μάριος"), ("Νίκος", "Νίκη"), ("Παπαδάκης", "Παπαδόπουλος")):
			self.assertNotEqual(fold(one), fold(other))

	def test_compound_names_give_each_word(self):
		self.assertEqual(name_tokens("Παπαδόπουλος-Νικολάου"), [fold("Παπαδόπουλος"), fold("Νικολάου")])

	def test_a_word_being_typed_looks_up_the_completions_of_its_last_letter(self):
		self.assertIn(fold("Λαμπράκη")[:3], prefixes("Λαμ"))
		self.assertIn(fold("Θεόδωρος")[:1], prefixes("Τ"))
		self.assertEqual(prefixes("Παπαδ"), ["papad"])

	def test_query_words(self):
		for phone in ("+30 698 765 4321", "6987654321", "(+30) 698-765-4321", "306987654321"):
			self.assertEqual([w.token for w in query_words(phone)], ["6987654321"], msg=phone)
		words = query_words("Παπαδόπουλος AN-998877 Δημ")
		self.assertEqual(
			[(w.token, w.is_identifier) for w in words],
			[("papadopulos", False), ("an998877", True), ("dim", False)],
		)
		self.assertEqual(words[0].prefixes, ("papadopulos",))  # a whole word: no completions
		self.assertEqual(query_words("   "), [])
		self.assertLessEqual(len(query_words("α β γ δ ε ζ η θ")), 5)
