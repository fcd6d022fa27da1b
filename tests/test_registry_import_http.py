"""The Registry Import's state-changing methods over HTTP: refused on GET (a link or an image tag must not
start an import), done on POST."""

import frappe
import pytest
from kentro_koinotitas.registry import identity
from kentro_koinotitas.setup import roles
from kentro_koinotitas.tests.factories import make_centre, next_serial

METHODS = "/api/method/kentro_koinotitas.data_import.doctype.registry_import.registry_import"


@pytest.fixture
def registry_import(make_user):
	"""A coordinator of a centre, and a committed Registry Import of a one-person UTF-8 .csv for it."""
	email, password = make_user([roles.COORDINATOR], first_name="Συντονίστρια Εισαγωγής")
	centre = make_centre(
		f"Κέντρο Εισαγωγής HTTP {frappe.generate_hash(length=5)}",
		staff=[{"user": email, "include_branches": 1}],
	)
	amka = identity.make_amka("1979-04-02", "Female", next_serial() + 7000)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "μητρώο-http.csv",
			"content": f"Επώνυμο,Όνομα,ΑΜΚΑ\nΔοκιμαστική,Ευτυχία,{amka}\n".encode(),
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	doc = frappe.get_doc({"doctype": "Registry Import", "centre": centre, "import_file": file.file_url})
	doc.insert(ignore_permissions=True)
	frappe.db.set_value(
		"File", file.name, {"attached_to_doctype": "Registry Import", "attached_to_name": doc.name}
	)
	frappe.db.commit()
	yield frappe._dict(user=email, password=password, name=doc.name, amka=amka)

	frappe.db.rollback()
	for name in frappe.get_all("Beneficiary", filters={"amka": amka}, pluck="name"):
		frappe.delete_doc("Beneficiary", name, ignore_permissions=True, force=True)
	frappe.delete_doc("Registry Import", doc.name, ignore_permissions=True, force=True)
	frappe.delete_doc("Community Centre", centre, ignore_permissions=True, force=True)
	frappe.db.commit()


def status(name: str) -> str:
	frappe.db.rollback()  # see what the server committed
	return frappe.db.get_value("Registry Import", name, "status")


@pytest.mark.parametrize("method", ["validate_rows", "start_import"])
def test_state_changing_methods_refuse_get(http, registry_import, method):
	http.login(registry_import.user, registry_import.password)
	response = http.get(f"{METHODS}.{method}", params={"name": registry_import.name})
	assert response.status_code == 403, response.text[:300]
	assert status(registry_import.name) == "Draft"
	assert not frappe.db.exists("Beneficiary", {"amka": registry_import.amka})


def test_validate_and_import_work_over_post(http, registry_import):
	http.login(registry_import.user, registry_import.password)
	response = http.post(f"{METHODS}.validate_rows", data={"name": registry_import.name})
	assert response.status_code == 200, response.text[:300]
	assert status(registry_import.name) == "Validated"
	assert not frappe.db.exists("Beneficiary", {"amka": registry_import.amka})

	response = http.post(f"{METHODS}.start_import", data={"name": registry_import.name})
	assert response.status_code == 200, response.text[:300]
	assert response.json()["message"] == "done"
	assert status(registry_import.name) == "Completed"
	assert frappe.db.get_value("Beneficiary", {"amka": registry_import.amka}, "first_name") == "Ευτυχία"
