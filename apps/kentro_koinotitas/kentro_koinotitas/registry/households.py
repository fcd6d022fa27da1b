"""Creating and joining a household: the one way the Household form and the Registry Import do it.

A household is named after its head's surname ("Household Παπαδόπουλος"), is kept at the head's home
centre, and a member added without a stated relationship counts as another relative of the head.
"""

from collections.abc import Iterable

import frappe
from frappe import _
from frappe.model.document import Document

HEAD = "Head"
DEFAULT_RELATIONSHIP = "Other relative"


def household_name(surname: str | None) -> str:
	"""The name a household gets when staff leave it empty."""
	return _("Household {0}").format((surname or "").strip())


def member_row(beneficiary: str, relationship: str | None = None) -> dict:
	return {"beneficiary": beneficiary, "relationship": relationship or DEFAULT_RELATIONSHIP}


def new_household(head: Document, members: Iterable[tuple[str, str | None]] = ()) -> dict:
	"""The Household record headed by `head` (a saved Beneficiary) with the other `members`, given as
	(beneficiary, relationship to the head) pairs; unsaved, so a batch can check and write it in bulk."""
	return {
		"doctype": "Household",
		"household_name": household_name(head.last_name),
		"head_of_household": head.name,
		"centre": head.home_centre,
		"members": [member_row(head.name, HEAD), *(member_row(*member) for member in members)],
	}


def create(head: Document, members: Iterable[tuple[str, str | None]] = ()) -> Document:
	"""Save a new household headed by `head`; its members' records then point at it."""
	household = frappe.get_doc(new_household(head, members)).insert()
	head.household = household.name
	return household


def join(household: str, beneficiary: Document, relationship: str | None = None) -> Document:
	"""Add a beneficiary to an existing household (the household's rules run as on its form)."""
	doc = frappe.get_doc("Household", household)
	doc.append("members", member_row(beneficiary.name, relationship))
	doc.save()
	beneficiary.household = doc.name
	return doc
