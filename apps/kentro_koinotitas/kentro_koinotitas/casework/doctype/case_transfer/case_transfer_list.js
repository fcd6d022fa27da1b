// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

// A case for another municipality leaves as a signed, encrypted package (casework/transfer_package.py)
frappe.listview_settings["Case Transfer"] = {
	onload(listview) {
		if (!frappe.user.has_role("Coordinator")) return;
		listview.page.add_inner_button(__("Transfer to another municipality"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Transfer to another municipality"),
				fields: [
					{
						fieldname: "case",
						fieldtype: "Link",
						options: "Case",
						label: __("Case"),
						reqd: 1,
					},
					{
						fieldname: "partner_municipality",
						fieldtype: "Link",
						options: "Partner Municipality",
						label: __("Municipality"),
						reqd: 1,
					},
					{
						fieldname: "reason",
						fieldtype: "Small Text",
						label: __("Reason for Transfer"),
						reqd: 1,
					},
					{
						fieldname: "person_consents",
						fieldtype: "Check",
						label: __("The person agrees to the transfer"),
					},
				],
				primary_action_label: __("Create package"),
				primary_action(values) {
					frappe
						.xcall("kentro_koinotitas.casework.transfer_package.export_case", values)
						.then((result) => {
							const blob = new Blob([result.package], { type: "text/plain" });
							const link = document.createElement("a");
							link.href = URL.createObjectURL(blob);
							link.download = result.filename;
							link.click();
							URL.revokeObjectURL(link.href);
							dialog.hide();
						});
				},
			});
			dialog.show();
		});
	},
};
