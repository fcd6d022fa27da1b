"""Sites installed before the indexes that keep lists and reports fast at a million people: add them (a
migration only runs `on_doctype_update` when the DocType itself changes) and drop the Referral index the
wider one replaces."""

import frappe

from kentro_koinotitas.casework.doctype.case import case
from kentro_koinotitas.casework.doctype.case_request import case_request
from kentro_koinotitas.casework.doctype.referral import referral
from kentro_koinotitas.registry.doctype.beneficiary import beneficiary

SUPERSEDED = ("tabReferral", "from_centre_sent_on_index")


def execute():
	beneficiary.on_doctype_update()
	case.on_doctype_update()
	referral.on_doctype_update()
	case_request.on_doctype_update()
	table, index = SUPERSEDED
	if frappe.db.has_index(table, index):
		frappe.db.sql_ddl(f"alter table `{table}` drop index `{index}`")
