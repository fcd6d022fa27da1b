"""The Greek print formats, rendered to PDF through Frappe's PDF path (wkhtmltopdf) and read back with
pdftotext: letterhead, Greek text with accents, dd-mm-yyyy dates, consent-limited referral letters, and
nothing a user may not read."""

import subprocess

import frappe
import pytest
from frappe.utils import add_days, today
from kentro_koinotitas.tests.factories import (
	DYPA,
	SHARING,
	give_consent,
	make_beneficiary,
	make_case,
	make_centre,
	make_referral,
)

SPECIAL = "Επεξεργασία δεδομένων υγείας και αναπηρίας"
DISABILITY = "Άτομο με αναπηρία (ΑμεΑ)"
NOTICE = "Η πράξη συγχρηματοδοτείται από την Ευρωπαϊκή Ένωση (ΕΚΤ+) – δοκιμή"


@pytest.fixture
def pdf_host(web_server):
	"""wkhtmltopdf fetches the print stylesheet from the site: point the site's URL at the test server."""
	port = web_server.rsplit(":", 1)[1]
	previous = frappe.local.conf.get("host_name")
	frappe.local.conf.host_name = f"http://{frappe.local.site}:{port}"
	yield
	frappe.local.conf.host_name = previous


def pdf_text(doctype: str, name: str, print_format: str) -> str:
	pdf = frappe.get_print(doctype, name, print_format=print_format, as_pdf=True)
	assert pdf[:4] == b"%PDF"
	result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
	return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def centre():
	return make_centre(
		f"Κέντρο Κοινότητας Εκτυπώσεων {frappe.generate_hash(length=5)}",
		municipality="Δήμος Ωραιοκάστρου",
		address_line="Οδός Ελευθερίας 7",
		postal_code="57013",
		city="Ωραιόκαστρο",
		phone="+302310690000",
		operational_programme="Πρόγραμμα «Κεντρική Μακεδονία 2021-2027»",
		mis_code="6001234",
		co_funding_notice=NOTICE,
	)


def test_registration_sheet_reads_in_greek_with_letterhead_and_dates(pdf_host, centre):
	person = make_beneficiary(
		first_name="Ευαγγελία",
		last_name="Παπαϊωάννου",
		date_of_birth="1979-04-05",
		gender="Female",
		home_centre=centre,
		registration_date="2026-02-03",
		vulnerable_groups=[{"vulnerable_group": DISABILITY, "disability_percentage": 67}],
	)
	text = pdf_text("Beneficiary", person.name, "Δελτίο Καταγραφής Ωφελούμενου")
	for expected in (
		"ΔΕΛΤΙΟ ΚΑΤΑΓΡΑΦΗΣ ΩΦΕΛΟΥΜΕΝΟΥ",
		"Δήμος Ωραιοκάστρου",
		"Οδός Ελευθερίας 7, 57013 Ωραιόκαστρο",
		"Παπαϊωάννου",
		"Ευαγγελία",
		"05-04-1979",
		"03-02-2026",
		person.amka,
		"Γυναίκα",
		DISABILITY,
		"67%",
		NOTICE,
		"Κωδικός ΟΠΣ (MIS): 6001234",
	):
		assert expected in text, expected


def test_registration_sheet_leaves_out_what_the_user_cannot_read(pdf_host, two_centres):
	person = two_centres.person_a.name
	frappe.set_user(two_centres.users["social_worker_a"])
	assert "Ρομά" in pdf_text("Beneficiary", person, "Δελτίο Καταγραφής Ωφελούμενου")

	frappe.set_user(two_centres.users["receptionist_a"])
	text = pdf_text("Beneficiary", person, "Δελτίο Καταγραφής Ωφελούμενου")
	assert two_centres.person_a.last_name in text
	assert "Ευπαθείς ομάδες" not in text and "Ρομά" not in text

	# Frappe's own standard print format is stripped the same way
	frappe.set_user(two_centres.users["receptionist_a"])
	html = frappe.get_print("Beneficiary", person)
	assert "Ρομά" not in html


