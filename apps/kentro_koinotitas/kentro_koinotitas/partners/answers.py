"""A partner organisation's answer to a referral, from its link or its partner login.

Every answer is first a Referral Response (the minimal record of what the partner said), then lands on
the Referral through its workflow (the partner's transitions, role Partner: Frappe checks them on save),
appears on the referral's timeline, notifies the referring worker and is written to the access log.
The partner can change no field of the referral but those its answer sets.
"""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.model.workflow import get_transitions
from frappe.utils import getdate, now_datetime, today

from kentro_koinotitas.access import audit
from kentro_koinotitas.access.partners import TOKEN, acting_for
from kentro_koinotitas.access.workflow import active_workflow

# what users read, stored (timeline, notifications) or shown outside the desk, is Greek
STORED = "el"

ACKNOWLEDGE, ACCEPT, DECLINE, OUTCOME, QUESTION = "Acknowledge", "Accept", "Decline", "Outcome", "Question"
ACTIONS = (ACKNOWLEDGE, ACCEPT, DECLINE, OUTCOME, QUESTION)
# The partner's reason for declining -> the centre's Referral Outcome Reason
DECLINE_REASONS = {
	"Not eligible": "Μη επιλέξιμος",
	"No capacity": "Έλλειψη δυναμικότητας του φορέα",
	"Outside our services": "Εκτός αρμοδιότητας του φορέα",
	"Missing documents": "Ελλιπή δικαιολογητικά",
	"Other": "Άλλος λόγος",
}
# The partner's outcome -> (the referral's outcome, its reason)
OUTCOMES = {
	"Service provided": ("Completed successfully", None),
	"Not eligible": ("Completed unsuccessfully", "Μη επιλέξιμος"),
	"Could not contact": ("Completed unsuccessfully", "Αδυναμία επικοινωνίας"),
	"No capacity": ("Completed unsuccessfully", "Έλλειψη δυναμικότητας του φορέα"),
	"Person declined": ("Completed unsuccessfully", "Άρνηση του ωφελούμενου"),
	"Referred elsewhere": ("Completed unsuccessfully", "Παραπομπή σε άλλο φορέα"),
}
NOTE_LIMIT = 2000


class AnswerError(frappe.ValidationError):
	pass


def answer(access: frappe._dict, action: str, **values) -> str:
	"""Record the partner's answer on the referral `access` gives (from `access/partners.py`); returns
	the Referral Response's name. Bad input is refused with a Greek message and nothing is saved."""
	values = _clean(action, values)
	referral = frappe.get_doc("Referral", access.referral)
	with acting_for(access):
		_apply(referral, action, values)
		response = frappe.get_doc(
			{
				"doctype": "Referral Response",
				"referral": referral.name,
				"partner_organisation": access.organisation,
				"centre": referral.from_centre,
				"action": action,
				"responded_on": now_datetime(),
				"responded_by": frappe.session.user,
				"channel": access.channel,
				"access_token": access.token,
				**values,
			}
		).insert(ignore_permissions=True)
		referral.add_comment(
			"Comment",
			_timeline_text(action, values),
			comment_email=frappe.session.user,
			comment_by=_("{0} (partner organisation)", lang=STORED).format(access.organisation),
		)
		_notify_worker(referral, action, access.organisation)
		if access.token:
			frappe.db.set_value(TOKEN, access.token, "last_used_on", now_datetime(), update_modified=False)
		audit.record("Referral", [referral.name], audit.PARTNER_PORTAL, _detail(access, action))
	return response.name


def record_view(access: frappe._dict) -> None:
	"""The partner opened the referral's page: the access log's row (the user: the partner user, or for a
	link the portal's link user, with the link in the detail)."""
	with acting_for(access):
		audit.record("Referral", [access.referral], audit.PARTNER_PORTAL, _detail(access, "View"))
	if access.token:
		frappe.db.set_value(TOKEN, access.token, "last_used_on", now_datetime(), update_modified=False)
		frappe.local.flags.commit = True  # kept from a GET request too


def _detail(access, action: str) -> str:
	via = f"σύνδεσμος {access.token}" if access.token else "σύνδεση φορέα"
	return f"{action} ({via}, {access.organisation})"


def _fail(message: str):
	frappe.throw(message, AnswerError, title=_("The answer was not recorded", lang=STORED))


