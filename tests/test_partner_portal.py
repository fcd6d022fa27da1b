"""The partner portal over HTTP (issue 15): a partner organisation answers a referral from its link without
an account, or from a partner login, and gets nothing more than the person's consent allows. Against the
real gunicorn of the test site, with committed records."""

import re
import secrets
import time

import frappe
import pytest
from kentro_koinotitas.access import audit
from kentro_koinotitas.access.partners import LINK_USER, token_hash
from kentro_koinotitas.partners import portal, tokens
from kentro_koinotitas.partners.testing import ensure_email_account, make_partner, send, tokens_emailed
from kentro_koinotitas.registry import identity
from kentro_koinotitas.setup.roles import PARTNER

from tests.conftest import SiteSession

SHARING = "Κοινοποίηση στοιχείων σε συνεργαζόμενους φορείς για παραπομπή"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


RATE_KEY = "rl:None:127.0.0.1:partner-portal"  # Frappe's rate_limit key: the page, the IP, the scope


def reset_rate_limit() -> None:
	frappe.cache.delete_value(RATE_KEY)


@pytest.fixture(scope="module")
def portal_world(two_centres, make_user):
	"""Two partner organisations, a partner user of the first, and a helper that sends a referral of
	centre A's person (from its social worker) to one of them."""
	w = two_centres
	frappe.set_user("Administrator")
	frappe.flags.in_test = True
	ensure_email_account()
	w.partner = make_partner(f"Φορέας Πύλης {w.tag}", email=f"intake-{w.tag}@example.org")
	w.other_partner = make_partner(f"Άλλος Φορέας Πύλης {w.tag}", email=None)
	w.partner_user, w.partner_password = make_user([PARTNER], first_name="Υπάλληλος Φορέα")
	org = frappe.get_doc("Partner Organisation", w.partner)
	org.append(
		"contacts", {"contact_name": "Υποδοχή", "email": w.partner_user, "portal_user": w.partner_user}
	)
	org.save(ignore_permissions=True)
	# a person of centre A of this module's own (the shared people keep their consents as they are)
	w.person = frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"first_name": "Ζωή",
			"last_name": f"Πυλωρού{w.tag}",
			"home_centre": w.centre_a,
			"amka": identity.make_amka("1979-05-05", "Female", 950 + int(w.tag, 16) % 49),
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Consent",
			"beneficiary": w.person.name,
			"consent_date": frappe.utils.today(),
			"purposes": [{"consent_purpose": SHARING, "decision": "Given"}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	created = []

	def referral(organisation=None, shares=1, person=None, reason="Εγγραφή στο μητρώο ανέργων"):
		frappe.set_user(w.users["social_worker_a"])
		doc = frappe.get_doc(
			{
				"doctype": "Referral",
				"beneficiary": (person or w.person).name,
				"referral_type": "External",
				"partner_organisation": organisation or w.partner,
				"shares_personal_data": shares,
				"reason": reason,
			}
		).insert()
		frappe.set_user("Administrator")
		doc = send(doc)
		frappe.db.commit()
		created.append(doc.name)
		return doc

	w.referral = referral
	yield w
	frappe.set_user("Administrator")
	for name in created:
		for doctype in ("Referral Response", "Referral Access Token"):
			frappe.db.delete(doctype, {"referral": name})
		frappe.delete_doc("Referral", name, ignore_permissions=True, force=True)
	frappe.db.delete(
		"Partner Directory Change", {"partner_organisation": ("in", [w.partner, w.other_partner])}
	)
	for name in (w.partner, w.other_partner):
		frappe.delete_doc("Partner Organisation", name, ignore_permissions=True, force=True)
	frappe.db.delete("Consent", {"beneficiary": w.person.name})
	frappe.delete_doc("Beneficiary", w.person.name, ignore_permissions=True, force=True)
	frappe.db.commit()


@pytest.fixture
def guest(web_server):
	reset_rate_limit()
	with SiteSession(web_server) as session:
		session.headers["Accept"] = "text/html"
		yield session


def status_of(name: str) -> str:
	frappe.db.rollback()  # see what gunicorn committed
	return frappe.db.get_value("Referral", name, "status")


def test_full_loop_by_link_without_a_login(guest, portal_world):
	w = portal_world
	referral = w.referral()
	[token] = tokens_emailed(referral.name)
	page = guest.get(f"/p/{token}")
	assert page.status_code == 200, page.text[:500]
	assert w.person.first_name in page.text and "Εγγραφή στο μητρώο ανέργων" in page.text
	assert w.person_b.last_name not in page.text
	assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"

	answer = guest.post("/p", data={"token": token, "action": "Acknowledge"})
	assert answer.status_code == 200 and "Επιβεβαιώσατε την παραλαβή" in answer.text
	assert status_of(referral.name) == "Acknowledged"
	guest.post("/p", data={"token": token, "action": "Question", "note": "Πότε μπορεί να έρθει;"})
	done = guest.post(
		"/p",
		data={
			"token": token,
			"action": "Outcome",
			"outcome": "Service provided",
			"outcome_date": frappe.utils.today(),
		},
	)
	assert "Καταγράψαμε την έκβαση" in done.text
	frappe.db.rollback()
	referral.reload()
	assert (referral.status, referral.outcome) == ("Completed", "Completed successfully")

	worker = w.users["social_worker_a"]
	subjects = frappe.get_all(
		"Notification Log", filters={"document_name": referral.name, "for_user": worker}, pluck="subject"
	)
	assert len([s for s in subjects if w.partner in s]) == 3
	comments = frappe.get_all(
		"Comment", filters={"reference_name": referral.name, "comment_type": "Comment"}, pluck="content"
	)
	assert any("Πότε μπορεί να έρθει;" in c for c in comments)
	log = []
	for _i in range(20):  # the log is written after each response has been sent
		frappe.db.rollback()
		log = frappe.get_all(
			audit.LOG,
			filters={
				"reference_name": referral.name,
				"access_kind": audit.PARTNER_PORTAL,
				"accessed_on": (">=", referral.creation),
			},
			fields=["user", "detail", "beneficiary"],
		)
		assert {row.user for row in log} == {LINK_USER} and {row.beneficiary for row in log} == {
			w.person.name
		}
		if len(log) >= 6:
			break
		time.sleep(0.25)
	assert len(log) >= 6  # three views and three answers
	assert guest.get(f"/p/{token}").status_code == 404, "a closed referral ends the link"


def test_no_token_enumeration(guest, portal_world):
	w = portal_world
	open_referral, closed = w.referral(), w.referral()
	good = tokens.issue(open_referral, "Letter")
	expired, revoked, of_closed = (tokens.issue(r, "Letter") for r in (open_referral, open_referral, closed))
	frappe.db.set_value(
		"Referral Access Token", {"token_hash": token_hash(expired)}, "expires_on", "2020-01-01"
	)
	frappe.db.set_value("Referral Access Token", {"token_hash": token_hash(revoked)}, "revoked", 1)
	frappe.db.set_value("Referral", closed.name, {"status": "Cancelled", "workflow_state": "Cancelled"})
	frappe.db.commit()
	wrong = secrets.token_urlsafe(16)
	reference = guest.get(f"/p/{wrong}")
	assert reference.status_code == 404 and "Ο σύνδεσμος δεν είναι έγκυρος" in reference.text
	for token in (expired, revoked, of_closed, "short", good[:-1] + ("A" if good[-1] != "A" else "B")):
		response = guest.get(f"/p/{token}")
		assert (response.status_code, response.text) == (404, reference.text)
		posted = guest.post("/p", data={"token": token, "action": "Acknowledge"})
		assert (posted.status_code, posted.text) == (404, reference.text)
	assert guest.get(f"/p/{good}").status_code == 200
	assert status_of(open_referral.name) == "Sent"


def test_rate_limited(guest, portal_world):
	key = frappe.cache.make_key(RATE_KEY)
	for _i in range(3):
		assert guest.get(f"/p/{secrets.token_urlsafe(16)}").status_code == 404
	assert int(frappe.cache.get(key)) == 3, "every page request counts, whatever its token"
	# near the limit (a shared Redis on a loaded machine makes 60 slow requests a poor clock)
	frappe.cache.setex(key, portal.PAGE_WINDOW, portal.page_limit() - 2)
	statuses = [guest.get(f"/p/{secrets.token_urlsafe(16)}").status_code for _i in range(3)]
	assert statuses == [404, 404, 429]
	assert guest.post("/p", data={"token": "x" * 22, "action": "Acknowledge"}).status_code == 429
	reset_rate_limit()
	assert guest.get(f"/p/{secrets.token_urlsafe(16)}").status_code == 404


def test_never_more_than_the_consent_allows(guest, portal_world):
	w = portal_world
	amka = frappe.db.get_value("Beneficiary", w.person.name, "amka")
	with_consent = w.referral(shares=1)
	without = w.referral(shares=0)
	shown = guest.get(f"/p/{tokens_emailed(with_consent.name)[0]}").text
	hidden = guest.get(f"/p/{tokens_emailed(without.name)[0]}").text
	assert amka in shown
	assert amka not in hidden and w.person.first_name in hidden
	assert "Το άτομο δεν έχει συναινέσει" in hidden
	assert "Ειδικές κατηγορίες δεδομένων" not in shown  # no special-category consent


def test_answer_changes_nothing_outside_the_answer(guest, portal_world):
	w = portal_world
	referral, other = w.referral(), w.referral()
	token = tokens_emailed(referral.name)[0]
	guest.post(
		"/p",
		data={
			"token": token,
			"action": "Acknowledge",
			"name": other.name,
			"reason": "αλλοιωμένο",
			"status": "Completed",
			"workflow_state": "Completed",
			"partner_organisation": w.other_partner,
			"beneficiary": w.person_b.name,
			"outcome": "Accepted",
		},
	)
	frappe.db.rollback()
	stored = frappe.db.get_value(
		"Referral",
		referral.name,
		["status", "reason", "partner_organisation", "beneficiary", "outcome"],
		as_dict=True,
	)
	assert stored == {
		"status": "Acknowledged",
		"reason": referral.reason,
		"partner_organisation": w.partner,
		"beneficiary": w.person.name,
		"outcome": stored.outcome,
	}
	assert not stored.outcome
	assert frappe.db.get_value("Referral", other.name, "status") == "Sent"
	assert guest.post("/p", data={"action": "Acknowledge", "name": other.name}).status_code == 404
	assert status_of(other.name) == "Sent"


def test_staff_revoke_links(http, portal_world):
	w = portal_world
	referral = w.referral()
	token = tokens_emailed(referral.name)[0]
	method = "/api/method/kentro_koinotitas.partners.tokens.revoke_links"
	http.login(w.users["social_worker_b"], w.passwords["social_worker_b"])
	assert http.post(method, data={"referral": referral.name}).status_code == 403
	http.login(w.users["social_worker_a"], w.passwords["social_worker_a"])
	assert http.post(method, data={"referral": referral.name}).status_code == 200
	reset_rate_limit()
	assert http.get(f"/p/{token}").status_code == 404


def test_another_centre_neither_sees_nor_resends_the_partners_links(http, portal_world):
	w = portal_world
	referral = w.referral()
	tokens_emailed(referral.name)
	base = "/api/method/kentro_koinotitas.partners.tokens."
	http.login(w.users["social_worker_b"], w.passwords["social_worker_b"])
	status = http.get(base + "link_status", params={"referral": referral.name})
	assert status.status_code == 403 and "sent_to" not in status.text
	assert http.post(base + "send_new_link", data={"referral": referral.name}).status_code == 403
	http.login(w.users["social_worker_a"], w.passwords["social_worker_a"])
	mine = http.get(base + "link_status", params={"referral": referral.name})
	assert mine.status_code == 200 and mine.json()["message"], mine.text[:300]
	assert "token" not in mine.json()["message"][0]


def partner_session(web_server, w) -> SiteSession:
	session = SiteSession(web_server)
	session.login(w.partner_user, w.partner_password)
	session.headers["Accept"] = "text/html"
	return session


def test_partner_login_by_email_link_and_the_same_answers(guest, web_server, portal_world):
	w = portal_world
	mine, theirs = w.referral(), w.referral(organisation=w.other_partner)
	unknown = guest.post("/partner", data={"email": f"nobody-{w.tag}@example.org"})
	known = guest.post("/partner", data={"email": w.partner_user})
	assert unknown.text == known.text and known.status_code == 200
	frappe.db.rollback()
	[message] = frappe.get_all(
		"Email Queue",
		filters={"message": ("like", "%/partner?key=%"), "creation": (">", mine.creation)},
		pluck="message",
	)
	body = "".join(
		part.get_payload(decode=True).decode()
		for part in __import__("email").message_from_string(message).walk()
		if part.get_content_type() == "text/html"
	)
	key = re.search(r"/partner\?key=([A-Za-z0-9_-]+)", body).group(1)
	signed_in = guest.get(f"/partner?key={key}", allow_redirects=False)
	assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/partner")
	assert guest.get(f"/partner?key={key}", allow_redirects=False).status_code == 200, "the key works once"
	listing = guest.get("/partner")
	assert mine.name in listing.text and theirs.name not in listing.text
	assert guest.get(f"/partner/referral?name={theirs.name}").status_code == 404

	page = guest.get(f"/partner/referral?name={mine.name}")
	assert page.status_code == 200 and w.person.first_name in page.text
	refused = guest.post("/partner/referral", data={"name": mine.name, "action": "Acknowledge"})
	assert refused.status_code in (400, 403) and status_of(mine.name) == "Sent", "CSRF token required"
	csrf = CSRF.search(page.text).group(1)
	guest.post("/partner/referral", data={"name": mine.name, "action": "Acknowledge", "csrf_token": csrf})
	assert status_of(mine.name) == "Acknowledged"
	guest.post(
		"/partner/referral",
		data={"name": mine.name, "action": "Decline", "decline_reason": "No capacity", "csrf_token": csrf},
	)
	assert status_of(mine.name) == "Rejected"
	assert (
		frappe.db.get_value("Referral Response", {"referral": mine.name, "action": "Decline"}, "responded_by")
		== w.partner_user
	)
	guest.post("/partner/referral", data={"name": theirs.name, "action": "Acknowledge", "csrf_token": csrf})
	assert status_of(theirs.name) == "Sent"


def test_partner_user_reaches_nothing_else(web_server, portal_world):
	w = portal_world
	mine = w.referral()
	reset_rate_limit()
	with partner_session(web_server, w) as session:
		desk = session.get("/app", allow_redirects=True)
		assert (
			desk.status_code == 403 and w.person.last_name not in desk.text
		)  # Frappe: no desk for website users
		session.headers["Accept"] = "application/json"
		listed = session.get("/api/resource/Referral")
		assert listed.status_code == 403 or listed.json()["data"] == []
		assert session.get(f"/api/resource/Referral/{mine.name}").status_code == 403
		got = session.get(
			"/api/method/frappe.client.get_list",
			params={"doctype": "Referral", "fields": '["name","reason"]'},
		)
		assert got.status_code == 403 or got.json()["message"] == []
		assert (
			session.get(
				"/api/method/frappe.client.get", params={"doctype": "Referral", "name": mine.name}
			).status_code
			== 403
		)
		count = session.get("/api/method/frappe.client.get_count", params={"doctype": "Referral"})
		assert count.status_code == 403 or count.json()["message"] == 0
		for doctype in ("Beneficiary", "Referral Response", "Referral Access Token", "Consent", "Case"):
			response = session.get(f"/api/resource/{doctype}")
			assert response.status_code == 403 or response.json()["data"] == [], doctype
		assert (
			session.get(
				"/api/method/frappe.desk.form.load.getdoc", params={"doctype": "Referral", "name": mine.name}
			).status_code
			== 403
		)
		value = session.get(
			"/api/method/frappe.client.get_value",
			params={"doctype": "Referral", "filters": f'{{"name": "{mine.name}"}}', "fieldname": "reason"},
		)
		assert value.status_code == 403 or not value.json().get("message")
		session.headers["Accept"] = "text/html"
		page = session.get(f"/partner/referral?name={mine.name}")
		session.headers["X-Frappe-CSRF-Token"] = CSRF.search(page.text).group(1)
		session.headers["Accept"] = "application/json"
		workflow = session.post(
			"/api/method/frappe.model.workflow.apply_workflow",
			data={
				"doc": f'{{"doctype": "Referral", "name": "{mine.name}"}}',
				"action": "Acknowledge Receipt",
			},
		)
		assert workflow.status_code == 403, workflow.text[:300]
	assert status_of(mine.name) == "Sent"


def test_partner_updates_its_directory_entry_through_the_coordinator(web_server, http, portal_world):
	w = portal_world
	reset_rate_limit()
	with partner_session(web_server, w) as session:
		page = session.get(f"/partner/directory?organisation={w.partner}")
		assert page.status_code == 200
		assert session.get(f"/partner/directory?organisation={w.other_partner}").status_code == 404
		csrf = CSRF.search(page.text).group(1)
		sent = session.post(
			"/partner/directory",
			data={
				"organisation": w.partner,
				"csrf_token": csrf,
				"phone": "2101234567",
				"capacity_status": "Full",
				"accepts_referrals": "0",
				"service-0-service_name": "Συμβουλευτική",
				"service-0-eligibility": "Άνεργοι",
				"hours-0-day_of_week": "Monday",
				"hours-0-from_time": "09:00",
				"hours-0-to_time": "13:00",
			},
		)
		assert "στάλθηκαν για έγκριση" in sent.text
	frappe.db.rollback()
	change = frappe.get_last_doc("Partner Directory Change", filters={"partner_organisation": w.partner})
	assert change.status == "Pending"
	assert frappe.db.get_value("Partner Organisation", w.partner, "capacity_status") != "Full"
	method = "/api/method/kentro_koinotitas.partners.directory.approve"
	http.login(w.users["social_worker_a"], w.passwords["social_worker_a"])
	assert http.post(method, data={"name": change.name}).status_code == 403
	http.login(w.users["coordinator_a"], w.passwords["coordinator_a"])
	assert http.post(method, data={"name": change.name}).status_code == 200
	frappe.db.rollback()
	org = frappe.get_doc("Partner Organisation", w.partner)
	assert (org.phone, org.capacity_status, org.accepts_referrals) == ("2101234567", "Full", 1)
	assert [s.service_name for s in org.services] == ["Συμβουλευτική"]
	assert [(h.day_of_week, str(h.from_time)) for h in org.opening_hours] == [("Monday", "9:00:00")]
	assert frappe.db.get_value("Partner Directory Change", change.name, "status") == "Approved"


def test_printed_letter_carries_a_working_link(http, guest, portal_world):
	w = portal_world
	referral = w.referral()
	http.login(w.users["social_worker_a"], w.passwords["social_worker_a"])
	http.headers["Accept"] = "text/html"
	letter = http.get(
		"/printview", params={"doctype": "Referral", "name": referral.name, "format": "Παραπεμπτικό Σημείωμα"}
	)
	assert letter.status_code == 200 and "data:image/png;base64," in letter.text
	token = re.search(r"/p/([A-Za-z0-9_-]{20,64})", letter.text).group(1)
	page = guest.get(f"/p/{token}")
	assert page.status_code == 200 and referral.name in page.text
	frappe.db.rollback()
	assert (
		frappe.db.get_value("Referral Access Token", {"token_hash": token_hash(token)}, "channel") == "Letter"
	)
	assert frappe.db.get_value("Referral Access Token", {"token_hash": token_hash(token)}, "last_used_on")
