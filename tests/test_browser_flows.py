"""The daily flows in the real desk, each as the user who does it: Playwright drives Debian's Chromium
(headless, nothing downloaded) against the test site's gunicorn. Screenshots of each step are kept under
test-artifacts/flows/ (one small PNG per step, the viewport only)."""

import io
import secrets
from urllib.parse import unquote, urlparse

import frappe
import pytest
from kentro_koinotitas.registry import identity
from openpyxl import load_workbook

from tests.conftest import ARTIFACTS, SITE
from tests.test_browser import browser, log_in  # noqa: F401  (the browser fixture and the login helper)

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "flows"
TIMEOUT = 60_000


class Flow:
	"""One user's page, with the few moves the flows need."""

	def __init__(self, chromium, base: str, world, key: str, name: str):
		self.base, self.name, self.step = base, name, 0
		self.context = chromium.new_context(
			viewport={"width": 1300, "height": 900}, locale="el-GR", accept_downloads=True
		)
		self.page = self.context.new_page()
		self.page.set_default_timeout(TIMEOUT)
		log_in(self.page, base, world, key)

	def go(self, route: str) -> None:
		self.page.goto(f"{self.base}/app/{route}")
		self.page.wait_for_selector("body[data-route]", state="attached")

	def shot(self, label: str) -> None:
		self.step += 1
		SHOTS.mkdir(parents=True, exist_ok=True)
		self.page.screenshot(path=str(SHOTS / f"{self.name}-{self.step:02d}-{label}.png"))

	def focused_field(self) -> str | None:
		return self.page.evaluate(
			"() => { const f = document.activeElement && document.activeElement.closest('[data-fieldname]');"
			" return f ? f.dataset.fieldname : null; }"
		)

	def tab_to(self, fieldname: str, limit: int = 60) -> None:
		"""Press Tab until the field has the focus: the field is reached from the keyboard alone."""
		for _ in range(limit):
			if self.focused_field() == fieldname:
				return
			self.page.keyboard.press("Tab")
		raise AssertionError(f"{self.name}: Tab never reached the field {fieldname}")

	def choose_link(self, text: str, expect: str) -> None:
		"""Type into the focused link field and take the first suggestion with Enter."""
		self.page.keyboard.type(text, delay=30)
		self.page.locator(
			".awesomplete [role=listbox]:visible [role=option]", has_text=expect
		).first.wait_for()
		self.page.keyboard.press("Enter")

	def dialog(self, title: str):
		box = self.page.locator(".modal.show", has=self.page.locator(".modal-title", has_text=title))
		box.first.wait_for()
		return box.first

	def close_dialogs(self) -> None:
		while self.page.locator(".modal.show").count():
			self.page.keyboard.press("Escape")
			self.page.wait_for_timeout(300)

	def saved(self, doctype_route: str) -> str:
		self.page.wait_for_url(f"**/app/{doctype_route}/*", timeout=TIMEOUT)
		self.page.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
		return self.page.evaluate("() => cur_frm.doc.name")

	def workflow_action(self, label: str) -> None:
		actions = self.page.locator(".page-actions .actions-btn-group > button")
		actions.wait_for(state="visible")
		actions.click()
		self.page.locator(".page-actions .actions-btn-group .dropdown-menu a", has_text=label).first.click()

	def action_labels(self) -> list[str]:
		actions = self.page.locator(".page-actions .actions-btn-group > button")
		actions.wait_for(state="visible")
		return [
			t.strip()
			for t in self.page.locator(".page-actions .actions-btn-group .dropdown-menu a").all_inner_texts()
		]

	def close(self, request, failed: bool) -> None:
		if failed:
			SHOTS.mkdir(parents=True, exist_ok=True)
			self.page.screenshot(path=str(SHOTS / f"{self.name}-failure.png"), full_page=True)
		self.context.close()


