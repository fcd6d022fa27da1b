from kentro_koinotitas.reporting.dashboard import chart_source, indicators_by_centre

get = chart_source(indicators_by_centre)
