"""The Case and Referral workflows, shipped as Workflow records that municipal IT edits in the Workflow
Builder. Each state sets the document's ``status`` field (``update_field``/``update_value``): the app's
rules read ``status`` and never a state's name, so states can be renamed or added from the desk.

Installed once: a workflow that already exists (perhaps edited by IT) is left as it is.
"""

import frappe

from kentro_koinotitas.access.transfers import staff_condition as transfer_condition
from kentro_koinotitas.setup.roles import COORDINATOR, DATA_PROTECTION_OFFICER, PARTNER, PROFESSIONALS

STYLES = {
	"Open": "Primary",
	"Closed": "Success",
	"Cancelled": "Inverse",
	"Rejected": "Danger",
	"Refused": "Danger",
	"Expired": "Inverse",
}


def _state(name: str, status: str, editors: tuple[str, ...]) -> list[dict]:
	return [
		{
			"state": name,
			"doc_status": "0",
			"update_field": "status",
			"update_value": status,
			"allow_edit": role,
		}
		for role in editors
	]


def _transition(
	state: str,
	action: str,
	next_state: str,
	roles: tuple[str, ...],
	self_approval: int = 1,
	condition: str | None = None,
) -> list[dict]:
	return [
		{
			"state": state,
			"action": action,
			"next_state": next_state,
			"allowed": role,
			"allow_self_approval": self_approval,
			**({"condition": condition} if condition else {}),
		}
		for role in roles
	]


# The worker's step: a coordinator (who holds Social Worker too) is offered it only on a case they opened
# or handle, not on every case of the team sent back to its worker (Frappe evaluates the condition for
# the menu and again when the action is applied)
WORKER_STEP_CONDITION = (
	"doc.owner == frappe.session.user or doc.assigned_to == frappe.session.user"
	" or not frappe.db.get_value('Has Role', {'parent': frappe.session.user, 'parenttype': 'User',"
	f" 'role': '{COORDINATOR}'}})"
)


STAFF = (*PROFESSIONALS, COORDINATOR)
APPROVER = (COORDINATOR,)
# The partner organisation answers a referral it received (partners/answers.py): from its link or login
PARTNERS = (PARTNER,)
PARTNER_TRANSITIONS = [
	*_transition("Sent", "Acknowledge Receipt", "Acknowledged", PARTNERS),
	*_transition("Sent", "Decline", "Rejected", PARTNERS),
	*_transition("Acknowledged", "Decline", "Rejected", PARTNERS),
	*_transition("Acknowledged", "Record Outcome", "Completed", PARTNERS),
]

CASE_WORKFLOW = {
	"workflow_name": "Case Workflow",
	"document_type": "Case",
	"states": [
		*_state("Open", "Open", STAFF),
		*_state("Assessment", "Assessment", STAFF),
		*_state("Action Plan Pending Approval", "Action Plan Pending Approval", APPROVER),
		*_state("Active", "Active", STAFF),
		*_state("Closure Pending Approval", "Closure Pending Approval", APPROVER),
		*_state("Closed", "Closed", APPROVER),
	],
	"transitions": [
		*_transition("Open", "Start Assessment", "Assessment", STAFF),
		*_transition(
			"Assessment",
			"Submit Action Plan",
			"Action Plan Pending Approval",
			STAFF,
			condition=WORKER_STEP_CONDITION,
		),
		*_transition("Action Plan Pending Approval", "Approve", "Active", APPROVER, self_approval=0),
		*_transition("Action Plan Pending Approval", "Send Back", "Assessment", APPROVER),
		*_transition("Active", "Request Closure", "Closure Pending Approval", STAFF),
		*_transition("Closure Pending Approval", "Approve Closure", "Closed", APPROVER, self_approval=0),
		*_transition("Closure Pending Approval", "Send Back", "Active", APPROVER),
		*_transition("Closed", "Reopen", "Open", APPROVER),
	],
}

REFERRAL_WORKFLOW = {
	"workflow_name": "Referral Workflow",
	"document_type": "Referral",
	"states": [
		*_state("Draft", "Draft", STAFF),
		*_state("Pending Approval", "Pending Approval", APPROVER),
		*_state("Sent", "Sent", STAFF),
		*_state("Acknowledged", "Acknowledged", (*STAFF, *PARTNERS)),
		*_state("Completed", "Completed", APPROVER),
		*_state("Rejected", "Rejected", APPROVER),
		*_state("Cancelled", "Cancelled", APPROVER),
		*_state("Expired", "Expired", APPROVER),
	],
	"transitions": [
		*_transition("Draft", "Submit for Approval", "Pending Approval", STAFF),
		*_transition("Pending Approval", "Approve and Send", "Sent", APPROVER, self_approval=0),
		*_transition("Pending Approval", "Send Back", "Draft", APPROVER),
		*_transition("Sent", "Record Acknowledgement", "Acknowledged", STAFF),
		*_transition("Sent", "Record Rejection", "Rejected", STAFF),
		*_transition("Acknowledged", "Record Completion", "Completed", STAFF),
		*_transition("Acknowledged", "Record Rejection", "Rejected", STAFF),
		*PARTNER_TRANSITIONS,
		*_transition("Sent", "Mark Expired", "Expired", APPROVER),
		*[
			row
			for state in ("Draft", "Pending Approval", "Sent", "Acknowledged")
			for row in _transition(state, "Cancel", "Cancelled", STAFF)
		],
	],
}

