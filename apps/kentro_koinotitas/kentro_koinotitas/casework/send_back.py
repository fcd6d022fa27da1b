"""«Επιστροφή» (Send Back) with its reason: the coordinator's action on a case or referral that awaits
approval, its reason written to the record's timeline and sent to the worker who asked for the approval
(a desk notification, Frappe's Notification Log). One transaction: the action, the comment and the
notification happen together or not at all."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.model.workflow import apply_workflow
from frappe.utils import escape_html

SEND_BACK = "Send Back"
DOCTYPES = ("Case", "Referral")
MAX_REASON = 1000


def check_reason(reason: str | None) -> str:
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Write why the record is sent back: the worker reads it."), title=_("Reason missing"))
	if len(reason) > MAX_REASON:
		frappe.throw(_("The reason may have at most {0} characters.").format(MAX_REASON))
	return reason


@frappe.whitelist(methods=["POST"])
def send_back(doctype: str, name: str, reason: str) -> dict:
	"""Apply the workflow's «Send Back» as the current user (roles, state and condition are the workflow's)
	and tell the worker why."""
	if doctype not in DOCTYPES:
		frappe.throw(_("Only cases and referrals are sent back."), frappe.PermissionError)
	reason = check_reason(reason)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("write")
	worker = doc.get("approval_requested_by") or doc.owner
	doc = apply_workflow(doc, SEND_BACK)
	doc.add_comment("Comment", _("Sent back. Reason: {0}").format(escape_html(reason)))
	if worker and worker != frappe.session.user:
		# in this transaction (not a queued job): the worker is told exactly when the record changes
		make_notification_logs(
			frappe._dict(
				{
					"type": "Alert",
					"document_type": doctype,
					"document_name": name,
					"subject": _("Sent back to you: {0} {1}. Reason: {2}").format(
						_(doctype), name, escape_html(reason)
					),
					"email_content": escape_html(reason),
					"from_user": frappe.session.user,
				}
			),
			[worker],
		)
	return {"name": doc.name, "status": doc.status}
