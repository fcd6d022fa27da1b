"""pytest harness for kentro_koinotitas.

Initialises Frappe for the test site (``KENTRO_TEST_SITE``, default ``test.localhost``; never the demo
site), connects to the real MariaDB and Redis, and rolls the database back after every test. The
same run collects the per-DocType tests inside the app and the system tests under ``tests/``.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SITES = ROOT / "sites"
SITE = os.environ.get("KENTRO_TEST_SITE", "test.localhost")


def pytest_configure(config):
	import frappe

	if SITE == "kentro.localhost":
		raise pytest.UsageError("The test suite never runs against the demo site kentro.localhost")
	if not (SITES / SITE / "site_config.json").exists():
		raise pytest.UsageError(f"Site {SITE} does not exist: run `./kentro test`, which creates it")
	os.chdir(SITES)
	frappe.init(site=SITE, sites_path=str(SITES))
	frappe.connect()
	frappe.flags.in_test = True
	# what the before_request and before_job hooks do for every request and job
	from kentro_koinotitas.access import request

	request.install()
	frappe.set_user("Administrator")
	frappe.clear_cache()


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "db", None):
		frappe.db.rollback()
		frappe.destroy()


@pytest.fixture(autouse=True)
def _rollback_after_test():
	"""Each test sees the database as the suite left it and leaves it so."""
	import frappe

	lang = frappe.local.lang
	yield
	frappe.db.rollback()
	frappe.local.lang = lang  # saving System Settings switches the process to the site's language
	frappe.local.message_log = []
	frappe.set_user("Administrator")
