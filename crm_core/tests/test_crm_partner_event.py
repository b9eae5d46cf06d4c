"""The customer's event log (issue 24): every kind of change to a customer record logged on
the customer with its old and new value, in one batch per ORM call; bank account numbers
masked for users who may not see them; company rule; immutable; the GDPR data export."""

import io
import json
import zipfile

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import new_test_user

from .common import CrmCoreAccountCommon, data_queries, record_queries

IBAN = "DE89 3704 0044 0532 0130 00"
IBAN2 = "DE02 1203 0000 0000 2020 51"
MASKED = "**** **** **** **** **30 00"


@tagged("post_install", "-at_install")
class TestPartnerEvents(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.plain = new_test_user(
            cls.env,
            login="event_plain",
            groups="crm_core.group_user,base.group_allow_export",
            **common,
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ereignis Handel GmbH", "is_company": True, "company_id": cls.company.id}
        )
        cls.Event = cls.env["crm.partner.event"]

    def _events(self, partner=None, **where):
        domain = [("partner_id", "=", (partner or self.customer).id)]
        domain += [(key, "=", value) for key, value in where.items()]
        return self.Event.search(domain)

    def _one(self, **where):
        events = self._events(**where)
        self.assertEqual(len(events), 1, f"{where}: {events.mapped('display_name')}")
        return events

    def test_every_kind_of_field(self):
        currency = self.env.ref("base.CZK")
        currency.active = True
        term = self.env.ref("account.account_payment_term_30days")
        category = self.env["res.partner.category"].create({"name": "Messe 2026"})
        klass = self.env["crm.partner.class"].search([("company_id", "=", self.company.id)])[:1]
        custom = self.env["crm.custom.field"].create(
            {"name": "Ereignis Test", "field_type": "char"}
        )
        field = custom.technical_name
        # (removed again before the test's rollback: the registry of the next tests has no
        # column of it)
        self.addCleanup(custom.unlink)
        # (a new field: the partner model of the registry now has it)
        customer = self.env["res.partner"].with_user(self.crm_manager).browse(self.customer.id)
        customer.write(
            {
                "street": "Elbstraße 1",
                "crm_preferred_channel": "phone",
                "crm_birthday": "2026-03-01",
                "country_id": self.env.ref("base.de").id,
                "category_id": [Command.link(category.id)],
                "crm_sale_currency_id": currency.id,
                "property_payment_term_id": term.id,
                "crm_class_id": klass.id,
                field: "Wert 1",
                "child_ids": [
                    Command.create({"name": "Anna Berger", "type": "contact"}),
                    Command.create({"name": "Lager", "type": "delivery", "city": "Pirna"}),
                ],
                "bank_ids": [Command.create({"acc_number": IBAN})],
            }
        )
        customer.write({"street": "Elbstraße 2", "crm_preferred_channel": "email", field: "Wert 2"})
        self.assertEqual(
            self._one(field_name="street", new_value="Elbstraße 2").old_value, "Elbstraße 1"
        )
        channel = self._one(field_name="crm_preferred_channel", new_value="E-mail")
        self.assertEqual(channel.old_value, "Phone")
        self.assertTrue(self._one(field_name="crm_birthday").new_value)
        self.assertEqual(self._one(field_name="country_id").new_value, "Germany")
        self.assertEqual(self._one(field_name="category_id").new_value, "Messe 2026")
        self.assertEqual(self._one(field_name="crm_sale_currency_id").new_value, "CZK")
        self.assertEqual(
            self._one(field_name="property_payment_term_id").new_value, term.display_name
        )
        klass_event = self._one(field_name="crm_class_id")
        self.assertEqual(klass_event.new_value, klass.display_name)
        self.assertEqual(klass_event.value_company_id, self.company)
        self.assertEqual(self._one(field_name=field, new_value="Wert 2").old_value, "Wert 1")
        anna = customer.child_ids.filtered(lambda p: p.name == "Anna Berger")
        store = customer.child_ids - anna
        self._one(kind="created", record_kind="contact")
        self._one(kind="created", record_kind="address")
        bank_event = self._one(kind="created", record_kind="bank")
        self.assertEqual(bank_event.new_value, MASKED)  # as stored: masked
        self.assertEqual(bank_event.new_value_full, IBAN)
        # contact person changed and removed, address changed
        anna.with_user(self.crm_manager).write({"function": "Einkauf", "email": "a@example.com"})
        store.with_user(self.crm_manager).write({"city": "Heidenau"})
        self.assertEqual(self._one(field_name="function").res_name, anna.display_name)
        city = self._one(field_name="city", record_kind="address")
        self.assertEqual((city.old_value, city.new_value), ("Pirna", "Heidenau"))
        anna.with_user(self.crm_manager).unlink()
        removed = self._one(kind="removed", record_kind="contact")
        self.assertEqual(removed.old_value, "Ereignis Handel GmbH, Anna Berger")
        # bank account changed and removed
        bank = customer.bank_ids
        bank.with_user(self.crm_manager).write({"acc_number": IBAN2, "crm_use_incoming": True})
        number = self._one(field_name="acc_number")
        self.assertTrue(number.is_bank_data)
        self.assertEqual(self._one(field_name="crm_use_incoming").new_value, "Yes")
        bank.with_user(self.crm_manager).unlink()
        self._one(kind="removed", record_kind="bank")
        # who and what: no technical field, nothing unchanged
        for name in ("street", "crm_preferred_channel", field, "function", "acc_number"):
            self.assertEqual(self._events(field_name=name).user_id, self.crm_manager, name)
        names = set(self._events().mapped("field_name"))
        for technical in ("write_date", "crm_class_manual", "customer_rank", "display_name"):
            self.assertNotIn(technical, names)
        before = len(self._events())
        customer.write({"street": "Elbstraße 2", "crm_preferred_channel": "email"})
        self.assertEqual(len(self._events()), before, "writing the same values logs nothing")
        # an image is logged as changed, without its content
        customer.write({"image_1920": "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="})
        image = self._one(field_name="image_1920")
        self.assertFalse(image.old_value or image.new_value)

    def test_masked_for_users_without_bank_rights(self):
        self.env["res.partner.bank"].create({"partner_id": self.customer.id, "acc_number": IBAN})
        self.customer.bank_ids.write({"acc_number": IBAN2})
        Event = self.Event.with_user(self.plain)
        events = Event.search([("partner_id", "=", self.customer.id), ("is_bank_data", "=", True)])
        self.assertEqual(len(events), 2)
        rows = events.read(["old_value", "new_value", "res_name"])
        rows += Event.search_read([("id", "in", events.ids)], ["old_value", "new_value"])
        rows += events.web_read({"old_value": {}, "new_value": {}, "display_name": {}})
        exported = events.export_data(["old_value", "new_value", "res_name"])["datas"]
        text = json.dumps([rows, exported])
        self.assertNotIn("3704", text)
        self.assertNotIn("1203", text)
        self.assertIn(MASKED, text)
        # the link to Odoo's technical ir.model.fields is for "Access Rights" only (the
        # others could not export it): the label says which field changed
        self.assertNotIn("field_id", Event.fields_get())
        self.assertTrue(events.export_data(["field_label", "res_name"])["datas"])
        with self.assertRaises(AccessError):
            events.read(["old_value_full"])
        with self.assertRaises(AccessError):
            Event.search([("old_value_full", "ilike", "DE89")])
        # a user who sees complete numbers reads them in the same columns
        full = events.with_user(self.crm_manager).read(["old_value", "new_value"])
        self.assertIn(IBAN, json.dumps(full))

    def test_company_rule_and_immutable(self):
        other = self.env["res.company"].create({"name": "Zweitfirma Ereignis s.r.o."})
        user2 = new_test_user(
            self.env,
            login="event_company2",
            groups="crm_core.group_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.customer.write({"phone": "+49 351 123456"})
        self.assertTrue(self._events())
        self.assertFalse(
            self.Event.with_user(user2).search([("partner_id", "=", self.customer.id)])
        )
        event = self._events()[:1].with_user(self.plain)
        with self.assertRaises(AccessError):
            event.write({"new_value": "x"})
        with self.assertRaises(AccessError):
            event.with_user(self.crm_manager).unlink()
        with self.assertRaises(AccessError):
            self._events()[:1].with_user(self.env.ref("base.user_admin")).write({"kind": "x"})
        # a customer's deletion takes its events along
        customer_id = self.customer.id
        self.customer.unlink()
        self.assertFalse(self.Event.search([("partner_id", "=", customer_id)]))

    def test_batch_queries(self):
        """One write of 10 or of 100 partners logs their changes with the same statements
        (the old values read in one go, the events inserted in one batch)."""
        partners = self.env["res.partner"].create(
            [{"name": f"Massen {i}", "is_company": True} for i in range(120)]
        )
        partners[110:].write({"phone": "+49 351 0", "crm_preferred_channel": "phone"})

        def measure(records, phone, channel):
            self.env.flush_all()
            self.env.invalidate_all()
            with record_queries() as queries:
                records.write({"phone": phone, "crm_preferred_channel": channel})
                self.env.flush_all()
            return len(data_queries(queries))

        few = measure(partners[:10], "+49 351 1", "visit")
        many = measure(partners[10:110], "+49 351 2", "letter")
        self.assertEqual(few, many)
        self.assertLessEqual(many, 20)
        # contact roles: created, changed (a new main contact replacing the old ones) and
        # removed with the same statements for 10 and for 100
        contacts = self.env["res.partner"].create(
            [{"name": f"Person {i}", "parent_id": partners[i].id} for i in range(110)]
        )
        roles = self.env["crm.contact.role"].search([], limit=2)
        Link = self.env["crm.partner.link"]

        def measure_links(indexes):
            self.env.flush_all()
            self.env.invalidate_all()
            counts = []
            with record_queries() as queries:
                links = Link.create(
                    [
                        {
                            "company_partner_id": partners[i].id,
                            "contact_id": contacts[i].id,
                            "role_id": roles[0].id,
                            "is_main": True,
                        }
                        for i in indexes
                    ]
                )
                self.env.flush_all()
            counts.append(len(data_queries(queries)))
            self.env.invalidate_all()
            with record_queries() as queries:
                links.write({"role_id": roles[1].id, "function": "Einkauf"})
                self.env.flush_all()
            counts.append(len(data_queries(queries)))
            self.env.invalidate_all()
            with record_queries() as queries:
                links.unlink()
                self.env.flush_all()
            counts.append(len(data_queries(queries)))
            return counts

        measure_links(range(2))  # (the caches the first links fill)
        # (50: up to 100 events per call, which Odoo's create inserts in one statement;
        # it sends one INSERT per 100 rows)
        few = measure_links(range(10))
        many = measure_links(range(10, 60))
        self.assertEqual(few, many)
        events = self.Event.search(
            [("partner_id", "in", partners[10:60].ids), ("record_kind", "=", "role")]
        )
        self.assertEqual(len(events), 50 * 4)  # created, role, function, removed
        self.assertEqual(
            self.Event.search_count(
                [("partner_id", "in", partners[:110].ids), ("field_name", "=", "phone")]
            ),
            110,
        )

    def test_contact_roles(self):
        """Contact roles (crm.partner.link) created, changed and removed: logged on the
        company and on the contact person's own customer, with readable values; the main
        contact a new main contact replaces is logged too."""
        purchasing = self.env.ref("crm_core.crm_contact_role_purchasing")
        sales = self.env.ref("crm_core.crm_contact_role_sales")
        anna = self.env["res.partner"].create(
            {"name": "Anna Rolle", "parent_id": self.customer.id, "type": "contact"}
        )
        other = self.env["res.partner"].create(
            {"name": "Fremd Lieferant AG", "is_company": True, "company_id": self.company.id}
        )
        bob = self.env["res.partner"].create({"name": "Bob Berater", "parent_id": other.id})
        carl = self.env["res.partner"].create({"name": "Carl Privat"})
        Link = self.env["crm.partner.link"].with_user(self.crm_manager)
        links = Link.create(
            [
                {
                    "company_partner_id": self.customer.id,
                    "contact_id": contact.id,
                    "role_id": role.id,
                    "is_main": main,
                }
                for contact, role, main in (
                    (anna, purchasing, True),
                    (bob, purchasing, False),
                    (carl, sales, False),
                )
            ]
        )
        anna_link, bob_link, carl_link = links
        created = self._events(kind="created", record_kind="role")
        self.assertEqual(len(created), 3)
        self.assertIn(
            "Bob Berater as Purchasing at Ereignis Handel GmbH", created.mapped("new_value")
        )
        self.assertEqual(created.user_id, self.crm_manager)
        # on the contact person's own customer as well (another company, a private person)
        self.assertEqual(len(self._events(partner=other, kind="created", record_kind="role")), 1)
        self.assertEqual(len(self._events(partner=carl, kind="created", record_kind="role")), 1)
        # Bob becomes the main contact for purchasing: Anna stops being it, both logged
        bob_link.write({"is_main": True, "function": "Einkaufsberater"})
        self.assertFalse(anna_link.is_main)
        anna_main = self._one(field_name="is_main", res_id=anna_link.id)
        self.assertEqual((anna_main.old_value, anna_main.new_value), ("Yes", "No"))
        self.assertEqual(anna_main.record_kind, "role")
        self.assertEqual(anna_main.res_model, "crm.partner.link")
        bob_main = self._one(field_name="is_main", res_id=bob_link.id)
        self.assertEqual((bob_main.old_value, bob_main.new_value), ("No", "Yes"))
        self.assertEqual(bob_main.field_label, "Main Contact")
        self.assertEqual(self._one(field_name="function").new_value, "Einkaufsberater")
        self._one(partner=other, field_name="is_main")
        # a role changed
        carl_link.write({"role_id": purchasing.id})
        role = self._one(field_name="role_id")
        self.assertEqual((role.old_value, role.new_value), ("Sales", "Purchasing"))
        self.assertEqual(role.res_name, "Carl Privat as Purchasing at Ereignis Handel GmbH")
        self._one(partner=carl, field_name="role_id")
        # removed
        bob_link.unlink()
        removed = self._one(kind="removed", record_kind="role")
        self.assertEqual(removed.old_value, "Bob Berater as Purchasing at Ereignis Handel GmbH")
        self._one(partner=other, kind="removed", record_kind="role")
        # from the company's form: its one2many of contact roles
        self.customer.with_user(self.crm_manager).write(
            {"crm_link_ids": [Command.update(anna_link.id, {"role_id": sales.id})]}
        )
        self.assertEqual(self._events(field_name="role_id", res_id=anna_link.id).new_value, "Sales")

    def test_debtor_numbers_and_default_accounts(self):
        """The debtor and creditor numbers (crm.partner.number, the fields "Debtor Number"
        and "Creditor Number" of the form), and a default bank account the next default
        replaces: logged."""
        customer = self.customer.with_user(self.crm_manager)
        customer.write({"crm_debtor_number": "D-4711"})
        number = self._one(field_name="crm_debtor_number")
        self.assertEqual((number.old_value, number.new_value), (False, "D-4711"))
        self.assertEqual(number.field_label, "Debtor Number")
        self.assertEqual(number.value_company_id, self.company)
        self.assertEqual(number.record_kind, "customer")
        customer.write({"crm_debtor_number": "D-4712"})
        changed = self._one(field_name="crm_debtor_number", new_value="D-4712")
        self.assertEqual(changed.old_value, "D-4711")
        customer.write({"crm_debtor_number": False})
        self._one(field_name="crm_debtor_number", old_value="D-4712", new_value=False)
        customer.action_assign_creditor_number()
        self.assertEqual(
            self._one(field_name="crm_creditor_number").new_value,
            self.customer.crm_creditor_number,
        )
        Bank = self.env["res.partner.bank"].with_user(self.crm_manager)
        first = Bank.create(
            {"partner_id": self.customer.id, "acc_number": IBAN, "crm_default_incoming": True}
        )
        Bank.create(
            {"partner_id": self.customer.id, "acc_number": IBAN2, "crm_default_incoming": True}
        )
        self.assertFalse(first.crm_default_incoming)
        unset = self._one(field_name="crm_default_incoming", res_id=first.id)
        self.assertEqual((unset.old_value, unset.new_value), ("Yes", "No"))

    def test_pricelist_with_its_label(self):
        pricelist = self.env["product.pricelist"].create({"name": "Händler 2026"})
        # (a country without a pricelist of its own: Odoo stores the one chosen)
        self.customer.country_id = self.env.ref("base.de")
        self.assertFalse(
            self.env["product.pricelist"].search(
                [("country_group_ids.country_ids.code", "=", "DE")], limit=1
            )
        )
        self.customer.with_user(self.crm_manager).write(
            {"property_product_pricelist": pricelist.id}
        )
        event = self._one(field_name="specific_property_product_pricelist")
        self.assertEqual(event.new_value, pricelist.display_name)
        self.assertEqual(
            event.field_label,
            self.env["res.partner"]._fields["property_product_pricelist"].string,
        )

    def test_abc_class_changes(self):
        klass = self.env["crm.partner.class"].search([("company_id", "=", self.company.id)])[:2]
        self.env["res.partner"]._crm_on_class_changes(
            self.company, [(self.customer.id, klass[0].id, klass[1].id)], by_hand=False
        )
        event = self._one(field_name="crm_class_id")
        self.assertEqual((event.old_value, event.new_value), tuple(klass.mapped("display_name")))

    def test_personal_data_export(self):
        self.customer.write(
            {
                "email": "info@ereignis.example",
                "child_ids": [Command.create({"name": "Karl Klein", "type": "contact"})],
                "bank_ids": [Command.create({"acc_number": IBAN})],
            }
        )
        self.customer.message_post(body="Bitte um Rückruf")
        with self.assertRaisesRegex(AccessError, "Only CRM managers"):
            self.customer.with_user(self.plain).action_crm_export_personal_data()
        with self.assertRaisesRegex(AccessError, "Only CRM managers"):
            self.customer.with_user(self.plain)._crm_personal_data_file()
        action = self.customer.with_user(self.crm_manager).action_crm_export_personal_data()
        self.assertEqual(action["url"], f"/crm_core/personal_data/{self.customer.id}")
        name, content = self.customer.with_user(self.crm_manager)._crm_personal_data_file()
        self.assertTrue(name.endswith(".zip"))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            data = json.loads(archive.read("personal_data.json"))
        self.assertEqual(data["partner"]["email"], "info@ereignis.example")
        self.assertEqual([c["name"] for c in data["contact_persons"]], ["Karl Klein"])
        self.assertEqual(data["bank_accounts"][0]["acc_number"], IBAN)
        self.assertTrue(data["events"])
        self.assertIn("Bitte um Rückruf", json.dumps(data["messages"], ensure_ascii=False))
        self._one(kind="exported")
