"""The report «Κλείσιμο κύκλου παραπομπών» (Referral Loop Closure): its figures against a known set of
referrals, its Excel export, and centre isolation over HTTP (query_report.run, the report's export_query
and the app's Excel download)."""

import io
import json
import secrets

import frappe
import pytest
from frappe.desk.query_report import run
from kentro_koinotitas.reporting.excel import report_xlsx
from openpyxl import load_workbook

REPORT = "Referral Loop Closure"
FILTERS = {"from_date": "2025-01-01", "to_date": "2025-12-31", "periodicity": "Quarterly"}


def partner(tag: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Partner Organisation",
				"organisation_name": f"Φορέας Κύκλου {tag}",
				"organisation_type": frappe.get_all("Partner Organisation Type", pluck="name", limit=1)[0],
				"level": "Local",
				"accepts_referrals": 1,
				"active": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def referral(case, organisation: str, sent_on: str, acknowledged_on=None, outcome=None, outcome_on=None):
	doc = frappe.get_doc(
		{
			"doctype": "Referral",
			"case": case.name,
			"beneficiary": case.beneficiary,
			"referral_type": "External",
			"partner_organisation": organisation,
			"reason": "Παραπομπή δοκιμής",
			"shares_personal_data": 0,
			"status": "Acknowledged" if acknowledged_on else "Sent",
			"sent_on": sent_on,
			"acknowledged_on": acknowledged_on,
		}
	).insert(ignore_permissions=True)
	if outcome:
		doc.outcome = outcome
		doc.status = "Completed"
		if outcome in ("Rejected", "Completed unsuccessfully"):
			doc.status = "Rejected" if outcome == "Rejected" else "Completed"
			doc.outcome_reason = frappe.get_all("Referral Outcome Reason", pluck="name", limit=1)[0]
		doc.save(ignore_permissions=True, ignore_version=False)
		# the outcome's day is the day its Version was written: place it on the wanted day
		frappe.db.sql(
			"""update `tabVersion` set creation = %s
			where ref_doctype = 'Referral' and docname = %s and data like %s""",
			(f"{outcome_on} 10:00:00", doc.name, '%"outcome"%'),
		)
	return doc


@pytest.fixture(scope="module")
def loop(two_centres):
	tag = secrets.token_hex(3)
	frappe.set_user("Administrator")
	world = frappe._dict(partner=partner(tag))
	a, b = two_centres.case_a, two_centres.case_b
	world.a = [
		# Q1: three sent, two answered (ack after 2 and 4 days), one outcome 10 days after sending
		referral(a, world.partner, "2025-01-10", "2025-01-12", "Accepted", "2025-01-20"),
		referral(a, world.partner, "2025-02-01", "2025-02-05"),
		referral(a, world.partner, "2025-03-01"),
		# Q2: one sent, answered by an outcome alone after 6 days
		referral(a, world.partner, "2025-04-01", None, "Rejected", "2025-04-07"),
	]
	world.b = [referral(b, world.partner, "2025-01-15", "2025-01-16", "Completed successfully", "2025-01-18")]
	frappe.db.commit()
	yield world
	frappe.set_user("Administrator")
	for doc in world.a + world.b:
		frappe.delete_doc("Referral", doc.name, ignore_permissions=True, force=True)
	frappe.delete_doc("Partner Organisation", world.partner, ignore_permissions=True, force=True)
	frappe.db.commit()


def rows_of(result, organisation):
	return {
		r["period"]: r
		for r in result
		if isinstance(r, dict) and r.get("partner_organisation") == organisation
	}


def test_figures_per_partner_and_period(loop, two_centres):
	frappe.set_user(two_centres.users["coordinator_a"])
	result = run(REPORT, {**FILTERS, "centre": two_centres.centre_a})["result"]
	rows = rows_of(result, loop.partner)
	print(
		"DEBUG",
		rows,
		frappe.get_all("Version", filters={"docname": loop.a[0].name}, fields=["data", "creation"]),
	)
	assert len(rows) == 2
	q1, q2 = sorted(rows.values(), key=lambda r: r["period"])
	assert (q1["sent"], q1["answered"], q1["answered_share"]) == (3, 2, 66.7)
	assert q1["days_to_acknowledgement"] == 3  # median of 2 and 4
	assert q1["days_to_outcome"] == 10
	assert (q1["outcome_accepted"], q1["no_outcome"]) == (1, 2)
	assert (q2["sent"], q2["answered"], q2["answered_share"]) == (1, 1, 100.0)
	assert q2["days_to_acknowledgement"] is None and q2["days_to_outcome"] == 6
	assert q2["outcome_rejected"] == 1
	frappe.set_user("Administrator")


def test_excel_export_in_greek(loop, two_centres):
	frappe.set_user(two_centres.users["coordinator_a"])
	frappe.local.lang = "el"
	content = report_xlsx(REPORT, {**FILTERS, "centre": two_centres.centre_a})
	sheet = load_workbook(io.BytesIO(content)).active
	assert sheet["A1"].value == "Κλείσιμο κύκλου παραπομπών"
	assert sheet["B2"].value == two_centres.centre_a
	header = next(r for r in range(1, 12) if sheet.cell(row=r, column=1).value == "Φορέας")
	labels = [c.value for c in sheet[header]]
	assert "Με απάντηση (%)" in labels and "Διάμεσος ημερών έως την έκβαση" in labels
	data = [r for r in sheet.iter_rows(min_row=header + 1, values_only=True) if r[0] == loop.partner]
	assert sorted(r[labels.index("Παραπομπές που στάλθηκαν")] for r in data) == [1, 3]
	frappe.local.lang = "en"
	frappe.set_user("Administrator")


@pytest.fixture
def as_user(http, two_centres):
	def login(key):
		http.login(two_centres.users[key], two_centres.passwords[key])
		return http

	return login


def test_centre_b_sees_only_its_own_rows_over_http(loop, two_centres, as_user):
	http = as_user("coordinator_b")
	response = http.post(
		"/api/method/frappe.desk.query_report.run",
		data={"report_name": REPORT, "filters": json.dumps(FILTERS)},
	)
	assert response.status_code == 200, response.text[:300]
	rows = rows_of(response.json()["message"]["result"], loop.partner)
	assert [r["sent"] for r in rows.values()] == [1]  # centre B's one referral, none of A's four

	# naming centre A is refused, on every path
	for path, data in (
		("/api/method/frappe.desk.query_report.run", {"report_name": REPORT}),
		(
			"/api/method/frappe.desk.query_report.export_query",
			{"report_name": REPORT, "file_format_type": "CSV", "visible_idx": "[]"},
		),
		("/api/method/kentro_koinotitas.reporting.excel.download_xlsx", {"report_name": REPORT}),
	):
		response = http.post(
			path, data={**data, "filters": json.dumps({**FILTERS, "centre": two_centres.centre_a})}
		)
		assert response.status_code == 403, (path, response.status_code, response.text[:200])
		assert loop.a[0].name not in response.text

	response = http.post(
		"/api/method/frappe.desk.query_report.export_query",
		data={
			"report_name": REPORT,
			"file_format_type": "CSV",
			"filters": json.dumps(FILTERS),
			"visible_idx": "[]",
		},
	)
	assert response.status_code == 200, response.text[:300]
	lines = [line for line in response.text.splitlines() if loop.partner in line]
	assert len(lines) == 1 and ",1,1," in lines[0].replace('"', "")


def test_a_receptionist_cannot_run_it(loop, two_centres, as_user):
	http = as_user("receptionist_a")
	response = http.post(
		"/api/method/frappe.desk.query_report.run",
		data={"report_name": REPORT, "filters": json.dumps(FILTERS)},
	)
	assert response.status_code == 403
	assert loop.partner not in response.text
