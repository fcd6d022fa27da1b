"""Referrals in over HTTP, without a login: an agency refers a person to centre A from `/refer`; the
referral lands in centre A's front desk queue (and nowhere else); the agency follows it from its status
link. The human check (a signed sum, a minimum time, one use, a honeypot), the rate limits and the status
link's resistance to guessing are each tested."""

import re
import secrets
import time

import frappe
import pytest
from kentro_koinotitas.casework import public_form, referrals_in

from tests.test_case_transfer import login, world  # noqa: F401


def solved(age: int = 10) -> dict:
	"""A challenge answered correctly, as if the form had been open for `age` seconds."""
	issued, nonce = int(time.time()) - age, secrets.token_urlsafe(12)
	return {"challenge": f"{issued}.{nonce}.{public_form._mac(issued, nonce, 9)}", "answer": "9"}


def form(w, **changes) -> dict:
	return {
		"centre": w.centre_a,
		"request_category": "Στέγαση",
		"agency_name": "Γυμνάσιο Δοκιμών",
		"agency_contact": "Μαρία Καθηγήτρια",
		"agency_phone": "2101234567",
		"agency_email": "",
		"person_first_name": "Σταύρος",
		"person_last_name": f"Παραπεμπόμενος{secrets.token_hex(3)}",
		"person_phone": "6912345678",
		"reason": "Η οικογένεια χρειάζεται στήριξη για στέγαση",
		"person_agreed": "1",
		**solved(),
		**changes,
	}


@pytest.fixture
def guest(http):
	http.cookies.clear()
	http.headers["Accept"] = "text/html"
	frappe.cache.delete_keys("rl:")
	yield http
	frappe.cache.delete_keys("rl:")


def created(last_name: str) -> list:
	frappe.db.rollback()
	return frappe.get_all("Inbound Referral", filters={"person_last_name": last_name}, pluck="name")


def test_the_form_is_greek_labelled_and_asks_a_sum(guest):
	page = guest.get("/refer")
	assert page.status_code == 200
	assert '<html lang="el">' in page.text and 'name="viewport"' in page.text
	for field in ("centre", "request_category", "agency_name", "person_first_name", "person_phone", "answer"):
		assert f'<label for="{field}">' in page.text, field
	assert re.search(r"Πόσο κάνει \d \+ \d;", page.text)


def test_submission_lands_in_the_receiving_centres_queue_and_gives_a_status_link(guest, world, http):  # noqa: F811
	values = form(world)
	page = guest.post("/refer", data=values)
	assert page.status_code == 200, page.text[:500]
	link = re.search(r'href="(https?://[^"]+/refer/([A-Za-z0-9_-]+))"', page.text)
	assert link, page.text[:1000]
	token = link.group(2)
	assert len(token) >= 32  # 24 random bytes

	[name] = created(values["person_last_name"])
	referral = frappe.get_doc("Inbound Referral", name)
	assert referral.centre == world.centre_a and referral.status == "Received"
	assert referral.token_hash == referrals_in.hash_token(token) and token not in referral.as_json()
	visit = frappe.get_doc("Front Desk Visit", referral.front_desk_visit)
	assert visit.centre == world.centre_a and visit.channel == "Referred by agency"
	assert visit.visitor_phone == "+306912345678" and "Γυμνάσιο Δοκιμών" in visit.notes

	status = guest.get(f"/refer/{token}")
	assert status.status_code == 200 and name in status.text
	assert "παραλήφθηκε" in status.text and values["person_last_name"] not in status.text

	# centre A's front desk sees it in its queue; centre B's staff do not, by any list
	login(http, world, "receptionist_a")
	queue = http.get(
		"/api/resource/Front Desk Visit", params={"filters": '[["channel", "=", "Referred by agency"]]'}
	)
	assert visit.name in queue.text
	assert http.get(f"/api/resource/Inbound Referral/{name}").status_code == 200
	assert "token_hash" not in http.get(f"/api/resource/Inbound Referral/{name}").json()["data"]
	login(http, world, "coordinator_b")
	assert visit.name not in http.get("/api/resource/Front Desk Visit").text
	assert name not in http.get("/api/resource/Inbound Referral").text
	assert http.get(f"/api/resource/Inbound Referral/{name}").status_code in (403, 404)

	# once the centre opens a case, the agency's link says so
	frappe.db.set_value("Front Desk Visit", visit.name, "case", world.case_a.name)
	frappe.db.commit()
	http.cookies.clear()
	assert "άνοιξε φάκελο" in guest.get(f"/refer/{token}").text
	frappe.db.set_value("Front Desk Visit", visit.name, "case", None)
	frappe.db.commit()


@pytest.mark.parametrize(
	"changes",
	[
		lambda: {"answer": "8"},  # wrong sum
		lambda: solved(age=0),  # posted as soon as the page was made: a script
		lambda: {"challenge": "1.abc.def", "answer": "9"},  # forged
		lambda: {"website": "https://spam.example"},  # the honeypot filled in
	],
	ids=["wrong-sum", "too-fast", "forged", "honeypot"],
)
def test_a_failed_human_check_saves_nothing(guest, world, changes):  # noqa: F811
	changes = changes()
	values = form(world, **changes)
	page = guest.post("/refer", data=values)
	assert page.status_code == 200 and "ερώτηση ελέγχου" in page.text
	assert created(values["person_last_name"]) == []


def test_a_challenge_answers_once_and_bad_input_gets_a_greek_message(guest, world):  # noqa: F811
	values = form(world)
	assert "/refer/" in guest.post("/refer", data=values).text
	again = form(world, challenge=values["challenge"], answer="9")
	assert "ερώτηση ελέγχου" in guest.post("/refer", data=again).text
	assert created(again["person_last_name"]) == []
	for changes, message in (
		({"person_agreed": ""}, "συμφωνεί"),
		({"centre": "Κέντρο που δεν υπάρχει"}, "Επιλέξτε το Κέντρο"),
		({"person_phone": "12"}, "τηλεφώνου δεν είναι έγκυρος"),
	):
		values = form(world, **changes)
		page = guest.post("/refer", data=values)
		assert message in page.text, changes
		assert created(values["person_last_name"]) == []


def test_status_links_cannot_be_told_apart_from_guesses(guest):
	answers = [guest.get(f"/refer/{secrets.token_urlsafe(24)}") for _ in range(3)]
	answers.append(guest.get("/refer/x"))
	assert {a.status_code for a in answers} == {404}
	assert len({a.text for a in answers}) == 1  # the same page, whatever was guessed


def test_rate_limits(guest, world):  # noqa: F811
	limit, _window = public_form.DEFAULT_LIMITS["refer"]
	codes = [guest.post("/refer", data=form(world, answer="0")).status_code for _ in range(limit + 1)]
	assert codes[:limit] == [200] * limit and codes[limit] == 429
	limit, _window = public_form.DEFAULT_LIMITS["refer-status"]
	codes = [guest.get(f"/refer/{secrets.token_urlsafe(24)}").status_code for _ in range(limit + 1)]
	assert codes == [404] * limit + [429], (codes, frappe.cache.get_keys("rl:"))