def test_a_user_of_another_centre_cannot_print(pdf_host, two_centres):
	frappe.set_user(two_centres.users["social_worker_b"])
	with pytest.raises((frappe.PermissionError, frappe.DoesNotExistError)):
		frappe.get_print("Case", two_centres.case_a.name, print_format="Συνοπτική Έκθεση Φακέλου")
	with pytest.raises((frappe.PermissionError, frappe.DoesNotExistError)):
		frappe.get_print(
			"Beneficiary", two_centres.person_a.name, print_format="Δελτίο Καταγραφής Ωφελούμενου"
		)


def test_printing_over_http_respects_centres(two_centres, http, web_server):
	# With its port in the Host header, the site's URL (which wkhtmltopdf fetches from) is this server
	http.headers["Host"] = f"{frappe.local.site}:{web_server.rsplit(':', 1)[1]}"
	http.login(two_centres.users["coordinator_b"], two_centres.passwords["coordinator_b"])
	response = http.get(
		"/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "Case", "name": two_centres.case_a.name, "format": "Συνοπτική Έκθεση Φακέλου"},
	)
	assert response.status_code in (403, 404)
	assert not response.content.startswith(b"%PDF")

	response = http.get(
		"/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "Case", "name": two_centres.case_b.name, "format": "Συνοπτική Έκθεση Φακέλου"},
	)
	assert response.status_code == 200 and response.content.startswith(b"%PDF")
	result = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)
	assert "ΣΥΝΟΠΤΙΚΗ ΕΚΘΕΣΗ ΦΑΚΕΛΟΥ" in result.stdout.decode()


def test_referral_letter_shares_only_what_the_consent_allows(pdf_host, centre):
	person = make_beneficiary(
		first_name="Σταύρος",
		last_name="Ηλιόπουλος",
		home_centre=centre,
		phone="6971234567",
		vulnerable_groups=[{"vulnerable_group": DISABILITY}],
	)
	case = make_case(person.name)
	referral = make_referral(case, shares_personal_data=0, reason="Ένταξη σε πρόγραμμα απασχόλησης ΑμεΑ")

	text = pdf_text("Referral", referral.name, "Παραπεμπτικό Σημείωμα")
	assert "ΠΑΡΑΠΕΜΠΤΙΚΟ ΣΗΜΕΙΩΜΑ" in text and DYPA in text
	assert "Ηλιόπουλος Σταύρος" in text and "Ένταξη σε πρόγραμμα απασχόλησης ΑμεΑ" in text
	assert person.amka not in text and "+306971234567" not in text

	give_consent(person.name, SHARING)
	referral.db_set("shares_personal_data", 1)
	text = pdf_text("Referral", referral.name, "Παραπεμπτικό Σημείωμα")
	assert person.amka in text and "+306971234567" in text
	assert DISABILITY not in text  # health data needs its own consent

	give_consent(person.name, SPECIAL)
	text = pdf_text("Referral", referral.name, "Παραπεμπτικό Σημείωμα")
	assert DISABILITY in text


def test_consent_form_lists_purposes_and_signature_lines(pdf_host, centre):
	person = make_beneficiary(first_name="Ζωή", last_name="Κωνσταντινίδου", home_centre=centre)
	consent = give_consent(person.name, SHARING, on="2026-03-09")
	text = pdf_text("Consent", consent.name, "Έντυπο Συγκατάθεσης")
	for expected in (
		"ΕΝΤΥΠΟ ΣΥΓΚΑΤΑΘΕΣΗΣ",
		"Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς",
		"09-03-2026",
		"Κωνσταντινίδου Ζωή",
		"Ο/Η δηλών/ούσα",
		"Δήμος Ωραιοκάστρου",
	):
		assert expected in text, expected


