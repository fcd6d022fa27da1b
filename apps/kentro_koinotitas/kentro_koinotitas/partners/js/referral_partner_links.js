// The partner's links on the Referral form (hooks.doctype_js): when they were sent, until when they hold,
// and the staff's actions to revoke them or e-mail a new one. The server checks the user's rights.

frappe.ui.form.on("Referral", {
	refresh(frm) {
		const field = frm.get_field("partner_links");
		if (!field || frm.is_new() || frm.doc.referral_type !== "External") {
			return;
		}
		frappe
			.call({
				method: "kentro_koinotitas.partners.tokens.link_status",
				type: "GET",
				args: { referral: frm.doc.name },
			})
			.then((r) => kentro_render_partner_links(field, r.message || []));
		if (!frm.perm[0] || !frm.perm[0].write) {
			return;
		}
		if (["Sent", "Acknowledged"].includes(frm.doc.status)) {
			frm.add_custom_button(
				__("E-mail a new link"),
				() => kentro_partner_link_action(frm, "send_new_link"),
				__("Partner")
			);
		}
		frm.add_custom_button(
			__("Revoke the partner's links"),
			() =>
				frappe.confirm(
					__("The partner will no longer be able to open this referral."),
					() => kentro_partner_link_action(frm, "revoke_links")
				),
			__("Partner")
		);
	},
});

function kentro_partner_link_action(frm, method) {
	frappe
		.call({
			method: `kentro_koinotitas.partners.tokens.${method}`,
			args: { referral: frm.doc.name },
			freeze: true,
		})
		.then(() => frm.reload_doc());
}

function kentro_render_partner_links(field, rows) {
	const esc = frappe.utils.escape_html;
	if (!rows.length) {
		field.$wrapper.html(`<p class="text-muted">${esc(__("No partner links yet."))}</p>`);
		return;
	}
	const head = ["Channel", "Sent To", "Created On", "Expires On", "Last Used On", "Revoked"]
		.map((label) => `<th>${esc(__(label))}</th>`)
		.join("");
	const body = rows
		.map(
			(row) => `<tr>
				<td>${esc(__(row.channel || ""))}</td>
				<td>${esc(row.sent_to || "")}</td>
				<td>${esc(frappe.datetime.str_to_user(row.creation))}</td>
				<td>${esc(frappe.datetime.str_to_user(row.expires_on))}</td>
				<td>${esc(row.last_used_on ? frappe.datetime.str_to_user(row.last_used_on) : "")}</td>
				<td>${row.revoked ? esc(__("Yes")) : ""}</td>
			</tr>`
		)
		.join("");
	field.$wrapper.html(
		`<table class="table table-bordered table-sm"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
	);
}