DPO = (DATA_PROTECTION_OFFICER,)
# Data subject requests (GDPR Art. 15-21): the Data Protection Officer alone acts on them
DATA_SUBJECT_REQUEST_WORKFLOW = {
	"workflow_name": "Data Subject Request Workflow",
	"document_type": "Data Subject Request",
	"states": [
		row
		for state in ("Received", "Identity verified", "In progress", "Extended", "Completed", "Refused")
		for row in _state(state, state, DPO)
	],
	"transitions": [
		*_transition("Received", "Verify Identity", "Identity verified", DPO),
		*_transition("Identity verified", "Start Processing", "In progress", DPO),
		*_transition("In progress", "Extend Deadline", "Extended", DPO),
		*[
			row
			for state in ("In progress", "Extended")
			for action, target in (("Complete", "Completed"), ("Refuse", "Refused"))
			for row in _transition(state, action, target, DPO)
		],
		*_transition("Received", "Refuse", "Refused", DPO),
		*_transition("Identity verified", "Refuse", "Refused", DPO),
	],
}

# Transfers of a case between centres (casework/transfers.py): the receiving centre's coordinator decides,
# the sending centre may cancel; each action is offered only to the staff of the centre that takes it
TRANSFER_SENDERS = ("Social Worker", COORDINATOR)
CASE_TRANSFER_WORKFLOW = {
	"workflow_name": "Case Transfer Workflow",
	"document_type": "Case Transfer",
	"states": [
		*_state("Pending", "Pending", TRANSFER_SENDERS),
		*_state("Accepted", "Accepted", APPROVER),
		*_state("Rejected", "Rejected", APPROVER),
		*_state("Cancelled", "Cancelled", TRANSFER_SENDERS),
	],
	"transitions": [
		*_transition("Pending", "Accept Transfer", "Accepted", APPROVER, 0, transfer_condition("to_centre")),
		*_transition("Pending", "Reject Transfer", "Rejected", APPROVER, 0, transfer_condition("to_centre")),
		*_transition(
			"Pending", "Cancel", "Cancelled", TRANSFER_SENDERS, 1, transfer_condition("from_centre")
		),
	],
}
# A case sent by another municipality (casework/transfer_package.py): the receiving coordinator decides
INCOMING_CASE_TRANSFER_WORKFLOW = {
	"workflow_name": "Incoming Case Transfer Workflow",
	"document_type": "Incoming Case Transfer",
	"states": [
		*_state("Pending", "Pending", APPROVER),
		*_state("Accepted", "Accepted", APPROVER),
		*_state("Rejected", "Rejected", APPROVER),
	],
	"transitions": [
		*_transition("Pending", "Accept Transfer", "Accepted", APPROVER),
		*_transition("Pending", "Reject Transfer", "Rejected", APPROVER),
	],
}

WORKFLOWS = (
	CASE_WORKFLOW,
	REFERRAL_WORKFLOW,
	DATA_SUBJECT_REQUEST_WORKFLOW,
	CASE_TRANSFER_WORKFLOW,
	INCOMING_CASE_TRANSFER_WORKFLOW,
)


def install_workflows() -> None:
	for spec in WORKFLOWS:
		if frappe.db.exists("Workflow", spec["workflow_name"]):
			continue
		_install_masters(spec)
		frappe.get_doc(
			{
				"doctype": "Workflow",
				**spec,
				"workflow_state_field": "workflow_state",
				"is_active": 1,
				# approvers are told by kentro_koinotitas.access.workflow.notify_approvers (desk and e-mail)
				"send_email_alert": 0,
				"override_status": 1,
			}
		).insert(ignore_permissions=True)


def add_missing_rows(spec: dict, states: set[str], actions: set[str]) -> None:
	"""Add to an installed workflow the rows of the given states and actions that it lacks (a patch's
	way of bringing a new state or action to sites whose workflow IT may have edited)."""
	if not frappe.db.exists("Workflow", spec["workflow_name"]):
		return
	_install_masters(spec)
	workflow = frappe.get_doc("Workflow", spec["workflow_name"])
	have_states = {(row.state, row.allow_edit) for row in workflow.states}
	have_transitions = {(row.state, row.action, row.next_state, row.allowed) for row in workflow.transitions}
	for row in spec["states"]:
		if row["state"] in states and (row["state"], row["allow_edit"]) not in have_states:
			workflow.append("states", row)
	for row in spec["transitions"]:
		key = (row["state"], row["action"], row["next_state"], row["allowed"])
		if row["action"] in actions and key not in have_transitions:
			workflow.append("transitions", row)
	workflow.save(ignore_permissions=True)


def _install_masters(spec: dict) -> None:
	"""The Workflow State and Workflow Action Master records a workflow names."""
	for row in spec["states"]:
		if not frappe.db.exists("Workflow State", row["state"]):
			frappe.get_doc(
				{
					"doctype": "Workflow State",
					"workflow_state_name": row["state"],
					"style": STYLES.get(row["state"], "Warning"),
				}
			).insert(ignore_permissions=True)
	for row in spec["transitions"]:
		if not frappe.db.exists("Workflow Action Master", row["action"]):
			frappe.get_doc(
				{"doctype": "Workflow Action Master", "workflow_action_name": row["action"]}
			).insert(ignore_permissions=True)
