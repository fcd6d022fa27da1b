"""Every workflow transition as every role over REST, allowed and refused, and the direct writes that would
go around it. The expectation is computed from the installed Workflow records and the DocType's role
permissions, so a transition IT adds from the Workflow Builder is covered too."""

import json

import frappe
import pytest
from frappe.model.workflow import is_transition_condition_satisfied

from tests.conftest import SiteSession

ROLE_USERS = (
	"coordinator_a",
	"social_worker_a",
	"psychologist_a",
	"counsellor_a",
	"receptionist_a",
	"mediator_branch",
	"director",
	"dpo",
)
REFERRAL_PREP = {"outcome": "Completed successfully", "shares_personal_data": 0}
CASE_PREP = {"closure_reason": None}


@pytest.fixture(scope="module")
def records(two_centres):
	"""One Case and one Referral in the Roma branch of centre A, which every centre-A user and the
	branch's mediator may read (the coordinator's row covers the branches)."""
	w = two_centres
	frappe.set_user("Administrator")
	person = w.person_branch.name
	case = frappe.get_doc({"doctype": "Case", "beneficiary": person}).insert(ignore_permissions=True)
	referral = frappe.get_doc(
		{
			"doctype": "Referral",
			"case": case.name,
			"beneficiary": person,
			"referral_type": "Welfare programme",
			"welfare_programme": frappe.get_all("Welfare Programme", pluck="name", limit=1)[0],
			"reason": "Αίτηση",
			"shares_personal_data": 0,
		}
	).insert(ignore_permissions=True)
	CASE_PREP["closure_reason"] = frappe.get_all("Closure Reason", pluck="name", limit=1)[0]
	frappe.db.commit()
	yield {"Case": case.name, "Referral": referral.name}
	frappe.set_user("Administrator")
	frappe.delete_doc("Referral", referral.name, ignore_permissions=True, force=True)
	frappe.delete_doc("Case", case.name, ignore_permissions=True, force=True)
	frappe.db.commit()


def put_in_state(doctype: str, name: str, workflow, state: str, requested_by: str) -> None:
	row = next(s for s in workflow.states if s.state == state)
	values = {"workflow_state": state, "approval_requested_by": requested_by}
	if row.update_field:
		values[row.update_field] = row.update_value
	values |= REFERRAL_PREP if doctype == "Referral" else CASE_PREP
	frappe.db.set_value(doctype, name, values, update_modified=False)
	frappe.db.commit()


def expected(workflow, transition_rows, user: str, doc) -> bool:
	"""The user's roles may take the transition, its condition holds for them, and they may write."""
	roles = set(frappe.get_roles(user))
	can_write = frappe.has_permission(workflow.document_type, "write", user=user)
	frappe.set_user(user)  # a condition may ask who the user is
	try:
		return can_write and any(
			t.allowed in roles and is_transition_condition_satisfied(t, doc) for t in transition_rows
		)
	finally:
		frappe.set_user("Administrator")


def test_every_transition_as_every_role(web_server, two_centres, records):
	w = two_centres
	outcomes, mismatches = 0, []
	sessions: dict[str, SiteSession] = {}
	for doctype, name in records.items():
		workflow = frappe.get_doc("Workflow", {"document_type": doctype, "is_active": 1})
		pairs = sorted({(t.state, t.action) for t in workflow.transitions})
		for state, action in pairs:
			rows = [t for t in workflow.transitions if t.state == state and t.action == action]
			for key in ROLE_USERS:
				user = w.users[key]
				# someone else asked for approval: an approver's refusal is then never self-approval
				put_in_state(doctype, name, workflow, state, requested_by=w.users["social_worker_b"])
				if key not in sessions:
					sessions[key] = SiteSession(web_server)
					sessions[key].login(user, w.passwords[key])
				response = sessions[key].post(
					"/api/method/frappe.model.workflow.apply_workflow",
					data={"doc": json.dumps({"doctype": doctype, "name": name}), "action": action},
				)
				allowed = response.status_code == 200
				outcomes += 1
				if allowed != expected(workflow, rows, user, frappe.get_doc(doctype, name)):
					mismatches.append(
						(doctype, state, action, key, response.status_code, response.text[:200])
					)
				now = frappe.db.get_value(doctype, name, "workflow_state")
				if allowed:
					assert now == rows[0].next_state, (doctype, state, action, key)
				else:
					assert now == state, (doctype, state, action, key)
	for session in sessions.values():
		session.close()
	print(f"workflow matrix: {outcomes} transition attempts over REST")
	assert not mismatches, mismatches
	assert outcomes >= 19 * len(ROLE_USERS)


def test_self_approval_is_refused_to_the_one_who_submitted(http, two_centres, records):
	w = two_centres
	workflow = frappe.get_doc("Workflow", {"document_type": "Case", "is_active": 1})
	put_in_state("Case", records["Case"], workflow, "Action Plan Pending Approval", w.users["coordinator_a"])
	http.login(w.users["coordinator_a"], w.passwords["coordinator_a"])
	response = http.post(
		"/api/method/frappe.model.workflow.apply_workflow",
		data={"doc": json.dumps({"doctype": "Case", "name": records["Case"]}), "action": "Approve"},
	)
	assert response.status_code == 417
	assert frappe.db.get_value("Case", records["Case"], "status") == "Action Plan Pending Approval"


def test_direct_writes_in_every_state_are_refused(http, two_centres, records):
	"""As the coordinator (the widest editing role): writing `status` or `workflow_state` directly, to any
	other value, is refused in every state of both workflows."""
	w = two_centres
	http.login(w.users["coordinator_a"], w.passwords["coordinator_a"])
	attempts = 0
	for doctype, name in records.items():
		workflow = frappe.get_doc("Workflow", {"document_type": doctype, "is_active": 1})
		states = list(dict.fromkeys(s.state for s in workflow.states))
		for state in states:
			put_in_state(doctype, name, workflow, state, requested_by=w.users["social_worker_b"])
			reachable = {t.next_state for t in workflow.transitions if t.state == state}
			for target in states:
				if target == state:
					continue
				status = next(s.update_value for s in workflow.states if s.state == target)
				for body in ({"status": status}, {"workflow_state": target, "status": status}):
					if "workflow_state" in body and target in reachable:
						continue  # a transition the coordinator may take, written as a field: Frappe's rule
					response = http.put(f"/api/resource/{doctype}/{name}", json=body)
					attempts += 1
					assert response.status_code in (403, 417), (doctype, state, body, response.text[:200])
					assert frappe.db.get_value(doctype, name, "workflow_state") == state
	print(f"direct writes refused: {attempts}")
	assert attempts > 100
