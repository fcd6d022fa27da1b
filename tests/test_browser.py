"""A coordinator approves a case in the real desk: Playwright drives Debian's Chromium (headless, system
binary, nothing downloaded) against the test site's gunicorn."""

from pathlib import Path
from urllib.parse import urlparse

import frappe
import pytest
from frappe.model.workflow import apply_workflow

from tests.conftest import ARTIFACTS, SITE

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser


@pytest.fixture
def case_awaiting_approval(two_centres):
	frappe.set_user(two_centres.users["social_worker_a"])
	case = frappe.get_doc({"doctype": "Case", "beneficiary": two_centres.person_a.name}).insert()
	for action in ("Start Assessment", "Submit Action Plan"):
		case = apply_workflow(case, action)
	frappe.set_user("Administrator")
	frappe.db.commit()
	assert case.status == "Action Plan Pending Approval"
	return case


@pytest.fixture
def browser():
	from playwright.sync_api import sync_playwright

	assert Path(CHROMIUM).exists(), "Debian's chromium is installed by ./kentro test"
	with sync_playwright() as playwright:
		instance = playwright.chromium.launch(
			executable_path=CHROMIUM,
			headless=True,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-background-networking",
				"--disable-component-update",
				"--no-first-run",
				f"--host-resolver-rules=MAP {SITE} 127.0.0.1",
			],
		)
		yield instance
		instance.close()


def log_in(page, base: str, world, key: str) -> None:
	page.goto(f"{base}/login")
	page.fill("#login_email", world.users[key])
	page.fill("#login_password", world.passwords[key])
	page.click(".btn-login")
	page.wait_for_url("**/app**", timeout=60_000)


def test_coordinator_approves_a_case_in_the_desk(
	browser, web_server, two_centres, case_awaiting_approval, request
):
	port = urlparse(web_server).port
	base = f"http://{SITE}:{port}"
	page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="el-GR")
	try:
		log_in(page, base, two_centres, "coordinator_a")

		page.goto(f"{base}/app/case/{case_awaiting_approval.name}")
		page.wait_for_selector(f"text={case_awaiting_approval.beneficiary_name}", timeout=60_000)
		actions = page.locator(".page-actions .actions-btn-group > button")
		actions.wait_for(state="visible", timeout=30_000)
		actions.click()
		page.locator(".page-actions .actions-btn-group .dropdown-menu a", has_text="Έγκριση").first.click()
		page.wait_for_selector(
			".indicator-pill:has-text('Active'), .indicator-pill:has-text('Ενεργ')", timeout=30_000
		)

		frappe.db.rollback()  # a fresh snapshot: the approval was committed by the web server
		assert frappe.db.get_value("Case", case_awaiting_approval.name, ["workflow_state", "status"]) == (
			"Active",
			"Active",
		)
		page.screenshot(path=str(ARTIFACTS / "coordinator-approved-case.png"))
	except Exception:
		ARTIFACTS.mkdir(exist_ok=True)
		page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
		raise
	finally:
		page.close()


def test_workspace_shows_live_numbers_and_charts(browser, web_server, two_centres, request):
	port = urlparse(web_server).port
	base = f"http://{SITE}:{port}"
	page = browser.new_page(viewport={"width": 1400, "height": 1400}, locale="el-GR")
	try:
		log_in(page, base, two_centres, "coordinator_b")
		page.goto(f"{base}/app/κέντρο-κοινότητας")
		card = page.locator(".widget", has_text="Ενεργοί φάκελοι").first
		card.wait_for(timeout=60_000)
		frappe.set_user(two_centres.users["coordinator_b"])
		active = len(frappe.get_list("Case", filters={"status": ("!=", "Closed")}, pluck="name"))
		frappe.set_user("Administrator")
		page.wait_for_function(
			"(n) => [...document.querySelectorAll('.widget')].some(b => b.textContent.includes('Ενεργοί φάκελοι')"
			" && b.querySelector('.number') && b.querySelector('.number').innerText.trim() === String(n))",
			arg=active,
			timeout=30_000,
		)
		for title in (
			"Αιτήματα ανά κατηγορία",
			"Υπηρεσίες ανά άξονα",
			"Δείκτες Κέντρου",
			"Νέα Επίσκεψη Υποδοχής",
		):
			page.locator(".widget-title", has_text=title).first.wait_for(timeout=60_000)
		page.screenshot(path=str(ARTIFACTS / "workspace.png"), full_page=True)
	except Exception:
		ARTIFACTS.mkdir(exist_ok=True)
		page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
		raise
	finally:
		page.close()
