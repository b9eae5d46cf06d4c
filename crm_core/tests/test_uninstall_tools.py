from odoo.tests import tagged

from ..tools import uninstall
from .common import CrmCoreAccountCommon


@tagged("post_install", "-at_install")
class TestUninstallTools(CrmCoreAccountCommon):
    """crm_core/tools/uninstall.py: what an addon's uninstall hook releases."""

    def _own(self, module, records):
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"{module}.partner_{record.id}", "record": record, "noupdate": True}
                for record in records
            ]
        )

    def test_restricting_foreign_keys(self):
        keys = uninstall.restricting_foreign_keys(self.env.cr, "res_partner")
        self.assertIn(("account_move", "partner_id"), keys)
        # ON DELETE CASCADE / SET NULL do not keep a partner
        self.assertNotIn(("res_partner_bank", "partner_id"), keys)

    def test_release_referenced(self):
        invoiced = self._customer("Invoiced Customer GmbH")
        self._post(invoiced, 100)
        plain = self._customer("Prospect GmbH")
        self._own("crm_uninstall_test", invoiced | plain)
        self.env.flush_all()

        kept = uninstall.release_referenced(
            self.env.cr, "crm_uninstall_test", "res.partner", "res_partner"
        )
        self.assertEqual(kept, {invoiced.id})
        self.env["ir.model.data"].invalidate_model()
        owned = self.env["ir.model.data"].search([("module", "=", "crm_uninstall_test")])
        self.assertEqual(owned.mapped("res_id"), plain.ids)
        self.assertTrue(invoiced.exists())

    def test_release_nothing(self):
        self.assertEqual(
            uninstall.release_referenced(
                self.env.cr, "crm_uninstall_test", "res.partner", "res_partner"
            ),
            set(),
        )
        self.assertEqual(uninstall.referenced_ids(self.env.cr, "res_partner", []), set())
