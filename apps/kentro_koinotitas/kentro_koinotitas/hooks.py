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
# Link fields, the awesome bar's link search and `frappe.desk.search.search_link` use this query, an
# indexed search (registry/search.py) free of accents, case, script and informal Latin spellings; global
# search and the Beneficiary list's search box use it too (access/search.py, registry/list_search.py).
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

# Access (see README, "Security model"): one layer in `access/`
# ------
# Record level: every app DocType is read within the user's centres, child tables only through a parent
# the user may read at the table field's level.
permission_query_conditions = {
	"*": "kentro_koinotitas.access.scope.query_conditions",
	"Version": "kentro_koinotitas.access.versions.query_conditions",
	"Deleted Document": "kentro_koinotitas.access.versions.query_conditions",
	"Prepared Report": "kentro_koinotitas.access.core_records.prepared_report_conditions",
	"File": "kentro_koinotitas.access.core_records.file_conditions",
	# Frappe's rows that name an app record: read only with the record (access/references.py)
	**dict.fromkeys(
		("Tag Link", "Document Follow", "Workflow Action", "Energy Point Log"),
		"kentro_koinotitas.access.references.query_conditions",
	),
}
has_permission = {
	"*": "kentro_koinotitas.access.scope.has_permission",
	"Version": "kentro_koinotitas.access.versions.has_permission",
	"Deleted Document": "kentro_koinotitas.access.versions.has_permission",
	"Prepared Report": "kentro_koinotitas.access.core_records.prepared_report_permission",
	"Notification Log": "kentro_koinotitas.access.core_records.notification_log_permission",
	"File": "kentro_koinotitas.access.core_records.file_permission",
	**dict.fromkeys(
		("Tag Link", "Document Follow", "Workflow Action", "Energy Point Log"),
		"kentro_koinotitas.access.references.has_permission",
	),
}

# Frappe's whitelisted methods that read without those checks, answered from what the user may read
override_whitelisted_methods = {
	# the staff's sidebar holds the app's workspaces (setup/desk.py)
	"frappe.desk.desktop.get_workspace_sidebar_items": "kentro_koinotitas.setup.desk.workspace_sidebar_items",
	# link search never skips the centre isolation; its descriptions in Greek (access/search.py)
	"frappe.desk.search.search_link": "kentro_koinotitas.access.search.search_link",
	"frappe.desk.search.search_widget": "kentro_koinotitas.access.search.search_widget",
	"frappe.client.get_count": "kentro_koinotitas.access.api.get_count",
	"frappe.client.get": "kentro_koinotitas.access.api.get",
	# the access log of personal data for values and lists (access/audit_lists.py)
	"frappe.client.get_value": "kentro_koinotitas.access.audit_lists.get_value",
	"frappe.client.get_list": "kentro_koinotitas.access.audit_lists.get_list",
	"frappe.desk.reportview.get": "kentro_koinotitas.access.audit_lists.reportview_get",
	"frappe.desk.reportview.get_list": "kentro_koinotitas.access.audit_lists.reportview_get_list",
	"frappe.client.validate_link": "kentro_koinotitas.access.api.validate_link",
	"frappe.desk.form.load.getdoc": "kentro_koinotitas.access.api.getdoc",
	"frappe.desk.form.load.get_docinfo": "kentro_koinotitas.access.api.get_docinfo",
	"frappe.desk.query_report.run": "kentro_koinotitas.access.api.run_report",
	"frappe.desk.query_report.export_query": "kentro_koinotitas.access.api.export_report",
	"frappe.core.doctype.prepared_report.prepared_report.make_prepared_report": (
		"kentro_koinotitas.access.api.make_prepared_report"
	),
	"frappe.core.doctype.data_export.exporter.export_data": "kentro_koinotitas.access.api.export_data",
	"frappe.desk.reportview.export_query": "kentro_koinotitas.access.audit.export_query",
	"frappe.core.doctype.data_import.data_import.download_template": (
		"kentro_koinotitas.access.api.download_template"
	),
	"frappe.utils.global_search.search": "kentro_koinotitas.access.search.search",
	"frappe.desk.search.get_link_title": "kentro_koinotitas.access.api.get_link_title",
	# a chart sent by the client, a saved chart's cached result, the form's next record, tagged records
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "kentro_koinotitas.access.api.dashboard_chart",
	"frappe.desk.form.utils.get_next": "kentro_koinotitas.access.api.get_next",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "kentro_koinotitas.access.api.get_tagged_docs",
	"run_doc_method": "kentro_koinotitas.access.api.run_doc_method",
	"runserverobj": "kentro_koinotitas.access.api.run_doc_method",
	"frappe.handler.run_doc_method": "kentro_koinotitas.access.api.run_doc_method",
	"frappe.templates.includes.comments.comments.add_comment": "kentro_koinotitas.access.writes.add_comment",
	"frappe.desk.like.toggle_like": "kentro_koinotitas.access.writes.toggle_like",
	"frappe.desk.doctype.tag.tag.add_tag": "kentro_koinotitas.access.writes.add_tag",
	"frappe.desk.doctype.tag.tag.add_tags": "kentro_koinotitas.access.writes.add_tags",
	"frappe.desk.doctype.tag.tag.remove_tag": "kentro_koinotitas.access.writes.remove_tag",
	"frappe.desk.form.document_follow.follow_document": "kentro_koinotitas.access.writes.follow_document",
	"frappe.desk.form.document_follow.update_follow": "kentro_koinotitas.access.writes.update_follow",
	"frappe.desk.doctype.notification_log.notification_log.mark_as_read": (
		"kentro_koinotitas.access.writes.mark_as_read"
	),
	"frappe.core.api.file.zip_files": "kentro_koinotitas.access.core_records.zip_files",
	# a record's assignments and followers, a Kanban board's cards: only of readable records
	# (access/references.py)
	"frappe.desk.form.assign_to.add": "kentro_koinotitas.access.references.add_assignment",
	"frappe.desk.form.assign_to.add_multiple": "kentro_koinotitas.access.references.add_assignments",
	"frappe.desk.form.assign_to.remove_multiple": "kentro_koinotitas.access.references.remove_assignments",
	"frappe.desk.form.document_follow.get_follow_users": "kentro_koinotitas.access.references.get_follow_users",
	"frappe.desk.form.document_follow.unfollow_document": (
		"kentro_koinotitas.access.references.unfollow_document"
	),
	"frappe.desk.doctype.kanban_board.kanban_board.update_order": (
		"kentro_koinotitas.access.references.update_kanban_order"
	),
	"frappe.desk.doctype.kanban_board.kanban_board.update_order_for_single_card": (
		"kentro_koinotitas.access.references.update_kanban_card"
	),
	"frappe.desk.doctype.kanban_board.kanban_board.add_card": "kentro_koinotitas.access.references.add_kanban_card",
	# raw SQL without permission checks: Administrator only (access/admin_tools.py)
	"frappe.desk.doctype.system_console.system_console.execute_code": (
		"kentro_koinotitas.access.admin_tools.execute_code"
	),
	"frappe.desk.doctype.system_console.system_console.show_processlist": (
		"kentro_koinotitas.access.admin_tools.show_processlist"
	),
}

