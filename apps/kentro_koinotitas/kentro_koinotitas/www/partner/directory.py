"""`/partner/directory?organisation=…`: a partner user proposes changes to its organisation's directory
entry; a coordinator approves them (partners/directory.py)."""

import frappe

from kentro_koinotitas.access.partners import can_edit_directory, is_partner_user
from kentro_koinotitas.partners import directory, portal

no_cache = 1
CAPACITY_LABELS = {"": "—", "Available": "Διαθέσιμη", "Limited": "Περιορισμένη", "Full": "Πλήρης"}
DAY_LABELS = {
	"Monday": "Δευτέρα",
	"Tuesday": "Τρίτη",
	"Wednesday": "Τετάρτη",
	"Thursday": "Πέμπτη",
	"Friday": "Παρασκευή",
	"Saturday": "Σάββατο",
	"Sunday": "Κυριακή",
}
EXTRA_ROWS = 2


def rows_from_form(prefix: str, fields) -> list[dict]:
	rows = []
	for index in range(directory.MAX_ROWS):
		row = {field: frappe.form_dict.get(f"{prefix}-{index}-{field}") for field in fields}
		if all(value is None for value in row.values()):
			continue
		rows.append(row)
	return rows


def get_context(context):
	frappe.local.lang = "el"
	portal.guard(context)
	if not is_partner_user():
		portal.redirect("/partner")
	organisation = frappe.form_dict.get("organisation")
	if not can_edit_directory(organisation):
		context.http_status_code = 404
		context.title = "Ο φορέας δεν είναι διαθέσιμος"
		context.valid = False
		return context
	context.valid = True
	context.organisation = organisation
	context.title = f"Στοιχεία καταλόγου: {organisation}"
	if portal.is_post():
		proposal = {field: frappe.form_dict.get(field) for field in directory.ORGANISATION_FIELDS}
		proposal["services"] = rows_from_form("service", directory.SERVICE_FIELDS)
		proposal["opening_hours"] = rows_from_form("hours", ("day_of_week", "from_time", "to_time"))
		try:
			name = directory.propose(organisation, proposal)
		except directory.DirectoryChangeError as error:
			frappe.db.rollback()
			frappe.local.message_log = []
			context.error = str(error)
		else:
			frappe.local.message_log = []
			context.message = (
				"Οι αλλαγές στάλθηκαν για έγκριση στον συντονιστή του Κέντρου."
				if name
				else "Δεν άλλαξε κάτι."
			)
	entry = directory.current_entry(organisation)
	context.entry = entry
	context.services = [*entry["services"], *[{}] * EXTRA_ROWS]
	context.hours = [*entry["opening_hours"], *[{}] * EXTRA_ROWS]
	context.capacity_labels = CAPACITY_LABELS
	context.day_labels = DAY_LABELS
	context.csrf_token = frappe.sessions.get_csrf_token()
	context.pending = frappe.db.count(
		directory.CHANGE, {"partner_organisation": organisation, "status": "Pending"}
	)
	return context
