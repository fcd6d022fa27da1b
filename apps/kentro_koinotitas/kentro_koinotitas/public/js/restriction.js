// Restriction of processing (Art. 18 GDPR; the rule is access/restriction.py): a red banner on every form
// of a restricted person's records, and the Data Protection Officer's button on the person's form.

$(document).on("form-refresh", (event, frm) => {
	const onload = (frm && frm.doc && frm.doc.__onload) || {};
	if (!onload.kentro_restricted) {
		return;
	}
	let message = __(
		"The processing of this person's data is restricted (Art. 18 GDPR): only the Data Protection Officer may change, print or export their records."
	);
	if (onload.kentro_restriction_reason) {
		message +=
			" " + __("Reason: {0}", [frappe.utils.escape_html(onload.kentro_restriction_reason)]);
	}
	frm.set_intro(message, "red");
});

frappe.ui.form.on("Beneficiary", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role("Data Protection Officer")) {
			return;
		}
		const method = "kentro_koinotitas.access.restriction.set_restriction";
		const done = () => frm.reload_doc();
		if (frm.doc.processing_restricted) {
			frm.add_custom_button(__("Lift Restriction of Processing"), () =>
				frappe.confirm(
					__("Lift the restriction of processing of this person's data?"),
					() =>
						frappe
							.xcall(method, { beneficiary: frm.doc.name, restricted: 0 })
							.then(done)
				)
			);
			return;
		}
		frm.add_custom_button(__("Restrict Processing"), () =>
			frappe.prompt(
				[
					{
						fieldname: "reason",
						fieldtype: "Small Text",
						label: __("Restriction Reason"),
						reqd: 1,
					},
				],
				(values) =>
					frappe
						.xcall(method, {
							beneficiary: frm.doc.name,
							restricted: 1,
							reason: values.reason,
						})
						.then(done),
				__("Restrict Processing"),
				__("Restrict")
			)
		);
	},
});
