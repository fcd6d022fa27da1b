// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Front Desk Visit", {
	setup(frm) {
		frm.set_query("request_category", () => ({ filters: { enabled: 1 } }));
	},

	onload(frm) {
		kentro_koinotitas.set_default_centre(frm);
	},

	refresh(frm) {
		if (frm.is_new() || frm.doc.case) return;
		frm.add_custom_button(__("Register and open case"), () => {
			frappe.confirm(
				__("Register the visitor (if needed) and open a case from this visit?"),
				() => {
					frappe
						.call({
							method: "kentro_koinotitas.casework.doctype.front_desk_visit.front_desk_visit.open_case",
							args: { visit: frm.doc.name },
							freeze: true,
						})
						.then((r) => frappe.set_route("Form", "Case", r.message.case));
				}
			);
		}).addClass("btn-primary");
	},
});
