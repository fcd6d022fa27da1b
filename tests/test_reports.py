"""The indicator reports against counts computed here from a known data set, their Excel export read back
with openpyxl, the workspace numbers, and centre isolation."""

import datetime
import io
from collections import Counter

import frappe
import pytest
from frappe.desk.query_report import run
from kentro_koinotitas.reporting import dashboard
from kentro_koinotitas.reporting.excel import report_xlsx
from kentro_koinotitas.tests.factories import DYPA, make_beneficiary, make_case, make_centre, make_referral
from openpyxl import load_workbook

YEAR = 2025
PEOPLE = [
	# (registration date, gender, birth date, vulnerable groups, employment, education)
	("2025-01-15", "Female", "1990-05-01", ["Ρομά"], "Unemployed", "ISCED 0-2: Up to lower secondary"),
	("2025-02-10", "Male", "1960-03-03", [], "Long-term unemployed", "ISCED 3-4: Upper or post-secondary"),
	("2025-04-20", "Female", "2010-07-07", ["Άτομο με αναπηρία (ΑμεΑ)"], "In education", ""),
	(
		"2025-05-05",
		"Female",
		"1985-09-09",
		["Ρομά", "Μονογονεϊκή οικογένεια"],
		"Employed",
		"ISCED 5-8: Tertiary",
	),
	("2025-11-30", "Male", "2001-01-01", [], "Inactive", "ISCED 3-4: Upper or post-secondary"),
]
CASE_OPENED = ["2025-01-20", "2025-02-15", "2025-04-25", "2025-08-01", "2025-12-01"]
REQUESTS = [["Στέγαση"], ["Στέγαση", "Υγεία"], ["Υγεία"], ["Απασχόληση"], ["Στέγαση"]]


def quarter(date: str) -> str:
	d = datetime.date.fromisoformat(date)
	return f"p_{d.year}_q{(d.month - 1) // 3 + 1}"


def age_band(born: str, on: str) -> str:
	b, o = datetime.date.fromisoformat(born), datetime.date.fromisoformat(on)
	age = o.year - b.year - ((o.month, o.day) < (b.month, b.day))
	return "<18" if age < 18 else "18-29" if age <= 29 else "30-54" if age <= 54 else "55+"


def deliver(service: str, case, when: str, centre: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Service Delivery",
			"service": service,
			"beneficiary": case.beneficiary,
			"case": case.name,
			"professional": "Administrator",
			"delivery_datetime": when,
			"centre": centre,
		}
	).insert(ignore_permissions=True)


@pytest.fixture
def data_set():
	centre = make_centre(f"Κέντρο Δεικτών {frappe.generate_hash(length=5)}")
	people, cases = [], []
	for (registered, gender, born, groups, employment, education), opened, requests in zip(
		PEOPLE, CASE_OPENED, REQUESTS, strict=True
	):
		person = make_beneficiary(
			home_centre=centre,
			registration_date=registered,
			gender=gender,
			date_of_birth=born,
			employment_status=employment,
			education_level=education,
			vulnerable_groups=[{"vulnerable_group": g} for g in groups],
		)
		people.append(person)
		cases.append(
			make_case(
				person.name,
				opened_on=opened,
				requests=[{"request_category": r} for r in requests],
				assigned_to="Administrator",
			)
		)
	services = [
		(0, "Ενημέρωση και πληροφόρηση", "2025-01-21 10:00:00"),
		(0, "Ενημέρωση και πληροφόρηση", "2025-03-01 10:00:00"),
		(1, "Κοινωνική έρευνα και αξιολόγηση αναγκών", "2025-02-16 11:00:00"),
		(3, "Ενημέρωση και πληροφόρηση", "2025-08-02 09:30:00"),
		(3, "Κοινωνική έρευνα και αξιολόγηση αναγκών", "2025-12-31 14:00:00"),
	]
	for index, service, when in services:
		deliver(service, cases[index], when, centre)
	# referrals: (case, sent, acknowledged, outcome)
	referral_specs = [
		(0, "2025-01-25", "2025-01-28", "Completed successfully"),
		(1, "2025-02-20", "2025-03-02", "Completed unsuccessfully"),
		(3, "2025-08-05", "2025-08-06", None),
		(4, "2025-12-02", None, None),
	]
	referrals = []
	for index, sent, acknowledged, outcome in referral_specs:
		referral = make_referral(cases[index])
		frappe.db.set_value(
			"Referral",
			referral.name,
			{
				"status": "Acknowledged" if acknowledged else "Sent",
				"sent_on": sent,
				"acknowledged_on": acknowledged,
				"outcome": outcome,
			},
		)
		referrals.append(referral.name)
	frappe.db.set_value(
		"Case",
		cases[1].name,
		{"status": "Closed", "closed_on": "2025-06-30", "esf_exit_job_searching": 1, "esf_exit_employed": 1},
	)
	return frappe._dict(
		centre=centre,
		people=people,
		cases=cases,
		services=services,
		referrals=referrals,
		referral_specs=referral_specs,
	)


