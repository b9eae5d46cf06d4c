from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon, new_test_user

from ..tools import phone_identifier


@tagged("post_install", "-at_install")
class TestPartnerIdentifier(BaseCommon):
    """The normalised identifier table that caller-ID, scan, vCard duplicates and SEPA share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.user = new_test_user(cls.env, login="crm_ident_user", groups="crm_core.group_user")
        cls.partner = cls.env["res.partner"].create(
            {"name": "Elbe Identifier GmbH", "is_company": True, "phone": "0351/4445566"}
        )

    def test_tools_parse_once(self):
        for raw in ("+49 351 4445566", "0351/4445566", "0049 (0)351-4445566"):
            self.assertEqual(
                phone_identifier.e164_and_national(raw, "DE"), ("+493514445566", "3514445566")
            )
        # Italian numbers keep their leading zero
        self.assertEqual(
            phone_identifier.identifier_values("+39 06 1234 5678", "DE"),
            ("+390612345678", "8765432160"),
        )
        self.assertEqual(phone_identifier.identifier_values("**610", "DE"), (None, None))

    def test_maintained_from_partner_phone(self):
        Identifier = self.env["crm.partner.identifier"]
        rows = Identifier.search([("partner_id", "=", self.partner.id), ("kind", "=", "phone")])
        self.assertIn("+493514445566", rows.mapped("value"))
        self.assertEqual(
            rows.filtered(lambda r: r.source_field == "phone").raw_value, "0351/4445566"
        )
        self.partner.phone = "+49 30 1234567"
        self.assertEqual(
            self.partner.crm_identifier_ids.filtered(lambda r: r.source_field == "phone").value,
            "+49301234567",
        )
        self.partner.phone = False
        self.assertFalse(
            self.partner.crm_identifier_ids.filtered(lambda r: r.source_field == "phone")
        )

    def test_lookup_any_format(self):
        Identifier = self.env["crm.partner.identifier"]
        for number in ("+49 351 4445566", "03514445566", "0049 (0)351-4445566"):
            self.assertEqual(Identifier._lookup_phone(number, "DE"), [self.partner.id], number)
        self.assertEqual(Identifier._lookup_phone("+49 351 4445567", "DE"), [])
        self.assertEqual(Identifier._lookup_phone("610", "DE"), [])

    def test_lookup_is_one_statement(self):
        """Exact match, suffix match or nothing: one round trip to the database."""
        Identifier = self.env["crm.partner.identifier"]
        local = self.env["res.partner"].create({"name": "Ohne Vorwahl", "phone": "488 77 66"})
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(Identifier._lookup_phone("0351 4445566", "DE"), [self.partner.id])
        with self.assertQueryCount(1):
            self.assertEqual(Identifier._lookup_phone("+49 351 4887766", "DE"), [local.id])
        with self.assertQueryCount(1):
            self.assertEqual(Identifier._lookup_phone("+49 351 4887765", "DE"), [])
        # a number stored without area code shares the caller's last digits, but the exact
        # E.164 match wins
        self.env["res.partner"].create({"name": "Nur Ortsnummer", "phone": "4445566"})
        self.assertEqual(Identifier._lookup_phone("+49 351 4445566", "DE"), [self.partner.id])

    def test_users_read_managers_do_not_write(self):
        rows = self.partner.crm_identifier_ids.with_user(self.user)
        self.assertTrue(rows.read(["value"]))
        with self.assertRaises(AccessError):
            rows.write({"value": "+4900"})
        with self.assertRaises(AccessError):
            self.env["crm.partner.identifier"].with_user(self.user).create(
                {"partner_id": self.partner.id, "source_field": "phone", "value": "+4911"}
            )

    def test_company_rule(self):
        other = self.env["res.company"].create({"name": "Identifier Other GmbH"})
        self.partner.company_id = self.env.company
        stranger = new_test_user(
            self.env,
            login="crm_ident_stranger",
            groups="crm_core.group_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        Identifier = self.env["crm.partner.identifier"]
        domain = [("partner_id", "=", self.partner.id)]
        self.assertTrue(Identifier.with_user(self.user).search(domain))
        self.assertFalse(Identifier.with_user(stranger).search(domain))

    def test_import_builds_identifiers_once_at_the_end(self):
        """An import (res.partner.load) of companies with contact persons: Odoo writes each
        person again after creating it (the company's address); the identifiers are rebuilt
        once at the end, and are those of the partners as imported: the person's phone
        read with the company's country (Czech), the company's IBAN and e-mail."""
        Identifier = self.env["crm.partner.identifier"]
        calls = []
        sync = type(Identifier)._sync_partners

        def counting(model, partner_ids, kinds=None):
            calls.append(len(partner_ids))
            return sync(model, partner_ids, kinds)

        fields = ["id", "name", "is_company", "parent_id/id", "country_id", "phone", "email"]
        fields += ["bank_ids/acc_number"]
        rows = [
            ["imp_c1", "Import Praha s.r.o.", "1", "", "CZ", "", "info@praha.example", ""],
            ["imp_c2", "Import Dresden GmbH", "1", "", "DE", "", "", "DE89370400440532013000"],
            ["imp_p1", "Jana Nováková", "0", "imp_c1", "", "603 123 456", "", ""],
            ["imp_p2", "Kai Berg", "0", "imp_c2", "", "0351 4445577", "", ""],
        ]
        with patch.object(type(Identifier), "_sync_partners", counting):
            result = self.env["res.partner"].load(fields, rows)
        self.assertFalse(result["messages"], result["messages"])
        praha, dresden, jana, kai = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(jana.country_id.code, "CZ")
        self.assertEqual(len(calls), 1, "identifiers rebuilt once, not per written row")

        def values(partner, kind):
            rows = Identifier.search([("partner_id", "=", partner.id), ("kind", "=", kind)])
            return set(rows.mapped("value"))

        self.assertEqual(values(jana, "phone"), {"+420603123456"})
        self.assertEqual(values(kai, "phone"), {"+493514445577"})
        self.assertEqual(values(praha, "email"), {"info@praha.example"})
        self.assertEqual(values(dresden, "iban"), {"DE89370400440532013000"})
        # outside an import every write keeps them up to date at once
        jana.phone = "+420 777 000 111"
        self.assertEqual(values(jana, "phone"), {"+420777000111"})
