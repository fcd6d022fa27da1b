"""Workflow helpers that key on the ``status`` field each state sets, never on a state's name."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.model.workflow import apply_workflow, get_transitions, get_workflow_name
from frappe.permissions import has_permission
from frappe.utils.user import get_users_with_role


def active_workflow(doctype: str):
	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None


def states_with_status(workflow, status: str) -> set[str]:
	return {s.state for s in workflow.states if s.update_field == "status" and s.update_value == status}


def state_for_status(doctype: str, status: str) -> str | None:
	"""The first workflow state that sets this status (for records loaded outside the workflow)."""
	workflow = active_workflow(doctype)
	if not workflow:
		return None
	return next(iter(sorted(states_with_status(workflow, status))), None)


def transition_to_status(doc, status: str):
	"""Move the document to the given status through the workflow action that leads there, as the
	current user (roles, conditions and self-approval apply). Without an active workflow, set it."""
	workflow = active_workflow(doc.doctype)
	if not workflow:
		doc.status = status
		doc.save()
		return doc
	targets = states_with_status(workflow, status)
	for transition in get_transitions(doc, workflow):
		if transition.next_state in targets:
			return apply_workflow(doc, transition.action)
	frappe.throw(
		_("You cannot move {0} {1} to the status {2} from its current state.").format(
			_(doc.doctype), doc.name, _(status)
		),
		frappe.PermissionError,
	)


def approval_roles(workflow, state: str) -> set[str]:
	"""Roles that act on a state whose every way out is an approval (no self-approval)."""
	outgoing = [t for t in workflow.transitions if t.state == state]
	if not outgoing or not any(not t.allow_self_approval for t in outgoing):
		return set()
	return {t.allowed for t in outgoing}


def notify_approvers(doc, method=None) -> None:
	"""Tell the users who can approve (and may see the record) that it awaits them: a desk notification
	and an e-mail through Frappe's e-mail queue."""
	workflow = active_workflow(doc.doctype)
	if not workflow or not doc.has_value_changed(workflow.workflow_state_field):
		return
	state = doc.get(workflow.workflow_state_field)
	users = {
		user
		for role in approval_roles(workflow, state)
		for user in get_users_with_role(role)
		if user != frappe.session.user and has_permission(doc.doctype, "read", doc=doc, user=user)
	}
	if not users:
		return
	subject = _("{0} {1} awaits your approval ({2})").format(_(doc.doctype), doc.name, _(state))
	enqueue_create_notification(
		sorted(users),
		{
			"type": "Alert",
			"document_type": doc.doctype,
			"document_name": doc.name,
			"subject": subject,
			"from_user": frappe.session.user,
		},
	)
	if not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		return  # no outgoing mail configured yet: the desk notification is the only channel
	frappe.sendmail(
		recipients=sorted(users),
		subject=subject,
		message=_("Open {0} to approve it or send it back: {1}").format(
			doc.name, frappe.utils.get_url_to_form(doc.doctype, doc.name)
		),
		reference_doctype=doc.doctype,
		reference_name=doc.name,
	)


@frappe.whitelist()
def awaiting_my_approval() -> list[dict]:
	"""Cases and referrals in a state the current user may approve, within the centres they see."""
	roles = set(frappe.get_roles())
	result = []
	for doctype in ("Case", "Referral"):
		workflow = active_workflow(doctype)
		if not workflow:
			continue
		states = [s for s in {t.state for t in workflow.transitions} if approval_roles(workflow, s) & roles]
		if states:
			result += [
				{"doctype": doctype, **row}
				for row in frappe.get_list(
					doctype,
					filters={
						workflow.workflow_state_field: ("in", states),
						"owner": ("!=", frappe.session.user),
					},
					fields=["name", "beneficiary_name", "status", "modified"],
					order_by="modified asc",
				)
			]
	return result
