app_name = "kentro_koinotitas"
app_title = "Κέντρο Κοινότητας"
app_publisher = "kentro_koinotitas developers"
app_description = "Case management for Greek municipal Community Centres (Κέντρα Κοινότητας)"
app_email = "it@example.gov.gr"
app_license = "agpl-3.0"
app_home = "/app/kentro-koinotitas"

required_apps = []

export_python_type_annotations = True

# Installation
# ------------
after_install = "kentro_koinotitas.setup.install.after_install"
after_migrate = "kentro_koinotitas.setup.install.after_migrate"

# Search
# ------
# Link fields, the awesome bar's link search and `frappe.desk.search.search_link` use this query,
# which matches names without accents, in either case and in Greek or Latin script.
standard_queries = {
	"Beneficiary": "kentro_koinotitas.registry.search.beneficiary_query",
}

# Global search (awesome bar): the app's DocTypes, first among Frappe's own
global_search_doctypes = {
	"Default": [
		{"doctype": "Beneficiary", "index": 0},
		{"doctype": "Partner Organisation", "index": 1},
		{"doctype": "Welfare Programme", "index": 2},
	]
}

# The awesome bar's global search, filtered record by record (centre isolation)
override_whitelisted_methods = {
	"frappe.utils.global_search.search": "kentro_koinotitas.access.search.search",
}

# Form and list scripts shared by several DocTypes
app_include_js = ["kentro_koinotitas.bundle.js"]

# Print formats
# -------------
# Helpers the app's Jinja print formats (and municipal IT's copies of them) call
jinja = {
	"methods": [
		f"kentro_koinotitas.reporting.print_helpers.{name}"
		for name in (
			"kentro_el",
			"kentro_date",
			"kentro_today",
			"kentro_can_read",
			"kentro_centre",
			"kentro_letterhead",
			"kentro_cofunding",
			"kentro_beneficiary",
			"kentro_consents",
			"kentro_referral_letter",
			"kentro_case_records",
			"kentro_attendance",
			"kentro_esf_sheet",
		)
	],
}

# A fix to Frappe's Report (see reporting/overrides.py)
override_doctype_class = {"Report": "kentro_koinotitas.reporting.overrides.KentroReport"}

# Document events
# ---------------
doc_events = {
	"*": {
		"validate": "kentro_koinotitas.links.validate_fetched_links",
		"before_print": "kentro_koinotitas.access.printing.hide_unreadable_fields",
	},
	"Case": {"on_update": "kentro_koinotitas.access.workflow.notify_approvers"},
	"Referral": {"on_update": "kentro_koinotitas.access.workflow.notify_approvers"},
	"Community Centre": {
		"on_update": "kentro_koinotitas.access.user_permissions.sync_centre_user_permissions",
		"on_trash": "kentro_koinotitas.access.user_permissions.remove_centre_user_permissions",
	},
}

# Scheduled tasks
# ---------------
scheduler_events = {
	"daily": [
		"kentro_koinotitas.casework.overdue.notify_overdue_items",
	],
}
