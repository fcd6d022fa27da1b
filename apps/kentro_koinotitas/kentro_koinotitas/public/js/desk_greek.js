// Greek for the few desk strings that Frappe does not pass through __() (translations/el.csv covers
// the rest): names in the report list, the time zone under every date-time field, the screen-reader
// and tooltip texts of the autocomplete and data-table libraries, and accessible names of controls.

// The report list shows each report's name as stored (English): show its translation.
frappe.listview_settings["Report"] = frappe.listview_settings["Report"] || {};
frappe.listview_settings["Report"].formatters = Object.assign(
	{},
	frappe.listview_settings["Report"].formatters,
	{ name: (value) => __(value), report_name: (value) => __(value) }
);

// Frappe writes the time zone («Europe/Athens») under every date-time field. Every user of a site works
// in the site's zone; name a zone only when the user's differs from it.
$(document).on("app_ready", () => {
	const Datetime = frappe.ui.form.ControlDatetime;
	if (!Datetime || Datetime.prototype.kentro_zone_hidden) return;
	const set_description = Datetime.prototype.set_description;
	Datetime.prototype.set_description = function () {
		if (frappe.datetime.is_system_time_zone()) this.df.hide_timezone = 1;
		return set_description.call(this);
	};
	Datetime.prototype.kentro_zone_hidden = true;
});

// The calendar of date fields (air-datepicker): Frappe ships no Greek for it and falls back to English.
if ($.fn.datepicker && !$.fn.datepicker.language.el) {
	$.fn.datepicker.language.el = {
		days: ["Κυριακή", "Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο"],
		daysShort: ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"],
		daysMin: ["Κυ", "Δε", "Τρ", "Τε", "Πε", "Πα", "Σα"],
		months: [
			"Ιανουάριος",
			"Φεβρουάριος",
			"Μάρτιος",
			"Απρίλιος",
			"Μάιος",
			"Ιούνιος",
			"Ιούλιος",
			"Αύγουστος",
			"Σεπτέμβριος",
			"Οκτώβριος",
			"Νοέμβριος",
			"Δεκέμβριος",
		],
		monthsShort: [
			"Ιαν",
			"Φεβ",
			"Μαρ",
			"Απρ",
			"Μάι",
			"Ιουν",
			"Ιουλ",
			"Αυγ",
			"Σεπ",
			"Οκτ",
			"Νοε",
			"Δεκ",
		],
		today: "Σήμερα",
		clear: "Καθαρισμός",
		dateFormat: "dd-mm-yyyy",
		timeFormat: "hh:ii",
		firstDay: 1,
	};
}

// The form sidebar's comment count ran into «Παρακολούθηση» («0ΠΑΡΑΚΟΛΟΥΘΗΣΗ»): keep them apart.
$("<style>")
	.text(".form-sidebar-stats .form-follow { margin-left: var(--margin-md); }")
	.appendTo(document.head);

// Fixed English texts of Awesomplete (status read by screen readers) and Frappe DataTable (tooltips).
const LIBRARY_TEXTS = [
	[/^Begin typing for results\.$/, () => __("Begin typing for results.")],
	[
		/^Type (\d+) or more characters for results\.$/,
		(m) => __("Type {0} or more characters for results.", [m[1]]),
	],
	[/^No results found$/, () => __("No Results found")],
	[/^(\d+) results found$/, (m) => __("{0} results found", [m[1]])],
	[/^(.*), list item (\d+) of (\d+)$/, (m) => __("{0}, item {1} of {2}", [m[1], m[2], m[3]])],
];

function greek_library_text(text) {
	for (const [pattern, translate] of LIBRARY_TEXTS) {
		const match = pattern.exec(text);
		if (match) return translate(match);
	}
	return null;
}

function translate_library_nodes(root) {
	if (!root.querySelectorAll) return;
	root.querySelectorAll(".awesomplete > [role=status]").forEach((status) => {
		const greek = greek_library_text(status.textContent);
		if (greek && greek !== status.textContent) status.textContent = greek;
	});
	root.querySelectorAll(".dt-filter[title^='Filter based on ']").forEach((input) => {
		input.title = __("Filter based on {0}", [input.title.slice("Filter based on ".length)]);
	});
}

