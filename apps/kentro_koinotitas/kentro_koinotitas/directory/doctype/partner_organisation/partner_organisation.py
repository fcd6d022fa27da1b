# Copyright (c) 2026, kentro_koinotitas developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class PartnerOrganisation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from kentro_koinotitas.directory.doctype.partner_organisation_contact.partner_organisation_contact import (
			PartnerOrganisationContact,
		)
		from kentro_koinotitas.directory.doctype.partner_organisation_service.partner_organisation_service import (
			PartnerOrganisationService,
		)
		from kentro_koinotitas.registry.doctype.community_centre_opening_hours.community_centre_opening_hours import (
			CommunityCentreOpeningHours,
		)

		accepts_referrals: DF.Check
		active: DF.Check
		address_line: DF.Data | None
		city: DF.Data | None
		contacts: DF.Table[PartnerOrganisationContact]
		cooperation_agreement_date: DF.Date | None
		description: DF.SmallText | None
		email: DF.Data | None
		last_verified_on: DF.Date | None
		level: DF.Literal["Local", "Regional", "National"]
		opening_hours: DF.Table[CommunityCentreOpeningHours]
		organisation_name: DF.Data
		organisation_type: DF.Link
		phone: DF.Data | None
		postal_code: DF.Data | None
		services: DF.Table[PartnerOrganisationService]
		website: DF.Data | None
	# end: auto-generated types
	pass
