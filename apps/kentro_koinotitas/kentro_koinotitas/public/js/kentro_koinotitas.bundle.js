// Shared desk helpers of kentro_koinotitas (loaded on every desk page through hooks.app_include_js).

import "./restriction.js";
import "./desk_greek.js";

frappe.provide("kentro_koinotitas.reports");

// A new record starts at the user's centre (sent in the boot by setup/desk.py): staff of one centre
// never have to choose it; a municipality-wide user has none and chooses.
kentro_koinotitas.set_default_centre = function (frm, fieldname = "centre") {
	if (frm.is_new() && !frm.doc[fieldname] && frappe.boot.kentro_centre) {
		frm.set_value(fieldname, frappe.boot.kentro_centre);
	}
};

// The centre filter of the reports and dashboard charts (the server answers only for readable centres)
kentro_koinotitas.reports.centre_filter = function () {
	return {
		fieldname: "centre",
		label: __("Community Centre"),
		fieldtype: "Link",
		options: "Community Centre",
	};
};

// The button of the message «Consent required» (casework Referral): record the person's consent
kentro_koinotitas.record_consent = function ({ beneficiary } = {}) {
	frappe.hide_msgprint();
	frappe.new_doc("Consent", { beneficiary });
};

// «Επιστροφή» (Send Back) of Case and Referral asks for the reason, which goes to the record's timeline
// and to the worker's notifications (casework/send_back.py); Frappe's own action would run at once.
kentro_koinotitas.send_back_with_reason = function (frm) {
	if (frm.selected_workflow_action !== "Send Back") return;
	frappe.dom.unfreeze();
	const dialog = new frappe.ui.Dialog({
		title: __("Send back"),
		fields: [
			{
				fieldname: "reason",
				fieldtype: "Small Text",
				label: __("Reason for sending back"),
				description: __("The worker reads it in their notifications and on the timeline."),
				reqd: 1,
			},
		],
		primary_action_label: __("Send back"),
		primary_action({ reason }) {
			frappe
				.call({
					method: "kentro_koinotitas.casework.send_back.send_back",
					args: { doctype: frm.doctype, name: frm.doc.name, reason },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frm.selected_workflow_action = null;
					frm.reload_doc();
				});
		},
	});
	dialog.show();
	// Frappe's action waits for this promise: it never applies the action itself
	return new Promise(() => {});
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
