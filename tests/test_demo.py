"""The demo loader, at a small size: fixtures load, every DocType gets records, and nothing is real."""

import frappe
from kentro_koinotitas.access.centres import user_centres
from kentro_koinotitas.demo import loader
from stdnum.gr import amka, vat

DOCTYPES = [
	"Community Centre", "Beneficiary", "Household", "Consent", "Front Desk Visit", "Case", "Service Delivery",
	"Programme Application", "Referral", "Group Activity",
]  # fmt: skip


def test_demo_fixtures_cover_every_doctype():
	loader.load_centres()
	loader.load_users()
	centres = [c["centre_name"] for c in loader.read_fixture("centres.json")]
	roma_mediator = "diamesolavitis.roma@demo.kentro.gr"
	assert user_centres(roma_mediator) == (centres[2],)
	assert "Mediator and Pedagogue" in frappe.get_roles(roma_mediator)
	assert frappe.db.get_value("Community Centre", centres[2], "parent_community_centre") == centres[1]
	created = loader.load_registry({centre: 12 for centre in centres})
	assert created == 36
	assert loader.load_casework() > 0
	for doctype in DOCTYPES:
		assert frappe.db.count(doctype) > 0, doctype
	people = frappe.get_all(
		"Beneficiary", filters={"home_centre": ("in", centres)}, fields=["amka", "afm", "home_centre"]
	)
	assert len(people) == 36
	assert all(amka.is_valid(p.amka) for p in people if p.amka)
	assert all(vat.is_valid(p.afm) for p in people if p.afm)
	assert {p.home_centre for p in people} == set(centres)
	assert loader.load_registry({centre: 12 for centre in centres}) == 0, "a second load adds nothing"
