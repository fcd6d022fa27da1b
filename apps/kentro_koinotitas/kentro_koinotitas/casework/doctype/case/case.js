// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Case", {
	before_workflow_action(frm) {
		return kentro_koinotitas.send_back_with_reason(frm);
	},

	onload(frm) {
		kentro_koinotitas.set_default_centre(frm);
	},

	setup(frm) {
		frm.set_query("closure_reason", () => ({ filters: { enabled: 1 } }));
		frm.set_query("request_category", "requests", () => ({ filters: { enabled: 1 } }));
	},

	refresh(frm) {
		const has_workflow = !!frappe.workflow.get_state_fieldname(frm.doctype);
		// the workflow sets the status; without one, staff set it by hand
		frm.set_df_property("status", "read_only", has_workflow ? 1 : 0);
		if (frm.is_new()) return;
		if (frm.doc.status === "Closed" && !has_workflow) {
			frm.add_custom_button(__("Reopen case"), () => {
				frappe.prompt(
					[
						{
							fieldname: "note",
							fieldtype: "Small Text",
							label: __("Why is the case reopened?"),
						},
					],
					(values) =>
						frappe
							.call("kentro_koinotitas.casework.doctype.case.case.reopen_case", {
								case: frm.doc.name,
								note: values.note,
							})
							.then(() => frm.reload_doc()),
					__("Reopen case"),
					__("Reopen")
				);
			});
		}
		if (frm.doc.status === "Closed") return;
		const make = (doctype, label) =>
			frm.add_custom_button(
				label,
				() =>
					frappe.new_doc(doctype, {
						beneficiary: frm.doc.beneficiary,
						case: frm.doc.name,
						centre: frm.doc.centre,
						from_centre: frm.doc.centre,
					}),
				__("Create")
			);
		make("Service Delivery", __("Service Delivery"));
		make("Programme Application", __("Programme Application"));
		make("Referral", __("Referral"));
		if (frappe.model.can_create("Case Transfer")) {
			frm.add_custom_button(__("Transfer to another centre"), () =>
				frappe.new_doc("Case Transfer", { case: frm.doc.name })
			);
		}
	},
});
