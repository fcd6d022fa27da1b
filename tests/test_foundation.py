"""The foundation: the app is installed on a real site with Greek defaults and is served over HTTP."""

import frappe
from frappe.utils import cint


def test_app_is_installed_on_the_test_site():
	assert frappe.local.site != "kentro.localhost"
	assert "kentro_koinotitas" in frappe.get_installed_apps()
	assert frappe.db.sql("select version()")[0][0].split(".")[0] >= "10"


def test_greek_defaults_hold():
	settings = frappe.get_single("System Settings")
	assert settings.language == "el"
	assert settings.time_zone == "Europe/Athens"
	assert settings.date_format == "dd-mm-yyyy"
	assert settings.currency == "EUR"
	assert settings.country == "Greece"
	assert cint(settings.setup_complete) == 1
	assert frappe.db.get_default("lang") == "el"


def test_dates_render_day_month_year():
	assert frappe.utils.formatdate("2026-03-25") == "25-03-2026"


def test_redis_cache_round_trip():
	frappe.cache.set_value("kk-foundation-probe", {"ok": 1}, expires_in_sec=30)
	assert frappe.cache.get_value("kk-foundation-probe") == {"ok": 1}


def test_desk_and_rest_over_http(http, make_user):
	email, password = make_user(["System Manager"])
	assert http.get("/api/method/frappe.auth.get_logged_user").status_code == 403

	http.login(email, password)
	assert http.get("/api/method/frappe.auth.get_logged_user").json()["message"] == email

	desk = http.get("/app", headers={"Accept": "text/html"})
	assert desk.status_code == 200
	assert "frappe.boot = " in desk.text
	assert 'lang="el"' in desk.text.split("<head>")[0]


def test_wrong_password_is_refused(http, make_user):
	email, _password = make_user(["System Manager"])
	response = http.post("/api/method/login", data={"usr": email, "pwd": "wrong-password"})
	assert response.status_code == 401
