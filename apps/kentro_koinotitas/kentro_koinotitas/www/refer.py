"""`/refer`: an agency refers a person to a community centre without an account (casework/referrals_in.py);
`/refer/<token>` (hooks: website_route_rules): the status of a referral, from the link the agency got.

Every submission counts against a rate limit per IP address and must pass the human check
(casework/public_form.py); every status request counts against its own limit, and a token that matches
nothing gets the same page, with the same status (404), as one that never existed."""

import frappe

from kentro_koinotitas.casework import public_form, referrals_in

no_cache = 1


def get_context(context):
	frappe.local.lang = "el"
	context.no_cache = 1
	context.no_breadcrumbs = 1
	token = frappe.form_dict.get("token")
	if token is not None:
		return status_page(context, token)
	context.title = "Παραπομπή ατόμου σε Κέντρο Κοινότητας"
	context.update(referrals_in.choices())
	context.values = {}
	if frappe.request and frappe.request.method == "POST":
		public_form.count_request("refer")
		context.values = {field: frappe.form_dict.get(field) or "" for field in referrals_in.FIELDS}
		try:
			public_form.check_human(
				frappe.form_dict.get("challenge"),
				frappe.form_dict.get("answer"),
				frappe.form_dict.get(public_form.HONEYPOT),
			)
			values = referrals_in.clean(frappe.form_dict)
			context.reference, token = referrals_in.submit(values)
		except public_form.HumanCheckFailed:
			context.error = "Η απάντηση στην ερώτηση ελέγχου δεν είναι σωστή ή άργησε. Δοκιμάστε ξανά."
		except referrals_in.ReferralInError as error:
			context.error = str(error)
		else:
			context.status_url = frappe.utils.get_url(f"/refer/{token}")
			context.title = "Η παραπομπή στάλθηκε"
			return context  # Frappe commits a POST request's writes when it ends
	context.challenge = public_form.new_challenge()
	return context


def status_page(context, token: str):
	public_form.count_request("refer-status")
	context.referral_status = referrals_in.status_of(token)
	context.title = "Πορεία παραπομπής" if context.referral_status else "Ο σύνδεσμος δεν είναι έγκυρος"
	if not context.referral_status:
		context.http_status_code = 404
	return context
