"""The Case and Referral workflows as real users: every transition allowed for the right role, refused for
others, no self-approval, approvers notified; and the app keeps working when IT renames a state and adds
an approval step through the Workflow API."""

import frappe
import pytest
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.permissions import update_permission_property
from kentro_koinotitas.access.workflow import awaiting_my_approval, transition_to_status


@pytest.fixture
def world(two_centres):
	yield two_centres
	frappe.set_user("Administrator")
	frappe.clear_cache(doctype="Case")
	frappe.clear_cache(doctype="Referral")


def act(user, doc, action):
	frappe.set_user(user)
	try:
		return apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)
	finally:
		frappe.set_user("Administrator")


def new_case(world, owner_key="social_worker_a"):
	frappe.set_user(world.users[owner_key])
	case = frappe.get_doc({"doctype": "Case", "beneficiary": world.person_a.name}).insert()
	frappe.set_user("Administrator")
	return case


def refused(user, doc, action):
	with pytest.raises((WorkflowTransitionError, frappe.ValidationError, frappe.PermissionError)):
		act(user, doc, action)


def test_case_flow_with_approvals(world):
	sw, co, co_b = world.users["social_worker_a"], world.users["coordinator_a"], world.users["coordinator_b"]
	case = new_case(world)
	assert case.workflow_state == "Open" and case.status == "Open"
	refused(world.users["receptionist_a"], case, "Start Assessment")
	case = act(sw, case, "Start Assessment")
	assert case.status == "Assessment"
	case = act(sw, case, "Submit Action Plan")
	assert case.status == "Action Plan Pending Approval"
	refused(sw, case, "Approve")
	refused(co_b, case, "Approve")
	case = act(co, case, "Send Back")
	assert case.status == "Assessment"
	case = act(co, act(sw, case, "Submit Action Plan"), "Approve")
	assert case.status == "Active"
	case = act(sw, case, "Request Closure")
	refused(co, case, "Approve Closure")  # no closure reason yet: the case's own rule
	case.db_set("closure_reason", "Επίτευξη στόχων")
	case = act(co, case, "Approve Closure")
	assert (case.status, str(case.closed_on)) == ("Closed", frappe.utils.today())
	refused(sw, case, "Reopen")
	case = act(co, case, "Reopen")
	assert (case.status, case.reopen_count) == ("Open", 1)


def test_no_self_approval(world):
	case = new_case(world, owner_key="coordinator_a")
	co = world.users["coordinator_a"]
	case = act(co, act(co, case, "Start Assessment"), "Submit Action Plan")
	with pytest.raises(frappe.ValidationError, match="Self approval"):
		act(co, case, "Approve")


def test_coordinator_of_the_centre_is_notified(world):
	frappe.get_doc(
		{
			"doctype": "Email Account", "email_account_name": "Κέντρο Κοινότητας", "email_id": "kentro@example.gov.gr",
			"enable_outgoing": 1, "default_outgoing": 1, "smtp_server": "127.0.0.1", "smtp_port": 2525, "password": "x",
		}
	).insert()  # fmt: skip
	case = new_case(world)
	sw, co, co_b = world.users["social_worker_a"], world.users["coordinator_a"], world.users["coordinator_b"]
	case = act(sw, act(sw, case, "Start Assessment"), "Submit Action Plan")
	notified = set(frappe.get_all("Notification Log", filters={"document_name": case.name}, pluck="for_user"))
	assert co in notified and co_b not in notified and sw not in notified
	assert frappe.db.exists("Email Queue", {"reference_name": case.name})
	frappe.set_user(co)
	assert case.name in {row["name"] for row in awaiting_my_approval()}
	frappe.set_user(co_b)
	assert case.name not in {row["name"] for row in awaiting_my_approval()}


def test_referral_flow_keeps_the_consent_rule(world):
	sw, co = world.users["social_worker_a"], world.users["coordinator_a"]
	frappe.set_user(sw)
	referral = frappe.get_doc(
		{
			"doctype": "Referral",
			"beneficiary": world.person_a.name,
			"referral_type": "External",
			"partner_organisation": "ΔΥΠΑ – Δημόσια Υπηρεσία Απασχόλησης",
			"reason": "Εγγραφή ανέργου",
		}
	).insert()
	frappe.set_user("Administrator")
	# stopped at the worker's submission, with a button that records the consent
	with pytest.raises(frappe.ValidationError, match="consent"):
		act(sw, referral, "Submit for Approval")
	assert frappe.local.message_log[-1].get("primary_action", {}).get("args") == {
		"beneficiary": world.person_a.name
	}
	frappe.get_doc(
		{
			"doctype": "Consent",
			"beneficiary": world.person_a.name,
			"purposes": [
				{"consent_purpose": "Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή"}
			],
		}
	).insert()
	referral = act(sw, referral, "Submit for Approval")
	refused(sw, referral, "Approve and Send")
	referral = act(co, referral, "Approve and Send")
	assert (referral.status, str(referral.sent_on)) == ("Sent", frappe.utils.today())
	referral = act(sw, referral, "Record Acknowledgement")
	assert referral.status == "Acknowledged"
	refused(sw, referral, "Record Completion")  # the outcome must be recorded first
	referral.db_set("outcome", "Completed successfully")
	assert act(sw, referral, "Record Completion").status == "Completed"


