"""Frappe's Report, with one fix to Frappe v15 (written against v15.55.1, `Report.execute_script_report`
in frappe/core/doctype/report/report.py).

Frappe starts a 15-second `threading.Timer` that turns a Script Report into a prepared report, and cancels
it only when the report returns. A report that refuses its filters (another centre, a reversed period)
left the timer running, and 15 s later the report became a prepared report for everyone. Here the timer
is cancelled however the report ends. The app's reports also get columns as wide as their Greek headers.

Remove this override (and its line in hooks.py, `override_doctype_class`) when the site moves to a Frappe
whose `execute_script_report` cancels the timer in a `finally` of its own; on any upgrade, run
`tests/test_reports.py::test_a_refused_report_run_does_not_turn_the_report_into_a_prepared_report`
without the override to see whether it is still needed."""

import threading

from frappe.core.doctype.report.report import Report, enable_prepared_report

from kentro_koinotitas.meta import app_modules


def prepared_report_watchers(report: str) -> set[threading.Thread]:
	return {
		thread
		for thread in threading.enumerate()
		if isinstance(thread, threading.Timer)
		and thread.function is enable_prepared_report
		and thread.kwargs.get("report") == report
	}


# the desk's table font: about 7.5 px a Greek letter, and the cell's padding and sort button
PX_PER_LETTER, HEADER_PADDING = 7.5, 40


def fit_headers(columns: list) -> list:
	"""Widen each column to its (translated) label, so that no Greek header is cut with «…»; the data
	table gives a header one line."""
	for column in columns:
		if isinstance(column, dict) and column.get("label"):
			needed = round(len(str(column["label"])) * PX_PER_LETTER) + HEADER_PADDING
			column["width"] = max(int(column.get("width") or 0), needed)
	return columns


class KentroReport(Report):
	def execute_script_report(self, filters):
		before = prepared_report_watchers(self.name)
		try:
			result = super().execute_script_report(filters)
		finally:
			for watcher in prepared_report_watchers(self.name) - before:
				watcher.cancel()
		if self.module in app_modules() and result:
			fit_headers(result[0])
		return result
