frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Indicators by Centre"] = {
	method: "kentro_koinotitas.reporting.dashboard_chart_source.indicators_by_centre.indicators_by_centre.get",
	filters: [],
};