def test_referral_can_be_cancelled_at_an_open_step(world):
	frappe.set_user(world.users["social_worker_a"])
	referral = frappe.get_doc(
		{
			"doctype": "Referral",
			"beneficiary": world.person_a.name,
			"referral_type": "Internal",
			"internal_service": "Διερμηνεία",
			"reason": "Διερμηνεία",
		}
	).insert()
	assert transition_to_status(referral, "Cancelled").status == "Cancelled"
	frappe.set_user("Administrator")


def test_renamed_state_and_extra_approval_step(world):
	"""IT renames "Active" and adds a director's approval before closing, through the Workflow API."""
	workflow = frappe.get_doc("Workflow", "Case Workflow")
	for row in workflow.states:
		if row.state == "Active":
			row.state = "Σε εξέλιξη"
	for row in workflow.transitions:
		for key in ("state", "next_state"):
			if row.get(key) == "Active":
				row.set(key, "Σε εξέλιξη")
		if row.action == "Approve Closure":
			row.next_state = "Έγκριση Διευθυντή"
	for name in ("Σε εξέλιξη", "Έγκριση Διευθυντή"):
		if not frappe.db.exists("Workflow State", name):
			frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": name}).insert()
	if not frappe.db.exists("Workflow Action Master", "Τελική Έγκριση"):
		frappe.get_doc(
			{"doctype": "Workflow Action Master", "workflow_action_name": "Τελική Έγκριση"}
		).insert()
	workflow.append("states", {"state": "Έγκριση Διευθυντή", "doc_status": "0", "update_field": "status",
		"update_value": "Closure Pending Approval", "allow_edit": "Social Services Director"})  # fmt: skip
	workflow.append("transitions", {"state": "Έγκριση Διευθυντή", "action": "Τελική Έγκριση", "next_state": "Closed",
		"allowed": "Social Services Director", "allow_self_approval": 0})  # fmt: skip
	workflow.save()
	# as in the Role Permission Manager: the director may now write cases (to move them on)
	update_permission_property("Case", "Social Services Director", 0, "write", 1)
	frappe.clear_cache(doctype="Case")

	sw, co, director = world.users["social_worker_a"], world.users["coordinator_a"], world.users["director"]
	case = new_case(world)
	case = act(co, act(sw, act(sw, case, "Start Assessment"), "Submit Action Plan"), "Approve")
	assert (case.workflow_state, case.status) == ("Σε εξέλιξη", "Active")
	case = act(sw, case, "Request Closure")
	case.db_set("closure_reason", "Επίτευξη στόχων")
	case = act(co, case, "Approve Closure")
	assert (case.workflow_state, case.status) == ("Έγκριση Διευθυντή", "Closure Pending Approval")
	refused(co, case, "Τελική Έγκριση")
	case = act(director, case, "Τελική Έγκριση")
	assert case.status == "Closed" and case.closed_on
	frappe.set_user(director)
	assert case.name not in {row["name"] for row in awaiting_my_approval()}


def test_awaiting_my_approval_report(world):
	from kentro_koinotitas.reporting.report.awaiting_my_approval.awaiting_my_approval import execute

	case = new_case(world)
	sw = world.users["social_worker_a"]
	act(sw, act(sw, case, "Start Assessment"), "Submit Action Plan")
	frappe.set_user(world.users["coordinator_a"])
	from frappe.desk.query_report import run

	shown = run("Awaiting My Approval")  # the desk's path: Frappe filters Link columns per user
	assert case.name in {row["name"] for row in shown["result"]}
	columns, rows = execute()
	assert [c["fieldname"] for c in columns] == [
		"doctype",
		"document_type",
		"name",
		"beneficiary_name",
		"status",
		"modified",
	]
	assert case.name in {row["name"] for row in rows}
	frappe.set_user(world.users["coordinator_b"])
	assert case.name not in {row["name"] for row in execute()[1]}


def test_awaiting_my_approval_lists_the_newest_first_and_only_undecided(world):
	sw, co = world.users["social_worker_a"], world.users["coordinator_a"]
	submitted = []
	for _ in range(3):
		case = new_case(world)
		submitted.append(act(sw, act(sw, case, "Start Assessment"), "Submit Action Plan"))
	older, newer, decided = submitted
	frappe.db.set_value("Case", older.name, "modified", "2026-01-01 09:00:00", update_modified=False)
	frappe.db.set_value("Case", newer.name, "modified", "2026-02-01 09:00:00", update_modified=False)
	# a case whose status says «Ενεργός» although its workflow state was left pending (an import)
	frappe.db.set_value("Case", decided.name, "status", "Active", update_modified=False)
	frappe.set_user(co)
	try:
		mine = [row["name"] for row in awaiting_my_approval() if row["name"] in {c.name for c in submitted}]
	finally:
		frappe.set_user("Administrator")
	assert mine == [newer.name, older.name]
