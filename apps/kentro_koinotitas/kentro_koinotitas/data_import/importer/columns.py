"""The column vocabulary of a registry file: what each column is called in the template, the other headers
it is recognised by, which columns hold a select option or a list of masters, and the template's example."""

import frappe
from frappe import _
from frappe.utils import cstr

from kentro_koinotitas.registry import identity

LIST_SEPARATOR = ";"
ERROR_COLUMN = "Σφάλματα"

# canonical column -> (Greek header of the template, other headers recognised)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
	"last_name": ("Επώνυμο", ("last name", "surname", "last_name")),
	"first_name": ("Όνομα", ("first name", "first_name", "ονομα")),
	"father_name": ("Πατρώνυμο", ("father name", "father_name", "όνομα πατέρα")),
	"mother_name": ("Μητρώνυμο", ("mother name", "mother_name", "όνομα μητέρας")),
	"gender": ("Φύλο", ("gender", "sex")),
	"date_of_birth": ("Ημερομηνία γέννησης", ("date of birth", "date_of_birth", "ημ. γέννησης", "γέννηση")),
	"amka": ("ΑΜΚΑ", ("amka", "α.μ.κ.α.")),
	"afm": ("ΑΦΜ", ("afm", "vat", "α.φ.μ.")),
	"document_type": ("Τύπος εγγράφου ταυτοποίησης", ("document type", "τύπος εγγράφου")),
	"document_number": ("Αριθμός εγγράφου", ("document number", "αρ. εγγράφου")),
	"no_identity_reason": ("Λόγος έλλειψης εγγράφων", ("no identity reason",)),
	"phone": ("Τηλέφωνο", ("phone", "κινητό", "τηλ.")),
	"email": ("Email", ("e-mail", "ηλεκτρονικό ταχυδρομείο")),
	"address_street": ("Οδός", ("street", "διεύθυνση")),
	"address_number": ("Αριθμός οδού", ("street number", "αριθμός")),
	"postal_code": ("ΤΚ", ("postal code", "ταχυδρομικός κώδικας", "τ.κ.")),
	"address_municipality": ("Δήμος / Πόλη", ("city", "municipality", "δήμος", "πόλη")),
	"marital_status": ("Οικογενειακή κατάσταση", ("marital status",)),
	"education_level": ("Εκπαίδευση", ("education", "επίπεδο εκπαίδευσης")),
	"employment_status": ("Απασχόληση", ("employment", "employment status", "εργασιακή κατάσταση")),
	"registration_date": ("Ημερομηνία καταγραφής", ("registration date", "ημ. καταγραφής")),
	"vulnerable_groups": ("Ευπαθείς ομάδες", ("vulnerable groups",)),
	"household": ("Κωδικός νοικοκυριού", ("household", "νοικοκυριό")),
	"relationship": ("Σχέση με τον/την αρχηγό", ("relationship", "σχέση")),
	"consents": ("Συγκαταθέσεις", ("consents", "συγκατάθεση")),
	"consent_date": ("Ημερομηνία συγκατάθεσης", ("consent date",)),
	"case_opened_on": ("Άνοιγμα φακέλου", ("case opened on", "ημερομηνία ανοίγματος φακέλου")),
	"case_requests": ("Αιτήματα φακέλου", ("case requests", "αίτημα")),
}
# the columns that are not a Beneficiary field, with the label the desk shows for them
OTHER_LABELS = {
	"document_type": "Identity Document Type",
	"document_number": "Document Number",
	"household": "Household Code",
	"relationship": "Relationship to Head",
	"consents": "Consent Purposes",
	"consent_date": "Consent Date",
	"case_opened_on": "Case Opened On",
	"case_requests": "Case Requests",
}
# the Beneficiary fields a column's value is copied into as it is
TEXT_FIELDS = (
	"last_name",
	"first_name",
	"father_name",
	"mother_name",
	"amka",
	"afm",
	"phone",
	"email",
	"address_street",
	"address_number",
	"postal_code",
	"address_municipality",
	"no_identity_reason",
)
SELECT_FIELDS = ("gender", "marital_status", "education_level", "employment_status")
LIST_FIELDS = {
	"vulnerable_groups": "Vulnerable Group",
	"consents": "Consent Purpose",
	"case_requests": "Request Category",
}
EXAMPLE_ROW = {
	"last_name": "Παπαδοπούλου",
	"first_name": "Μαρία",
	"father_name": "Γεώργιος",
	"gender": "Γυναίκα",
	"date_of_birth": "15-03-1984",
	"amka": "(έγκυρος ΑΜΚΑ)",
	"phone": "6912345678",
	"postal_code": "54631",
	"address_municipality": "Θεσσαλονίκη",
	"employment_status": "Άνεργος",
	"registration_date": "10-01-2025",
	"vulnerable_groups": "Μονογονεϊκή οικογένεια",
	"household": "ΝΚ-1",
	"consents": "Τήρηση στο μητρώο ωφελουμένων",
	"case_opened_on": "10-01-2025",
	"case_requests": "Στέγαση",
}


def key(text) -> str:
	"""A header or a value as it is compared: accents, case, underscores and outer spaces ignored."""
	return identity.strip_accents(cstr(text)).strip().lower().replace("_", " ")


def header(column: str) -> str:
	"""The column's header in the template (Greek; the template is Greek for every user)."""
	return COLUMNS[column][0]


def label(column: str) -> str:
	"""The column's label in the user's language: the Beneficiary field's own label where it is one."""
	if column in OTHER_LABELS:
		return _(OTHER_LABELS[column])
	return _(frappe.get_meta("Beneficiary").get_label(column))


def detect_mapping(headers: list[str]) -> dict[str, int]:
	"""Column positions by canonical name, from Greek or English headers (accents and case ignored)."""
	known = {}
	for canonical, (greek, others) in COLUMNS.items():
		for text in (greek, canonical, *others):
			known.setdefault(key(text), canonical)
	mapping: dict[str, int] = {}
	for position, text in enumerate(headers):
		canonical = known.get(key(text))
		if canonical and canonical not in mapping:
			mapping[canonical] = position
	return mapping
