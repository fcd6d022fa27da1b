// Copyright (c) 2026, kentro_koinotitas developers and contributors
// For license information, please see license.txt

const METHODS = "kentro_koinotitas.data_import.doctype.registry_import.registry_import";

frappe.ui.form.on("Registry Import", {
	setup(frm) {
		frappe.realtime.on("registry_import_progress", (data) => {
			if (data.name !== frm.doc.name) return;
			frm.dashboard.show_progress(
				__("Importing"),
				(100 * data.done) / data.total,
				__("{0} of {1} rows", [data.done, data.total])
			);
		});
		frappe.realtime.on("registry_import_done", (data) => {
			if (data.name !== frm.doc.name) return;
			frm.dashboard.hide_progress();
			frm.reload_doc();
		});
	},
	refresh(frm) {
		frm.add_custom_button(__("Download template"), () => {
			window.open(`/api/method/${METHODS}.download_template`);
		});
		if (frm.is_new() || !frm.doc.import_file) return;
		const interrupted = frm.doc.__onload && frm.doc.__onload.interrupted;
		if (interrupted) {
			frm.set_intro(
				__(
					"The import stopped before it finished, so none of its rows was saved (a file is imported whole or not at all). Start it again: people already in the registry are skipped."
				),
				"orange"
			);
		}
		if (interrupted || !["Queued", "Importing"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Validate"), () =>
				frappe
					.call({
						method: `${METHODS}.validate_rows`,
						args: { name: frm.doc.name },
						freeze: true,
					})
					.then(() => frm.reload_doc())
			);
			frm.add_custom_button(__("Start import"), () =>
				frappe
					.call({
						method: `${METHODS}.start_import`,
						args: { name: frm.doc.name },
						freeze: true,
					})
					.then((r) => {
						if (r.message === "queued") {
							frappe.show_alert(__("The import runs in the background."));
						}
						frm.reload_doc();
					})
			).addClass("btn-primary");
		}
		frm.trigger("render_preview");
	},
	render_preview(frm) {
		let mapping = {};
		try {
			mapping = JSON.parse(frm.doc.column_mapping || "{}");
		} catch (e) {
			mapping = {};
		}
		// labels in the user's language, from the server (`__()` only translates literal strings)
		const labels = (frm.doc.__onload || {}).column_labels || {};
		const rows = Object.entries(mapping)
			.map(
				([field, column]) =>
					`<tr><td>${frappe.utils.escape_html(labels[field] || field)}</td><td>${
						cint(column) + 1
					}</td></tr>`
			)
			.join("");
		frm.get_field("preview").$wrapper.html(
			`<table class="table table-bordered table-sm"><thead><tr><th>${__("Field")}</th><th>${__(
				"Column"
			)}</th></tr></thead><tbody>${rows}</tbody></table>`
		);
	},
});
