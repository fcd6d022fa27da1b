"""Realistic synthetic people for the demo site, tests and benchmarks. Never real people.

Names come from common Greek first names and surnames (with the female surname forms); ΑΜΚΑ and ΑΦΜ
carry valid check digits made by the registry's own identity rules; phones are Greek mobile numbers.
"""

import datetime
import json
import random
from pathlib import Path

from kentro_koinotitas.registry import identity

NAMES = json.loads((Path(__file__).parent / "data" / "names.json").read_text(encoding="utf-8"))

REGISTRY = "Τήρηση στο μητρώο ωφελουμένων"
SHARING = "Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή"
PHOTOS = "Φωτογράφιση σε δράσεις και εκδηλώσεις"
KEA = "Δικαιούχος Ελάχιστου Εγγυημένου Εισοδήματος (ΚΕΑ)"
ROMA = "Ρομά"
EDUCATION = ["ISCED 0-2: Up to lower secondary", "ISCED 3-4: Upper or post-secondary", "ISCED 5-8: Tertiary"]
EMPLOYMENT = ["Employed", "Self-employed", "Unemployed", "Long-term unemployed", "Inactive", "In education"]
COMMON_GROUPS = [
	"Άτομο σε κίνδυνο φτώχειας",
	"Μονογονεϊκή οικογένεια",
	"Ηλικιωμένος που ζει μόνος",
	"Πολύτεκνη οικογένεια",
	"Μακροχρόνια άνεργος",
	"Θύμα ενδοοικογενειακής βίας",
]


