// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

const BENEFICIARY_API = "kentro_koinotitas.registry.doctype.beneficiary.beneficiary";

frappe.ui.form.on("Beneficiary", {
	setup(frm) {
		frm.set_query("vulnerable_group", "vulnerable_groups", () => ({
			filters: { enabled: 1 },
		}));
		frm.set_query("document_type", "identity_documents", () => ({ filters: { enabled: 1 } }));
	},

	onload(frm) {
		kentro_koinotitas.set_default_centre(frm, "home_centre");
	},

	first_name(frm) {
		fill_latin_name(frm, "first_name", "latin_first_name");
	},

	last_name(frm) {
		fill_latin_name(frm, "last_name", "latin_last_name");
	},

	refresh(frm) {
		if (frm.is_new()) {
			frm.fields_dict.consent_summary.$wrapper.html("");
			frm.fields_dict.possible_duplicates.$wrapper.html("");
			return;
		}
		render_consents(frm);
		render_duplicates(frm);
		if (frappe.model.can_delete("Beneficiary")) {
			frm.add_custom_button(
				__("Merge into another record"),
				() => merge_dialog(frm),
				__("Actions")
			);
		}
	},

	amka(frm) {
		if (!frm.doc.amka || frm.doc.amka.length < 11) return;
		frappe.call({
			method: `${BENEFICIARY_API}.identity_from_amka`,
			args: { amka: frm.doc.amka },
			callback(r) {
				if (!r.message) return;
				if (!frm.doc.date_of_birth)
					frm.set_value("date_of_birth", r.message.date_of_birth);
				if (!frm.doc.gender) frm.set_value("gender", r.message.gender);
			},
		});
	},
});

// The Latin name follows the Greek one as it is typed (the server's ELOT 743 rule), until staff type a
// Latin name of their own
function fill_latin_name(frm, greek, latin) {
	frm.__latin_filled = frm.__latin_filled || {};
	const current = frm.doc[latin] || "";
	if (current && current !== frm.__latin_filled[latin]) return;
	frappe
		.call({ method: `${BENEFICIARY_API}.latin_name`, args: { text: frm.doc[greek] || "" } })
		.then((r) => {
			const typed = frm.doc[latin] || "";
			if (typed && typed !== frm.__latin_filled[latin] && typed !== current) return;
			frm.__latin_filled[latin] = r.message || "";
			frm.set_value(latin, r.message || "");
		});
}

// Every value placed in the form's HTML widgets is escaped (names, purposes and record names are typed
// by users)
const esc = (value) => frappe.utils.escape_html(value == null ? "" : String(value));
const record_link = (doctype, name, label = name) =>
	`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(label)}</a>`;

function render_consents(frm) {
	frappe
		.call(`${BENEFICIARY_API}.get_consent_overview`, { beneficiary: frm.doc.name })
		.then((r) => {
			const colours = { Given: "green", Refused: "red", Withdrawn: "orange" };
			const rows = (r.message || [])
				.map(
					(c) => `<tr>
					<td>${esc(__(c.purpose))}</td>
					<td><span class="indicator-pill ${colours[c.status] || "gray"}">${esc(__(c.status))}</span></td>
					<td>${c.date ? esc(frappe.datetime.str_to_user(c.date)) : ""}</td>
					<td>${c.consent ? record_link("Consent", c.consent) : ""}</td>
				</tr>`
				)
				.join("");
			frm.fields_dict.consent_summary.$wrapper.html(
				`<table class="table table-bordered table-sm"><thead><tr>
				<th>${esc(__("Purpose"))}</th><th>${esc(__("Status"))}</th><th>${esc(__("Date"))}</th>
				<th>${esc(__("Consent"))}</th>
			</tr></thead><tbody>${rows}</tbody></table>`
			);
		});
}

function render_duplicates(frm) {
	frappe
		.call(`${BENEFICIARY_API}.get_possible_duplicates`, { beneficiary: frm.doc.name })
		.then((r) => {
			const found = r.message || [];
			if (!found.length) {
				frm.fields_dict.possible_duplicates.$wrapper.html(
					`<p class="text-muted">${esc(__("No other record with the same name and date of birth."))}</p>`
				);
				return;
			}
			frm.dashboard.set_headline_alert(
				esc(
					__(
						"Possible duplicate: {0} other record(s) with the same name and date of birth.",
						[found.length]
					)
				),
				"orange"
			);
			const items = found
				.map(
					(d) => `<li>${record_link("Beneficiary", d.name, d.full_name)}
					(${esc(d.name)}, ${esc(d.amka || __("no AMKA"))}, ${esc(d.home_centre)})</li>`
				)
				.join("");
			frm.fields_dict.possible_duplicates.$wrapper.html(`<ul>${items}</ul>`);
		});
}

function merge_dialog(frm) {
	frappe.prompt(
		[
			{
				fieldname: "target",
				fieldtype: "Link",
				options: "Beneficiary",
				label: __("Keep this record"),
				reqd: 1,
				description: __(
					"This record ({0}) is merged into the one you choose and then deleted.",
					[frm.doc.name]
				),
			},
		],
		(values) => {
			frappe.confirm(
				__("Merge {0} into {1}? This cannot be undone.", [frm.doc.name, values.target]),
				() => {
					frappe
						.call(`${BENEFICIARY_API}.merge`, {
							source: frm.doc.name,
							target: values.target,
						})
						.then((r) => frappe.set_route("Form", "Beneficiary", r.message));
				}
			);
		},
		__("Merge beneficiaries"),
		__("Merge")
	);
}
