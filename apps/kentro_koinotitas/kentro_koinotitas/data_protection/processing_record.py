"""The record of processing activities (Art. 30 GDPR), generated from the configuration: the purposes
(the Consent Purposes, after the Centre's own tasks), the categories of data (the fields of the app's
person-related DocTypes), the recipients (the partner organisations that received referrals and the
programmes' authorities that received applications), the retention (the Retention Rules) and the security
measures (README, "Security model"). Shown on the single DocType «Record of Processing», printed in Greek
(print format «Αρχείο Δραστηριοτήτων Επεξεργασίας») and downloaded as .xlsx.

Categories of data, decided from each field's permission level and name (README, "Data protection"):
- special category (Art. 9): every field at permission level 1 or above, or in a table whose field is (the
  vulnerable groups with health, disability, ethnic origin and migration, the needs assessment, the
  psychologists' session notes);
- identity: names, ΑΜΚΑ, ΑΦΜ, birth date, gender, identity documents, nationality and language, and the
  search keys derived from them;
- contact: phones, e-mail and address fields;
- social file: every other field about the person (situation, requests, services, referrals, outcomes).
"""

import io

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Max, Min, Sum
from frappe.utils import format_date, now_datetime
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kentro_koinotitas.setup.roles import DATA_PROTECTION_OFFICER

