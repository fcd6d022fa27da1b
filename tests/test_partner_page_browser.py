"""The partner's page from its link in a phone's browser (375 px wide): keyboard alone is enough to
acknowledge a referral and record its outcome, and axe-core (npm, .kentro/axe) finds no serious or
critical violation. Saves its screenshot in test-artifacts/; with `KENTRO_UPDATE_DOCS=1` it also replaces
the one README shows (docs/partner-page.png), which a test run otherwise leaves as committed."""

import os
import shutil
from urllib.parse import urlparse

import frappe
import pytest
from kentro_koinotitas.partners.testing import tokens_emailed

from tests.conftest import ARTIFACTS, ROOT, SITE
from tests.test_browser import browser  # noqa: F401 # the shared Chromium fixture
from tests.test_greek_desk import AXE, RUN_AXE
from tests.test_partner_portal import portal_world, reset_rate_limit  # noqa: F401 # shared fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def tab_to(page, test: str, limit: int = 60) -> None:
	"""Press Tab until the focused element passes the JavaScript test `(el) => ...`."""
	for _i in range(limit):
		page.keyboard.press("Tab")
		if page.evaluate(f"({test})(document.activeElement)"):
			return
	raise AssertionError(f"no element reached with Tab: {test}")


def axe_violations(page) -> list[dict]:
	page.add_script_tag(path=str(AXE))
	return page.evaluate(RUN_AXE)


def test_partner_page_on_a_phone_by_keyboard(browser, web_server, portal_world, request):  # noqa: F811
	assert AXE.exists(), "axe-core is installed by ./kentro test into .kentro/axe"
	referral = portal_world.referral(reason="Εγγραφή στο μητρώο ανέργων και κάρτα ανεργίας")
	[token] = tokens_emailed(referral.name)
	reset_rate_limit()
	base = f"http://{SITE}:{urlparse(web_server).port}"
	page = browser.new_page(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
	try:
		page.goto(f"{base}/p/{token}")
		page.get_by_role("heading", level=1).wait_for()
		assert page.evaluate("document.documentElement.lang") == "el"
		assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
			"no sideways scrolling"
		)
		assert axe_violations(page) == []
		ARTIFACTS.mkdir(exist_ok=True)
		page.screenshot(path=str(ARTIFACTS / "partner-page.png"), full_page=True)
		if os.environ.get("KENTRO_UPDATE_DOCS") == "1":
			shutil.copyfile(ARTIFACTS / "partner-page.png", ROOT / "docs" / "partner-page.png")

		page.keyboard.press("Tab")
		assert page.evaluate("document.activeElement.textContent.trim()") == "Μετάβαση στο περιεχόμενο"
		tab_to(page, "(el) => el.tagName === 'BUTTON' && el.textContent.includes('Επιβεβαίωση παραλαβής')")
		page.keyboard.press("Enter")
		page.get_by_role("status").wait_for()
		assert "Επιβεβαιώσατε την παραλαβή" in page.get_by_role("status").inner_text()
		assert axe_violations(page) == []

		tab_to(page, "(el) => el.name === 'outcome'")
		page.keyboard.press("Space")  # the first outcome: the service was provided
		tab_to(page, "(el) => el.id === 'outcome-note'")
		page.keyboard.type("Εγγράφηκε στο μητρώο.")
		tab_to(page, "(el) => el.tagName === 'BUTTON' && el.textContent.includes('Καταγραφή έκβασης')")
		page.keyboard.press("Enter")
		page.get_by_role("status").wait_for()
		assert "Καταγράψαμε την έκβαση" in page.get_by_role("status").inner_text()
		page.screenshot(path=str(ARTIFACTS / "partner-page-answered.png"), full_page=True)

		frappe.db.rollback()
		stored = frappe.db.get_value(
			"Referral", referral.name, ["status", "outcome", "outcome_notes"], as_dict=True
		)
		assert (stored.status, stored.outcome) == ("Completed", "Completed successfully")
		assert stored.outcome_notes == "Εγγράφηκε στο μητρώο."
	except Exception:
		ARTIFACTS.mkdir(exist_ok=True)
		page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
		raise
	finally:
		page.close()
