"""The Case workflow's «Submit Action Plan» is offered to a coordinator only on a case they opened or handle
(setup/workflows.py, WORKER_STEP_CONDITION): add the condition to sites installed before, unless IT gave
those transitions a condition of its own."""

import frappe

from kentro_koinotitas.setup.workflows import WORKER_STEP_CONDITION


def execute():
	frappe.db.sql(
		"""UPDATE `tabWorkflow Transition` SET `condition` = %s
		WHERE parent = 'Case Workflow' AND action = 'Submit Action Plan'
		AND (`condition` IS NULL OR `condition` = '')""",
		WORKER_STEP_CONDITION,
	)
	frappe.clear_document_cache("Workflow", "Case Workflow")
	frappe.clear_cache(doctype="Case")
