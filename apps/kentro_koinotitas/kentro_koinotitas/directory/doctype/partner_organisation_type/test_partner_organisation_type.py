# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

from kentro_koinotitas.tests import masters


class TestPartnerOrganisationType(masters.MasterTestCase):
	doctype = "Partner Organisation Type"
	key = "type_name"
	minimum = 10
	sample = "ΔΥΠΑ"
