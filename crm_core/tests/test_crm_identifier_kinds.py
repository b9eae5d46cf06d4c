from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestIdentifierKinds(BaseCommon):
    """E-mail, VAT id and IBAN in the identifier table, the keys of duplicate detection."""

    def values(self, partner, kind):
        rows = self.env["crm.partner.identifier"].search(
            [("partner_id", "=", partner.id), ("kind", "=", kind)]
        )
        return sorted(rows.mapped("value"))

    def test_kept_from_partner_and_bank_accounts(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Kennung GmbH",
                "email": " Info@Kennung.EXAMPLE ",
                "vat": "de 123.456.788",
                "bank_ids": [Command.create({"acc_number": "DE02 1203 0000 0000 2020 51"})],
            }
        )
        self.assertEqual(self.values(partner, "email"), ["info@kennung.example"])
        self.assertEqual(self.values(partner, "vat"), ["DE123456788"])
        self.assertEqual(self.values(partner, "iban"), ["DE02120300000000202051"])
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "CZ6508000000192000145399", "partner_id": partner.id}
        )
        self.assertEqual(
            self.values(partner, "iban"), ["CZ6508000000192000145399", "DE02120300000000202051"]
        )
        bank.unlink()
        partner.bank_ids.write({"active": False})
        self.assertEqual(self.values(partner, "iban"), [])
        partner.write({"email": False, "vat": "CZ7103192745"})
        self.assertEqual(self.values(partner, "email"), [])
        self.assertEqual(self.values(partner, "vat"), ["CZ7103192745"])

    def test_missing_kinds_filled_once(self):
        partner = self.env["res.partner"].create({"name": "Alt", "email": "alt@example.com"})
        self.env.cr.execute("DELETE FROM crm_partner_identifier WHERE kind = 'email'")
        self.env["crm.partner.identifier"].invalidate_model()
        self.assertEqual(self.values(partner, "email"), [])
        self.env["crm.partner.identifier"]._sync_missing_kinds()
        self.assertEqual(self.values(partner, "email"), ["alt@example.com"])