class SyntheticPeople:
	"""A deterministic source of synthetic beneficiaries (same seed, same people)."""

	def __init__(self, seed: int = 2026, reference: datetime.date | None = None):
		self.rng = random.Random(seed)
		self.reference = reference or datetime.date.today()
		self.serial = 0
		self.used_amka: set[str] = set()

	def _birth_date(self, min_age: int = 18, max_age: int = 85) -> datetime.date:
		days = self.rng.randint(min_age * 365, max_age * 365)
		return self.reference - datetime.timedelta(days=days)

	def _amka(self, born: datetime.date, gender: str) -> str:
		while True:
			self.serial += 1
			number = identity.make_amka(born, gender, self.serial)
			if number not in self.used_amka:
				self.used_amka.add(number)
				return number

	def mobile(self) -> str:
		return f"+3069{self.rng.randint(3, 9)}{self.rng.randint(0, 9_999_999):07d}"

	def beneficiary(self, centre: str, roma_branch: bool = False) -> dict:
		rng = self.rng
		gender = rng.choice(["Female", "Female", "Male"])
		migrant = not roma_branch and rng.random() < 0.15
		born = self._birth_date()
		if migrant:
			first = rng.choice(NAMES["migrant_female_first" if gender == "Female" else "migrant_male_first"])
			last = rng.choice(NAMES["migrant_surnames"])
		else:
			first = rng.choice(NAMES["female_first" if gender == "Female" else "male_first"])
			last = rng.choice(NAMES["surname_pairs"])[1 if gender == "Female" else 0]
		father = rng.choice(NAMES["male_first"] if not migrant else NAMES["migrant_male_first"])
		mother = rng.choice(NAMES["female_first"] if not migrant else NAMES["migrant_female_first"])
		doc = {
			"doctype": "Beneficiary",
			"first_name": first,
			"last_name": last,
			"father_name": father,
			"mother_name": mother,
			"gender": gender,
			"date_of_birth": born,
			"home_centre": centre,
			"registration_date": self.reference - datetime.timedelta(days=rng.randint(0, 3 * 365)),
			"phone": self.mobile() if rng.random() < 0.85 else None,
			"address_street": rng.choice(NAMES["streets"]),
			"address_number": str(rng.randint(1, 180)),
			"postal_code": f"5{rng.randint(4, 6)}{rng.randint(0, 999):03d}",
			"address_municipality": "Θεσσαλονίκη",
			"address_area": rng.choice(NAMES["areas"]),
			"marital_status": rng.choice(["Single", "Married", "Divorced", "Widowed", "Separated"]),
			"education_level": rng.choice(EDUCATION),
			"employment_status": rng.choice(EMPLOYMENT),
			"vulnerable_groups": [],
			"identity_documents": [],
		}
		if doc["employment_status"] in ("Unemployed", "Long-term unemployed"):
			doc["dypa_registration_number"] = f"{rng.randint(10**9, 10**10 - 1)}"
		if migrant:
			doc.update(
				nationality=rng.choice(["Syria", "Afghanistan", "Iraq", "Pakistan"]),
				mother_tongue=rng.choice(["Αραβικά", "Φαρσί", "Ουρντού"]),
				interpreter_needed=1,
			)
			doc["interpreter_language"] = doc["mother_tongue"]
			kind = rng.choice(["ΠΑΑΥΠΑ", "Δελτίο αιτούντος άσυλο", "Άδεια διαμονής"])
			doc["identity_documents"].append(
				{
					"document_type": kind,
					"document_number": f"{rng.choice('ABKMNX')}{rng.randint(10**6, 10**7 - 1)}",
				}
			)
			doc["vulnerable_groups"].append(
				{
					"vulnerable_group": "Αιτών άσυλο"
					if kind == "Δελτίο αιτούντος άσυλο"
					else "Μετανάστης (πολίτης τρίτης χώρας)"
				}
			)
		elif rng.random() < 0.03:
			doc["no_identity_reason"] = "Άστεγος χωρίς έγγραφα ταυτοποίησης"
			doc["vulnerable_groups"].append({"vulnerable_group": "Άστεγος"})
		else:
			doc["nationality"] = "Greece"
			doc["citizenship"] = "Greece"
			doc["mother_tongue"] = "Ρομανί" if roma_branch and rng.random() < 0.5 else "Ελληνικά"
			doc["amka"] = self._amka(born, gender)
			if rng.random() < 0.7:
				self.serial += 1
				doc["afm"] = identity.make_afm(self.serial * 7919 + rng.randint(0, 7000))
		if roma_branch and rng.random() < 0.9:
			doc["vulnerable_groups"].append({"vulnerable_group": ROMA})
		if rng.random() < 0.35:
			doc["vulnerable_groups"].append({"vulnerable_group": KEA})
		if rng.random() < 0.12:
			doc["vulnerable_groups"].append(
				{
					"vulnerable_group": "Άτομο με αναπηρία (ΑμεΑ)",
					"disability_percentage": rng.choice([50, 67, 80]),
				}
			)
		extra = rng.choice(COMMON_GROUPS)
		if rng.random() < 0.4 and extra not in {g["vulnerable_group"] for g in doc["vulnerable_groups"]}:
			doc["vulnerable_groups"].append({"vulnerable_group": extra})
		return doc

	def consent(self, beneficiary: str, registered_on: datetime.date) -> dict | None:
		rng = self.rng
		if rng.random() > 0.9:
			return None
		purposes = [{"consent_purpose": REGISTRY, "decision": "Given"}]
		purposes.append(
			{"consent_purpose": SHARING, "decision": "Given" if rng.random() < 0.8 else "Refused"}
		)
		purposes.append({"consent_purpose": PHOTOS, "decision": rng.choice(["Given", "Refused"])})
		return {
			"doctype": "Consent",
			"beneficiary": beneficiary,
			"consent_date": registered_on,
			"purposes": purposes,
		}

	def household_members(self, head: dict) -> list[dict]:
		rng = self.rng
		members = []
		if head["marital_status"] == "Married":
			spouse_first = rng.choice(NAMES["male_first" if head["gender"] == "Female" else "female_first"])
			members.append(
				{"member_name": f"{spouse_first} {head['last_name']}", "relationship": "Spouse or partner"}
			)
		for _ in range(rng.randint(0, 3)):
			born = self._birth_date(0, 17)
			members.append(
				{
					"member_name": f"{rng.choice(NAMES['female_first'] + NAMES['male_first'])} {head['last_name']}",
					"relationship": "Child",
					"date_of_birth": born,
				}
			)
		return members


