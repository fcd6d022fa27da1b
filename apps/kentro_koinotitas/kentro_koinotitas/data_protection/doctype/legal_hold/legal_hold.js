// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Legal Hold", {
	refresh(frm) {
		if (!frm.is_new() && !frm.doc.lifted_on) {
			frm.dashboard.set_headline(
				__("This hold is active: the person's records cannot be anonymised.")
			);
		}
	},
});
