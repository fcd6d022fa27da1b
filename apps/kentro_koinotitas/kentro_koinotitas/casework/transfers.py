"""Transfers of a case between the centres of the municipality (Case Transfer).

The sending centre asks, with a reason and the person's agreement; the receiving centre's coordinator
accepts or rejects through the Case Transfer Workflow (setup/workflows.py). Until then the receiving centre
reads the transfer alone, whose summary holds the case's requests and state and nothing of its notes or
assessments (who reads what: access/transfers.py). On acceptance, in the transaction that saves the
decision, the case (and, per Case Transfer Settings, the person's home centre) moves to the receiving
centre. The services the sending centre delivered stay recorded at it: its staff keep reading them, and the
indicators count them where they were delivered.
"""

import frappe
from frappe import _
from frappe.utils import cint, formatdate, now_datetime
from frappe.utils.user import get_users_with_role

from kentro_koinotitas.access.workflow import notify_users, site_language
from kentro_koinotitas.setup.roles import COORDINATOR

OPEN = "Pending"


def validate_request(transfer) -> None:
	"""A new transfer: an open case, another centre, the person's agreement, no other pending transfer."""
	case = frappe.db.get_value(
		"Case", transfer.case, ["centre", "beneficiary", "beneficiary_name", "status"], as_dict=True
	)
	if not case:
		frappe.throw(_("Choose the case to transfer."))
	if case.status == "Closed":
		frappe.throw(_("A closed case is not transferred: reopen it first."))
	transfer.from_centre = case.centre
	transfer.beneficiary, transfer.beneficiary_name = case.beneficiary, case.beneficiary_name
	if not transfer.to_centre or transfer.to_centre == case.centre:
		frappe.throw(_("Choose the centre the case is transferred to (another centre than its own)."))
	if not transfer.person_consents:
		frappe.throw(
			_("Ask the person first: a case is transferred only when the person agrees to it."),
			title=_("Consent required"),
		)
	if not (transfer.reason or "").strip():
		frappe.throw(_("Write the reason for the transfer."))
	pending = frappe.get_all(
		"Case Transfer",
		filters={"case": transfer.case, "status": OPEN, "name": ("!=", transfer.name or "")},
		pluck="name",
		limit=1,
	)
	if pending:
		frappe.throw(_("This case already has a pending transfer ({0}).").format(pending[0]))
	transfer.requested_by = frappe.session.user
	transfer.summary = case_summary(transfer.case)


def case_summary(case_name: str) -> str:
	"""What the receiving centre may know before it accepts: the requests and the state of the case."""
	case = frappe.db.get_value("Case", case_name, ["status", "opened_on"], as_dict=True)
	requests = frappe.get_all(
		"Case Request",
		filters={"parent": case_name, "parenttype": "Case", "parentfield": "requests"},
		pluck="request_category",
		order_by="idx asc",
	)
	lines = [
		_("Case state: {0}").format(_(case.status)),
		_("Open since: {0}").format(formatdate(case.opened_on, "dd-MM-yyyy")),
		_("Requests: {0}").format(", ".join(requests) if requests else _("none recorded")),
	]
	return "\n".join(lines)


def on_decision(transfer) -> None:
	"""`on_update`: stamp the decision and, on acceptance, move the case in the same transaction."""
	if not transfer.has_value_changed("status") or transfer.status == OPEN:
		return
	updates = {"decided_by": frappe.session.user}
	if transfer.status == "Accepted":
		updates |= move_case(transfer)
	transfer.db_set(updates, notify=True)


def notify_receiving_centre(transfer) -> None:
	"""`after_insert`: the receiving centre's coordinators learn of the request (desk notification, and
	e-mail when the site sends mail); the workflow offers them «Αποδοχή» and «Απόρριψη»."""
	staff = set(
		frappe.get_all(
			"Community Centre Staff",
			filters={"parenttype": "Community Centre", "parent": transfer.to_centre},
			pluck="user",
		)
	)
	users = {
		user
		for user in staff & set(get_users_with_role(COORDINATOR))
		if user != frappe.session.user and frappe.has_permission("Case Transfer", "read", transfer, user=user)
	}
	if not users:
		return
	lang = site_language()
	subject = _("Case transfer {0} from {1} awaits your decision", lang=lang).format(
		transfer.name, transfer.from_centre
	)
	notify_users(transfer, users, subject, _("Open {0} to accept or reject the transfer: {1}", lang=lang))


def check_decision(transfer) -> None:
	"""`validate`: a rejection says why."""
	if transfer.has_value_changed("status") and transfer.status == "Rejected":
		if not (transfer.decision_note or "").strip():
			frappe.throw(_("Write the reason for rejecting the transfer."))


def moves_home_centre() -> bool:
	"""Case Transfer Settings: whether the person's home centre moves with the case (by default it does;
	a setting never saved has no stored value)."""
	stored = frappe.db.get_singles_dict("Case Transfer Settings").get("move_home_centre")
	return stored is None or bool(cint(stored))


def move_case(transfer) -> dict:
	"""Move the case (and per the municipality's setting the person) to the receiving centre. Runs as the
	receiving coordinator, who may write at the receiving centre: the saves keep their change logs."""
	move_person = moves_home_centre()
	if move_person:
		person = frappe.get_doc("Beneficiary", transfer.beneficiary)
		person.home_centre = transfer.to_centre
		person.flags.ignore_permissions = True
		person.save()
	case = frappe.get_doc("Case", transfer.case)
	if case.centre != transfer.from_centre:
		frappe.throw(
			_("The case is no longer at {0}: the transfer cannot be accepted.").format(transfer.from_centre)
		)
	case.centre = transfer.to_centre
	case.flags.ignore_permissions = True
	case.save()
	case.add_comment(
		"Info",
		_("Transferred from {0} to {1} ({2}).").format(
			transfer.from_centre, transfer.to_centre, transfer.name
		),
	)
	return {"transferred_on": now_datetime(), "home_centre_moved": int(move_person)}
