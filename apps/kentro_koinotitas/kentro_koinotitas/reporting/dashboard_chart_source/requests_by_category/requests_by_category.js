frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Requests by Category"] = {
	method: "kentro_koinotitas.reporting.dashboard_chart_source.requests_by_category.requests_by_category.get",
	filters: [kentro_koinotitas.reports.centre_filter()],
};