# The query guard (no filter, sort or grouping on fields above the user's level) and no tracebacks for
# users other than System Managers
before_request = [
	"kentro_koinotitas.access.request.before_request",
	# the Beneficiary list's search box answered by the registry's indexed search (registry/list_search.py)
	"kentro_koinotitas.registry.list_search.before_request",
]
before_job = ["kentro_koinotitas.access.request.before_job"]

# The access log of personal data: REST reads of a document (the other read paths call access/audit.py);
# its rows never block deleting the record they name
after_request = [
	"kentro_koinotitas.access.audit.after_request",
	# the partner's pages (partners/portal.py): no caching, no Referer, no framing
	"kentro_koinotitas.partners.portal.after_request",
]
ignore_links_on_delete = ["Personal Data Access"]

# The user's centre (the default centre of new records on the desk) and each role's home workspace
boot_session = "kentro_koinotitas.setup.desk.boot_session"

# Form and list scripts shared by several DocTypes
app_include_js = ["kentro_koinotitas.bundle.js"]
app_include_css = ["kentro_koinotitas.bundle.css"]
# The data protection officer's "who accessed this record" on the person's form
doctype_js = {
	"Beneficiary": ["data_protection/js/beneficiary_access_log.js"],
	# the partner's links of a referral: when sent, until when, revoke or e-mail a new one (partners/)
	"Referral": ["partners/js/referral_partner_links.js"],
}

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
	]
	# the partner's link and QR code on the referral letter, the citizen's consent receipt (partners/)
	+ [
		"kentro_koinotitas.partners.printing.kentro_partner_link",
		"kentro_koinotitas.partners.printing.kentro_consent_receipt",
	],
}

# The partner's page from its link, outside the desk (www/p.py); a partner login's pages are www/partner/
website_route_rules = [
	{"from_route": "/p/<token>", "to_route": "p"},
	# an agency's link to the status of a referral it made from /refer (casework/referrals_in.py)
	{"from_route": "/refer/<token>", "to_route": "refer"},
]

# A fix to Frappe's Report (see reporting/overrides.py), and File's download check
override_doctype_class = {
	"Report": "kentro_koinotitas.reporting.overrides.KentroReport",
	# the download of a private file asks the app's File rule too (access/core_records.py)
	"File": "kentro_koinotitas.access.core_records.KentroFile",
}

