"""The date of birth an anonymised record keeps: the year of birth, the day and month replaced by 1 July,
moved just as far towards the real date as needed for the person to fall in the same ESF+ age band on
every date a report counts their age on. Every indicator and ESF+ report for past periods therefore
gives the same numbers, without the exact date of birth (a strong identifier) staying in the registry.

The dates a report counts ages on (reporting/): the registration date (new beneficiaries), the opening
date of each case (ESF+ entry) and the last day of every month, quarter and year in which the person
received a service or had a case opened (active beneficiaries)."""

import datetime

import frappe
from frappe.utils import add_days, getdate

from kentro_koinotitas.reporting.esf import age_band
from kentro_koinotitas.reporting.periods import PERIODICITIES, period_end, period_key


def coarse_birth_date(beneficiary: str, date_of_birth) -> datetime.date | None:
	if not date_of_birth:
		return None
	born = getdate(date_of_birth)
	dates = evaluation_dates(beneficiary)
	bands = {on: age_band(born, on) for on in dates}
	candidate = datetime.date(born.year, 7, 1)
	step = 1 if candidate < born else -1
	while candidate != born and any(age_band(candidate, on) != band for on, band in bands.items()):
		candidate = add_days(candidate, step)
	return candidate


def evaluation_dates(beneficiary: str) -> set[datetime.date]:
	registered = frappe.db.get_value("Beneficiary", beneficiary, "registration_date")
	opened = frappe.get_all("Case", filters={"beneficiary": beneficiary}, pluck="opened_on")
	served = frappe.db.sql(
		"""select date(sd.delivery_datetime) from `tabService Delivery` sd
		where sd.beneficiary = %(person)s
		union
		select date(sd.delivery_datetime) from `tabService Delivery Participant` p
		join `tabService Delivery` sd on sd.name = p.parent
		where p.parenttype = 'Service Delivery' and p.beneficiary = %(person)s""",
		{"person": beneficiary},
		pluck=True,
	)
	dates = {getdate(d) for d in (registered, *opened) if d}
	for day in {getdate(d) for d in (*opened, *served) if d}:
		dates |= {period_end(period_key(day, p), p) for p in PERIODICITIES}
	return dates
