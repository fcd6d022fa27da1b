// "Who accessed this record": the access log of the person's records, for the Data Protection Officer
// (and System Manager). Added to the Beneficiary form through hooks.doctype_js; the server checks the role.

frappe.ui.form.on("Beneficiary", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role(["Data Protection Officer", "System Manager"])) {
			return;
		}
		frm.add_custom_button(__("Who accessed this record"), () =>
			kentro_show_access_history(frm.doc.name)
		);
	},
});

function kentro_show_access_history(beneficiary) {
	frappe
		.call({
			method: "kentro_koinotitas.data_protection.access_log.get_access_history",
			type: "GET",
			args: { beneficiary },
		})
		.then((r) => {
			const esc = frappe.utils.escape_html;
			const rows = r.message || [];
			const head = ["Accessed On", "User", "Access Kind", "Record Type", "Record", "Detail"]
				.map((label) => `<th>${esc(__(label))}</th>`)
				.join("");
			const body = rows
				.map(
					(row) => `<tr>
						<td>${esc(frappe.datetime.str_to_user(row.accessed_on))}</td>
						<td>${esc(row.user_name || row.user)}</td>
						<td>${esc(__(row.access_kind))}</td>
						<td>${esc(__(row.reference_doctype || ""))}</td>
						<td>${esc(row.reference_name || "")}</td>
						<td>${esc(row.detail || "")}</td>
					</tr>`
				)
				.join("");
			const dialog = new frappe.ui.Dialog({
				title: __("Who accessed this record"),
				size: "extra-large",
				fields: [{ fieldtype: "HTML", fieldname: "log" }],
				primary_action_label: __("Open the full access log"),
				primary_action: () => {
					dialog.hide();
					frappe.set_route("List", "Personal Data Access", { beneficiary });
				},
			});
			dialog.fields_dict.log.$wrapper.html(
				rows.length
					? `<table class="table table-bordered table-sm"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
					: `<p class="text-muted">${esc(__("No access to this person's records has been recorded."))}</p>`
			);
			dialog.show();
		});
}
