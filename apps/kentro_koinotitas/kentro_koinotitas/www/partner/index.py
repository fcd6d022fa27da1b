"""`/partner`: a partner user's open referrals (and their directory entry); for a visitor, sign-in by
e-mail link (partners/login.py)."""

import frappe

from kentro_koinotitas.access.partners import is_partner_user, partner_organisations, partner_referrals
from kentro_koinotitas.partners import login, portal
from kentro_koinotitas.partners.disclosure import STATUS, greek_date

no_cache = 1


def get_context(context):
	frappe.local.lang = "el"
	portal.guard(context)
	context.title = "Πύλη συνεργαζόμενων φορέων"
	if frappe.form_dict.get("key") and frappe.session.user == "Guest":
		if login.sign_in(frappe.form_dict.key):
			portal.redirect("/partner")
		context.error = "Ο σύνδεσμος σύνδεσης δεν ισχύει ή χρησιμοποιήθηκε ήδη. Ζητήστε νέο."
	if frappe.session.user == "Guest":
		context.signed_in = False
		if portal.is_post():
			login.send_link(frappe.form_dict.get("email"))
			context.message = (
				"Αν η διεύθυνση ανήκει σε λογαριασμό συνεργαζόμενου φορέα, θα λάβετε σε λίγο email με "
				"σύνδεσμο σύνδεσης."
			)
		return context
	if not is_partner_user():
		context.signed_in = False
		context.error = "Ο λογαριασμός σας δεν είναι λογαριασμός συνεργαζόμενου φορέα."
		return context
	context.signed_in = True
	context.organisations = partner_organisations()
	context.referrals = [
		{**row, "sent_on": greek_date(row.sent_on), "status_label": STATUS.get(row.status, row.status)}
		for row in partner_referrals()
	]
	return context
