frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Services by Axis"] = {
	method: "kentro_koinotitas.reporting.dashboard_chart_source.services_by_axis.services_by_axis.get",
	filters: [kentro_koinotitas.reports.centre_filter()],
};
