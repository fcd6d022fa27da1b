// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.query_reports["Open Referrals and Overdue Items"] = {
	filters: [kentro_koinotitas.reports.centre_filter()],
	onload(report) {
		kentro_koinotitas.reports.add_excel_button(report);
	},
};
