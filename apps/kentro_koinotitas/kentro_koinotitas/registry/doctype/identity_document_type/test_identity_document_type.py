# Copyright (c) 2026, kentro_koinotitas developers and Contributors
# See license.txt

from kentro_koinotitas.tests import masters


class TestIdentityDocumentType(masters.MasterTestCase):
	doctype = "Identity Document Type"
	key = "document_type_name"
	minimum = 6
	sample = "ΠΑΑΥΠΑ"
