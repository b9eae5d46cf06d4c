"""Pure logic without the ORM: the TARGET2 calendar, pain.008/pain.001 building, XSD
validation and camt.054 parsing. Tested directly by tests/test_tools.py. And bulk.py: the
set-based INSERT of many new rows of a model (SEPA batches, bulk invoices)."""
