"""The permission matrix, role by role, DocType by DocType and action by action, checked as real users.

The expected matrix below is the specification; the DocType JSON files are the implementation.
"""

import frappe
import pytest

MASTERS = [
	"Vulnerable Group", "Consent Purpose", "Identity Document Type", "Professional Title", "Request Category",
	"Closure Reason", "Referral Outcome Reason", "Service", "Partner Organisation Type", "Partner Organisation",
	"Welfare Programme",
]  # fmt: skip
USERS = [
	"receptionist_a",
	"social_worker_a",
	"psychologist_a",
	"counsellor_a",
	"mediator_branch",
	"coordinator_a",
	"director",
	"dpo",
	"it",
]
PROFESSIONALS = ["social_worker_a", "psychologist_a", "counsellor_a", "mediator_branch"]
STAFF = ["receptionist_a", *PROFESSIONALS]


def grants(read=(), write=(), create=(), delete=()):
	return {"read": set(read), "write": set(write), "create": set(create), "delete": set(delete)}


EVERYONE = set(USERS)
EXPECTED = {
	**{
		m: grants(read=EVERYONE, write={"coordinator_a", "it"}, create={"coordinator_a", "it"}, delete={"it"})
		for m in MASTERS
	},
	"Community Centre": grants(read=EVERYONE, write={"coordinator_a", "it"}, create={"it"}, delete={"it"}),
	**{
		dt: grants(
			read=EVERYONE,
			write={*STAFF, "coordinator_a", "it"},
			create={*STAFF, "coordinator_a", "it"},
			delete={"coordinator_a", "it"},
		)
		for dt in ("Beneficiary", "Household", "Consent")
	},
	**{
		dt: grants(
			read={*STAFF, "coordinator_a", "director", "dpo", "it"},
			write={*STAFF, "coordinator_a", "it"},
			create={*STAFF, "coordinator_a", "it"},
			delete={"coordinator_a", "it"},
		)
		for dt in ("Front Desk Visit", "Programme Application")
	},
	"Case": grants(
		read={*PROFESSIONALS, "coordinator_a", "director", "dpo", "it"},
		write={*PROFESSIONALS, "coordinator_a", "it"},
		create={*PROFESSIONALS, "coordinator_a", "it"},
		delete={"coordinator_a", "it"},
	),
	**{
		dt: grants(
			read={*PROFESSIONALS, "coordinator_a", "director", "dpo", "it"},
			write={*PROFESSIONALS, "coordinator_a", "it"},
			create={*PROFESSIONALS, "coordinator_a", "it"},
			delete={"coordinator_a", "it"},
		)
		for dt in ("Service Delivery", "Referral")
	},
	"Group Activity": grants(
		read={*STAFF, "coordinator_a", "director", "dpo", "it"},
		write={*PROFESSIONALS, "coordinator_a", "it"},
		create={*PROFESSIONALS, "coordinator_a", "it"},
		delete={"coordinator_a", "it"},
	),
}
CASES = [
	(dt, ptype, key) for dt in EXPECTED for ptype in ("read", "write", "create", "delete") for key in USERS
]


@pytest.mark.parametrize("doctype, ptype, user_key", CASES)
def test_permission_matrix(two_centres, doctype, ptype, user_key):
	user = two_centres.users[user_key]
	allowed = frappe.has_permission(doctype, ptype, user=user)
	assert allowed == (user_key in EXPECTED[doctype][ptype]), f"{user_key} {ptype} {doctype}"


def test_no_doctype_of_the_app_is_submittable():
	submittable = frappe.get_all(
		"DocType",
		filters={"module": ("in", ["Registry", "Directory", "Casework"]), "is_submittable": 1},
		pluck="name",
	)
	assert submittable == []


@pytest.mark.parametrize(
	"doctype, level, readers",
	[
		("Beneficiary", 1, {"social_worker_a", "psychologist_a", "mediator_branch", "coordinator_a"}),
		("Case", 1, {"social_worker_a", "psychologist_a", "mediator_branch", "coordinator_a"}),
		("Service Delivery", 2, {"psychologist_a"}),
		("Beneficiary", 3, {"dpo"}),  # the restriction of processing (Art. 18)
	],
)
def test_sensitive_fields_reach_only_the_right_roles(two_centres, doctype, level, readers):
	meta = frappe.get_meta(doctype)
	assert [f.fieldname for f in meta.fields if f.permlevel == level], "the DocType has fields at this level"
	for key in USERS:
		if key == "it":
			continue
		frappe.set_user(two_centres.users[key])
		can_read = level in meta.get_permlevel_access("read")
		assert can_read == (key in readers), f"{key} level {level} of {doctype}"
	frappe.set_user("Administrator")


def test_every_doctype_tracks_changes_and_people_and_cases_track_views():
	doctypes = frappe.get_all(
		"DocType",
		filters={"module": ("in", ["Registry", "Directory", "Casework"]), "istable": 0},
		fields=["name", "track_changes", "track_views"],
	)
	assert all(d.track_changes for d in doctypes), [d.name for d in doctypes if not d.track_changes]
	views = {d.name for d in doctypes if d.track_views}
	assert {"Beneficiary", "Case"} <= views


def test_role_profiles_give_one_profile_per_job():
	profiles = {
		p.name: {r.role for r in frappe.get_doc("Role Profile", p.name).roles}
		for p in frappe.get_all("Role Profile")
	}
	assert profiles["Υπάλληλος Υποδοχής"] == {"Receptionist"}
	assert "Coordinator" in profiles["Συντονιστής Κέντρου"]
	assert profiles["Υπεύθυνος Προστασίας Δεδομένων"] == {"Data Protection Officer"}
