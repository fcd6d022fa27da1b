// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.query_reports["Referral Loop Closure"] = {
	filters: kentro_koinotitas.reports.scope_filters({ periodicity: true }),
	onload(report) {
		kentro_koinotitas.reports.add_excel_button(report);
	},
};