@pytest.fixture
def flows(browser, web_server, two_centres, request):  # noqa: F811
	base = f"http://{SITE}:{urlparse(web_server).port}"
	opened: list[Flow] = []

	def _open(key: str, name: str) -> Flow:
		flow = Flow(browser, base, two_centres, key, name)
		opened.append(flow)
		return flow

	failures = request.session.testsfailed
	yield _open
	failed = request.session.testsfailed > failures
	for flow in opened:
		flow.close(request, failed)


@pytest.fixture(autouse=True)
def _fresh_snapshot():
	"""The web server commits on its own connection: read what it wrote."""
	frappe.db.rollback()
	yield
	frappe.db.rollback()


def db(doctype: str, filters, field):
	frappe.db.rollback()
	return frappe.db.get_value(doctype, filters, field)


@pytest.fixture
def registered_here():
	"""The people and visits a flow registers through the desk, deleted after the test (also a failed one)."""
	since = frappe.utils.now_datetime()
	yield
	frappe.db.rollback()
	for doctype in ("Front Desk Visit", "Beneficiary"):
		for name in frappe.get_all(doctype, filters={"creation": (">=", since)}, pluck="name"):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_receptionist_registers_and_records_a_visit_from_the_keyboard(flows, two_centres, registered_here):
	w = two_centres
	desk = flows("receptionist_a", "receptionist")
	desk.page.wait_for_selector(".widget-title:has-text('Νέα επίσκεψη')")  # her home: «Υποδοχή»
	assert unquote(urlparse(desk.page.url).path) == "/app/υποδοχή"
	desk.shot("home")

	# a new person, from the keyboard alone: the first field has the focus
	desk.go("beneficiary/new")
	desk.page.wait_for_function("() => cur_frm && cur_frm.is_new()")
	desk.page.wait_for_function(
		"() => document.activeElement && document.activeElement.dataset.fieldname === 'first_name'"
	)
	tag = "".join(secrets.choice("αβγδεζθκλμνξπρστφχ") for _ in range(5))  # letters: one word to search
	desk.page.keyboard.type("Ευθαλία", delay=20)
	desk.tab_to("last_name")
	desk.page.keyboard.type(f"Μπακογιάννη{tag}", delay=20)
	# the Latin names fill as the Greek ones are typed (the server's ELOT 743 rule)
	desk.page.wait_for_function("() => cur_frm.doc.latin_first_name === 'Efthalia'")
	desk.page.wait_for_function(
		"(t) => cur_frm.doc.latin_last_name === 'Bakogianni' + t", arg=identity.transliterate(tag)
	)
	# the centre is hers, without choosing it
	assert desk.page.evaluate("() => cur_frm.doc.home_centre") == w.centre_a
	desk.shot("latin-name-filled")

	# a wrong ΑΜΚΑ: a Greek message at once
	desk.tab_to("amka")
	desk.page.keyboard.type("01018012345", delay=20)
	desk.page.wait_for_selector(".modal.show .modal-body:has-text('ΑΜΚΑ')")
	desk.shot("wrong-amka")
	desk.close_dialogs()

	# a duplicate ΑΜΚΑ: Ctrl+S is refused, and the message links the existing record
	desk.page.evaluate("() => cur_frm.set_value('amka', '')")
	desk.tab_to("amka")
	desk.page.keyboard.press("Control+a")
	desk.page.keyboard.type(w.person_a.amka, delay=10)
	desk.page.wait_for_function("() => !!cur_frm.doc.date_of_birth")
	desk.page.keyboard.press("Control+s")
	refusal = desk.dialog("Υπάρχει ήδη εγγραφή")
	link = refusal.locator(f"a[href*='/app/beneficiary/{w.person_a.name}']")
	assert link.count() == 1
	desk.shot("duplicate-amka")
	desk.close_dialogs()

	# the right ΑΜΚΑ: saved with Ctrl+S
	amka = identity.make_amka("1983-05-17", "Female", 700 + secrets.randbelow(99))
	desk.page.evaluate("() => cur_frm.set_value({amka: '', date_of_birth: '', gender: ''})")
	desk.tab_to("amka")
	desk.page.keyboard.press("Control+a")
	desk.page.keyboard.type(amka, delay=10)
	desk.page.wait_for_function("() => cur_frm.doc.date_of_birth === '1983-05-17'")
	desk.page.keyboard.press("Control+s")
	person = desk.saved("beneficiary")
	assert db("Beneficiary", person, ["home_centre", "latin_first_name"]) == (w.centre_a, "Efthalia")
	desk.shot("registered")

	# a visit for her, from the keyboard: the person by name in the link field, the request category
	desk.go("front-desk-visit/new")
	desk.page.wait_for_function("() => cur_frm && cur_frm.is_new()")
	assert desk.page.evaluate("() => cur_frm.doc.centre") == w.centre_a
	desk.tab_to("request_category")
	desk.choose_link("Απασχ", "Απασχόληση")
	desk.tab_to("beneficiary")
	desk.page.keyboard.type(f"Μπακογιάννη{tag}", delay=20)
	suggestion = desk.page.locator(
		".awesomplete [role=listbox]:visible [role=option]", has_text="17-05-1983"
	).first
	suggestion.wait_for()  # the link field shows the birth date as staff write it
	desk.shot("link-field")
	desk.page.keyboard.press("Enter")
	desk.page.wait_for_function("(p) => cur_frm.doc.beneficiary === p", arg=person)
	desk.page.keyboard.press("Control+s")
	visit = desk.saved("front-desk-visit")
	assert db("Front Desk Visit", visit, ["centre", "beneficiary"]) == (w.centre_a, person)
	desk.shot("visit-saved")


