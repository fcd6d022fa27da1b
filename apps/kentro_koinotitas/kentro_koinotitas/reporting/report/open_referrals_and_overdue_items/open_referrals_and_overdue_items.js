// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.query_reports["Open Referrals and Overdue Items"] = {
	filters: [
		{
			fieldname: "centre",
			label: __("Community Centre"),
			fieldtype: "Link",
			options: "Community Centre",
		},
	],
	onload(report) {
		kentro_koinotitas.reports.add_excel_button(report);
	},
};
