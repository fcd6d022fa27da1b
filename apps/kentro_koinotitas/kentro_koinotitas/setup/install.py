"""Install-time set-up: Greek regional defaults and the master records the app ships.

Both functions are idempotent: they run after install and after every migrate, never overwrite what
a municipality changed, and only add what is missing.
"""

import json
from pathlib import Path

import frappe
from frappe.desk.doctype.global_search_settings.global_search_settings import update_global_search_doctypes
from frappe.desk.page.setup_wizard import install_fixtures
from frappe.modules.utils import load_doctype_module
from frappe.utils import cint

from kentro_koinotitas.access.partners import install_link_user
from kentro_koinotitas.data_protection.desk import assign_workspace
from kentro_koinotitas.meta import app_modules
from kentro_koinotitas.setup.desk import assign_workspaces
from kentro_koinotitas.setup.roles import install_roles
from kentro_koinotitas.setup.scheduler_clock import realign_scheduled_jobs
from kentro_koinotitas.setup.security import apply_security_baseline
from kentro_koinotitas.setup.workflows import install_workflows

DEFAULT_RECORDS = Path(__file__).parent / "default_records"

GREEK_SYSTEM_SETTINGS = {
	"language": "el",
	"country": "Greece",
	"time_zone": "Europe/Athens",
	"date_format": "dd-mm-yyyy",
	"time_format": "HH:mm",
	"number_format": "#.###,##",
	"currency": "EUR",
	"first_day_of_the_week": "Monday",
	"float_precision": "3",
	"currency_precision": "2",
}


def after_install() -> None:
	apply_greek_defaults()
	# Frappe's own jobs were created in its default zone, hours ahead of the Athens time just set
	realign_scheduled_jobs()
	after_migrate()


def after_migrate() -> None:
	install_roles()
	apply_security_baseline()
	install_default_records()
	install_workflows()
	install_link_user()
	include_in_global_search()
	ensure_indexes()
	assign_workspace()
	name_greek_language()
	assign_workspaces()


def ensure_indexes() -> None:
	"""Run every app DocType's `on_doctype_update`, which adds the composite indexes it declares when they
	are missing. Frappe runs it only when a DocType's JSON changes, so an index added in code later would
	otherwise never reach sites installed before it."""
	for doctype, module in frappe.get_all(
		"DocType",
		filters={"module": ("in", list(app_modules())), "custom": 0},
		fields=["name", "module"],
		as_list=True,
	):
		controller = load_doctype_module(doctype, module)
		if hasattr(controller, "on_doctype_update"):
			controller.on_doctype_update()


def name_greek_language() -> None:
	"""The language field shows the language's name: Frappe ships Greek's as «ελληνικά», lower case."""
	if frappe.db.get_value("Language", "el", "language_name") == "ελληνικά":
		frappe.db.set_value("Language", "el", "language_name", "Ελληνικά", update_modified=False)


def include_in_global_search() -> None:
	"""Add the app's DocTypes to Global Search Settings when they are missing (sites set up before)."""
	if not frappe.db.exists("Global Search DocType", {"document_type": "Beneficiary"}):
		update_global_search_doctypes()


def apply_greek_defaults() -> None:
	"""Greek language, Athens time, dd-mm-yyyy dates and euro; marks the setup wizard complete.

	Applied only to a site whose setup wizard has not run: a site that was already configured keeps
	its own regional settings.
	"""
	if cint(frappe.db.get_single_value("System Settings", "setup_complete")):
		return

	settings = frappe.get_doc("System Settings")
	settings.update(GREEK_SYSTEM_SETTINGS)
	settings.setup_complete = 1
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)

	frappe.db.set_default("lang", "el")
	frappe.db.set_default("currency", "EUR")
	frappe.db.set_default("desktop:home_page", "workspace")
	frappe.db.set_value("Currency", "EUR", "enabled", 1)
	frappe.db.set_value("Language", "el", "enabled", 1)
	# what the setup wizard's last step installs: genders, salutations, global search DocTypes, dashboards
	install_fixtures.install()
	# Frappe v15 also records setup completion per installed application
	if frappe.db.has_column("Installed Application", "is_setup_complete"):
		frappe.db.set_value("Installed Application", {"app_name": "frappe"}, "is_setup_complete", 1)
	frappe.clear_cache()


def install_default_records() -> None:
	"""Insert the Greek default records of every master that are not in the database yet."""
	for path in sorted(DEFAULT_RECORDS.glob("*.json")):
		for record in json.loads(path.read_text(encoding="utf-8")):
			if not frappe.db.table_exists(record["doctype"]):
				continue
			if frappe.db.exists(record["doctype"], record["name"]):
				continue
			doc = frappe.get_doc(record)
			doc.flags.ignore_permissions = True
			doc.flags.ignore_links = True
			doc.insert()
