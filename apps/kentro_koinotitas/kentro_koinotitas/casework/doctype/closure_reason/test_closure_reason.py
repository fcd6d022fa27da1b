# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

from kentro_koinotitas.tests import masters


class TestClosureReason(masters.MasterTestCase):
	doctype = "Closure Reason"
	key = "reason"
	minimum = 5
	sample = "Επίτευξη στόχων"
