from frappe import _


def get_data():
	return {
		"fieldname": "case",
		"transactions": [
			{
				"label": _("Work on the case"),
				"items": ["Service Delivery", "Referral", "Programme Application"],
			},
		],
	}
