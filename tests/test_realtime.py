"""The desk's "list changed" realtime message reaches only the users who may read the record's centre
(`access/realtime.py`): Frappe sent each saved record's name, and who saved it, to every user who may read
the DocType, whatever their centre."""

import frappe
import frappe.realtime
import pytest
from frappe.model.document import Document
from kentro_koinotitas.access import realtime


def rooms(sent, event: str) -> set[str]:
	return {room for e, _message, room in sent if e == event}


def user_room(user: str) -> str:
	return frappe.realtime.get_user_room(user)


def test_a_save_is_told_to_the_readers_of_its_centre_only(sent, two_centres):
	w, users = two_centres, two_centres.users
	frappe.set_user(users["social_worker_b"])
	frappe.get_doc("Beneficiary", w.person_b.name).save()
	frappe.set_user("Administrator")
	frappe.db.commit()

	told = rooms(sent, "list_update")
	for reader in ("social_worker_b", "coordinator_b", "director", "dpo"):
		assert user_room(users[reader]) in told, reader
	for outsider in ("social_worker_a", "coordinator_a", "receptionist_a", "mediator_branch"):
		assert user_room(users[outsider]) not in told, outsider
	assert frappe.realtime.get_doctype_room("Beneficiary") not in told  # no broadcast to the DocType
	assert all(m["name"] == w.person_b.name for e, m, _r in sent if e == "list_update")
	# the form's own message too: to the readers, not to the record's room
	assert user_room(users["social_worker_b"]) in rooms(sent, "doc_update")
	assert user_room(users["social_worker_a"]) not in rooms(sent, "doc_update")
	assert frappe.realtime.get_doc_room("Beneficiary", w.person_b.name) not in rooms(sent, "doc_update")


def test_a_branch_record_is_told_to_the_branch_and_the_centre_above_it(sent, two_centres):
	w, users = two_centres, two_centres.users
	frappe.get_doc("Beneficiary", w.person_branch.name).save()
	frappe.db.commit()

	told = rooms(sent, "list_update")
	assert {user_room(users["mediator_branch"]), user_room(users["coordinator_a"])} <= told
	assert not {user_room(users["social_worker_b"]), user_room(users["coordinator_b"])} & told
	# a record of the main centre is not the branch's
	sent.clear()
	frappe.get_doc("Case", w.case_a.name).save()
	frappe.db.commit()
	told = rooms(sent, "list_update")
	assert user_room(users["social_worker_a"]) in told
	assert not {user_room(users["mediator_branch"]), user_room(users["social_worker_b"])} & told


def test_a_role_without_the_doctype_is_not_told(sent, two_centres):
	"""The receptionist of centre A does not read cases: a case saved in A is not announced to her."""
	w, users = two_centres, two_centres.users
	assert not frappe.has_permission("Case", "read", user=users["receptionist_a"])
	frappe.get_doc("Case", w.case_a.name).save()
	frappe.db.commit()
	assert user_room(users["receptionist_a"]) not in rooms(sent, "list_update")


def test_a_changed_notify_update_is_refused(monkeypatch):
	assert realtime._steps(Document.notify_update.__wrapped__) == realtime.NOTIFY_STEPS

	def notify_update(self):  # as if Frappe sent one more message
		frappe.publish_realtime("list_update", {"doctype": self.doctype, "name": self.name})
		frappe.publish_realtime("doc_update", {"name": self.name})

	monkeypatch.setattr(Document, "notify_update", notify_update)
	with pytest.raises(RuntimeError, match="Review the guard"):
		realtime.install()


def test_form_messages_go_to_the_records_readers_at_the_time_not_to_its_room(sent, two_centres):
	"""`doc_update` and `docinfo_update` (a comment's text and author) went to the record's room, which a
	user joins once, when opening the form: after the case moved to centre B, centre A's worker who had it
	open went on hearing every comment. They now go to the user rooms of whoever may read it when sent."""
	w, users = two_centres, two_centres.users
	case = frappe.get_doc({"doctype": "Case", "beneficiary": w.person_a.name}).insert(ignore_permissions=True)
	try:
		case.add_comment("Comment", "ΜΥΣΤΙΚΟ-Α")
		frappe.db.commit()
		told = {room for e, _m, room in sent if e == "docinfo_update"}
		assert user_room(users["social_worker_a"]) in told
		assert user_room(users["social_worker_b"]) not in told
		assert frappe.realtime.get_doc_room("Case", case.name) not in told

		sent.clear()
		frappe.db.set_value("Case", case.name, "centre", w.centre_b)  # handed over to centre B
		frappe.get_doc("Case", case.name).add_comment("Comment", "ΜΥΣΤΙΚΟ-Β")
		frappe.get_doc("Case", case.name).save()
		frappe.db.commit()
		for event in ("docinfo_update", "doc_update"):
			told = {room for e, _m, room in sent if e == event}
			assert user_room(users["social_worker_b"]) in told, event
			assert user_room(users["social_worker_a"]) not in told, event
			assert user_room(users["coordinator_a"]) not in told, event
			assert frappe.realtime.get_doc_room("Case", case.name) not in told, event
	finally:
		frappe.delete_doc("Case", case.name, ignore_permissions=True, force=True)
		frappe.db.commit()


def test_a_changed_publish_realtime_is_refused(monkeypatch):
	def publish_realtime(event=None, message=None, room=None, user=None, doctype=None, docname=None):
		pass  # as if Frappe had dropped parameters

	monkeypatch.setattr(frappe.realtime, "publish_realtime", publish_realtime)
	with pytest.raises(RuntimeError, match="Review the guard"):
		realtime._install_publish()
