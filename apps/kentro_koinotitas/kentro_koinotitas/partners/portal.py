"""The partner's pages outside the desk (`www/p.py` for a link, `www/partner/` for a partner login): the
request handling they share.

- **Rate limit**: every page request (GET or POST, valid token or not) counts against the caller's IP
  address through Frappe's `rate_limit` (`PAGE_LIMIT` per `PAGE_WINDOW` seconds, site config
  `kentro_partner_rate_limit`); past it the answer is 429.
- **No enumeration**: a wrong, expired or revoked token, a closed referral or a withdrawn consent all
  get the same page with the same status (404).
- **Cross-site requests**: a link's forms POST to `/p` with the token in the body, a secret a forging site
  does not have; the session cookie is SameSite=Lax, so a cross-site POST arrives without the partner
  user's session, and a signed-in partner's forms carry Frappe's CSRF token, which Frappe checks on every
  POST.
- **Caching**: the pages are never cached (`no_cache`), and tell browsers and proxies not to store them
  nor send the link as a referrer.
"""

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, today

from kentro_koinotitas.partners import answers
from kentro_koinotitas.partners.disclosure import consent_receipt, partner_view

PAGE_LIMIT = 60
PAGE_WINDOW = 10 * 60
SCOPE_FIELD = "kentro_rate_scope"
PORTAL_PATHS = ("/p/", "/partner")

DECLINE_LABELS = {
	"Not eligible": "Το άτομο δεν είναι επιλέξιμο",
	"No capacity": "Δεν έχουμε διαθέσιμη θέση",
	"Outside our services": "Δεν είναι στις υπηρεσίες μας",
	"Missing documents": "Λείπουν δικαιολογητικά",
	"Other": "Άλλος λόγος (γράψτε τον στη σημείωση)",
}
OUTCOME_LABELS = {
	"Service provided": "Η υπηρεσία δόθηκε",
	"Not eligible": "Δεν ήταν επιλέξιμο",
	"Could not contact": "Δεν μπορέσαμε να επικοινωνήσουμε",
	"No capacity": "Δεν είχαμε διαθέσιμη θέση",
	"Person declined": "Το άτομο αρνήθηκε",
	"Referred elsewhere": "Παραπέμφθηκε σε άλλο φορέα",
}
DONE = {
	answers.ACKNOWLEDGE: "Επιβεβαιώσατε την παραλαβή. Ευχαριστούμε.",
	answers.ACCEPT: "Αποδεχτήκατε την παραπομπή. Ευχαριστούμε.",
	answers.DECLINE: "Καταγράψαμε ότι δεν αναλαμβάνετε την παραπομπή. Η παραπομπή έκλεισε.",
	answers.OUTCOME: "Καταγράψαμε την έκβαση. Η παραπομπή έκλεισε.",
	answers.QUESTION: "Η ερώτησή σας στάλθηκε στο Κέντρο. Θα σας απαντήσουν στα στοιχεία σας.",
}
ANSWER_FIELDS = ("decline_reason", "outcome", "outcome_date", "note")


def page_limit() -> int:
	return cint(frappe.conf.get("kentro_partner_rate_limit")) or PAGE_LIMIT


@rate_limit(key=SCOPE_FIELD, limit=page_limit, seconds=PAGE_WINDOW)
def _count_request() -> None:
	pass


def guard(context, scope: str = "partner-portal") -> None:
	"""Every partner page request counts against the rate limit; the page is never cached."""
	frappe.form_dict[SCOPE_FIELD] = scope
	try:
		_count_request()
	finally:
		frappe.form_dict.pop(SCOPE_FIELD, None)
	context.no_cache = 1
	context.no_breadcrumbs = 1


def after_request(response, request) -> None:
	"""`after_request` hook: the partner's pages stay out of caches, search engines and Referer headers."""
	if response is None or not (request.path == "/p" or request.path.startswith(PORTAL_PATHS)):
		return
	response.headers["Cache-Control"] = "no-store"
	response.headers["Referrer-Policy"] = "no-referrer"
	response.headers["X-Robots-Tag"] = "noindex"
	response.headers["X-Frame-Options"] = "DENY"


def redirect(location: str):
	"""A temporary redirect from a page's `get_context` (Frappe's default is a permanent one)."""
	frappe.local.flags.redirect_location = location
	error = frappe.Redirect()
	error.http_status_code = 302
	raise error


def is_post() -> bool:
	return bool(getattr(frappe.local, "request", None)) and frappe.request.method == "POST"


def handle_answer(access: frappe._dict) -> tuple[str | None, str | None]:
	"""A POSTed answer: (confirmation, error) in Greek. On an error nothing is saved."""
	action = frappe.form_dict.get("action")
	values = {field: frappe.form_dict.get(field) for field in ANSWER_FIELDS}
	try:
		answers.answer(access, action, **values)
	except answers.AnswerError as error:
		frappe.db.rollback()
		frappe.local.message_log = []
		frappe.clear_last_message()
		return None, str(error)
	frappe.local.message_log = []
	return DONE.get(action), None


def fill(context, access: frappe._dict | None, *, form_action: str, hidden: dict) -> None:
	"""The page's context for an open referral the partner may see."""
	context.valid = bool(access)
	context.form_action = form_action
	context.hidden = hidden
	context.decline_labels = DECLINE_LABELS
	context.outcome_labels = OUTCOME_LABELS
	context.today = today()
	context.csrf_token = frappe.sessions.get_csrf_token() if frappe.session.user != "Guest" else None
	if not access:
		return
	context.view = partner_view(access.referral)
	context.receipt = consent_receipt(access.referral)
	context.title = f"Παραπομπή {context.view.name}"
	answers.record_view(access)
