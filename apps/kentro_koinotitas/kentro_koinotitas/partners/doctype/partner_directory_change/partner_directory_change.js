// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

// The coordinator compares the proposed directory entry with the current one and approves or rejects it.

frappe.ui.form.on("Partner Directory Change", {
	refresh(frm) {
		const esc = frappe.utils.escape_html;
		const show = (value) =>
			esc(
				typeof value === "object" && value !== null
					? JSON.stringify(value, null, 1)
					: value || ""
			);
		const rows = (frm.doc.__onload && frm.doc.__onload.changes) || [];
		const body = rows
			.map(
				(row) => `<tr><td>${esc(__(frappe.unscrub(row.field)))}</td>
					<td><pre>${show(row.current)}</pre></td><td><pre>${show(row.proposed)}</pre></td></tr>`
			)
			.join("");
		frm.get_field("changes_summary").$wrapper.html(
			`<table class="table table-bordered table-sm"><thead><tr><th>${esc(__("Field"))}</th>
			<th>${esc(__("Current"))}</th><th>${esc(__("Proposed"))}</th></tr></thead><tbody>${body}</tbody></table>`
		);
		if (frm.doc.status !== "Pending" || !frm.perm[0] || !frm.perm[0].write) {
			return;
		}
		const decide = (method) =>
			frappe.prompt(
				{ fieldname: "note", fieldtype: "Small Text", label: __("Decision Note") },
				(values) =>
					frappe
						.call({
							method: `kentro_koinotitas.partners.directory.${method}`,
							args: { name: frm.doc.name, note: values.note },
							freeze: true,
						})
						.then(() => frm.reload_doc()),
				__(method === "approve" ? "Approve" : "Reject")
			);
		frm.add_custom_button(__("Approve"), () => decide("approve")).addClass("btn-primary");
		frm.add_custom_button(__("Reject"), () => decide("reject"));
	},
});
