from odoo.tests import TransactionCase, tagged

from .. import hooks


@tagged("post_install", "-at_install")
class TestDatabaseObjects(TransactionCase):
    """What crm_scan creates in PostgreSQL outside Odoo's models: the trigram index that
    name matching relies on exists, and uninstalling leaves nothing behind."""

    def test_trigram_index_on_partner_names(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'res_partner' "
            "AND indexdef LIKE '%%gin_trgm_ops%%' AND indexdef LIKE '%%(name%%'"
        )
        self.assertTrue(self.env.cr.fetchall(), "no trigram index on res_partner.name")

    def test_uninstall_removes_what_crm_scan_made(self):
        cr = self.env.cr
        with cr.savepoint(flush=False) as savepoint:
            hooks.uninstall_hook(self.env)
            cr.execute("SELECT 1 FROM pg_proc WHERE proname = 'crm_scan_tsvector'")
            self.assertFalse(cr.fetchall(), "crm_scan_tsvector() left behind")
            cr.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'crm_scan_document' AND column_name = 'ocr_tsv'"
            )
            self.assertFalse(cr.fetchall())
            savepoint.rollback()
        # the trigram index is crm_scan's: Odoo drops it when crm_scan is uninstalled
        index = self.env["ir.model.constraint"].search(
            [
                ("type", "=", "i"),
                ("module.name", "=", "crm_scan"),
                ("model.model", "=", "res.partner"),
            ]
        )
        self.assertEqual(len(index), 1)
        self.assertIn("gin_trgm_ops", index.definition)
