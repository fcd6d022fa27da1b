"""The Case and Referral workflows, shipped as Workflow records that municipal IT edits in the Workflow
Builder. Each state sets the document's ``status`` field (``update_field``/``update_value``): the app's
rules read ``status`` and never a state's name, so states can be renamed or added from the desk.

Installed once: a workflow that already exists (perhaps edited by IT) is left as it is.
"""

import frappe

from kentro_koinotitas.setup.roles import COORDINATOR, DATA_PROTECTION_OFFICER, PROFESSIONALS

STYLES = {
	"Open": "Primary",
	"Closed": "Success",
	"Cancelled": "Inverse",
	"Rejected": "Danger",
	"Refused": "Danger",
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
	state: str, action: str, next_state: str, roles: tuple[str, ...], self_approval: int = 1
) -> list[dict]:
	return [
		{
			"state": state,
			"action": action,
			"next_state": next_state,
			"allowed": role,
			"allow_self_approval": self_approval,
		}
		for role in roles
	]


STAFF = (*PROFESSIONALS, COORDINATOR)
APPROVER = (COORDINATOR,)

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
		*_transition("Assessment", "Submit Action Plan", "Action Plan Pending Approval", STAFF),
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
		*_state("Acknowledged", "Acknowledged", STAFF),
		*_state("Completed", "Completed", APPROVER),
		*_state("Rejected", "Rejected", APPROVER),
		*_state("Cancelled", "Cancelled", APPROVER),
	],
	"transitions": [
		*_transition("Draft", "Submit for Approval", "Pending Approval", STAFF),
		*_transition("Pending Approval", "Approve and Send", "Sent", APPROVER, self_approval=0),
		*_transition("Pending Approval", "Send Back", "Draft", APPROVER),
		*_transition("Sent", "Record Acknowledgement", "Acknowledged", STAFF),
		*_transition("Sent", "Record Rejection", "Rejected", STAFF),
		*_transition("Acknowledged", "Record Completion", "Completed", STAFF),
		*_transition("Acknowledged", "Record Rejection", "Rejected", STAFF),
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

WORKFLOWS = (CASE_WORKFLOW, REFERRAL_WORKFLOW, DATA_SUBJECT_REQUEST_WORKFLOW)


def install_workflows() -> None:
	for spec in WORKFLOWS:
		if frappe.db.exists("Workflow", spec["workflow_name"]):
			continue
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