TEMPLATE = "kentro_koinotitas/data_protection/templates/record_of_processing.html"
PERSON_DOCTYPES = (
	"Beneficiary",
	"Household",
	"Consent",
	"Front Desk Visit",
	"Case",
	"Service Delivery",
	"Referral",
	"Programme Application",
	"Group Activity",
)
IDENTITY = frozenset(
	{
		"first_name",
		"last_name",
		"father_name",
		"mother_name",
		"full_name",
		"latin_first_name",
		"latin_last_name",
		"gender",
		"date_of_birth",
		"amka",
		"afm",
		"no_identity_reason",
		"identity_documents",
		"document_type",
		"document_number",
		"issuing_country",
		"expiry_date",
		"nationality",
		"citizenship",
		"mother_tongue",
		"interpreter_needed",
		"interpreter_language",
		"beneficiary_name",
		"member_name",
		"visitor_first_name",
		"visitor_last_name",
		"visitor_name",
		"visitor_amka",
		"search_key",
		"name_key",
	}
)
CONTACT = ("phone", "email", "address", "postal_code")
NO_DATA = frozenset({"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold"})
CATEGORIES = {
	"identity": "Στοιχεία ταυτότητας",
	"contact": "Στοιχεία επικοινωνίας",
	"special": "Ειδικές κατηγορίες δεδομένων (άρθρο 9 ΓΚΠΔ)",
	"social": "Κοινωνικός φάκελος και παρεχόμενες υπηρεσίες",
}
CORE_PURPOSE = {
	"purpose": "Λειτουργία του Κέντρου Κοινότητας",
	"description": "Υποδοχή, πληροφόρηση, διαχείριση περιπτώσεων, παροχή υπηρεσιών, παραπομπές και αιτήσεις σε "
	"προνοιακά προγράμματα, παρακολούθηση δεικτών και δεικτών ΕΚΤ+ (Καν. (ΕΕ) 2021/1057).",
	"legal_basis": "Άρθρο 6 παρ. 1 γ΄ και ε΄ ΓΚΠΔ· άρθρο 9 παρ. 2 ζ΄ και η΄ ΓΚΠΔ και άρθρο 22 ν. 4624/2019.",
}
CONSENT_BASIS = "Συγκατάθεση (άρθρο 6 παρ. 1 α΄ ΓΚΠΔ)"
SPECIAL_CONSENT_BASIS = "Ρητή συγκατάθεση (άρθρο 9 παρ. 2 α΄ ΓΚΠΔ)"
SUBJECTS = [
	"Ωφελούμενοι των Κέντρων Κοινότητας και τα μέλη των νοικοκυριών τους",
	"Επισκέπτες της υποδοχής που δεν έχουν εγγραφεί στο μητρώο",
	"Συμμετέχοντες σε ομαδικές δράσεις",
]
TRANSFERS = "Καμία διαβίβαση σε τρίτη χώρα ή διεθνή οργανισμό."
SECURITY_MEASURES = [
	"Κάθε χρήστης διαβάζει μόνο τις εγγραφές των Κέντρων στο προσωπικό των οποίων ανήκει· η ανάγνωση όλων των "
	"Κέντρων είναι ιδιότητα ονομαστικών ρόλων (Διευθυντής Κοινωνικών Υπηρεσιών, Υπεύθυνος Προστασίας Δεδομένων, "
	"Πληροφορική)· χρήστης χωρίς θέση σε Κέντρο δεν διαβάζει τίποτα.",
	"Τα δεδομένα ειδικών κατηγοριών (υγεία, αναπηρία, εθνοτική καταγωγή, μετανάστευση, αξιολόγηση αναγκών) "
	"βρίσκονται σε επίπεδο δικαιωμάτων 1 και οι σημειώσεις συνεδριών των ψυχολόγων σε επίπεδο 2· κανένα πεδίο "
	"πάνω από το επίπεδο του χρήστη δεν φεύγει από τον διακομιστή (τιμή, μέτρηση, φίλτρο, ιστορικό αλλαγών, εκτύπωση).",
	"Οι ροές εργασίας ελέγχουν τις εγκρίσεις φακέλων και παραπομπών: καμία αυτοέγκριση, αλλαγή κατάστασης μόνο "
	"με επιτρεπτή μετάβαση.",
	"Τα συνημμένα είναι πάντοτε ιδιωτικά· η κοινή χρήση εγγράφων είναι απενεργοποιημένη· η παραπομπή σε φορέα "
	"περιέχει στοιχεία ταυτότητας και επικοινωνίας μόνο με τη συγκατάθεση του ωφελούμενου.",
	"Ισχυροί κωδικοί, κλείδωμα λογαριασμού μετά από 10 αποτυχημένες συνδέσεις, συνεδρίες 9 ωρών, έλεγχος "
	"ταυτότητας δύο παραγόντων για τους ρόλους που διαβάζουν ειδικές κατηγορίες (όταν ενεργοποιηθεί).",
	"Καταγραφή κάθε ανάγνωσης, εκτύπωσης και εξαγωγής προσωπικών δεδομένων, που δεν τροποποιείται ούτε "
	"διαγράφεται από κανέναν ρόλο· ο Υπεύθυνος Προστασίας Δεδομένων βλέπει ποιος διάβασε κάθε φάκελο.",
	"Περιορισμός της επεξεργασίας (άρθρο 18 ΓΚΠΔ), δεσμεύσεις νομικής διατήρησης, πρόγραμμα διατήρησης με "
	"έγκριση του Υπευθύνου Προστασίας Δεδομένων και ανωνυμοποίηση που φτάνει σε κάθε αντίγραφο.",
	"Αρχεία ρυθμίσεων και ιδιωτικά αρχεία προσβάσιμα μόνο από τον λογαριασμό της εφαρμογής· ο διακομιστής "
	"ακούει μόνο τοπικά πίσω από τον διακομιστή μεσολάβησης· καμία λεπτομέρεια σφάλματος στους χρήστες.",
]


def check_reader() -> None:
	roles = set(frappe.get_roles())
	if not roles.intersection({DATA_PROTECTION_OFFICER, "System Manager"}) or not frappe.has_permission(
		"Record of Processing", "read"
	):
		frappe.throw(_("Only the Data Protection Officer may do this."), frappe.PermissionError)


def category_of(fieldname: str, permlevel: int) -> str:
	if permlevel:
		return "special"
	if any(word in fieldname for word in CONTACT):
		return "contact"
	return "identity" if fieldname in IDENTITY else "social"