# Document events
# ---------------
doc_events = {
	"*": {
		"before_validate": "kentro_koinotitas.access.records.check_links_first",
		"validate": [
			"kentro_koinotitas.links.validate_fetched_links",
			"kentro_koinotitas.access.records.check_record",
			"kentro_koinotitas.access.restriction.check_change",
		],
		"on_trash": [
			"kentro_koinotitas.access.restriction.check_change",
			"kentro_koinotitas.access.records.refuse_row_deleted_alone",
		],
		"onload": "kentro_koinotitas.access.restriction.add_banner",
		"before_print": [
			"kentro_koinotitas.access.printing.hide_unreadable_fields",
			"kentro_koinotitas.access.restriction.check_print",
		],
		"on_change": "kentro_koinotitas.access.records.strip_unreadable_fields",
	},
	"Case": {
		"validate": "kentro_koinotitas.access.workflow.enforce_workflow",
		"on_update": "kentro_koinotitas.access.workflow.notify_approvers",
	},
	"Referral": {
		"validate": "kentro_koinotitas.access.workflow.enforce_workflow",
		"on_update": [
			"kentro_koinotitas.access.workflow.notify_approvers",
			# the partner's link and service level on sending; links end on closing (partners/)
			"kentro_koinotitas.partners.service_levels.on_referral_update",
		],
	},
	"Data Subject Request": {"validate": "kentro_koinotitas.access.workflow.enforce_workflow"},
	# transfers of a case: the workflow's guard, and nothing of a request changes but its decision
	"Case Transfer": {
		"validate": [
			"kentro_koinotitas.access.workflow.enforce_workflow",
			"kentro_koinotitas.access.transfers.check_transfer_change",
		]
	},
	"Incoming Case Transfer": {
		"validate": [
			"kentro_koinotitas.access.workflow.enforce_workflow",
			"kentro_koinotitas.access.transfers.check_transfer_change",
		]
	},
	# «Ανωνυμοποιημένος» only through the DPO's anonymisation (data_protection/erasure)
	"Beneficiary": {"validate": "kentro_koinotitas.data_protection.erasure.guard.check_anonymised_status"},
	"Community Centre": {
		"validate": "kentro_koinotitas.access.records.protect_centre",
		"on_update": "kentro_koinotitas.access.centres.forget_staff_centres",
		"after_rename": "kentro_koinotitas.access.centres.forget_staff_centres",
		"on_trash": "kentro_koinotitas.access.centres.forget_staff_centres",
	},
	"DocShare": {"validate": "kentro_koinotitas.access.core_records.check_share"},
	"Document Follow": {"validate": "kentro_koinotitas.access.references.check_follow"},
	"Kanban Board": {"validate": "kentro_koinotitas.access.references.clear_card_order"},
	"File": {
		"validate": [
			"kentro_koinotitas.access.core_records.keep_attachment_private",
			"kentro_koinotitas.access.restriction.check_related",
		],
		"on_trash": "kentro_koinotitas.access.restriction.check_related",
	},
	# nothing is added to a restricted person's records through comments, e-mails or assignments (Art. 18)
	"Comment": {
		"validate": "kentro_koinotitas.access.restriction.check_related",
		"on_trash": "kentro_koinotitas.access.restriction.check_related",
	},
	"Communication": {
		"validate": "kentro_koinotitas.access.restriction.check_related",
		"on_trash": "kentro_koinotitas.access.restriction.check_related",
	},
	"ToDo": {
		"validate": [
			"kentro_koinotitas.access.references.check_todo",
			"kentro_koinotitas.access.restriction.check_related",
		],
		"on_trash": "kentro_koinotitas.access.restriction.check_related",
	},
	"User": {
		"validate": [
			"kentro_koinotitas.access.writes.check_follow_setting",
			"kentro_koinotitas.data_protection.desk.land_on_workspace",
			"kentro_koinotitas.setup.desk.land_on_workspace",
		]
	},
}

# Scheduled tasks
# ---------------
scheduler_events = {
	"daily": [
		"kentro_koinotitas.casework.overdue.notify_overdue_items",
		"kentro_koinotitas.data_protection.deadlines.notify_due_requests",
		"kentro_koinotitas.data_protection.access_pack.delete_expired_packs",
		"kentro_koinotitas.data_protection.retention.daily_review",
		# partners' acknowledgement deadlines: reminders, escalation, expiry «Έληξε»
		"kentro_koinotitas.partners.service_levels.run_daily",
	],
	# encrypted backups on the sites the production set-up configured (`kentro_backups` in site_config)
	"cron": {
		"0 */6 * * *": ["kentro_koinotitas.ops.backups.scheduled_database_backup"],
		"30 2 * * *": ["kentro_koinotitas.ops.backups.scheduled_full_backup"],
	},
}
