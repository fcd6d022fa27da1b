# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

from kentro_koinotitas.tests import masters


class TestReferralOutcomeReason(masters.MasterTestCase):
	doctype = "Referral Outcome Reason"
	key = "reason"
	minimum = 5
	sample = "Μη επιλέξιμος"