def _fields(doctype: str, level: int = 0):
	"""(fieldname, label, effective permission level) of a DocType's data fields, its tables' included."""
	for df in frappe.get_meta(doctype).fields:
		if df.fieldtype in NO_DATA:
			continue
		permlevel = max(level, df.permlevel or 0)
		if df.fieldtype in ("Table", "Table MultiSelect"):
			yield from _fields(df.options, permlevel)
		else:
			yield df.fieldname, df.label or df.fieldname, permlevel


def data_categories() -> list[dict]:
	grouped = {key: [] for key in CATEGORIES}
	for doctype in PERSON_DOCTYPES:
		labels = {key: [] for key in CATEGORIES}
		for fieldname, label, permlevel in _fields(doctype):
			labels[category_of(fieldname, permlevel)].append(_(label))
		for key, names in labels.items():
			if names:
				grouped[key].append({"doctype": _(doctype), "fields": sorted(set(names))})
	return [{"category": label, "records": grouped[key]} for key, label in CATEGORIES.items()]


def purposes() -> list[dict]:
	rows = [CORE_PURPOSE]
	for purpose in frappe.get_all(
		"Consent Purpose",
		fields=["purpose_name", "description", "covers_special_category", "enabled"],
		order_by="purpose_name",
	):
		rows.append(
			{
				"purpose": purpose.purpose_name + ("" if purpose.enabled else " (ανενεργός)"),
				"description": purpose.description or "",
				"legal_basis": SPECIAL_CONSENT_BASIS if purpose.covers_special_category else CONSENT_BASIS,
			}
		)
	return rows


def _recipient(name: str, kind: str, via: str, count: int, with_data: int, first, last) -> dict:
	return {
		"recipient": name,
		"kind": kind,
		"via": via,
		"count": count,
		"with_personal_data": with_data,
		"period": f"{format_date(first)} – {format_date(last)}",
	}


def recipients() -> list[dict]:
	referral, partner = frappe.qb.DocType("Referral"), frappe.qb.DocType("Partner Organisation")
	rows = (
		frappe.qb.from_(referral)
		.left_join(partner)
		.on(partner.name == referral.partner_organisation)
		.select(
			referral.partner_organisation,
			partner.organisation_type,
			Count(referral.name),
			Sum(referral.shares_personal_data),
			Min(referral.sent_on),
			Max(referral.sent_on),
		)
		.where(referral.partner_organisation.isnotnull() & referral.sent_on.isnotnull())
		.groupby(referral.partner_organisation, partner.organisation_type)
		.orderby(referral.partner_organisation)
		.run()
	)
	found = [
		_recipient(name, _(kind) if kind else "", "Παραπομπές", count, int(shared or 0), first, last)
		for name, kind, count, shared, first, last in rows
	]
	application, programme = (
		frappe.qb.DocType("Programme Application"),
		frappe.qb.DocType("Welfare Programme"),
	)
	for authority, name, count, first, last in (
		frappe.qb.from_(application)
		.join(programme)
		.on(programme.name == application.programme)
		.select(
			programme.administering_organisation,
			programme.name,
			Count(application.name),
			Min(application.submitted_on),
			Max(application.submitted_on),
		)
		.where(application.submitted_on.isnotnull())
		.groupby(programme.administering_organisation, programme.name)
		.orderby(programme.name)
		.run()
	):
		found.append(
			_recipient(authority or name, "", f"Αιτήσεις στο πρόγραμμα «{name}»", count, count, first, last)
		)
	return found


def retention() -> list[dict]:
	return [
		{
			"rule": rule.rule_name,
			"record_type": _(rule.record_type),
			"trigger": _(rule.trigger),
			"period_months": rule.period_months,
			"action": _(rule.action),
			"enabled": "Ναι" if rule.enabled else "Όχι",
			"legal_basis": rule.legal_basis,
		}
		for rule in frappe.get_all("Retention Rule", fields=["*"], order_by="rule_name")
	]


def build() -> dict:
	settings = frappe.get_single("Record of Processing")
	return {
		"controller": settings.controller or "",
		"controller_contact": settings.controller_contact or "",
		"dpo_contact": settings.dpo_contact or "",
		"generated_on": now_datetime(),
		"purposes": purposes(),
		"subjects": SUBJECTS,
		"categories": data_categories(),
		"recipients": recipients(),
		"transfers": TRANSFERS,
		"retention": retention(),
		"security": SECURITY_MEASURES,
	}


