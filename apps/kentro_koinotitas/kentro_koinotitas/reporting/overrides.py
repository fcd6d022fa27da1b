"""Frappe's Report, with one fix: v15.55.1 starts a 15-second timer that turns a Script Report into a
prepared report, and cancels it only when the report returns. A report that refuses its filters (another
centre, a reversed period) left the timer running, and 15 s later the report became a prepared report
for everyone. Here the timer is cancelled however the report ends."""

import threading

from frappe.core.doctype.report.report import Report, enable_prepared_report


def prepared_report_watchers(report: str) -> set[threading.Thread]:
	return {
		thread
		for thread in threading.enumerate()
		if isinstance(thread, threading.Timer)
		and thread.function is enable_prepared_report
		and thread.kwargs.get("report") == report
	}


class KentroReport(Report):
	def execute_script_report(self, filters):
		before = prepared_report_watchers(self.name)
		try:
			return super().execute_script_report(filters)
		finally:
			for watcher in prepared_report_watchers(self.name) - before:
				watcher.cancel()
