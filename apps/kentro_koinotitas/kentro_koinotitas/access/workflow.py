"""The workflow owns its fields, and helpers that key on the ``status`` field each state sets, never on a
state's name.

Frappe checks a change of ``workflow_state`` against the transitions the user's roles may take, but not a
direct write of the field a state sets (``status``), not the roles that may edit a record in its current
state, and "no self-approval" only against the record's owner and only in ``apply_workflow``.
`enforce_workflow` (a ``validate`` hook of Case and Referral) closes all three for every path that saves
a document — the form, REST, ``frappe.client.set_value``, bulk edit and import.
"""

import frappe
from frappe import _
from frappe.core.doctype.version.version import get_diff
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


class WorkflowGuardError(frappe.ValidationError):
	pass


def trusted_server_code() -> bool:
	"""Install, migrate and the demo loader run as Administrator outside any web request."""
	return frappe.session.user == "Administrator" and not getattr(frappe.local, "request", None)


def state_row(workflow, state: str | None):
	return next((s for s in workflow.states if s.state == state), None)


def state_status(workflow, state: str | None) -> str | None:
	row = state_row(workflow, state)
	return row.update_value if row and row.update_field == "status" else None


def enforce_workflow(doc, method=None) -> None:
	"""`validate` of Case and Referral: the status follows the workflow state; a pending state is edited
	only by its editing roles; an approval is given by someone other than who asked for it."""
	workflow = active_workflow(doc.doctype)
	if not workflow or trusted_server_code():
		return
	field = workflow.workflow_state_field
	before = doc.get_doc_before_save()
	state = doc.get(field) or workflow.states[0].state
	if doc.is_new() or not before:
		initial = workflow.states[0]
		if state != initial.state or (doc.status and doc.status != state_status(workflow, initial.state)):
			_refuse_direct_write(doc)
		doc.status = state_status(workflow, initial.state) or doc.status
		return
	previous = before.get(field)
	if state == previous:
		if doc.status != before.status:
			_refuse_direct_write(doc)
		editors = {row.allow_edit for row in workflow.states if row.state == state}
		if editors and not editors.intersection(frappe.get_roles()) and get_diff(before, doc):
			frappe.throw(
				_("In the state {0} only {1} may change this record.").format(
					_(state), ", ".join(sorted(_(role) for role in editors))
				),
				frappe.PermissionError,
				title=_("Not permitted"),
			)
		return
	_check_not_self_approval(doc, workflow, previous, state)
	doc.status = state_status(workflow, state) or doc.status
	if approval_roles(workflow, state):
		doc.approval_requested_by = frappe.session.user


def _refuse_direct_write(doc) -> None:
	frappe.throw(
		_("The status of {0} changes only through its workflow actions (the buttons of the form).").format(
			_(doc.doctype)
		),
		WorkflowGuardError,
		title=_("Not permitted"),
	)


def _check_not_self_approval(doc, workflow, previous: str, state: str) -> None:
	roles = set(frappe.get_roles())
	taken = [
		t
		for t in workflow.transitions
		if t.state == previous and t.next_state == state and t.allowed in roles
	]
	if taken and all(not t.allow_self_approval for t in taken):
		requested_by = doc.get("approval_requested_by") or doc.owner
		if requested_by == frappe.session.user:
			frappe.throw(
				_("You submitted this record for approval: another approver must decide on it."),
				WorkflowGuardError,
				title=_("Self approval is not allowed"),
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
	# in the approvers' language (the site's), not the language of whoever moved the record on
	lang = site_language()
	subject = _("{0} {1} awaits your approval ({2})", lang=lang).format(
		_(doc.doctype, lang=lang), doc.name, _(state, lang=lang)
	)
	notify_users(doc, users, subject, _("Open {0} to approve it or send it back: {1}", lang=lang))


def site_language() -> str:
	return frappe.db.get_single_value("System Settings", "language") or "el"


def notify_users(doc, users: set[str], subject: str, message: str) -> None:
	"""A desk notification and, when outgoing mail is set up, an e-mail through Frappe's queue.
	`message` has the places {0} (the record's name) and {1} (its address)."""
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
		message=message.format(doc.name, frappe.utils.get_url_to_form(doc.doctype, doc.name)),
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
		# the status those states set too: a record whose status says it is already decided (say, a
		# case «Ενεργός» left in a pending state by an import) awaits no one
		statuses = {state_status(workflow, s) for s in states} - {None}
		if states:
			result += [
				{"doctype": doctype, **row}
				for row in frappe.get_list(
					doctype,
					filters={
						workflow.workflow_state_field: ("in", states),
						"approval_requested_by": ("!=", frappe.session.user),
						**({"status": ("in", sorted(statuses))} if statuses else {}),
					},
					fields=["name", "beneficiary_name", "status", "modified"],
					order_by="modified desc",
				)
			]
	# the newest request first, cases and referrals together
	return sorted(result, key=lambda row: row["modified"], reverse=True)