def rows_by_label(result) -> dict[tuple[str, str], dict]:
	return {(row["section"], row["indicator"]): row for row in result if isinstance(row, dict)}


def indicators(centre: str, periodicity: str = "Quarterly") -> dict:
	result = run(
		"Centre Indicators",
		{
			"centre": centre,
			"from_date": f"{YEAR}-01-01",
			"to_date": f"{YEAR}-12-31",
			"periodicity": periodicity,
		},
	)
	return rows_by_label(result["result"])


def test_centre_indicators_match_independent_counts(data_set):
	frappe.local.lang = "en"
	rows = indicators(data_set.centre)

	new = rows[("New beneficiaries", "All new beneficiaries")]
	expected = Counter(quarter(p[0]) for p in PEOPLE)
	assert new["total"] == len(PEOPLE)
	for key in ("p_2025_q1", "p_2025_q2", "p_2025_q3", "p_2025_q4"):
		assert new[key] == expected.get(key, 0)
	assert rows[("New beneficiaries", "Female")]["total"] == sum(1 for p in PEOPLE if p[1] == "Female")
	bands = Counter(age_band(p[2], p[0]) for p in PEOPLE)
	for band, count in bands.items():
		assert rows[("New beneficiaries", f"Age {band}")]["total"] == count
	assert rows[("New beneficiaries", "Ρομά")]["total"] == 2
	assert rows[("New beneficiaries", "Ρομά")]["p_2025_q2"] == 1

	# active: a case opened or a service received in the period; each person once per period
	active_q1 = {0, 1}  # cases opened in Q1 (and services of persons 0 and 1)
	assert rows[("Active beneficiaries", "All active beneficiaries")]["p_2025_q1"] == len(active_q1)
	assert rows[("Active beneficiaries", "All active beneficiaries")]["p_2025_q3"] == 1
	assert rows[("Active beneficiaries", "All active beneficiaries")]["total"] == len(PEOPLE)
	assert_active_breakdowns(rows, data_set)

	requests = Counter(r for rs in REQUESTS for r in rs)
	assert rows[("Requests", "All requests")]["total"] == sum(requests.values())
	assert rows[("Requests", "Στέγαση")]["total"] == requests["Στέγαση"]
	assert rows[("Requests", "Στέγαση")]["p_2025_q1"] == 2

	services = Counter(s for _i, s, _w in data_set.services)
	assert rows[("Services by axis", "All service deliveries")]["total"] == len(data_set.services)
	assert rows[("Services", "Ενημέρωση και πληροφόρηση")]["total"] == services["Ενημέρωση και πληροφόρηση"]
	assert rows[("Services", "Κοινωνική έρευνα και αξιολόγηση αναγκών")]["p_2025_q4"] == 1

	specs = data_set.referral_specs
	assert rows[("Referrals", "All referrals")]["total"] == len(specs)
	assert rows[("Referrals by destination", DYPA)]["total"] == len(specs)
	completed = sum(1 for s in specs if s[3] and s[3].startswith("Completed"))
	assert rows[("Referrals", "Completed (%)")]["total"] == round(100 * completed / len(specs))
	days = sorted(
		(datetime.date.fromisoformat(s[2]) - datetime.date.fromisoformat(s[1])).days for s in specs if s[2]
	)
	assert rows[("Referrals", "Median days to acknowledgement")]["total"] == days[len(days) // 2]
	assert rows[("Referrals", "Median days to acknowledgement")]["p_2025_q1"] == round((3 + 10) / 2)
	assert rows[("Referrals by outcome", "No outcome yet")]["total"] == 2


def assert_active_breakdowns(rows, data_set) -> None:
	"""Active people by gender, by age band on the last day of the quarter and by vulnerable group: per
	quarter each person once, and in the total each person once for every group they were in."""
	quarter_ends = {"p_2025_q1": "2025-03-31", "p_2025_q2": "2025-06-30", "p_2025_q3": "2025-09-30"}
	quarter_ends["p_2025_q4"] = "2025-12-31"
	active = {(i, quarter(opened)) for i, opened in enumerate(CASE_OPENED)}
	active |= {(i, quarter(when[:10])) for i, _service, when in data_set.services}
	expected: dict[str, dict[str, set[int]]] = {}
	for i, key in active:
		_registered, gender, born, groups, *_rest = PEOPLE[i]
		for group in (gender, f"Age {age_band(born, quarter_ends[key])}", *groups):
			expected.setdefault(group, {}).setdefault(key, set()).add(i)
	for group, per_quarter in expected.items():
		row = rows[("Active beneficiaries", group)]
		assert row["total"] == len(set().union(*per_quarter.values())), group
		for key in quarter_ends:
			assert row[key] == len(per_quarter.get(key, ())), (group, key)
	# person 2, born on 2010-07-07, is the one active person under 18
	assert rows[("Active beneficiaries", "Age <18")]["total"] == 1


def test_monthly_and_yearly_periods(data_set):
	frappe.local.lang = "en"
	monthly = indicators(data_set.centre, "Monthly")
	row = monthly[("New beneficiaries", "All new beneficiaries")]
	assert row["p_2025_01"] == 1 and row["p_2025_11"] == 1 and row["p_2025_03"] == 0
	yearly = indicators(data_set.centre, "Yearly")
	assert yearly[("New beneficiaries", "All new beneficiaries")]["p_2025"] == len(PEOPLE)


def test_esf_participants(data_set):
	frappe.local.lang = "en"
	result = run(
		"ESF Plus Participants",
		{"centre": data_set.centre, "from_date": "2025-01-01", "to_date": "2025-12-31"},
	)
	rows = {row["code"]: row for row in result["result"] if isinstance(row, dict)}
	assert rows["EECO11"]["total"] == len(PEOPLE)
	assert rows["EECO11"]["women"] == 3 and rows["EECO11"]["men"] == 2
	assert rows["EECO01"]["total"] == 2  # unemployed incl. long-term
	assert rows["EECO02"]["total"] == 1
	assert rows["EECO03"]["total"] == 2  # inactive, including in education
	assert rows["EECO04"]["total"] == 1
	assert rows["EECO05"]["total"] == 1  # the 14-year-old
	assert rows["EECO07"]["total"] == 1  # born 1960
	assert rows["EECO12"]["total"] == 1 and rows["EECO15"]["total"] == 2
	assert rows["EECR01"]["total"] == 1 and rows["EECR04"]["men"] == 1
	assert rows["EECR03"]["total"] == 0


def test_open_referrals_and_caseload(data_set):
	frappe.local.lang = "en"
	result = run("Open Referrals and Overdue Items", {"centre": data_set.centre})
	rows = [r for r in result["result"] if isinstance(r, dict)]
	waiting = [r for r in rows if r["reference_name"] == data_set.referrals[3]]
	assert len(waiting) == 1
	assert (
		waiting[0]["days_waiting"]
		== (frappe.utils.getdate(frappe.utils.today()) - datetime.date(2025, 12, 2)).days
	)
	assert waiting[0]["waiting_on"] == DYPA
	assert data_set.referrals[0] not in {r["reference_name"] for r in rows}

	result = run(
		"Caseload per Professional",
		{"centre": data_set.centre, "from_date": "2025-01-01", "to_date": "2025-12-31"},
	)
	admin = next(r for r in result["result"] if isinstance(r, dict) and r["professional"] == "Administrator")
	assert admin["new_cases"] == len(CASE_OPENED)
	assert admin["closed_cases"] == 1
	assert admin["open_cases"] == len(CASE_OPENED) - 1
	assert admin["services"] == len(data_set.services)


def test_greek_column_headers_fit_their_columns(data_set):
	frappe.local.lang = "el"
	try:
		result = run(
			"Caseload per Professional",
			{"centre": data_set.centre, "from_date": "2025-01-01", "to_date": "2025-12-31"},
		)
		headers = {column["label"]: column["width"] for column in result["columns"]}
		longest = max(headers, key=len)
		assert any(letter in "αβγδεζηθικλμνξοπρστυφχψω" for letter in longest.lower())  # Greek labels
		for label, width in headers.items():
			assert width >= len(label) * 7.5, (label, width)
	finally:
		frappe.local.lang = "en"


def test_open_referrals_link_to_their_records_in_greek(data_set):
	"""The report names the record type in Greek and links with the DocType's own name (a Dynamic Link
	to «Παραπομπή» would lead nowhere)."""
	frappe.local.lang = "el"
	result = run("Open Referrals and Overdue Items", {"centre": data_set.centre})
	columns = {c["fieldname"]: c for c in result["columns"] if isinstance(c, dict)}
	assert columns["reference_name"]["options"] == "reference_doctype"
	assert columns["reference_doctype"].get("hidden")
	rows = [r for r in result["result"] if isinstance(r, dict)]
	referral = next(r for r in rows if r["reference_name"] == data_set.referrals[3])
	assert referral["reference_doctype"] == "Referral"
	assert referral["record_type"] == "Παραπομπή"
	assert all(frappe.db.exists(r["reference_doctype"], r["reference_name"]) for r in rows)


def test_excel_export_has_header_block_frozen_header_and_totals(data_set):
	frappe.local.lang = "el"
	content = report_xlsx(
		"Caseload per Professional",
		{"centre": data_set.centre, "from_date": "2025-01-01", "to_date": "2025-12-31"},
	)
	sheet = load_workbook(io.BytesIO(content)).active
	assert sheet["A1"].value == "Φόρτος Φακέλων ανά Επαγγελματία"
	assert sheet["A2"].value == "Κέντρο Κοινότητας" and sheet["B2"].value == data_set.centre
	assert sheet["B3"].value == "01-01-2025 – 31-12-2025"
	header_row = next(r for r in range(1, 12) if sheet.cell(row=r, column=2).value == "Επαγγελματίας")
	assert sheet.freeze_panes == f"A{header_row + 1}"
	assert sheet.cell(row=header_row, column=1).font.bold
	assert sheet.column_dimensions["A"].width >= len("Administrator")
	last = sheet.max_row
	assert sheet.cell(row=last, column=1).value == "Σύνολο"
	assert sheet.cell(row=last, column=4).value == len(CASE_OPENED)  # cases opened in the period

	content = report_xlsx(
		"Centre Indicators",
		{
			"centre": data_set.centre,
			"from_date": "2025-01-01",
			"to_date": "2025-12-31",
			"periodicity": "Quarterly",
		},
	)
	sheet = load_workbook(io.BytesIO(content)).active
	assert sheet["A1"].value == "Δείκτες Κέντρου"
	values = {(row[0], row[1]): row for row in sheet.iter_rows(values_only=True) if row and row[1]}
	row = values[("Νέοι ωφελούμενοι", "Σύνολο νέων ωφελουμένων")]
	assert row[2:7] == (2, 2, 0, 1, 5)  # Q1..Q4 and the total


def test_reports_refuse_another_centre_and_count_only_the_users_centres(two_centres):
	frappe.set_user(two_centres.users["coordinator_a"])
	filters = {"from_date": "2000-01-01", "to_date": "2100-12-31"}
	with pytest.raises(frappe.PermissionError):
		run("Centre Indicators", {**filters, "centre": two_centres.centre_b})
	with pytest.raises(frappe.PermissionError):
		report_xlsx("Caseload per Professional", {**filters, "centre": two_centres.centre_b})

	frappe.local.lang = "en"
	rows = rows_by_label(run("Centre Indicators", {**filters, "periodicity": "Yearly"})["result"])
	visible = frappe.get_list("Case", pluck="name", limit_page_length=0)
	assert two_centres.case_b.name not in visible
	assert rows[("Active beneficiaries", "All active beneficiaries")]["total"] == len(
		{frappe.db.get_value("Case", name, "beneficiary") for name in visible}
	)

	frappe.set_user(two_centres.users["receptionist_a"])
	with pytest.raises(frappe.PermissionError):
		run("Centre Indicators", {**filters, "periodicity": "Yearly"})


def test_workspace_numbers_follow_the_users_centres(two_centres):
	frappe.set_user(two_centres.users["coordinator_b"])
	chart = dashboard.requests_by_category()
	assert set(chart) == {"labels", "datasets"}
	cases = frappe.get_list("Case", filters={"status": ("!=", "Closed")}, pluck="name", limit_page_length=0)
	assert two_centres.case_b.name in cases and two_centres.case_a.name not in cases
	from frappe.desk.doctype.number_card.number_card import get_result

	card = frappe.get_doc("Number Card", "Active Cases")
	assert get_result(card.as_dict(), card.filters_json) == len(cases)
	assert dashboard.overdue_items_count() >= 0
	months = dashboard.services_by_axis()
	assert len(months["labels"]) == dashboard.CHART_MONTHS


def test_a_refused_report_run_does_not_turn_the_report_into_a_prepared_report(two_centres):
	from kentro_koinotitas.reporting.overrides import prepared_report_watchers

	frappe.set_user(two_centres.users["coordinator_a"])
	with pytest.raises(frappe.PermissionError):
		run(
			"Centre Indicators",
			{"centre": two_centres.centre_b, "from_date": "2025-01-01", "to_date": "2025-12-31"},
		)
	assert not prepared_report_watchers("Centre Indicators")


def test_services_whose_names_share_a_crc32_are_still_counted_apart():
	"""The services query groups by CRC32 of the names; two names with the same CRC32 must not merge."""
	import zlib

	names = ["Υπηρεσία ελέγχου 29V70L46TZ", "Υπηρεσία ελέγχου 5BWQ200X0V"]
	assert zlib.crc32(names[0].encode()) == zlib.crc32(names[1].encode())  # MariaDB's CRC32 is the same
	frappe.local.lang = "en"
	centre = make_centre(f"Κέντρο Ελέγχου {frappe.generate_hash(length=5)}")
	person = make_beneficiary(home_centre=centre, registration_date="2025-03-01")
	case = make_case(person.name, opened_on="2025-03-02", assigned_to="Administrator")
	for name, deliveries in zip(names, (1, 2), strict=True):
		if not frappe.db.exists("Service", name):
			frappe.get_doc(
				{"doctype": "Service", "service_name": name, "axis": "C. Social inclusion services"}
			).insert(ignore_permissions=True)
		for day in range(deliveries):
			deliver(name, case, f"2025-03-{10 + day} 10:00:00", centre)
	rows = indicators(centre)
	assert rows[("Services", names[0])]["total"] == 1
	assert rows[("Services", names[1])]["total"] == 2
	assert rows[("Services by axis", "C. Social inclusion services")]["p_2025_q1"] == 3
