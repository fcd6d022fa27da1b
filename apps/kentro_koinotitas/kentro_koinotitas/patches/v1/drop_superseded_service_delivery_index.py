"""Sites installed before the covering index existed: add it (a migration only runs `on_doctype_update`
when the DocType itself changes) and drop the index it replaces. MariaDB otherwise keeps choosing the
narrower `(centre, delivery_datetime)` index for the indicator reports and reads every row."""

import frappe

from kentro_koinotitas.casework.doctype.service_delivery.service_delivery import on_doctype_update

SUPERSEDED = "centre_delivery_datetime_index"


def execute():
	on_doctype_update()
	if frappe.db.has_index("tabService Delivery", SUPERSEDED):
		frappe.db.sql_ddl(f"alter table `tabService Delivery` drop index `{SUPERSEDED}`")