REQUEST_CATEGORIES = [
	"Ενημέρωση για προνοιακά προγράμματα",
	"Αίτηση για Ελάχιστο Εγγυημένο Εισόδημα",
	"Επισιτιστική βοήθεια",
	"Στέγαση",
	"Απασχόληση",
	"Υγεία",
	"Ψυχοκοινωνική στήριξη",
	"Εκπαίδευση και κατάρτιση",
	"Επιδόματα αναπηρίας",
]
INDIVIDUAL_SERVICES = [
	"Ενημέρωση και πληροφόρηση",
	"Υποστήριξη σε αίτηση προνοιακού προγράμματος",
	"Κοινωνική έρευνα και αξιολόγηση αναγκών",
	"Συμβουλευτική απασχόλησης",
	"Ατομική ψυχοκοινωνική υποστήριξη",
	"Οικογενειακή ψυχοκοινωνική υποστήριξη",
	"Κατ' οίκον επίσκεψη",
]
PROGRAMMES = [
	"Ελάχιστο Εγγυημένο Εισόδημα (ΚΕΑ)",
	"Επίδομα στέγασης",
	"Επίδομα παιδιού",
	"ΤΕΒΑ – Επισιτιστική βοήθεια",
	"Κοινωνικό παντοπωλείο",
]
DYPA = "ΔΥΠΑ – Δημόσια Υπηρεσία Απασχόλησης"
PLAN_GOALS = [
	("Εγγραφή στο μητρώο ανέργων της ΔΥΠΑ", "Συνοδεία και συμπλήρωση αίτησης"),
	("Υποβολή αίτησης ΕΕΕ", "Συγκέντρωση δικαιολογητικών"),
	("Ένταξη σε πρόγραμμα κατάρτισης", "Ενημέρωση για προγράμματα ΚΕΚ"),
	("Σταθεροποίηση στέγασης", "Αίτηση για επίδομα στέγασης"),
	("Ψυχοκοινωνική ενδυνάμωση", "Εβδομαδιαίες συνεδρίες"),
]


def _days_ago(people: "SyntheticPeople", low: int, high: int) -> datetime.date:
	return people.reference - datetime.timedelta(days=people.rng.randint(low, high))


def case_for(people: SyntheticPeople, beneficiary: str, professional: str | None = None) -> dict:
	"""A case with requests, a needs assessment, an action plan and follow-ups, opened in the past."""
	rng = people.rng
	opened = _days_ago(people, 20, 700)
	steps = []
	for goal, action in rng.sample(PLAN_GOALS, rng.randint(1, 3)):
		due = opened + datetime.timedelta(days=rng.randint(15, 120))
		steps.append(
			{
				"goal": goal,
				"action": action,
				"responsible": professional,
				"due_date": due,
				"status": "Done" if due < people.reference and rng.random() < 0.6 else "In progress",
			}
		)
	follow_ups = []
	when = opened
	for _ in range(rng.randint(0, 3)):
		when = when + datetime.timedelta(days=rng.randint(7, 40))
		if when >= people.reference:
			break
		follow_ups.append(
			{
				"follow_up_date": when,
				"note": rng.choice(
					[
						"Τηλεφωνική επικοινωνία",
						"Συνάντηση στο Κέντρο",
						"Ενημέρωση για την πορεία του αιτήματος",
					]
				),
				"next_follow_up": when + datetime.timedelta(days=rng.randint(10, 45)),
			}
		)
	closed = rng.random() < 0.3
	return {
		"doctype": "Case",
		"beneficiary": beneficiary,
		"opened_on": opened,
		"channel": rng.choice(["Walk-in", "Walk-in", "Phone", "Referred by agency", "Outreach"]),
		"assigned_to": professional,
		"status": "Closed"
		if closed
		else rng.choice(
			[
				"Open",
				"Assessment",
				"Action Plan Pending Approval",
				"Active",
				"Active",
				"Closure Pending Approval",
			]
		),
		"closure_reason": rng.choice(
			["Επίτευξη στόχων", "Παραπομπή και ανάληψη από άλλο φορέα", "Διακοπή από τον ωφελούμενο"]
		)
		if closed
		else None,
		"requests": [
			{"request_category": c, "status": rng.choice(["Open", "In progress", "Resolved"])}
			for c in rng.sample(REQUEST_CATEGORIES, rng.randint(1, 3))
		],
		"needs_assessment": [
			{"area": a, "rating": rng.choice(["No need", "Low", "Medium", "High", "Urgent"])}
			for a in ("Income", "Housing", "Employment", "Health", "Education", "Family", "Legal")
		],
		"action_plan": steps,
		"follow_ups": follow_ups,
	}


