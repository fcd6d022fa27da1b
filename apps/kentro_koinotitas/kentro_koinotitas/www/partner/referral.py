"""`/partner/referral?name=…`: one referral for a signed-in partner user, with the same answers as the
link's page. Frappe checks the CSRF token of every POST of a signed-in user."""

import frappe

from kentro_koinotitas.access.partners import is_partner_user, resolve_login
from kentro_koinotitas.partners import portal

no_cache = 1


def get_context(context):
	frappe.local.lang = "el"
	portal.guard(context)
	if not is_partner_user():
		portal.redirect("/partner")
	name = frappe.form_dict.get("name")
	access = resolve_login(name)
	if access and portal.is_post():
		context.message, context.error = portal.handle_answer(access)
		access = resolve_login(name)
	portal.fill(context, access, form_action="/partner/referral", hidden={"name": name} if access else {})
	if not access and not context.message:
		context.http_status_code = 404
		context.title = "Η παραπομπή δεν είναι διαθέσιμη"
	return context