def test_case_summary_and_esf_sheet(pdf_host, centre):
	person = make_beneficiary(
		first_name="Νικόλαος",
		last_name="Τσιρίγος",
		date_of_birth="2000-06-15",
		gender="Male",
		home_centre=centre,
		employment_status="Long-term unemployed",
		education_level="ISCED 3-4: Upper or post-secondary",
		vulnerable_groups=[{"vulnerable_group": "Ρομά"}],
	)
	case = make_case(
		person.name,
		opened_on="2026-01-20",
		requests=[{"request_category": "Στέγαση", "description": "Αναζήτηση κατοικίας"}],
		action_plan=[{"goal": "Εύρεση στέγης", "due_date": "2026-03-31"}],
	)
	make_referral(case, reason="Εγγραφή στη ΔΥΠΑ")
	text = pdf_text("Case", case.name, "Συνοπτική Έκθεση Φακέλου")
	for expected in (
		"ΣΥΝΟΠΤΙΚΗ ΕΚΘΕΣΗ ΦΑΚΕΛΟΥ",
		"20-01-2026",
		"Στέγαση",
		"Εύρεση στέγης",
		"31-03-2026",
		DYPA,
	):
		assert expected in text, expected

	frappe.db.set_value(
		"Case", case.name, {"status": "Closed", "closed_on": "2026-06-30", "esf_exit_job_searching": 1}
	)
	text = pdf_text("Case", case.name, "Απογραφικό Δελτίο Εισόδου - Εξόδου ΕΚΤ+")
	for expected in ("ΑΠΟΓΡΑΦΙΚΟ ΔΕΛΤΙΟ ΕΙΣΟΔΟΥ / ΕΞΟΔΟΥ", "25 (18-29)", "30-06-2026"):
		assert expected in text, expected

	def answer(code: str) -> str:
		"""The Ναι/Όχι of an indicator row (a long label may wrap around it)."""
		row = text.split(code, 1)[1][:250]
		return "Ναι" if "Ναι" in row.split("EE", 1)[0] else "Όχι"

	assert answer("EECO02") == "Ναι"  # long-term unemployed
	assert answer("EECO04") == "Όχι"
	assert answer("EECO15") == "Ναι"  # Roma
	assert answer("EECO12") == "Όχι"
	assert answer("EECR01") == "Ναι"  # job searching at exit
	assert answer("EECR04") == "Όχι"


def test_certificate_of_attendance_per_participant(pdf_host, centre):
	first = make_beneficiary(first_name="Ελένη", last_name="Δημάκη", home_centre=centre)
	second = make_beneficiary(first_name="Άρης", last_name="Λαμπράκης", home_centre=centre)
	start = add_days(today(), -14)
	activity = frappe.get_doc(
		{
			"doctype": "Group Activity",
			"title": "Εργαστήρι ψηφιακών δεξιοτήτων",
			"service": "Δημιουργική απασχόληση παιδιών",
			"centre": centre,
			"start_date": start,
			"end_date": today(),
			"participants": [{"beneficiary": first.name}, {"beneficiary": second.name}],
			"attendance": [
				{"session_date": start, "beneficiary": first.name, "present": 1},
				{"session_date": start, "beneficiary": second.name, "present": 1},
				{"session_date": add_days(start, 7), "beneficiary": first.name, "present": 1},
				{"session_date": add_days(start, 7), "beneficiary": second.name, "present": 0},
			],
		}
	).insert(ignore_permissions=True)
	text = pdf_text("Group Activity", activity.name, "Βεβαίωση Παρακολούθησης")
	assert text.count("ΒΕΒΑΙΩΣΗ ΠΑΡΑΚΟΛΟΥΘΗΣΗΣ") == 2
	assert "Δημάκη Ελένη" in text and "Λαμπράκης Άρης" in text
	assert "παρουσία σε 2 από τις 2 συναντήσεις" in text
	assert "παρουσία σε 1 από τις 2 συναντήσεις" in text
	assert "«Εργαστήρι ψηφιακών δεξιοτήτων» (Δημιουργική απασχόληση παιδιών)" in text
	assert frappe.utils.formatdate(start, "dd-mm-yyyy") in text