def render(record: dict | None = None) -> str:
	return frappe.render_template(TEMPLATE, {"record": record or build()})


# The .xlsx
# ---------

SHEETS = (
	(
		"Σκοποί",
		"purposes",
		(("Σκοπός", "purpose"), ("Περιγραφή", "description"), ("Νομική βάση", "legal_basis")),
	),
	(
		"Κατηγορίες δεδομένων",
		"categories",
		(("Κατηγορία", "category"), ("Εγγραφή", "doctype"), ("Πεδία", "fields")),
	),
	(
		"Αποδέκτες",
		"recipients",
		(
			("Αποδέκτης", "recipient"),
			("Είδος φορέα", "kind"),
			("Μέσω", "via"),
			("Πλήθος", "count"),
			("Με προσωπικά στοιχεία", "with_personal_data"),
			("Περίοδος", "period"),
		),
	),
	(
		"Διατήρηση",
		"retention",
		(
			("Κανόνας", "rule"),
			("Εγγραφή", "record_type"),
			("Έναυσμα", "trigger"),
			("Μήνες", "period_months"),
			("Ενέργεια", "action"),
			("Ενεργός", "enabled"),
			("Νομική βάση", "legal_basis"),
		),
	),
)


def _rows(record: dict, key: str) -> list[dict]:
	if key != "categories":
		return record[key]
	return [
		{"category": group["category"], "doctype": item["doctype"], "fields": ", ".join(item["fields"])}
		for group in record["categories"]
		for item in group["records"]
	]


def workbook(record: dict) -> bytes:
	book = Workbook()
	cover = book.active
	cover.title = "Στοιχεία"
	for label, value in (
		("Αρχείο δραστηριοτήτων επεξεργασίας (άρθρο 30 ΓΚΠΔ)", ""),
		("Υπεύθυνος επεξεργασίας", record["controller"]),
		("Στοιχεία επικοινωνίας", record["controller_contact"]),
		("Υπεύθυνος Προστασίας Δεδομένων", record["dpo_contact"]),
		("Κατηγορίες υποκειμένων", "; ".join(record["subjects"])),
		("Διαβιβάσεις", record["transfers"]),
		("Ημερομηνία", format_date(record["generated_on"])),
	):
		cover.append([label, value])
	cover["A1"].font = Font(bold=True, size=14)
	cover.append([])
	cover.append(["Τεχνικά και οργανωτικά μέτρα ασφαλείας"])
	cover.cell(row=cover.max_row, column=1).font = Font(bold=True)
	for measure in record["security"]:
		cover.append([measure])
	cover.column_dimensions["A"].width = 60
	cover.column_dimensions["B"].width = 80
	for title, key, columns in SHEETS:
		sheet = book.create_sheet(title)
		sheet.append([label for label, _field in columns])
		for cell in sheet[1]:
			cell.font = Font(bold=True)
		for row in _rows(record, key):
			sheet.append([row.get(field) for _label, field in columns])
		sheet.freeze_panes = "A2"
		for index, _column in enumerate(columns):
			letter = sheet.cell(row=1, column=index + 1).column_letter
			sheet.column_dimensions[letter].width = 40
			for cell in sheet[letter]:
				cell.alignment = Alignment(wrap_text=True, vertical="top")
	stream = io.BytesIO()
	book.save(stream)
	return stream.getvalue()


@frappe.whitelist(methods=["GET"])
def download_xlsx() -> None:
	"""The record of processing activities as .xlsx (Data Protection Officer and System Manager)."""
	check_reader()
	frappe.response["filename"] = f"Αρχείο δραστηριοτήτων επεξεργασίας {now_datetime():%Y-%m-%d}.xlsx"
	frappe.response["filecontent"] = workbook(build())
	frappe.response["type"] = "binary"
