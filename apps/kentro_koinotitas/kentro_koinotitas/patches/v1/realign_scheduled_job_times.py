"""Sites installed while Frappe's time zone was still Asia/Kolkata: their Scheduled Job Types were created
hours "in the future" of Athens and did not run; bring them back to now (setup/scheduler_clock.py)."""

from kentro_koinotitas.setup.scheduler_clock import realign_scheduled_jobs


def execute():
	realign_scheduled_jobs()
