"""The subject-access pack of a Data Subject Request (Art. 15 and 20 GDPR), built in the background.

`enqueue_access_pack` (the DPO, on an access or portability request naming a beneficiary) queues
`build_access_pack` on the "long" queue. The job collects everything about the person
(`subject_data.py`), writes a Greek PDF a citizen can read, the same data as JSON and .xlsx
(`pack_files.py`), the attachments of the person's own records and the extract of the access log, zips
them into one private File attached to the request (`access_pack`), sets `access_pack_expires_on` to 30
days on, and logs the pack in the access log (kind "Access pack"). The daily `delete_expired_packs`
deletes expired packs (the file leaves the disk) and clears both fields.
"""

import io
import zipfile

import frappe
from frappe import _
from frappe.utils import add_days, cint, now_datetime

from kentro_koinotitas.access import audit
from kentro_koinotitas.access.officer import check_officer
from kentro_koinotitas.data_protection import pack_files, subject_data
from kentro_koinotitas.data_protection.requests import PACK_TYPES

REQUEST = "Data Subject Request"
PACK_DAYS = 30


def check_request(doc) -> None:
	if doc.request_type not in PACK_TYPES:
		frappe.throw(_("An access pack is prepared for an access or portability request only."))
	if not doc.beneficiary:
		frappe.throw(
			_("The request names no beneficiary of the registry: there is nothing to put in a pack.")
		)


@frappe.whitelist(methods=["POST"])
def enqueue_access_pack(request: str) -> str:
	"""Queue the pack of a request (Data Protection Officer only); the form shows it when it is ready."""
	check_officer(_("Only the Data Protection Officer prepares an access pack."))
	doc = frappe.get_doc(REQUEST, request)
	doc.check_permission("write")
	check_request(doc)
	frappe.enqueue(
		build_access_pack,
		queue="long",
		timeout=3600,
		job_id=f"kentro-access-pack-{doc.name}",
		deduplicate=True,
		request=doc.name,
	)
	return _("The access pack is being prepared; it will be attached to the request when it is ready.")


def build_access_pack(request: str) -> str:
	"""The job: build, attach and log the pack; returns the File's URL."""
	doc = frappe.get_doc(REQUEST, request)
	check_request(doc)
	person = doc.beneficiary
	exempt = bool(cint(doc.exempt_psychological_notes))
	records = subject_data.collect(person, exempt)
	own = subject_data.own_records(records, person)
	files = subject_data.attachments(own, exempt)
	data = {
		"request": {"name": doc.name, "request_type": doc.request_type, "received_on": str(doc.received_on)},
		"beneficiary": person,
		"generated_on": str(now_datetime()),
		"psychological_notes": {
			"included": not exempt,
			"exemption_reason": doc.exemption_reason if exempt else None,
		},
		"records": records,
		"comments": subject_data.comments(own),
		"attachments": [file.file_name for file in files],
		"access_log": access_log_extract(person),
	}
	content = zip_pack(data, files, doc)
	file_url = attach(doc, content)
	audit.record_pack(person, REQUEST, doc.name)
	return file_url


def access_log_extract(person: str) -> list[dict]:
	"""Who read the person's records, when and how (the staff member's name; no addresses)."""
	rows = audit.history(person, limit=0)
	return [
		{
			"accessed_on": str(row.accessed_on),
			"user": frappe.utils.get_fullname(row.user),
			"access_kind": row.access_kind,
			"reference_doctype": row.reference_doctype,
			"reference_name": row.reference_name,
			"detail": row.detail,
		}
		for row in rows
	]


def zip_pack(data: dict, files: list, doc) -> bytes:
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
		pack.writestr(f"{doc.name}.pdf", pack_files.pdf(data, doc))
		pack.writestr(f"{doc.name}.json", pack_files.to_json(data))
		pack.writestr(f"{doc.name}.xlsx", pack_files.xlsx(data))
		for index, file in enumerate(files, start=1):
			content = frappe.get_doc("File", file.name).get_content()
			if isinstance(content, str):
				content = content.encode("utf-8")
			pack.writestr(f"attachments/{index:03d}-{file.file_name}", content)
	return buffer.getvalue()


def attach(doc, content: bytes) -> str:
	"""Replace the request's pack by a new private File; 30 days to expiry."""
	remove_pack(doc)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"access-pack-{doc.name}.zip",
			"is_private": 1,
			"content": content,
			"attached_to_doctype": REQUEST,
			"attached_to_name": doc.name,
			"attached_to_field": "access_pack",
		}
	).insert(ignore_permissions=True)
	doc.db_set(
		{"access_pack": file.file_url, "access_pack_expires_on": add_days(now_datetime(), PACK_DAYS)},
		update_modified=False,
	)
	return file.file_url


def remove_pack(doc) -> None:
	"""Delete the request's pack file(s) from the site and the disk, and clear its fields."""
	for name in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": REQUEST,
			"attached_to_name": doc.name,
			"attached_to_field": "access_pack",
		},
		pluck="name",
	):
		frappe.delete_doc("File", name, ignore_permissions=True, delete_permanently=True)
	if doc.access_pack or doc.access_pack_expires_on:
		doc.db_set({"access_pack": None, "access_pack_expires_on": None}, update_modified=False)


def delete_expired_packs() -> None:
	"""Daily: the packs past their expiry are deleted."""
	for name in frappe.get_all(
		REQUEST, filters={"access_pack_expires_on": ("<", now_datetime())}, pluck="name"
	):
		remove_pack(frappe.get_doc(REQUEST, name))
		frappe.db.commit()  # each request's pack on its own: a failure leaves the others done
