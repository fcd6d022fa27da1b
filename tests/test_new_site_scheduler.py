"""A new site's scheduler runs Frappe's jobs within minutes, so the awesome bar finds a new person soon.

Frappe creates its Scheduled Job Types while installing itself, before the app sets Athens time: their
`creation` is Asia/Kolkata's local time, 3.5 hours (summer: 2.5) ahead of Athens, and a job that never ran
waits one interval after it. These tests put the jobs in exactly that state and run what install and the
patch run.
"""

from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path

import frappe
import kentro_koinotitas
from frappe.utils import convert_utc_to_timezone, now_datetime
from kentro_koinotitas.access.search import search
from kentro_koinotitas.registry import identity
from kentro_koinotitas.setup.install import after_install

SEARCH_JOB = "frappe.utils.global_search.sync_global_search"  # every 15 minutes
EMAIL_JOB = "frappe.email.queue.flush"  # "all": every scheduler interval (4 minutes)
DAILY_JOB = "frappe.sessions.clear_expired_sessions"


def job(method: str):
	return frappe.get_doc("Scheduled Job Type", {"method": method})


def as_installed_under_kolkata_time() -> None:
	"""What `bench new-site` leaves: Frappe's jobs never ran and were created in Kolkata's local time."""
	kolkata_now = convert_utc_to_timezone(datetime.now(UTC), "Asia/Kolkata")
	table = frappe.qb.DocType("Scheduled Job Type")
	frappe.qb.update(table).set(table.creation, kolkata_now.replace(tzinfo=None)).set(
		table.last_execution, None
	).where(table.method.isin([SEARCH_JOB, EMAIL_JOB, DAILY_JOB])).run()


def test_frappes_jobs_run_within_minutes_of_install():
	as_installed_under_kolkata_time()
	soon = now_datetime() + timedelta(minutes=15)
	assert not job(SEARCH_JOB).is_event_due(soon), "the state a new site was in: nothing due for hours"

	after_install()

	now = now_datetime()
	assert job(EMAIL_JOB).is_event_due(now + timedelta(minutes=4))
	assert job(SEARCH_JOB).is_event_due(now + timedelta(minutes=15))
	assert job(DAILY_JOB).is_event_due(now + timedelta(hours=24))
	assert not job(DAILY_JOB).is_event_due(now - timedelta(minutes=1)), "a daily job is not run at once"
	assert not frappe.db.exists("Scheduled Job Type", {"creation": (">", now)})


def test_the_patch_repairs_a_site_installed_before_the_fix():
	patches = (Path(kentro_koinotitas.__file__).parent / "patches.txt").read_text().split()
	patch = "kentro_koinotitas.patches.v1.realign_scheduled_job_times"
	assert patch in patches
	as_installed_under_kolkata_time()

	import_module(patch).execute()

	assert job(SEARCH_JOB).is_event_due(now_datetime() + timedelta(minutes=15))
	assert not frappe.db.exists("Scheduled Job Type", {"creation": (">", now_datetime())})


def test_the_awesome_bar_finds_a_person_registered_a_quarter_of_an_hour_ago(two_centres):
	frappe.set_user(two_centres.users["receptionist_a"])
	person = frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"first_name": "Ευτέρπη",
			"last_name": f"Νεοφερμένη{two_centres.tag}",
			"home_centre": two_centres.centre_a,
			"amka": identity.make_amka("1991-03-04", "Female", 977),
		}
	).insert()
	frappe.set_user("Administrator")
	note = frappe.get_doc(
		{"doctype": "Note", "title": f"kk {two_centres.tag}", "content": f"Σημείωση {two_centres.tag}"}
	).insert()
	frappe.db.commit()
	try:
		sync = job(SEARCH_JOB)
		assert sync.is_event_due(now_datetime() + timedelta(minutes=15))
		sync.execute()  # what the scheduler's worker runs when it is due
		index = frappe.qb.Table("__global_search")
		indexed = {name for (name,) in frappe.qb.from_(index).select(index.name).run()}
		assert note.name in indexed, "the global-search queue was flushed into __global_search"
		# people are found by the registry's own index: Frappe's table keeps no copy of them
		assert person.name not in indexed

		frappe.set_user(two_centres.users["receptionist_a"])
		hits = search(f"Ευτέρπη Νεοφερμένη{two_centres.tag}")
		assert ("Beneficiary", person.name) in [(hit.doctype, hit.name) for hit in hits]
		frappe.set_user(two_centres.users["social_worker_b"])
		hits = search(f"Ευτέρπη Νεοφερμένη{two_centres.tag}")
		assert person.name not in [hit.name for hit in hits], "another centre's user does not find the person"
	finally:
		frappe.set_user("Administrator")
		frappe.delete_doc("Beneficiary", person.name, ignore_permissions=True, force=True)
		frappe.delete_doc("Note", note.name, ignore_permissions=True, force=True)
		frappe.db.commit()
