"""Every label, option, description and message of the app exists in Greek."""

import re

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


# Frappe strings the app's users meet, whose Greek the app ships (translations/el.csv overrides Frappe's)
FRAPPE_STRINGS = (
	"Search or type a command ({0})",
	"Search for {0}",
	"No Results found",
	"Tools",
	"Build",
	"Connections",
	"Email",
	"List View",
	"Edit Filters",
	"You created this",
	"You last edited this",
	"{0} viewed this",
	"You changed the value of {0} {1}",
	"commented",
	"Type a reply / comment",
	"This form is not editable due to a Workflow.",
	"Events",
	"What's New",
	"See all Activity",
	"No New notifications",
	"Looks like you haven’t received any notifications.",
	"Total",
	"Try the new Print Designer",
	"Previous Document",
	"Next Document",
	"Copy to Clipboard",
	"Remind Me",
	"Undo",
	"Redo",
	"No.",
	"Doc Type",
	"DocType",
	"You haven't created a {0} yet",
	"Awaiting My Approval",
	"Centre Indicators",
	"Main centre",
	"Roma branch",
	"Could not find {0}",
)


def test_frappes_strings_on_the_desk_read_in_greek():
	frappe.local.lang = "el"
	try:
		for source in FRAPPE_STRINGS:
			greek = frappe._(source)
			assert not re.search(r"[A-Za-z]", greek), f"{source!r} reads {greek!r}"
			assert re.findall(r"\{\d\}", greek) == re.findall(r"\{\d\}", source), source
	finally:
		frappe.local.lang = "en"


def test_phrases_built_from_a_doctype_name_fit_every_gender():
	frappe.local.lang = "el"
	try:
		for doctype in ("Beneficiary", "Front Desk Visit", "Referral", "Consent", "Case"):
			for phrase in (
				"New {0}",
				"Create a new {0}",
				"Create your first {0}",
				"You haven't created a {0} yet",
			):
				greek = frappe._(phrase).format(frappe._(doctype))
				assert not re.search(r"\b(Νέο|νέου|Νέος|Νέα) " + frappe._(doctype), greek), greek
		assert frappe._("New {0}").format(frappe._("Front Desk Visit")) == "Νέα εγγραφή: Επίσκεψη Υποδοχής"
		assert (frappe._("No"), frappe._("Yes"), frappe._("Print")) == ("Όχι", "Ναι", "Εκτύπωση")
		assert frappe._("Show Totals") == "Εμφάνιση συνόλων"
		assert frappe._("Follow") == "Παρακολούθηση"
		# one gender per option list: the need levels and the report periods
		assert [frappe._(level) for level in ("Low", "Medium", "High", "Urgent")] == [
			"Χαμηλή",
			"Μέτρια",
			"Υψηλή",
			"Επείγουσα",
		]
		assert [frappe._(p) for p in ("Monthly", "Quarterly", "Yearly")] == [
			"Μηνιαία",
			"Τριμηνιαία",
			"Ετήσια",
		]
	finally:
		frappe.local.lang = "en"
