// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Delivery", {
	onload(frm) {
		kentro_koinotitas.set_default_centre(frm);
	},
});