@pytest.fixture
def searchable_people(two_centres):
	"""A person in centre A and one in centre B with the same surname (letters only, as real names)."""
	w = two_centres
	surname = "Ανδριτσάκη" + "".join(secrets.choice("αβγδεζθκλμνξπρστφχ") for _ in range(6))
	people = [
		frappe.get_doc(
			{
				"doctype": "Beneficiary",
				"first_name": first,
				"last_name": surname,
				"home_centre": centre,
				"amka": identity.make_amka("1975-06-15", "Female", 800 + serial),
			}
		).insert(ignore_permissions=True)
		for serial, (first, centre) in enumerate((("Ελπίδα", w.centre_a), ("Ρόδη", w.centre_b)))
	]
	frappe.db.commit()
	yield surname, people
	frappe.db.rollback()
	for person in people:
		frappe.delete_doc("Beneficiary", person.name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_search_from_the_awesome_bar_finds_only_the_centres_people(flows, searchable_people):
	"""Ctrl+G, a surname, Enter: the full search finds the centre's person and not centre B's."""
	surname, (ours, theirs) = searchable_people
	desk = flows("receptionist_a", "search")

	def search(text: str):
		desk.page.keyboard.press("Control+g")
		desk.page.wait_for_function(
			"() => document.activeElement && document.activeElement.id === 'navbar-search'"
		)
		desk.page.keyboard.type(text, delay=20)
		desk.page.locator(".search-bar .awesomplete ul:visible li").first.wait_for()
		desk.page.wait_for_timeout(1500)  # the list settles (its searches are debounced)
		desk.page.keyboard.press("Enter")  # «Αναζήτηση για …»: the full search
		dialog = desk.page.locator(".search-dialog.modal.show")
		dialog.wait_for()
		desk.page.wait_for_timeout(2500)
		return dialog

	found = search(surname)
	found.locator(f":text('{ours.name}')").first.wait_for()
	desk.shot("awesome-bar")
	# the person of centre B, with the same surname, is not found by a user of centre A
	assert theirs.name not in found.inner_text()


@pytest.fixture
def case_in_assessment(two_centres):
	w = two_centres
	frappe.set_user(w.users["social_worker_a"])
	case = frappe.get_doc(
		{"doctype": "Case", "beneficiary": w.person_a.name, "assigned_to": w.users["social_worker_a"]}
	).insert()
	frappe.set_user("Administrator")
	frappe.db.commit()
	yield case
	frappe.db.rollback()
	for doctype, field in (("Notification Log", "document_name"), ("Comment", "reference_name")):
		frappe.db.delete(doctype, {field: case.name})
	frappe.delete_doc("Case", case.name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_case_assessment_plan_submission_send_back_and_approval(flows, two_centres, case_in_assessment):
	w, case = two_centres, case_in_assessment
	worker = flows("social_worker_a", "social-worker")
	worker.page.wait_for_selector(".widget-title:has-text('Φάκελοι που χειρίζομαι')")  # her home
	worker.shot("home")
	worker.go(f"case/{case.name}")
	worker.workflow_action("Έναρξη Αξιολόγησης")
	worker.page.wait_for_function("() => cur_frm.doc.status === 'Assessment'")
	# the assessment and an action-plan step, then the submission
	worker.page.evaluate(
		"""() => {
			const row = cur_frm.doc.needs_assessment[0];
			frappe.model.set_value(row.doctype, row.name, 'rating', 'High');
			const step = cur_frm.add_child('action_plan', {goal: 'Εγγραφή στη ΔΥΠΑ',
				due_date: frappe.datetime.add_days(frappe.datetime.get_today(), 14)});
			cur_frm.refresh_field('action_plan');
		}"""
	)
	worker.page.evaluate("() => cur_frm.save()")
	worker.page.wait_for_function("() => !cur_frm.is_dirty()")
	worker.workflow_action("Υποβολή Σχεδίου Δράσης")
	worker.page.wait_for_function("() => cur_frm.doc.status === 'Action Plan Pending Approval'")
	worker.shot("submitted")

	# the coordinator: the case on her home page, and «Επιστροφή» asks for the reason
	coordinator = flows("coordinator_a", "coordinator")
	coordinator.page.wait_for_selector(
		f".quick-list-widget-box :text('{case.name}'), .widget :text('{w.person_a.last_name}')"
	)
	coordinator.shot("home")
	coordinator.go(f"case/{case.name}")
	coordinator.workflow_action("Επιστροφή")
	dialog = coordinator.dialog("Επιστροφή")
	dialog.locator("textarea[data-fieldname=reason]").fill("Λείπει η αξιολόγηση στέγασης.")
	coordinator.shot("send-back-reason")
	dialog.locator(".btn-primary").click()
	coordinator.page.wait_for_function("() => cur_frm.doc.status === 'Assessment'")
	# the worker's step is not offered to the coordinator on a case she does not handle
	coordinator.page.wait_for_timeout(1000)
	offered = coordinator.page.locator(".page-actions .actions-btn-group .dropdown-menu a")
	assert "Υποβολή Σχεδίου Δράσης" not in [t.strip() for t in offered.all_inner_texts()]

	# the worker is told why: the notification and the timeline
	worker.page.reload()
	worker.page.locator(".dropdown-notifications > a, .notifications-icon").first.click()
	worker.page.wait_for_selector(".notification-item:has-text('Λείπει η αξιολόγηση στέγασης.')")
	worker.shot("notified")
	worker.page.keyboard.press("Escape")
	worker.go(f"case/{case.name}")
	worker.page.wait_for_selector(".timeline-item:has-text('Λείπει η αξιολόγηση στέγασης.')")
	worker.workflow_action("Υποβολή Σχεδίου Δράσης")
	worker.page.wait_for_function("() => cur_frm.doc.status === 'Action Plan Pending Approval'")

	# approved
	coordinator.go(f"case/{case.name}")
	coordinator.workflow_action("Έγκριση")
	coordinator.page.wait_for_function("() => cur_frm.doc.status === 'Active'")
	coordinator.shot("approved")
	assert db("Case", case.name, "status") == "Active"


@pytest.fixture
def external_referral(two_centres):
	w = two_centres
	frappe.db.delete("Consent", {"beneficiary": w.person_a.name})
	frappe.set_user(w.users["social_worker_a"])
	referral = frappe.get_doc(
		{
			"doctype": "Referral",
			"beneficiary": w.person_a.name,
			"referral_type": "External",
			"partner_organisation": "ΔΥΠΑ – Δημόσια Υπηρεσία Απασχόλησης",
			"reason": "Εγγραφή στο μητρώο ανέργων",
			"shares_personal_data": 1,
		}
	).insert()
	frappe.set_user("Administrator")
	frappe.db.commit()
	yield referral
	frappe.db.rollback()
	frappe.db.delete("Consent", {"beneficiary": w.person_a.name})
	frappe.delete_doc("Referral", referral.name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_referral_stopped_without_consent_then_submitted_and_printed(flows, two_centres, external_referral):
	w, referral = two_centres, external_referral
	worker = flows("social_worker_a", "referral")
	worker.go(f"referral/{referral.name}")
	worker.workflow_action("Υποβολή για Έγκριση")
	stop = worker.dialog("Απαιτείται συγκατάθεση")
	worker.shot("consent-required")
	stop.locator(".btn-primary", has_text="Καταχώριση συγκατάθεσης").click()
	worker.page.wait_for_url("**/app/consent/new**")
	worker.page.wait_for_function("(p) => cur_frm && cur_frm.doc.beneficiary === p", arg=w.person_a.name)
	worker.page.evaluate(
		"""() => { cur_frm.clear_table('purposes');
			cur_frm.add_child('purposes', {consent_purpose:
				'Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή', decision: 'Given'});
			cur_frm.refresh_field('purposes'); }"""
	)
	worker.page.keyboard.press("Control+s")
	worker.saved("consent")
	worker.shot("consent-recorded")
	worker.go(f"referral/{referral.name}")
	worker.workflow_action("Υποβολή για Έγκριση")
	worker.page.wait_for_function("() => cur_frm.doc.status === 'Pending Approval'")
	worker.shot("submitted")

	# the print opens with the app's letter, and its PDF
	worker.go(f"print/Referral/{referral.name}")
	chosen = worker.page.locator(
		"[data-fieldname=print_format] input, [data-fieldname=print_format] select"
	).first
	chosen.wait_for()
	worker.page.wait_for_function(
		"() => [...document.querySelectorAll('[data-fieldname=print_format] input,"
		" [data-fieldname=print_format] select')].some(e => e.value === 'Παραπεμπτικό Σημείωμα')"
	)
	worker.shot("print-preview")
	pdf = worker.page.request.get(
		f"{worker.base}/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "Referral", "name": referral.name, "format": "Παραπεμπτικό Σημείωμα"},
	)
	assert pdf.ok and pdf.body()[:4] == b"%PDF"
	(SHOTS / "referral.pdf").write_bytes(pdf.body())


def test_director_sees_every_centre_side_by_side_and_downloads_the_excel(flows, two_centres):
	w = two_centres
	director = flows("director", "director")
	director.page.wait_for_selector(".widget-title:has-text('Δείκτες ανά κέντρο')")  # his home
	director.page.wait_for_selector(".widget.dashboard-widget-box .chart-container svg")
	chart = director.page.request.get(
		f"{director.base}/api/method/kentro_koinotitas.reporting.dashboard_chart_source."
		"indicators_by_centre.indicators_by_centre.get"
	)
	labels = chart.json()["message"]["labels"]
	assert {w.centre_a, w.centre_b} <= set(labels)  # every centre, side by side
	director.shot("home")
	director.go("query-report/Centre Indicators")
	director.page.wait_for_selector(".dt-scrollable .dt-row")
	director.shot("indicators")
	with director.page.expect_download() as download:
		director.page.locator(
			".page-actions button, .inner-group-button button", has_text="Λήψη Excel"
		).first.click()
	path = download.value.path()
	sheet = load_workbook(io.BytesIO(open(path, "rb").read())).active
	assert sheet.max_row > 3


def test_a_user_of_another_centre_is_refused(flows, two_centres):
	w = two_centres
	outsider = flows("coordinator_b", "other-centre")
	outsider.page.goto(f"{outsider.base}/app/case/{w.case_a.name}")
	outsider.dialog("Δεν επιτρέπεται")
	outsider.shot("refused")
	assert w.person_a.last_name not in outsider.page.locator("body").inner_text()
