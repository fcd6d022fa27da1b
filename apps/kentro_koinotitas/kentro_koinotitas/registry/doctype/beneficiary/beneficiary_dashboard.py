from frappe import _


def get_data():
	"""Connections shown on the Beneficiary form: the person's whole history at the centre."""
	return {
		"fieldname": "beneficiary",
		"non_standard_fieldnames": {"Household": "head_of_household"},
		"transactions": [
			{"label": _("Casework"), "items": ["Case", "Service Delivery", "Referral"]},
			{"label": _("Programmes"), "items": ["Programme Application"]},
			{"label": _("Front Desk and Consent"), "items": ["Front Desk Visit", "Consent", "Household"]},
		],
	}
