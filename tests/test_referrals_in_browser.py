"""The public referral page `/refer` as an agency's worker uses it on a phone: filled in and sent with the
keyboard alone at a phone's width, and checked with axe-core (no serious or critical WCAG 2.1 A/AA
violation) before and after sending. The screenshots go to test-artifacts/."""

import re
import secrets
import time
from urllib.parse import urlparse

import frappe
import pytest

from tests.conftest import ARTIFACTS, SITE
from tests.test_browser import browser  # noqa: F401
from tests.test_case_transfer import world  # noqa: F401
from tests.test_greek_desk import AXE, RUN_AXE

PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[dict]:
	page.add_script_tag(path=str(AXE))
	return page.evaluate(RUN_AXE)


@pytest.fixture
def phone(browser, web_server):  # noqa: F811
	frappe.cache.delete_keys("rl:")
	context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="el-GR")
	page = context.new_page()
	page.base = f"http://{SITE}:{urlparse(web_server).port}"
	yield page
	context.close()
	frappe.cache.delete_keys("rl:")


def test_a_referral_sent_from_a_phone_with_the_keyboard_alone(phone, world):  # noqa: F811
	page = phone
	page.goto(f"{page.base}/refer")
	assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
	assert axe_violations(page) == []
	page.screenshot(path=str(ARTIFACTS / "refer-form-phone.png"), full_page=True)

	last_name = f"Πληκτρολογίου{secrets.token_hex(3)}"
	question = page.inner_text("label[for=answer]")
	first, second = (int(n) for n in re.findall(r"\d+", question))
	page.focus("#centre")
	for action in (
		("select", world.centre_a),
		("select", "Στέγαση"),
		("type", "Κέντρο Υγείας Δοκιμών"),
		("type", "Γιάννης Γιατρός"),
		("type", "2101234567"),
		("type", ""),
		("type", "Δανάη"),
		("type", last_name),
		("type", "6912345678"),
		("type", "Χρειάζεται στήριξη για επίδομα στέγασης"),
		("check", None),
		("type", str(first + second)),
	):
		kind, value = action
		focused = page.evaluate_handle("() => document.activeElement")
		if kind == "select":
			focused.as_element().select_option(value)
		elif kind == "check":
			page.keyboard.press("Space")
		elif value:
			page.keyboard.type(value)
		page.keyboard.press("Tab")
	# the honeypot is out of the tab order: the next stop after the answer is the button
	assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
	time.sleep(3.5)  # a person takes longer than the check's minimum
	page.keyboard.press("Enter")
	page.wait_for_load_state()
	assert "Η παραπομπή στάλθηκε" in page.inner_text("h1"), page.inner_text("main")[:500]
	assert axe_violations(page) == []
	page.screenshot(path=str(ARTIFACTS / "refer-sent-phone.png"), full_page=True)

	frappe.db.rollback()
	assert frappe.db.exists("Inbound Referral", {"person_last_name": last_name, "centre": world.centre_a})
	status_link = page.get_attribute("main a[href*='/refer/']", "href")
	assert status_link.startswith(page.base + "/refer/")  # the link names the site the agency used
	page.goto(status_link)
	assert "παραλήφθηκε" in page.inner_text("main") and last_name not in page.content()
	assert axe_violations(page) == []
