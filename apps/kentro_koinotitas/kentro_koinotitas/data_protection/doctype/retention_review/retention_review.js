// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Review", {
	refresh(frm) {
		frm.disable_save();
		if (
			frm.doc.status !== "Pending approval" ||
			!frappe.user.has_role("Data Protection Officer")
		) {
			return;
		}
		frm.add_custom_button(__("Approve and Run"), () => {
			frappe.confirm(
				__(
					"The listed records will be anonymised or deleted in the background. This cannot be undone. Continue?"
				),
				() =>
					frappe
						.xcall("kentro_koinotitas.data_protection.retention.approve_review", {
							review: frm.doc.name,
						})
						.then(() => {
							frappe.show_alert({ message: __("Approved"), indicator: "green" });
							frm.reload_doc();
						})
			);
		}).addClass("btn-primary");
	},
});
