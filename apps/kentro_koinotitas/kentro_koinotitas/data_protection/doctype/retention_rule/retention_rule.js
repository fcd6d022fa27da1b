// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Rule", {
	setup(frm) {
		// the person-related DocTypes a rule may name (data_protection/retention.py, PERSON_RECORDS)
		frm.set_query("record_type", () => ({
			filters: {
				name: [
					"in",
					[
						"Beneficiary",
						"Case",
						"Consent",
						"Front Desk Visit",
						"Programme Application",
						"Referral",
						"Service Delivery",
					],
				],
			},
		}));
	},
});
