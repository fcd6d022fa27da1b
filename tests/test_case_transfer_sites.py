"""A case transferred to another municipality: exported from this site (over HTTP, by centre A's
coordinator) as a signed, encrypted package, and imported on a second site of the bench (another data
controller) by its coordinator after the person's consent is recorded there. A changed package, a package
opened with another municipality's key and a package that fails half-way are refused, leaving nothing.

The second site is `<test site's first label>b.localhost` (h6.localhost -> h6b.localhost), created and
migrated by `./kentro` itself the first time (as the test site is) and kept between runs."""

import json
import os
import secrets

import frappe
import pytest
from kentro_koinotitas.casework import transfer_package

from tests.operating import KENTRO, ROOT, on_site, run
from tests.test_case_transfer import CREATED, login, messages, person_with_case, world  # noqa: F401

SITE = os.environ.get("KENTRO_TEST_SITE", "test.localhost")
SECOND = f"{SITE.split('.', 1)[0]}b.localhost"

# Runs on the second site: its centre, coordinator and partner municipalities (one with the shared key,
# one with another key), then the steps of the import, each as the coordinator; its last line is JSON.
RECEIVER = r"""
import json, sys
import frappe
from frappe.model.workflow import apply_workflow
site, args = sys.argv[1], json.loads(sys.argv[2])
frappe.init(site=site); frappe.connect()
frappe.local.lang = "el"
out = {}
def setup():
	centre = "ΚΚ Υποδοχής " + args["tag"]
	frappe.get_doc({"doctype": "User", "email": args["user"], "first_name": "Συντονίστρια Βήτα",
		"send_welcome_email": 0, "roles": [{"role": "Coordinator"}, {"role": "Social Worker"}]}).insert(ignore_permissions=True)
	frappe.get_doc({"doctype": "Community Centre", "centre_name": centre, "municipality": "Δήμος Βήτα",
		"centre_type": "Main centre", "is_group": 1, "staff": [{"user": args["user"], "include_branches": 1}]}).insert(ignore_permissions=True)
	for name, key in ((args["sender"], args["key"]), (args["other"], args["other_key"])):
		frappe.get_doc({"doctype": "Partner Municipality", "municipality_name": name, "transfer_key": key}).insert(ignore_permissions=True)
	frappe.db.commit()
	return centre
def attempt(label, package, municipality):
	try:
		doc = frappe.get_doc({"doctype": "Incoming Case Transfer", "to_centre": out["centre"],
			"from_municipality": municipality, "package": package}).insert()
		frappe.db.commit()
		out[label] = {"name": doc.name, "summary": doc.summary, "beneficiary_name": doc.beneficiary_name,
			"reason": doc.reason, "status": doc.status}
		return doc
	except Exception as e:
		frappe.db.rollback()
		out[label] = {"error": type(e).__name__, "message": str(e)}
def accept(label, doc):
	try:
		apply_workflow(frappe.get_doc(doc.doctype, doc.name).as_dict(), "Accept Transfer")
		frappe.db.commit()
		out[label] = "accepted"
	except Exception as e:
		frappe.db.rollback()
		out[label] = {"error": type(e).__name__, "message": str(e)}
def people(amka):
	return frappe.get_all("Beneficiary", filters={"amka": amka}, fields=["name", "home_centre", "father_name"])
out["centre"] = setup()
frappe.set_user(args["user"])
attempt("tampered", args["tampered"], args["sender"])
attempt("wrong_key", args["package"], args["other"])
doc = attempt("good", args["package"], args["sender"])
accept("without_consent", doc)
out["people_before"] = people(args["amka"])
# the coordinator records the consent on the form, then accepts
doc = frappe.get_doc(doc.doctype, doc.name)
doc.person_consents, doc.consent_note = 1, "Δήλωση στο κέντρο υποδοχής"
doc.save(); frappe.db.commit()
accept("with_consent", doc)
done = frappe.get_doc(doc.doctype, doc.name)
out["imported"] = {"status": done.status, "beneficiary": done.imported_beneficiary, "case": done.imported_case,
	"decided_by": done.decided_by, "package_kept": bool(done.package)}
out["people_after"] = people(args["amka"])
if done.imported_case:
	case = frappe.get_doc("Case", done.imported_case)
	out["case"] = {"centre": case.centre, "requests": [r.request_category for r in case.requests],
		"descriptions": [r.description for r in case.requests]}
half = attempt("half", args["half_package"], args["sender"])
accept("half_accept", half)
out["half_people"] = people(args["half_amka"])
out["half_status"] = frappe.db.get_value("Incoming Case Transfer", half.name, "status")
frappe.set_user("Administrator")
print(json.dumps(out, default=str, ensure_ascii=False))
"""

# Removes what RECEIVER made (run after the checks, also when they fail)
CLEAN = r"""
import json, sys
import frappe
site, args = sys.argv[1], json.loads(sys.argv[2])
frappe.init(site=site); frappe.connect()
for name in frappe.get_all("Incoming Case Transfer", filters={"from_municipality": args["sender"]}, pluck="name"):
	frappe.delete_doc("Incoming Case Transfer", name, ignore_permissions=True, force=True)
for amka in args["amkas"]:
	for person in frappe.get_all("Beneficiary", filters={"amka": amka}, pluck="name"):
		for case in frappe.get_all("Case", filters={"beneficiary": person}, pluck="name"):
			frappe.delete_doc("Case", case, ignore_permissions=True, force=True)
		frappe.delete_doc("Beneficiary", person, ignore_permissions=True, force=True)
for name in (args["sender"], args["other"]):
	frappe.delete_doc("Partner Municipality", name, ignore_permissions=True, force=True)
frappe.delete_doc("Community Centre", "ΚΚ Υποδοχής " + args["tag"], ignore_permissions=True, force=True)
frappe.delete_doc("User", args["user"], ignore_permissions=True, force=True)
frappe.db.commit()
print("{}")
"""


