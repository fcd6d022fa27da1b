"""Sites installed before the lists' ordering indexes existed: add them (a migration only runs
`on_doctype_update` when the DocType itself changes)."""

from kentro_koinotitas.casework.doctype.case import case
from kentro_koinotitas.registry.doctype.beneficiary import beneficiary


def execute():
	beneficiary.on_doctype_update()
	case.on_doctype_update()
