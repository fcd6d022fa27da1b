from kentro_koinotitas.reporting.dashboard import chart_source, services_by_axis

get = chart_source(services_by_axis)
