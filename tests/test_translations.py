"""Every label, option, description and message of the app exists in Greek."""

import frappe
from frappe.translate import get_all_translations
from kentro_koinotitas.setup.ui_strings import collect


def test_every_user_facing_string_has_a_greek_translation():
	frappe.cache.delete_key("translation_assets")
	greek = get_all_translations("el")
	strings = collect()
	assert len(strings) > 150
	missing = sorted(s for s in strings if not greek.get(s))
	assert not missing, f"{len(missing)} strings have no el translation: {missing[:20]}"


def test_translations_are_served_to_the_desk_in_greek():
	frappe.local.lang = "el"
	try:
		assert frappe._("Beneficiary") == "Ωφελούμενος"
		assert frappe._("Community Centre") == "Κέντρο Κοινότητας"
	finally:
		frappe.local.lang = "en"
