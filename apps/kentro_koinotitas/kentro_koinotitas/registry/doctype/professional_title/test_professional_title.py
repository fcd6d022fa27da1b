# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

from kentro_koinotitas.tests import masters


class TestProfessionalTitle(masters.MasterTestCase):
	doctype = "Professional Title"
	key = "title_name"
	minimum = 6
	sample = "Κοινωνικός Λειτουργός"
