"""Sites installed before the partner portal: the Referral workflow gains the partner's answers (as the
role Partner) and the state «Έληξε» that unanswered referrals reach (partners/service_levels.py)."""

from kentro_koinotitas.setup.roles import install_roles
from kentro_koinotitas.setup.workflows import REFERRAL_WORKFLOW, add_missing_rows


def execute():
	install_roles()
	add_missing_rows(
		REFERRAL_WORKFLOW,
		states={"Acknowledged", "Expired"},
		actions={"Acknowledge Receipt", "Decline", "Record Outcome", "Mark Expired"},
	)
