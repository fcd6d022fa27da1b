from kentro_koinotitas.reporting.dashboard import chart_source, requests_by_category

get = chart_source(requests_by_category)
