# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

from kentro_koinotitas.tests import masters


class TestRequestCategory(masters.MasterTestCase):
	doctype = "Request Category"
	key = "category_name"
	minimum = 10
	sample = "Στέγαση"
