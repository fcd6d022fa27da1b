"""Bring an existing registry in from a spreadsheet (.xlsx or .csv): beneficiaries with their household,
identity document, vulnerable groups and consents, and an open case when the row asks for one.

Every row goes through the same ORM validations as the forms (ΑΜΚΑ, ΑΦΜ, phones, dates, masters) inside
its own savepoint: a row is imported whole or not at all. Rejected rows come back in an .xlsx error report
with their reasons, so staff fix and re-upload only those. A person already in the registry (same ΑΜΚΑ,
ΑΦΜ, or same name and birth date) is skipped, so running the same file twice creates nothing new.

The modules, in the order a file goes through them:
	columns  the column vocabulary: Greek and English headers, list and select columns, the example row
	files    reading an .xlsx or .csv file (Excel's or LibreOffice's encodings and delimiters)
	values   turning a cell into a date, a select option or a number as text
	rows     a row read into the documents it stands for (the row plan) and the outcome of each row
	writer   writing the plans: chunks in bulk, a failing chunk row by row, households, consents, cases
	report   the .xlsx error report and the import template
	cli      the command-line entry, `import_file`
"""