def service_deliveries_for(
	people: SyntheticPeople, case: dict, case_name: str, professional: str | None
) -> list[dict]:
	rng = people.rng
	start = case["opened_on"]
	span = max((people.reference - start).days, 1)
	return [
		{
			"doctype": "Service Delivery",
			"service": rng.choice(INDIVIDUAL_SERVICES),
			"beneficiary": case["beneficiary"],
			"case": case_name,
			"professional": professional,
			"delivery_datetime": datetime.datetime.combine(
				start + datetime.timedelta(days=rng.randint(0, span - 1)),
				datetime.time(rng.randint(8, 14), rng.choice([0, 15, 30, 45])),
			),
			"mode": rng.choice(["In person", "In person", "Phone", "Home visit", "Online"]),
			"notes": "Καταγραφή συνεδρίας (συνθετικά δεδομένα)",
		}
		for _ in range(rng.randint(1, 5))
	]


def application_for(people: SyntheticPeople, case: dict, case_name: str) -> dict:
	rng = people.rng
	submitted = case["opened_on"] + datetime.timedelta(days=rng.randint(1, 15))
	status = rng.choice(["Preparing", "Submitted", "Needs documents", "Approved", "Approved", "Rejected"])
	doc = {
		"doctype": "Programme Application",
		"beneficiary": case["beneficiary"],
		"case": case_name,
		"programme": rng.choice(PROGRAMMES),
		"status": status,
	}
	if status != "Preparing" and submitted < people.reference:
		doc["submitted_on"] = submitted
		doc["external_reference"] = f"{rng.randint(100000, 999999)}"
		if status in ("Approved", "Rejected"):
			doc["decision_date"] = min(
				submitted + datetime.timedelta(days=rng.randint(10, 60)), people.reference
			)
	else:
		doc["status"] = "Preparing"
	return doc


def referral_for(people: SyntheticPeople, case: dict, case_name: str, may_share: bool) -> dict:
	rng = people.rng
	status = rng.choice(["Draft", "Sent", "Acknowledged", "Completed", "Completed"]) if may_share else "Draft"
	doc = {
		"doctype": "Referral",
		"case": case_name,
		"beneficiary": case["beneficiary"],
		"referral_type": "External",
		"partner_organisation": DYPA,
		"reason": "Εγγραφή στο μητρώο ανέργων και ένταξη σε πρόγραμμα απασχόλησης",
		"urgency": rng.choice(["Normal", "Normal", "Urgent"]),
		"status": status,
	}
	if status == "Completed":
		doc["outcome"] = rng.choice(
			["Completed successfully", "Completed successfully", "Completed unsuccessfully"]
		)
		if doc["outcome"] == "Completed unsuccessfully":
			doc["outcome_reason"] = rng.choice(
				["Άρνηση του ωφελούμενου", "Μη επιλέξιμος", "Αδυναμία επικοινωνίας"]
			)
	return doc
