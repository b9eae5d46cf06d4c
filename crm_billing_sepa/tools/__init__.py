"""Code without models of its own.

Pure logic without the ORM, tested directly (tests/test_sepa_tools.py): the TARGET2
calendar (target2.py), pain.008/pain.001 building, XSD validation and camt.054 parsing
(pain.py).

The fast paths: set-based SQL that writes other modules' tables or does the ORM's work in
bulk, each behind one documented entry, each with its ORM path (crm_core.tools.fastpath's
switch: CRM_FASTPATH=0, system parameter crm_core.fast_path) and compared row by row with it
in tests/test_fastpath.py: fastpath_rows.py (create/write many rows: SEPA payments, mandates
after a debit, services linked to their invoice lines, dunning levels on customers and
invoices), fastpath_invoice.py (draft invoices of services), fastpath_booking.py (booking
and reconciling a sent SEPA batch).
"""
