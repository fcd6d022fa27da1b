"""Per-request and per-job set-up of the access layer (hooks: `before_request`, `before_job`)."""

import frappe

from kentro_koinotitas.access import api, child_permission, query, realtime


def install() -> None:
	"""The corrections to Frappe's own checks and broadcasts, once per process."""
	query.install()
	child_permission.install()
	realtime.install()


def before_request() -> None:
	install()
	api.v2_run_doc_method()
	# Frappe sends the Python traceback of a failed call to the browser of any desk user who has
	# "allow_error_traceback" on; only municipal IT should see one.
	if "System Manager" not in frappe.get_roles():
		frappe.local.flags.disable_traceback = True


def before_job(method=None, kwargs=None, transaction_type=None) -> None:
	install()
