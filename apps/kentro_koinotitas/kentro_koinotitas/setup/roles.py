"""The centre's roles and the Role Profiles a new staff user is given (one profile per job)."""

import frappe

RECEPTIONIST = "Receptionist"
SOCIAL_WORKER = "Social Worker"
PSYCHOLOGIST = "Psychologist"
EMPLOYMENT_COUNSELLOR = "Employment Counsellor"
MEDIATOR_PEDAGOGUE = "Mediator and Pedagogue"
COORDINATOR = "Coordinator"
DIRECTOR = "Social Services Director"
DATA_PROTECTION_OFFICER = "Data Protection Officer"
# A partner organisation's website user (no desk): answers the referrals addressed to its organisation
PARTNER = "Partner"

PROFESSIONALS = (SOCIAL_WORKER, PSYCHOLOGIST, EMPLOYMENT_COUNSELLOR, MEDIATOR_PEDAGOGUE)

# Role Profile (as staff see it, in Greek) -> roles
ROLE_PROFILES = {
	"Υπάλληλος Υποδοχής": [RECEPTIONIST],
	"Κοινωνικός Λειτουργός": [SOCIAL_WORKER],
	"Ψυχολόγος": [PSYCHOLOGIST],
	"Σύμβουλος Απασχόλησης": [EMPLOYMENT_COUNSELLOR],
	"Διαμεσολαβητής - Παιδαγωγός": [MEDIATOR_PEDAGOGUE],
	"Συντονιστής Κέντρου": [COORDINATOR, SOCIAL_WORKER],
	"Διευθυντής Κοινωνικών Υπηρεσιών": [DIRECTOR],
	"Υπεύθυνος Προστασίας Δεδομένων": [DATA_PROTECTION_OFFICER],
}


def install_roles() -> None:
	"""Create the roles and role profiles that are missing; profiles edited by IT are left as they are."""
	for role in (RECEPTIONIST, *PROFESSIONALS, COORDINATOR, DIRECTOR, DATA_PROTECTION_OFFICER):
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)
	if not frappe.db.exists("Role", PARTNER):
		frappe.get_doc({"doctype": "Role", "role_name": PARTNER, "desk_access": 0}).insert(
			ignore_permissions=True
		)
	elif frappe.db.get_value("Role", PARTNER, "desk_access"):
		# Frappe creates the roles a DocType's permissions name, with desk access, when it syncs the
		# DocType on install (Referral names Partner): a partner never gets the desk
		role = frappe.get_doc("Role", PARTNER)
		role.desk_access = 0
		role.save(ignore_permissions=True)
	for profile, roles in ROLE_PROFILES.items():
		if not frappe.db.exists("Role Profile", profile):
			frappe.get_doc(
				{"doctype": "Role Profile", "role_profile": profile, "roles": [{"role": r} for r in roles]}
			).insert(ignore_permissions=True)