def _clean(action: str, values: dict) -> dict:
	"""Only the fields of the answer, checked."""
	if action not in ACTIONS:
		_fail(_("Choose one of the answers on the page.", lang=STORED))
	note = (values.get("note") or "").strip()
	if len(note) > NOTE_LIMIT:
		_fail(_("The note is too long (at most {0} characters).", lang=STORED).format(NOTE_LIMIT))
	clean = {"note": note or None}
	if action == DECLINE:
		if values.get("decline_reason") not in DECLINE_REASONS:
			_fail(_("Choose the reason for declining the referral.", lang=STORED))
		clean["decline_reason"] = values["decline_reason"]
	if action == OUTCOME:
		if values.get("outcome") not in OUTCOMES:
			_fail(_("Choose the outcome of the referral.", lang=STORED))
		try:
			outcome_date = getdate(values.get("outcome_date") or today())
		except Exception:
			_fail(_("The outcome date is not a valid date.", lang=STORED))
		if outcome_date > getdate(today()):
			_fail(_("The outcome date cannot be in the future.", lang=STORED))
		clean.update(outcome=values["outcome"], outcome_date=outcome_date)
	if action == QUESTION and not note:
		_fail(_("Write your question to the centre.", lang=STORED))
	return clean


def _apply(referral, action: str, values: dict) -> None:
	if action == QUESTION:
		return
	if action == ACKNOWLEDGE:
		if referral.status != "Sent":
			_fail(_("The receipt of this referral has already been acknowledged.", lang=STORED))
		_move(referral, "Acknowledge Receipt")
	elif action == ACCEPT:
		if referral.outcome:
			_fail(_("An answer on this referral has already been recorded.", lang=STORED))
		if referral.status == "Sent":
			_move(referral, "Acknowledge Receipt", outcome="Accepted")
		else:
			referral.outcome = "Accepted"
			referral.save(ignore_permissions=True)
	elif action == DECLINE:
		_move(
			referral,
			"Decline",
			outcome="Rejected",
			outcome_reason=DECLINE_REASONS[values["decline_reason"]],
			outcome_notes=values["note"],
			outcome_on=today(),
		)
	elif action == OUTCOME:
		if referral.status == "Sent":
			_move(referral, "Acknowledge Receipt")
		outcome, reason = OUTCOMES[values["outcome"]]
		if values["outcome_date"] < getdate(referral.sent_on):
			_fail(_("The outcome date is before the date the referral was sent.", lang=STORED))
		_move(
			referral,
			"Record Outcome",
			outcome=outcome,
			outcome_reason=reason,
			outcome_notes=values["note"],
			outcome_on=values["outcome_date"],
		)


def _move(referral, action: str, **fields) -> None:
	"""Take the workflow action as the current (partner) user, setting the answer's fields in the same
	save. Frappe's `validate_workflow` checks on save that the user's roles allow the transition."""
	workflow = active_workflow("Referral")
	transition = next((t for t in get_transitions(referral, workflow) if t.action == action), None)
	if not transition:
		_fail(_("This answer is not possible in the referral's current state.", lang=STORED))
	state = next(s for s in workflow.states if s.state == transition.next_state)
	referral.update(fields)
	referral.set(workflow.workflow_state_field, state.state)
	if state.update_field:
		referral.set(state.update_field, state.update_value)
	referral.save(ignore_permissions=True)
	referral.add_comment("Workflow", _(state.state))


def _timeline_text(action: str, values: dict) -> str:
	text = {
		ACKNOWLEDGE: _("Acknowledged receipt of the referral.", lang=STORED),
		ACCEPT: _("Accepted the referral.", lang=STORED),
		DECLINE: _("Declined the referral: {0}.", lang=STORED).format(_(values.get("decline_reason") or "")),
		OUTCOME: _("Outcome: {0} ({1}).", lang=STORED).format(
			_(values.get("outcome") or ""), frappe.format(values.get("outcome_date"), "Date")
		),
		QUESTION: _("Question to the centre:", lang=STORED),
	}[action]
	if values.get("note"):
		text += " " + frappe.utils.escape_html(values["note"])
	return text


def _notify_worker(referral, action: str, organisation: str) -> None:
	subject = {
		ACKNOWLEDGE: _("{0} acknowledged referral {1}", lang=STORED),
		ACCEPT: _("{0} accepted referral {1}", lang=STORED),
		DECLINE: _("{0} declined referral {1}", lang=STORED),
		OUTCOME: _("{0} recorded the outcome of referral {1}", lang=STORED),
		QUESTION: _("{0} asked a question about referral {1}", lang=STORED),
	}[action].format(organisation, referral.name)
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Referral",
			"document_name": referral.name,
			"subject": subject,
			"from_user": "Administrator",
		},
		[referral.owner],
	)
