"""The CardDAV address book from inside (issue 21): change log, sync tokens and their cost,
the vCard mapping both ways, refusals, record rules and companies. The protocol itself is
driven from outside with real clients in tests/test_dav.py."""

import vobject

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user

from ..tools import dav as dav_tools


def commit_changes(env):
    """Number the change log as a commit does (tests never commit: fire the deferred
    trigger now)."""
    env.flush_all()
    env.cr.execute("SET CONSTRAINTS ALL IMMEDIATE")
    env.cr.execute("SET CONSTRAINTS ALL DEFERRED")


def card(text):
    return vobject.readOne(text)


@tagged("post_install", "-at_install")
class TestCrmDavAddressbook(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "DAV Zweitfirma"})
        cls.user = new_test_user(cls.env, login="dav_user", groups="crm_core.group_user")
        cls.user_b = new_test_user(
            cls.env,
            login="dav_user_b",
            groups="crm_core.group_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        customer = cls.env.ref("crm_core.crm_partner_role_customer")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Elbe Kontor GmbH",
                "is_company": True,
                "company_id": cls.env.company.id,
                "crm_role_ids": [Command.set(customer.ids)],
                "street": "Hafenstraße 1",
                "zip": "01067",
                "city": "Dresden",
                "country_id": cls.env.ref("base.de").id,
                "phone": "+49 351 1234567",
            }
        )
        cls.person = cls.env["res.partner"].create(
            {"name": "Erika Muster", "parent_id": cls.customer.id, "email": "erika@example.com"}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Vltava s.r.o.",
                "is_company": True,
                "company_id": cls.company_b.id,
                "crm_role_ids": [Command.set(customer.ids)],
            }
        )
        cls.book = cls.book_of(cls.user)
        cls.href = f"partner-{cls.customer.id}.vcf"

    @classmethod
    def book_of(cls, user):
        """The address book as the DAV controller opens it: the user's companies."""
        return (
            cls.env["crm.dav.addressbook"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
        )

    def objects(self, book=None):
        return {
            href: text
            for href, text, *_rest in (self.book if book is None else book)._dav_objects()
        }

    def test_cards_of_the_customers_and_persons_the_user_sees(self):
        objects = self.objects()
        text = objects[self.href]
        self.assertIn("ORG:Elbe Kontor GmbH", text)
        self.assertIn("CATEGORIES:Customer", text)
        self.assertIn("TEL;TYPE=voice,work:+49 351 1234567", text)
        self.assertIn("ORG:Elbe Kontor GmbH", objects[f"partner-{self.person.id}.vcf"])
        self.assertNotIn(f"partner-{self.customer_b.id}.vcf", objects)
        objects_b = self.objects(self.book_of(self.user_b))
        self.assertIn(f"partner-{self.customer_b.id}.vcf", objects_b)
        self.assertNotIn(self.href, objects_b)
        # asked by name, the other company's customer is not found either
        self.assertFalse(self.book_of(self.user_b)._dav_objects([self.href]))

    def test_bank_accounts_on_the_card_as_the_user_may_see_them(self):
        """Complete numbers on the phones of users who see them (invoicing), masked on the
        others' (a CRM user); a masked number sent back creates no account."""
        self.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": self.customer.id}
        )
        billing = new_test_user(
            self.env,
            login="dav_billing",
            groups="crm_core.group_user,account.group_account_invoice",
        )
        text = self.objects()[self.href]
        self.assertIn("X-CRM-IBAN:**** **** **** **** **30 00", text)
        self.assertNotIn("0532", text)
        self.assertIn(
            "X-CRM-IBAN:DE89 3704 0044 0532 0130 00", self.objects(self.book_of(billing))[self.href]
        )
        self.book._dav_put(self.href, card(text), text)
        self.assertEqual(len(self.customer.bank_ids), 1)

    def test_change_log_and_sync_tokens(self):
        commit_changes(self.env)
        token = self.book._dav_token()
        _same, changed = self.book._dav_sync(token)
        self.assertEqual(list(changed), [])
        self.customer.phone = "+49 351 7654321"
        self.customer.ref = "not on the card"  # a column the card does not show: no change
        commit_changes(self.env)
        new_token, changed = self.book._dav_sync(token)
        self.assertNotEqual(new_token, token)
        self.assertEqual(list(changed), [self.href])
        # the company's new name shows on its person's card: both changed
        self.customer.name = "Elbe Kontor AG"
        commit_changes(self.env)
        _token, changed = self.book._dav_sync(new_token)
        self.assertEqual(sorted(changed), sorted([self.href, f"partner-{self.person.id}.vcf"]))
        # a token of another user or of other rights makes the client sync in full
        with self.assertRaises(ValueError):
            self.book_of(self.user_b)._dav_sync(new_token)
        with self.assertRaises(ValueError):
            self.book._dav_sync("urn:crm-dav:1:nonsense")

    def test_unchanged_sync_costs_a_few_queries(self):
        self.env["res.partner"].create(
            [
                {
                    "name": f"Kunde {i}",
                    "is_company": True,
                    "crm_role_ids": [Command.set(self.customer.crm_role_ids.ids)],
                }
                for i in range(200)
            ]
        )
        commit_changes(self.env)
        token = self.book._dav_token()
        self.book._dav_sync(token)  # warm caches (groups, parameters)
        self.env.invalidate_all()
        # the last change number, the changes since the token, the user's groups
        with self.assertQueryCount(5):
            new_token, changed = self.book._dav_sync(token)
        self.assertEqual((new_token, list(changed)), (token, []))

    def test_edit_from_a_device(self):
        [(_href, text, uid, *_rest)] = self.book._dav_objects([self.href])
        edited = text.replace("+49 351 1234567", "+49 351 9999999").replace("Dresden", "Meißen")
        self.book._dav_put(self.href, card(edited), edited)
        self.assertEqual(self.customer.phone, "+49 351 9999999")
        self.assertEqual(self.customer.city, "Meißen")
        self.assertEqual(self.customer.street, "Hafenstraße 1")
        for bad, reason in (
            (edited.replace("+49 351 9999999", "ring twice"), "not a phone number"),
            (edited.replace("END:VCARD", "X-CRM-IBAN:DE00 1111 2222\r\nEND:VCARD"), "IBAN"),
        ):
            with self.assertRaisesRegex(dav_tools.Refused, reason):
                self.book._dav_put(self.href, card(bad), bad)
        self.assertEqual(self.customer.phone, "+49 351 9999999")
        self.assertFalse(self.customer.bank_ids)

    def test_new_card_and_delete_archives(self):
        text = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Paul Neu\r\nN:Neu;Paul;;;\r\n"
            "ORG:Elbe Kontor GmbH\r\nTEL:+49 171 2223334\r\nNICKNAME:Paule\r\nEND:VCARD\r\n"
        )
        href, stored, uid, *_rest = self.book._dav_put("phone-1.vcf", card(text), text)
        self.assertEqual((href, uid), ("phone-1.vcf", "phone-1"))
        self.assertIn("NICKNAME:Paule", stored)
        paul = self.env["res.partner"].search([("name", "=", "Paul Neu")])
        self.assertEqual(paul.parent_id, self.customer)
        self.assertIn("phone-1.vcf", self.objects())
        self.book._dav_delete("phone-1.vcf")
        self.assertFalse(paul.active)
        self.assertNotIn("phone-1.vcf", self.objects())

    def test_uninstall_drops_the_triggers(self):
        Change = self.env["crm.dav.change"]
        Change._drop_log_triggers()
        self.env.cr.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'crm_dav_log_%%'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.customer.phone = "+49 351 5555555"
        self.env.flush_all()  # the partner is still written, without a log
