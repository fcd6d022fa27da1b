// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Case Transfer", {
	setup(frm) {
		// only open cases of the user's own centres are offered (the server checks again)
		frm.set_query("case", () => ({ filters: { status: ["!=", "Closed"] } }));
	},
	refresh(frm) {
		if (frm.doc.status === "Pending" && !frm.is_new()) {
			frm.dashboard.set_headline(
				__("The receiving centre sees only this summary until it accepts the transfer.")
			);
		}
	},
});