@pytest.fixture(scope="module")
def second_site():
	"""The second site, made and migrated like the test site (`./kentro` prepares the site named by
	KENTRO_TEST_SITE before anything else; collecting one small test module is all it then runs)."""
	run(
		KENTRO,
		"test",
		"--co",
		"-q",
		"tests/test_translations.py",
		check=False,
		timeout=1800,
		KENTRO_TEST_SITE=SECOND,
	)
	assert (ROOT / "sites" / SECOND / "site_config.json").exists(), f"{SECOND} could not be created"
	return SECOND


def flip(package: str) -> str:
	"""The package with one character of its body changed."""
	middle = len(package) // 2
	return package[:middle] + ("A" if package[middle] != "A" else "B") + package[middle + 1 :]


def test_case_moves_to_another_municipality_only_whole_and_only_with_the_key(http, world, second_site):  # noqa: F811
	tag = secrets.token_hex(3)
	key, other_key = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
	receiver = f"Δήμος Βήτα {tag}"  # as this site names the other
	frappe.set_user("Administrator")
	frappe.get_doc(
		{"doctype": "Partner Municipality", "municipality_name": receiver, "transfer_key": key}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	data = person_with_case(world)
	amka = frappe.db.get_value("Beneficiary", data.person.name, "amka")
	form = {
		"case": data.case.name,
		"partner_municipality": receiver,
		"reason": "Μετακόμιση",
		"person_consents": 1,
	}
	path = "/api/method/kentro_koinotitas.casework.transfer_package.export_case"

	# only a coordinator of the case's centre exports it, and only with the person's agreement
	for user, changes, status in (
		("social_worker_a", {}, 403),
		("coordinator_b", {}, 403),
		("coordinator_a", {"person_consents": 0}, 417),
	):
		response = login(http, world, user).post(path, data={**form, **changes})
		assert response.status_code == status, (user, response.status_code, response.text[:300])
		assert data.canary not in response.text and "package" not in response.json().get("message", {})
	response = login(http, world, "coordinator_a").post(path, data=form)
	assert response.status_code == 200, response.text[:500]
	package = response.json()["message"]["package"]
	assert data.canary not in package and data.person.last_name not in package  # encrypted

	# a package, signed with the right key, that fails half-way: its request category does not exist there
	payload = transfer_package.case_payload(frappe.get_doc("Case", data.case.name), "Δοκιμή")
	half_amka = random_other_amka(amka)
	payload["person"]["amka"] = half_amka
	payload["case"]["requests"] = [{"request_category": f"Ανύπαρκτη {tag}", "status": "Open"}]
	half_package = transfer_package.seal(payload, key, {"to": receiver, "created": "2026-01-01"})

	sender = f"Δήμος Άλφα {tag}"  # as the other site names this one
	args = {
		"tag": tag,
		"user": f"kk-test-{tag}@example.com",
		"sender": sender,
		"other": f"Δήμος Γάμμα {tag}",
		"key": key,
		"other_key": other_key,
		"package": package,
		"tampered": flip(package),
		"half_package": half_package,
		"amka": amka,
		"half_amka": half_amka,
	}
	try:
		out = on_site(second_site, RECEIVER, json.dumps(args))
	finally:
		on_site(second_site, CLEAN, json.dumps({**args, "amkas": [amka, half_amka]}))
		frappe.delete_doc("Partner Municipality", receiver, ignore_permissions=True, force=True)
		frappe.db.commit()

	refused = "δεν ανοίγει με το κλειδί"
	assert out["tampered"]["error"] == "PackageError" and refused in out["tampered"]["message"]
	assert out["wrong_key"]["error"] == "PackageError" and refused in out["wrong_key"]["message"]
	assert out["tampered"]["message"] == out["wrong_key"]["message"]  # one answer for both
	good = out["good"]
	assert good["status"] == "Pending" and "Στέγαση" in good["summary"] and good["reason"] == "Μετακόμιση"
	assert data.canary not in json.dumps(good, ensure_ascii=False)  # the summary alone before acceptance
	assert out["without_consent"]["error"] == "ValidationError"
	assert "συγκατάθεση" in out["without_consent"]["message"]
	assert out["people_before"] == []
	assert out["with_consent"] == "accepted", out["with_consent"]
	assert out["imported"]["status"] == "Accepted" and out["imported"]["decided_by"] == args["user"]
	assert not out["imported"]["package_kept"]  # the package is dropped once decided
	[person] = out["people_after"]
	assert person["name"] == out["imported"]["beneficiary"] and person["home_centre"] == out["centre"]
	assert person["father_name"] == data.canary + "F"
	assert out["case"]["centre"] == out["centre"] and out["case"]["requests"] == ["Στέγαση"]
	assert out["case"]["descriptions"] == [data.canary + "R"]
	# half-way failure: refused, nothing of it left, the transfer still pending
	assert isinstance(out["half_accept"], dict) and out["half_accept"]["error"]
	assert out["half_people"] == [] and out["half_status"] == "Pending"


def random_other_amka(amka: str) -> str:
	from kentro_koinotitas.registry import identity

	while True:
		other = identity.make_amka(
			frappe.utils.add_days("1950-01-01", secrets.randbelow(18000)), "Male", secrets.randbelow(1000)
		)
		if other != amka:
			return other