$(document).on("app_ready", () => {
	new MutationObserver((mutations) => {
		for (const mutation of mutations) {
			const target =
				mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
			if (!target) continue;
			if (target.matches && target.matches(".awesomplete > [role=status]")) {
				const greek = greek_library_text(target.textContent);
				if (greek && greek !== target.textContent) target.textContent = greek;
			} else if (mutation.addedNodes.length) {
				mutation.addedNodes.forEach(
					(node) => node.nodeType === 1 && translate_library_nodes(node)
				);
			}
		}
	}).observe(document.body, { childList: true, subtree: true, characterData: true });
	translate_library_nodes(document.body);
});

// Accessible names that Frappe's desk leaves out (axe-core, tests/test_greek_desk.py): a form field's
// input is named by its label, a list row's checkbox by the record, an icon button by its tooltip.
function name_unnamed_controls() {
	document.querySelectorAll(".frappe-control").forEach((control) => {
		const label = control.querySelector(".control-label");
		const text = label ? label.textContent.trim() : "";
		control
			.querySelectorAll(
				"input:not([type=hidden]):not([aria-label]), select:not([aria-label]), textarea:not([aria-label])"
			)
			.forEach((input) => {
				// a list's filter fields show their label as placeholder only
				const name = text || input.getAttribute("placeholder");
				if (name) input.setAttribute("aria-label", name);
			});
	});
	const names = {
		".list-check-all": () => __("Select All"),
		".add-assignment-btn": () => __("Assign To"),
		".add-attachment-btn": () => __("Attach File"),
		".add-tags-btn": () => __("Add Tags"),
		".btn-new[data-doctype]": (button) => __("New {0}", [__(button.dataset.doctype)]),
		".scroll-to-top": () => __("Scroll to top"),
		".chart-menu": () => __("Chart options"),
		".share-doc-btn": () => __("Share"),
		".datepicker--time input[name=hours]": () => __("Hours"),
		".datepicker--time input[name=minutes]": () => __("Minutes"),
		".dt-paste-target": () => __("Paste"),
		".dt-filter": (input) => input.getAttribute("title") || __("Filter"),
		".list-row-checkbox": (checkbox) => {
			const row = checkbox.closest(".list-row");
			const subject = row && row.querySelector(".list-subject");
			const title = subject ? subject.textContent.trim() : checkbox.dataset.name || "";
			return __("Select {0}", [title]);
		},
	};
	for (const [selector, name] of Object.entries(names)) {
		document.querySelectorAll(`${selector}:not([aria-label])`).forEach((element) => {
			element.setAttribute("aria-label", name(element));
		});
	}
	// a list cell's tooltip «Label: value» shows a select's or check's stored value (English)
	document
		.querySelectorAll(".list-row-col span.ellipsis[title]:not([data-kentro-title])")
		.forEach((cell) => {
			cell.setAttribute("data-kentro-title", "1");
			const title = cell.getAttribute("title");
			const cut = title.lastIndexOf(": ");
			if (cut > 0)
				cell.setAttribute("title", title.slice(0, cut + 2) + __(title.slice(cut + 2)));
		});
	document
		.querySelectorAll("button:not([aria-label]), a.btn:not([aria-label])")
		.forEach((button) => {
			if (button.textContent.trim()) return;
			const name =
				button.getAttribute("data-original-title") || button.getAttribute("title");
			if (name) button.setAttribute("aria-label", name);
		});
}

let naming = null;
$(document).on("app_ready", () => {
	// at most every 150 ms: a page that keeps changing (charts drawing) still gets its names
	new MutationObserver(() => {
		if (naming) return;
		naming = setTimeout(() => {
			naming = null;
			name_unnamed_controls();
		}, 150);
	}).observe(document.body, { childList: true, subtree: true });
});
