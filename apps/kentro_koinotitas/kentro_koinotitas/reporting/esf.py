"""ESF+ participant data (Reg. (EU) 2021/1057, Annex I): the common indicators and how a beneficiary's
record maps onto them. Used by the ESF+ entry/exit sheet and the ESF+ Participants report."""

import datetime

import frappe
from frappe.utils import getdate

AGE_BANDS = ("<18", "18-29", "30-54", "55+")
GENDERS = ("Female", "Male", "Non-binary")

EMPLOYED = ("Employed", "Self-employed")
UNEMPLOYED = ("Unemployed", "Long-term unemployed")
INACTIVE = ("Inactive", "In education")

# Vulnerable Group.esf_category → indicator code
CATEGORY_CODES = {
	"Disability": "EECO12",
	"Third-country national": "EECO13",
	"Foreign background": "EECO14",
	"Minority (including Roma)": "EECO15",
	"Homeless or housing exclusion": "EECO16",
	"Rural area": "EECO17",
}

# (code, label, test on a participant row) for the common output indicators, in Annex I order
OUTPUT_INDICATORS = (
	("EECO01", "Unemployed, including long-term unemployed", lambda p: p.employment_status in UNEMPLOYED),
	("EECO02", "Long-term unemployed participants", lambda p: p.employment_status == "Long-term unemployed"),
	("EECO03", "Inactive participants", lambda p: p.employment_status in INACTIVE),
	("EECO04", "Employed, including self-employed", lambda p: p.employment_status in EMPLOYED),
	("EECO05", "Children below 18 years of age", lambda p: p.age_band == "<18"),
	("EECO06", "Young people between 18 and 29 years of age", lambda p: p.age_band == "18-29"),
	("EECO07", "Participants aged 55 and above", lambda p: p.age_band == "55+"),
	("EECO08", "With lower secondary education or less (ISCED 0-2)", lambda p: _isced(p, "0-2")),
	("EECO09", "With upper secondary or post-secondary education (ISCED 3-4)", lambda p: _isced(p, "3-4")),
	("EECO10", "With tertiary education (ISCED 5-8)", lambda p: _isced(p, "5-8")),
	("EECO11", "Total number of participants", lambda p: True),
	("EECO12", "Participants with disabilities", lambda p: "EECO12" in p.categories),
	("EECO13", "Third-country nationals", lambda p: "EECO13" in p.categories),
	("EECO14", "Participants with a foreign background", lambda p: "EECO14" in p.categories),
	(
		"EECO15",
		"Minorities (including marginalised communities such as Roma)",
		lambda p: "EECO15" in p.categories,
	),
	("EECO16", "Homeless or affected by housing exclusion", lambda p: "EECO16" in p.categories),
	("EECO17", "Participants from rural areas", lambda p: "EECO17" in p.categories),
)

# (code, label, Case field) for the common result indicators
RESULT_INDICATORS = (
	("EECR01", "Participants engaged in job searching upon leaving", "esf_exit_job_searching"),
	("EECR02", "Participants in education or training upon leaving", "esf_exit_in_education"),
	("EECR03", "Participants gaining a qualification upon leaving", "esf_exit_qualification"),
	("EECR04", "Participants in employment, including self-employment, upon leaving", "esf_exit_employed"),
	("EECR05", "Participants in employment six months after leaving", "esf_six_month_employed"),
)


def _isced(participant, levels: str) -> bool:
	return (participant.education_level or "").startswith(f"ISCED {levels}")


def age_on(date_of_birth, on) -> int | None:
	if not date_of_birth:
		return None
	born, on = getdate(date_of_birth), getdate(on)
	return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(date_of_birth, on) -> str | None:
	age = age_on(date_of_birth, on)
	if age is None:
		return None
	if age < 18:
		return "<18"
	if age <= 29:
		return "18-29"
	if age <= 54:
		return "30-54"
	return "55+"


def age_band_sql(date_of_birth: str, on: str) -> str:
	"""SQL for `age_band` (NULL without a birth date): whole years, as `age_on` counts them."""
	age = f"timestampdiff(year, {date_of_birth}, {on})"
	return (
		f"case when {date_of_birth} is null then null when {age} < 18 then '<18' "
		f"when {age} <= 29 then '18-29' when {age} <= 54 then '30-54' else '55+' end"
	)


def beneficiary_categories(beneficiaries: list[str]) -> dict[str, set[str]]:
	"""Per beneficiary, the ESF+ disadvantage codes (EECO12–17) their vulnerable groups map to."""
	if not beneficiaries:
		return {}
	rows = frappe.db.sql(
		"""select bvg.parent, vg.esf_category
		from `tabBeneficiary Vulnerable Group` bvg
		join `tabVulnerable Group` vg on vg.name = bvg.vulnerable_group
		where bvg.parenttype = 'Beneficiary' and bvg.parent in %(names)s and ifnull(vg.esf_category, '') != ''""",
		{"names": tuple(beneficiaries)},
	)
	categories: dict[str, set[str]] = {}
	for parent, category in rows:
		if code := CATEGORY_CODES.get(category):
			categories.setdefault(parent, set()).add(code)
	return categories


def participant(beneficiary: dict, entry_date: datetime.date, categories: set[str]) -> frappe._dict:
	"""One participant's entry data, as the indicators read it."""
	return frappe._dict(
		beneficiary=beneficiary["name"],
		gender=beneficiary.get("gender") or "",
		age_band=age_band(beneficiary.get("date_of_birth"), entry_date),
		employment_status=beneficiary.get("employment_status") or "",
		education_level=beneficiary.get("education_level") or "",
		categories=categories,
	)
