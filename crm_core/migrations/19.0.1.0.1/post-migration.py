def migrate(cr, version):
    """crm_core 19.0.1.0.0 set the storage parameter fillfactor of res_partner to 90 on every
    update. Measured with bench/abc_analysis.py it does not make the ABC analysis faster
    (readme, "ABC analysis and res_partner's storage"): back to PostgreSQL's default."""
    cr.execute("ALTER TABLE res_partner RESET (fillfactor)")
