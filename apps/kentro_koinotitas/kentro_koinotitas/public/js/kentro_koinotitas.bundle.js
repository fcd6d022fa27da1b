// Shared desk helpers of kentro_koinotitas (loaded on every desk page through hooks.app_include_js).

import "./restriction.js";

frappe.provide("kentro_koinotitas.reports");

// The centre filter of the reports and dashboard charts (the server answers only for readable centres)
kentro_koinotitas.reports.centre_filter = function () {
	return {
		fieldname: "centre",
		label: __("Community Centre"),
		fieldtype: "Link",
		options: "Community Centre",
	};
};

// Centre and date-range filters shared by the indicator reports
kentro_koinotitas.reports.scope_filters = function ({ periodicity = false } = {}) {
	const filters = [
		kentro_koinotitas.reports.centre_filter(),
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	];
	if (periodicity) {
		filters.push({
			fieldname: "periodicity",
			label: __("Periodicity"),
			fieldtype: "Select",
			options: [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			],
			default: "Quarterly",
			reqd: 1,
		});
	}
	return filters;
};

// The report as an .xlsx with a header block (centre, period, date), a frozen header row and totals
kentro_koinotitas.reports.add_excel_button = function (report) {
	report.page.add_inner_button(__("Download Excel"), () => {
		const args = {
			report_name: report.report_name,
			filters: JSON.stringify(report.get_filter_values(true) || {}),
		};
		window.open(
			"/api/method/kentro_koinotitas.reporting.excel.download_xlsx?" + $.param(args),
			"_blank"
		);
	});
};
