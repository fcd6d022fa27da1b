"""The site's security baseline, applied on install and on every migrate.

Municipal IT may tighten any of these settings; a migrate puts back any that is looser than the baseline.

- strict user permissions, and document sharing off (a share would widen access beyond a centre);
- passwords of zxcvbn strength 3 or more (Frappe's password policy);
- lockout after 10 failed logins, for the account and for the address it came from (Frappe tracks both
  with the same setting), for 5 minutes: high enough for an office behind one address, low enough to stop
  guessing;
- desk sessions that end after a working day (9 hours) instead of Frappe's 170;
- two-factor authentication (Frappe's own, by authenticator app) when the site config says
  `kentro_require_two_factor: 1` (the production set-up); off on the demo and test sites. The baseline
  marks municipal IT and every role that reads level-1 or level-2 data; Frappe v15 itself marks every
  user (role All) whenever System Settings are saved with two-factor on (`SystemSettings.validate`), so
  in practice every staff member uses it. One setting: `bench --site X set-config
  kentro_require_two_factor 1 && bench --site X migrate`.
"""

import frappe
from frappe.utils import cint

from kentro_koinotitas.meta import app_modules

BASELINE_FLAGS = {
	"apply_strict_user_permissions": 1,
	"enable_password_policy": 1,
	"disable_document_sharing": 1,
}
MINIMUM_PASSWORD_SCORE = 3
MAX_LOGIN_ATTEMPTS = 10
LOCKOUT_SECONDS = 300
SESSION_EXPIRY = "09:00"
TWO_FACTOR_CONFIG_KEY = "kentro_require_two_factor"


def apply_security_baseline() -> None:
	settings = frappe.get_doc("System Settings")
	changes = {field: value for field, value in BASELINE_FLAGS.items() if cint(settings.get(field)) != value}
	if cint(settings.minimum_password_score) < MINIMUM_PASSWORD_SCORE:
		changes["minimum_password_score"] = str(MINIMUM_PASSWORD_SCORE)
	attempts = cint(settings.allow_consecutive_login_attempts)
	if not attempts or attempts > MAX_LOGIN_ATTEMPTS:
		changes["allow_consecutive_login_attempts"] = MAX_LOGIN_ATTEMPTS
	if cint(settings.allow_login_after_fail) < LOCKOUT_SECONDS:
		changes["allow_login_after_fail"] = LOCKOUT_SECONDS
	if _hours(settings.session_expiry) > _hours(SESSION_EXPIRY):
		changes["session_expiry"] = SESSION_EXPIRY
	if two_factor_required() and not cint(settings.enable_two_factor_auth):
		changes.update(enable_two_factor_auth=1, two_factor_method="OTP App")
	if changes:
		settings.update(changes)
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)
	if two_factor_required():
		for role in two_factor_roles():
			if not cint(frappe.db.get_value("Role", role, "two_factor_auth")):
				frappe.db.set_value("Role", role, "two_factor_auth", 1)


def two_factor_required() -> bool:
	return bool(cint(frappe.conf.get(TWO_FACTOR_CONFIG_KEY)))


def two_factor_roles() -> list[str]:
	"""Municipal IT and every role that reads a field above level 0 of an app DocType."""
	doctypes = frappe.get_all("DocType", filters={"module": ("in", list(app_modules()))}, pluck="name")
	roles = {
		row.role
		for row in frappe.get_all(
			"DocPerm",
			filters={"parent": ("in", doctypes), "permlevel": (">", 0), "read": 1},
			fields=["role"],
		)
		+ frappe.get_all(
			"Custom DocPerm",
			filters={"parent": ("in", doctypes), "permlevel": (">", 0), "read": 1},
			fields=["role"],
		)
	}
	return sorted(roles | {"System Manager"})


def _hours(expiry: str | None) -> float:
	try:
		hours, minutes = (expiry or "170:00").split(":")[:2]
		return int(hours) + int(minutes) / 60
	except ValueError:
		return 170.0
