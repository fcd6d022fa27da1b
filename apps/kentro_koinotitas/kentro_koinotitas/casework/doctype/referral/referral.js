// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Referral", {
	before_workflow_action(frm) {
		return kentro_koinotitas.send_back_with_reason(frm);
	},

	onload(frm) {
		kentro_koinotitas.set_default_centre(frm, "from_centre");
	},

	setup(frm) {
		frm.set_query("partner_organisation", () => ({
			filters: { accepts_referrals: 1, active: 1 },
		}));
		frm.set_query("welfare_programme", () => ({ filters: { active: 1 } }));
		frm.set_query("outcome_reason", () => ({ filters: { enabled: 1 } }));
		frm.set_query("case", () =>
			frm.doc.beneficiary ? { filters: { beneficiary: frm.doc.beneficiary } } : {}
		);
	},

	refresh(frm) {
		frm.set_df_property(
			"status",
			"read_only",
			frappe.workflow.get_state_fieldname(frm.doctype) ? 1 : 0
		);
	},
});
