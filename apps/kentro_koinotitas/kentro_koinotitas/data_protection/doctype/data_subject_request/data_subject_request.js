// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

const PACK_TYPES = ["Access (Art. 15)", "Portability (Art. 20)"];
const ERASURE = "Erasure (Art. 17)";
const APPROVED_STATUSES = ["In progress", "Extended", "Completed"];
const GRANTED = ["Granted", "Partly granted"];

frappe.ui.form.on("Data Subject Request", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (PACK_TYPES.includes(frm.doc.request_type) && frm.doc.beneficiary) {
			frm.add_custom_button(__("Create access pack"), () =>
				frappe.call({
					method: "kentro_koinotitas.data_protection.access_pack.enqueue_access_pack",
					args: { request: frm.doc.name },
					freeze: true,
					callback: () => frm.reload_doc(),
				})
			);
		}
		const approved_erasure =
			frm.doc.request_type === ERASURE &&
			frm.doc.beneficiary &&
			!frm.doc.anonymised_on &&
			APPROVED_STATUSES.includes(frm.doc.status) &&
			GRANTED.includes(frm.doc.decision);
		if (approved_erasure) {
			frm.add_custom_button(__("Anonymise"), () => confirm_anonymisation(frm)).addClass(
				"btn-danger"
			);
		}
	},
});

function confirm_anonymisation(frm) {
	frappe.confirm(
		__(
			"Anonymise {0}? Names, identity numbers, contact details, free text, attachments and every copy of them are erased for good. This cannot be undone.",
			[frm.doc.beneficiary]
		),
		() =>
			frappe.call({
				method: "kentro_koinotitas.data_protection.erasure.anonymise",
				args: { request: frm.doc.name },
				freeze: true,
				freeze_message: __("Anonymising..."),
				callback: () => {
					frappe.show_alert({
						message: __("The person has been anonymised."),
						indicator: "green",
					});
					frm.reload_doc();
				},
			})
	);
}
