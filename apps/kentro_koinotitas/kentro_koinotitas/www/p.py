"""The page a partner organisation reaches from its link, `/p/<token>` (hooks: website_route_rules),
without an account. Answers are POSTed to `/p` with the token in the body (partners/portal.py)."""

import frappe

from kentro_koinotitas.access.partners import resolve_token
from kentro_koinotitas.partners import portal

no_cache = 1


def get_context(context):
	frappe.local.lang = "el"
	portal.guard(context)
	token = frappe.form_dict.get("token")
	access = resolve_token(token)
	if access and portal.is_post():
		context.message, context.error = portal.handle_answer(access)
		access = resolve_token(token)  # a closing answer ends the link
	portal.fill(context, access, form_action="/p", hidden={"token": token} if access else {})
	if not access and not context.message:
		context.http_status_code = 404
		context.title = "Ο σύνδεσμος δεν είναι έγκυρος"
	return context
