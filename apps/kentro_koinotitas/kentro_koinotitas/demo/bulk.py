"""Synthetic data at the scale of a large municipality, written with bulk inserts (never real people).

The ORM inserts about 290 simple documents a second here, so years of a big municipality's records are
written straight to the tables, with every derived field (full name, ELOT 743 forms, search keys, workflow
state, fetched names and axes) computed by the same functions the forms use.

	bench --site SITE execute kentro_koinotitas.demo.bulk.generate \
		--kwargs "{'beneficiaries': 100000, 'cases': 150000, 'service_deliveries': 800000, 'referrals': 50000}"
"""

import datetime
import time

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from kentro_koinotitas.access.workflow import state_for_status
from kentro_koinotitas.demo.generator import DYPA, INDIVIDUAL_SERVICES, REQUEST_CATEGORIES, SyntheticPeople
from kentro_koinotitas.registry import identity, search_index

CASE_STATUSES = ["Open", "Assessment", "Active", "Active", "Active", "Closed", "Closed", "Closed"]
REFERRAL_STATUSES = ["Draft", "Sent", "Acknowledged", "Acknowledged"]
OUTCOMES = [None, "Accepted", "Completed successfully", "Completed successfully", "Completed unsuccessfully"]
CHUNK = 10_000


def generate(
	beneficiaries: int = 100_000,
	cases: int = 150_000,
	service_deliveries: int = 800_000,
	referrals: int = 50_000,
	years: int = 4,
	seed: int = 7,
	tag: str | None = None,
) -> dict:
	"""Write the data set; returns the counts and the seconds each table took."""
	frappe.only_for("System Manager")
	tag = tag or now_datetime().strftime("%y%m%d%H%M%S")
	generator = BulkGenerator(seed=seed, years=years, tag=tag)
	timings = {}
	for label, step, count in (
		("beneficiaries", generator.beneficiaries, beneficiaries),
		("cases", generator.cases, cases),
		("service_deliveries", generator.service_deliveries, service_deliveries),
		("referrals", generator.referrals, referrals),
	):
		start = time.monotonic()
		step(count)
		frappe.db.commit()
		timings[label] = round(time.monotonic() - start, 1)
	return {"tag": tag, "counts": generator.counts, "seconds": timings}


