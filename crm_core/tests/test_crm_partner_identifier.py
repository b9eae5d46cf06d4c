from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

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


@tagged("post_install", "-at_install")
class TestSearchBox(BaseCommon):
    """The customer search box (issue 20): a phone number typed in any spelling finds the
    customer by the Name search (Enter), a contact person's number its company too; a city or
    postcode by its own search option."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.user = new_test_user(cls.env, login="crm_search_user", groups="crm_core.group_user")
        Partner = cls.env["res.partner"]
        cls.company = Partner.create(
            {"name": "Suchbox Elbe GmbH", "is_company": True, "phone": "+49 35207 81234",
             "zip": "01468", "city": "Moritzburg"}
        )  # fmt: skip
        cls.person = Partner.create(
            {"name": "Suchbox Ansprech", "parent_id": cls.company.id, "phone": "035207 81299"}
        )
        cls.other = Partner.create(
            {"name": "Suchbox 2026 Handel", "is_company": True, "city": "Radebeul"}
        )

    def _filter_domain(self, field):
        """The search view's filter_domain of `field`."""
        arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(f"//field[@name='{field}']")[0]
        return node.get("filter_domain")

    def _search(self, field, text):
        """What the search view's `field` option finds for `text` (as the web client does)."""
        domain = safe_eval(self._filter_domain(field), {"self": text})
        return self.env["res.partner"].with_user(self.user).search(domain)

    def test_name_search_finds_numbers_in_any_spelling(self):
        for typed in ("035207/81234", "+49 (35207) 81234", "0049 35207 81234", "3520781234"):
            with self.subTest(typed=typed):
                self.assertEqual(self._search("name", typed), self.company)
        # a contact person's number: the person and its company
        self.assertEqual(self._search("name", "035207-81299"), self.company | self.person)

    def test_texts_and_short_numbers_stay_name_searches(self):
        # (the contact person's complete name holds its company's)
        self.assertEqual(self._search("name", "Suchbox Elbe"), self.company | self.person)
        # digits in a name are no phone number; too few digits match no number
        ours = self.company | self.person | self.other
        self.assertEqual(self._search("name", "2026") & ours, self.other)
        self.assertFalse(self._search("name", "81234") & ours)
        Partner = self.env["res.partner"].with_user(self.user)
        self.assertFalse(Partner.search([("crm_phone_search", "ilike", "Moritzburg")]))
        # (an empty text never reaches the field: Odoo's domain makes `ilike ""` TRUE, as for
        # the name; blanks do)
        self.assertFalse(Partner.search([("crm_phone_search", "ilike", "   ")]))

    def test_city_or_zip(self):
        self.assertEqual(self._search("city", "moritz") & (self.company | self.other), self.company)
        self.assertIn(self.company, self._search("city", "0146"))
        self.assertNotIn(self.company, self._search("city", "1468"))

    def test_one_query_for_the_phone_lookup(self):
        Partner = self.env["res.partner"].with_user(self.user)
        Partner.search([("crm_phone_search", "ilike", "035207/81234")])  # warm caches
        with self.assertQueryCount(3):  # lookup, commercial partners, the search
            Partner.search([("crm_phone_search", "ilike", "035207/81234")])

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
