// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Programme Application", {
	onload(frm) {
		kentro_koinotitas.set_default_centre(frm);
	},

	setup(frm) {
		frm.set_query("programme", () => ({ filters: { active: 1 } }));
		frm.set_query("case", () =>
			frm.doc.beneficiary ? { filters: { beneficiary: frm.doc.beneficiary } } : {}
		);
	},
});