class BulkGenerator:
	def __init__(self, seed: int, years: int, tag: str):
		self.people = SyntheticPeople(seed=seed)
		self.rng = self.people.rng
		self.tag = tag
		self.today = getdate(today())
		self.first_day = self.today - datetime.timedelta(days=365 * years)
		self.span = (self.today - self.first_day).days
		self.centres = frappe.get_all("Community Centre", fields=["name", "centre_type"], order_by="lft")
		if not self.centres:
			frappe.throw(_("No Community Centre: load the demo centres first."))
		self.staff = {
			c.name: frappe.get_all("Community Centre Staff", filters={"parent": c.name}, pluck="user")
			for c in self.centres
		}
		self.axes = dict(frappe.get_all("Service", fields=["name", "axis"], as_list=True))
		self.now = now_datetime()
		self.people_rows: list[tuple] = []  # (name, full name, centre, registration date)
		self.case_rows: list[tuple] = []
		self.counts: dict[str, int] = {}
		self.workflow_states = {
			(doctype, status): state_for_status(doctype, status)
			for doctype, statuses in (("Case", set(CASE_STATUSES)), ("Referral", set(REFERRAL_STATUSES)))
			for status in statuses
		}

	def _standard(self, name: str) -> list:
		return [name, self.now, self.now, "Administrator", "Administrator", 0]

	def _date(self) -> datetime.date:
		return self.first_day + datetime.timedelta(days=self.rng.randint(0, self.span))

	def _write(self, doctype: str, fields: list[str], rows: list) -> None:
		frappe.db.bulk_insert(
			doctype,
			["name", "creation", "modified", "owner", "modified_by", "docstatus", *fields],
			rows,
			chunk_size=CHUNK,
		)
		self.counts[doctype] = self.counts.get(doctype, 0) + len(rows)

	# ------------------------------------------------------------------------- registry
	def beneficiaries(self, count: int) -> None:
		fields = [
			"first_name", "last_name", "father_name", "mother_name", "full_name", "latin_first_name",
			"latin_last_name", "gender", "date_of_birth", "status", "amka", "afm", "phone", "postal_code",
			"address_street", "address_number", "address_municipality", "education_level", "employment_status",
			"marital_status", "home_centre", "registration_date", "no_identity_reason", "name_key", "search_key",
		]  # fmt: skip
		group_fields = ["parent", "parenttype", "parentfield", "idx", "vulnerable_group"]
		document_fields = ["parent", "parenttype", "parentfield", "idx", "document_type", "document_number"]
		rows, groups, documents_rows, tokens = [], [], [], []
		for index in range(count):
			centre = self.centres[index % len(self.centres)]
			person = self.people.beneficiary(centre.name, roma_branch=centre.centre_type == "Roma branch")
			name = f"BEN-B{self.tag}-{index + 1:07d}"
			full_name = f"{person['last_name']} {person['first_name']}"
			latin_first = identity.transliterate(person["first_name"])
			latin_last = identity.transliterate(person["last_name"])
			search_key = identity.beneficiary_search_key(
				full_name,
				latin_last,
				latin_first,
				person.get("amka"),
				person.get("afm"),
				[person.get("phone")],
				[d["document_number"] for d in person["identity_documents"]],
			)
			registered = self._date()
			rows.append(
				[
					*self._standard(name),
					person["first_name"], person["last_name"], person["father_name"], person["mother_name"],
					full_name, latin_first, latin_last, person["gender"], person["date_of_birth"], "Active",
					person.get("amka"), person.get("afm"), person.get("phone"), person["postal_code"],
					person["address_street"], person["address_number"], person["address_municipality"],
					person["education_level"], person["employment_status"], person["marital_status"], centre.name,
					registered, person.get("no_identity_reason"),
					identity.name_key(person["first_name"], person["last_name"]), search_key,
				]
			)  # fmt: skip
			for idx, group in enumerate(person["vulnerable_groups"], start=1):
				groups.append(
					[
						*self._standard(f"{name}-G{idx}"),
						name,
						"Beneficiary",
						"vulnerable_groups",
						idx,
						group["vulnerable_group"],
					]
				)
			# people without ΑΜΚΑ or ΑΦΜ are identified by a document (the form requires one of them)
			for idx, document in enumerate(person["identity_documents"], start=1):
				documents_rows.append(
					[
						*self._standard(f"{name}-D{idx}"),
						name,
						"Beneficiary",
						"identity_documents",
						idx,
						document["document_type"],
						document["document_number"],
					]
				)
			tokens += search_index.person_rows(
				{
					**person,
					"name": name,
					"latin_first_name": latin_first,
					"latin_last_name": latin_last,
					"document_numbers": [d["document_number"] for d in person["identity_documents"]],
				}
			)
			self.people_rows.append((name, full_name, centre.name, registered))
			if len(rows) >= CHUNK:
				self._write("Beneficiary", fields, rows)
				self._write("Beneficiary Vulnerable Group", group_fields, groups)
				self._write("Beneficiary Identity Document", document_fields, documents_rows)
				search_index.write(tokens)
				rows, groups, documents_rows, tokens = [], [], [], []
		self._write("Beneficiary", fields, rows)
		self._write("Beneficiary Vulnerable Group", group_fields, groups)
		self._write("Beneficiary Identity Document", document_fields, documents_rows)
		search_index.write(tokens)

	# ------------------------------------------------------------------------- casework
	def cases(self, count: int) -> None:
		fields = [
			"beneficiary", "beneficiary_name", "centre", "opened_on", "channel", "assigned_to", "status",
			"workflow_state", "closed_on", "reopen_count",
		]  # fmt: skip
		request_fields = ["parent", "parenttype", "parentfield", "idx", "request_category", "status"]
		rows, requests = [], []
		for index in range(count):
			beneficiary, full_name, centre, registered = self.rng.choice(self.people_rows)
			opened = registered + datetime.timedelta(days=self.rng.randint(0, 60))
			opened = min(opened, self.today)
			status = self.rng.choice(CASE_STATUSES)
			closed = (
				min(opened + datetime.timedelta(days=self.rng.randint(20, 300)), self.today)
				if status == "Closed"
				else None
			)
			staff = self.staff.get(centre) or [None]
			name = f"CASE-B{self.tag}-{index + 1:07d}"
			rows.append(
				[
					*self._standard(name), beneficiary, full_name, centre, opened, "Walk-in",
					self.rng.choice(staff), status, self.workflow_states[("Case", status)], closed, 0,
				]
			)  # fmt: skip
			for idx, category in enumerate(
				self.rng.sample(REQUEST_CATEGORIES, self.rng.randint(1, 2)), start=1
			):
				requests.append(
					[*self._standard(f"{name}-R{idx}"), name, "Case", "requests", idx, category, "Open"]
				)
			self.case_rows.append(
				(name, beneficiary, full_name, centre, opened, closed, self.rng.choice(staff))
			)
			if len(rows) >= CHUNK:
				self._write("Case", fields, rows)
				self._write("Case Request", request_fields, requests)
				rows, requests = [], []
		self._write("Case", fields, rows)
		self._write("Case Request", request_fields, requests)

	def service_deliveries(self, count: int) -> None:
		fields = [
			"service", "axis", "delivery_datetime", "duration_minutes", "mode", "is_group_session",
			"beneficiary", "beneficiary_name", "case", "professional", "centre",
		]  # fmt: skip
		rows = []
		for index in range(count):
			case, beneficiary, full_name, centre, opened, closed, professional = self.rng.choice(
				self.case_rows
			)
			end = closed or self.today
			day = opened + datetime.timedelta(days=self.rng.randint(0, max((end - opened).days, 0)))
			when = datetime.datetime.combine(
				day, datetime.time(self.rng.randint(8, 14), self.rng.choice((0, 30)))
			)
			service = self.rng.choice(INDIVIDUAL_SERVICES)
			rows.append(
				[
					*self._standard(f"SRV-B{self.tag}-{index + 1:08d}"), service, self.axes.get(service), when,
					45, "In person", 0, beneficiary, full_name, case, professional, centre,
				]
			)  # fmt: skip
			if len(rows) >= CHUNK:
				self._write("Service Delivery", fields, rows)
				rows = []
		self._write("Service Delivery", fields, rows)

	def referrals(self, count: int) -> None:
		fields = [
			"case", "beneficiary", "beneficiary_name", "from_centre", "referral_type", "partner_organisation",
			"status", "workflow_state", "urgency", "shares_personal_data", "reason", "sent_on",
			"acknowledged_on", "outcome",
		]  # fmt: skip
		rows = []
		for index in range(count):
			case, beneficiary, full_name, centre, opened, _closed, _professional = self.rng.choice(
				self.case_rows
			)
			status = self.rng.choice(REFERRAL_STATUSES)
			sent = (
				min(opened + datetime.timedelta(days=self.rng.randint(1, 30)), self.today)
				if status != "Draft"
				else None
			)
			acknowledged = (
				min(sent + datetime.timedelta(days=self.rng.randint(1, 20)), self.today)
				if status == "Acknowledged"
				else None
			)
			rows.append(
				[
					*self._standard(f"REF-B{self.tag}-{index + 1:07d}"), case, beneficiary, full_name, centre,
					"External", DYPA, status, self.workflow_states[("Referral", status)], "Normal", 0,
					"Εγγραφή στο μητρώο ανέργων (συνθετικά δεδομένα)", sent, acknowledged,
					self.rng.choice(OUTCOMES) if acknowledged else None,
				]
			)  # fmt: skip
			if len(rows) >= CHUNK:
				self._write("Referral", fields, rows)
				rows = []
		self._write("Referral", fields, rows)


def remove(tag: str) -> None:
	"""Delete a generated data set (its names carry the tag)."""
	frappe.only_for("System Manager")
	for doctype, children in (
		("Referral", ()),
		("Service Delivery", ()),
		("Case", ("Case Request",)),
		("Beneficiary", ("Beneficiary Vulnerable Group", "Beneficiary Identity Document")),
	):
		prefix = {"Referral": "REF", "Service Delivery": "SRV", "Case": "CASE", "Beneficiary": "BEN"}[doctype]
		pattern = f"{prefix}-B{tag}-%"
		for child in children:
			frappe.db.sql(f"delete from `tab{child}` where parent like %s", pattern)  # nosec B608 # fixed DocTypes
		if doctype == "Beneficiary":
			frappe.db.sql(f"delete from `{search_index.TABLE}` where beneficiary like %s", pattern)  # nosec B608 # fixed table
		frappe.db.sql(f"delete from `tab{doctype}` where name like %s", pattern)  # nosec B608 # fixed DocTypes
	frappe.db.commit()
