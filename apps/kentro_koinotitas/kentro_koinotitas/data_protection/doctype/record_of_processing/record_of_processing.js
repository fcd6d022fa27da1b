// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Record of Processing", {
	refresh(frm) {
		frm.get_field("summary").$wrapper.html((frm.doc.__onload || {}).summary || "");
		frm.add_custom_button(__("Download Excel"), () =>
			window.open(
				"/api/method/kentro_koinotitas.data_protection.processing_record.download_xlsx",
				"_blank"
			)
		);
	},
});
