from odoo.fields import Command
from odoo.tests import Form, tagged

from ..tools.cockpit import CockpitButton
from .common import CrmCoreAccountCommon, data_queries, record_queries

# the suite's addons: their views of the partner form make the difference to Odoo's own
SUITE = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_scan",
    "crm_telephony",
]


class _Rollback(Exception):
    """Leaves a savepoint, undoing what was done in it."""


COCKPIT_FIELDS = [
    "crm_invoice_count",
    "crm_refund_count",
    "crm_open_amount",
    "crm_project_count",
    "crm_contact_count",
    "crm_address_count",
    "crm_bank_count",
]


@tagged("post_install", "-at_install")
class TestCockpit(CrmCoreAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Maschinenbau Schmidt GmbH", customer_rank=1)
        cls.contact = cls.env["res.partner"].create(
            {"name": "Anna Schmidt", "parent_id": cls.customer.id, "type": "contact"}
        )
        cls.delivery = cls.env["res.partner"].create(
            {"name": "Lager Nord", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.env["res.partner.bank"].create(
            {"acc_number": "DE89370400440532013000", "partner_id": cls.customer.id}
        )
        cls.env["project.project"].create({"name": "Umbau", "partner_id": cls.contact.id})

    def test_counts(self):
        self._post(self.customer, 100.0)
        self._post(self.contact, 50.0)  # invoices to a contact count for the company
        self._post(self.customer, 30.0, move_type="out_refund")
        self._post(self.customer, 70.0, post=False)  # a draft counts, but is not open
        customer = self.customer
        self.assertEqual(customer.crm_invoice_count, 3)
        self.assertEqual(customer.crm_refund_count, 1)
        self.assertAlmostEqual(customer.crm_open_amount, 120.0)
        self.assertEqual(customer.crm_project_count, 1)
        self.assertEqual(customer.crm_contact_count, 1)
        self.assertEqual(customer.crm_address_count, 1)
        self.assertEqual(customer.crm_bank_count, 1)
        # a contact shows the figures of its company
        self.assertEqual(self.contact.crm_invoice_count, 3)
        action = customer.action_crm_open_invoices()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(self.env["account.move"].search_count(action["domain"]), 3)
        action = customer.action_crm_open_bank_accounts()
        self.assertEqual(self.env["res.partner.bank"].search_count(action["domain"]), 1)
        action = customer.action_crm_open_addresses()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.delivery)

    def test_user_without_accounting_sees_no_invoice_counts(self):
        self._post(self.customer, 100.0)
        customer = self.customer.with_user(self.crm_user)
        self.assertEqual(customer.crm_invoice_count, 0)
        self.assertEqual(customer.crm_contact_count, 1)
        # the form opens for a CRM user
        Form(customer)

    def _form_queries(self, *partners):
        """Queries of opening the partner form (all its fields and the cockpit counts) as
        the web client does (Form reads the record with the form view's field spec), for
        each partner; views and ormcaches warmed first for all of them."""
        partners = [partner.with_user(self.crm_manager) for partner in partners]
        for partner in partners:
            self.env.flush_all()
            self.env.invalidate_all()
            Form(partner)
        result = []
        for partner in partners:
            self.env.flush_all()
            self.env.invalidate_all()
            with record_queries() as queries:
                form = Form(partner)
            result.append((queries, form))
        return result

    def test_constant_queries(self):
        # both customers have at least one record of each kind, the big one many
        small = self._customer("Kleiner Kunde", customer_rank=1)
        self._post(small, 10.0)
        self._post(small, 1.0, move_type="out_refund")
        self.env["res.partner"].create({"name": "Einziger Kontakt", "parent_id": small.id})
        self.env["res.partner"].create(
            {"name": "Einziges Lager", "parent_id": small.id, "type": "delivery"}
        )
        self.env["project.project"].create({"name": "Einziges Projekt", "partner_id": small.id})
        self.env["res.partner.bank"].create(
            {"acc_number": "DE62370400440532013001", "partner_id": small.id}
        )
        big = self._customer("Großer Kunde", customer_rank=1)
        for i in range(25):
            self._post(big, 10.0 + i)
        for _i in range(3):
            self._post(big, 1.0, move_type="out_refund")
        # (the same contacts and addresses: Odoo's own contact cards read more rows in
        # more batches; the cockpit counts of many contacts are in test_cockpit_counts_...)
        self.env["res.partner"].create({"name": "Ein Kontakt", "parent_id": big.id})
        self.env["project.project"].create(
            [{"name": f"Projekt {i}", "partner_id": big.id} for i in range(5)]
        )
        self.env["res.partner"].create(
            {"name": "Ein Lager", "parent_id": big.id, "type": "delivery"}
        )
        # (IBANs no other partner has: Odoo reads the partners sharing an account number)
        self.env["res.partner.bank"].create(
            [
                {"acc_number": iban, "partner_id": big.id}
                # numbers nobody else has (Odoo's duplicate-account warning would read the
                # other holders, e.g. demo partners, for the big customer only)
                for iban in ("DE83370400440532013011", "DE56370400440532013012")
            ]
        )
        (small_count, small_values), (big_count, big_values) = self._form_queries(small, big)
        small_count, big_count = data_queries(small_count), data_queries(big_count)
        self.assertEqual(big_values.crm_invoice_count, 25)
        self.assertEqual(big_values.crm_refund_count, 3)
        self.assertEqual(big_values.crm_project_count, 5)
        self.assertEqual(big_values.crm_bank_count, 2)
        self.assertEqual(small_values.crm_invoice_count, 1)
        self.assertEqual(
            len(small_count),
            len(big_count),
            "\n".join(q[:160] for q in ["small:", *small_count, "big:", *big_count]),
        )
        # and the cockpit counts themselves: one query for the grouped counts of every
        # kind of every installed addon (UNION ALL), the projects (counted along the
        # customers' links) one search and two reads along the links (ormcaches of this
        # user warmed first, like the measures above)
        big.invalidate_recordset()
        big.read(COCKPIT_FIELDS)
        big.invalidate_recordset()
        with self.assertQueryCount(4):
            big.read(COCKPIT_FIELDS)

    def test_form_web_read_costs_at_most_half_more_than_odoos(self):
        """The customer form as the web client reads it (web_read with the form's field
        spec, every installed addon's tabs and cockpit) costs at most 1.5 times the
        queries of Odoo's own partner form (the same view without the suite's
        inheritances) for the same customer."""
        for i in range(5):
            self._post(self.customer, 10.0 + i)
        self._post(self.customer, 1.0, move_type="out_refund")
        customer = self.customer.with_user(self.crm_manager)
        ours = Form(customer)._view["fields_spec"]
        views = (
            self.env["ir.model.data"]
            .search([("model", "=", "ir.ui.view"), ("module", "in", SUITE)])
            .mapped("res_id")
        )
        views = (
            self.env["ir.ui.view"]
            .browse(views)
            .filtered(lambda v: v.model == "res.partner" and v.inherit_id)
        )
        self.assertTrue(views)
        try:
            with self.env.cr.savepoint():
                views.write({"active": False})
                self.env.registry.clear_cache("templates")
                odoo = Form(customer)._view["fields_spec"]
                raise _Rollback
        except _Rollback:
            pass
        finally:
            self.env.registry.clear_cache("templates")
        self.assertFalse(set(odoo) - set(ours))
        self.assertGreater(len(ours), len(odoo))

        def queries(spec):
            self.env.flush_all()
            self.env.invalidate_all()
            customer.web_read(spec)  # warm the ormcaches of this user
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = customer.web_read(spec)[0]
            return self.env.cr.sql_log_count - before, values

        anchor, _values = queries(odoo)
        count, values = queries(ours)
        self.assertEqual(values["crm_invoice_count"], 5)
        self.assertEqual(values["crm_refund_count"], 1)
        limit = int(anchor * 1.5)
        self.assertLessEqual(count, limit, f"ours {count} queries, Odoo's form {anchor}")
        self.env.invalidate_all()
        with self.assertQueryCount(limit):
            customer.web_read(ours)

    def test_cockpit_counts_constant_queries(self):
        """The counts cost the same queries for 2 or 40 related records of each kind."""
        customers = []
        for size in (1, 20):
            customer = self._customer(f"Kunde mit {size}", customer_rank=1)
            for i in range(size):
                self._post(customer, 10.0 + i)
                self._post(customer, 1.0, move_type="out_refund")
            self.env["res.partner"].create(
                [{"name": f"K{i}", "parent_id": customer.id} for i in range(size)]
                + [
                    {"name": f"L{i}", "parent_id": customer.id, "type": "delivery"}
                    for i in range(size)
                ]
            )
            self.env["project.project"].create(
                [{"name": f"P{i}", "partner_id": customer.id} for i in range(size)]
            )
            customers.append(customer.with_user(self.crm_manager))
        for customer in customers:  # warm the ormcaches for both, from empty record caches
            self.env.flush_all()
            self.env.invalidate_all()
            customer.read(COCKPIT_FIELDS)
        measures = []
        for customer in customers:
            self.env.flush_all()
            self.env.invalidate_all()
            with record_queries() as queries:
                values = customer.read(COCKPIT_FIELDS)[0]
            measures.append((queries, values))
        (small, small_values), (big, big_values) = measures
        small, big = data_queries(small), data_queries(big)
        self.assertEqual(
            (small_values["crm_invoice_count"], big_values["crm_invoice_count"]), (1, 20)
        )
        self.assertEqual(big_values["crm_contact_count"], 20)
        self.assertEqual(big_values["crm_address_count"], 20)
        self.assertEqual(big_values["crm_project_count"], 20)
        self.assertEqual(
            len(small), len(big), "\n".join(q[:160] for q in ["small:", *small, "big:", *big])
        )

    def test_new_documents_prefilled(self):
        term = self.env.ref("account.account_payment_term_30days")
        self.customer.property_payment_term_id = term
        invoice_address = self.env["res.partner"].create(
            {"name": "Buchhaltung", "parent_id": self.customer.id, "type": "invoice"}
        )
        action = self.customer.with_user(self.crm_manager).action_crm_new_invoice()
        move = Form(
            self.env["account.move"].with_user(self.crm_manager).with_context(action["context"])
        )
        self.assertEqual(move.partner_id, invoice_address)
        self.assertEqual(move.move_type, "out_invoice")
        self.assertEqual(move.invoice_payment_term_id, term)
        with move.invoice_line_ids.new() as line:
            line.name = "Wartung"
            line.price_unit = 80
        invoice = move.save()
        self.assertEqual(invoice.commercial_partner_id, self.customer)
        action = self.customer.action_crm_new_refund()
        self.assertEqual(action["context"]["default_move_type"], "out_refund")
        action = self.customer.action_crm_new_project()
        project = Form(self.env["project.project"].with_context(action["context"])).save()
        self.assertEqual(project.partner_id, self.customer)
        self.assertEqual(self.customer.crm_project_count, 2)

    def test_counts_and_lists_agree(self):
        """Each button's count and the list it opens come from one definition: the same
        records (a cancelled invoice is in neither), for the company and its contact."""
        self._post(self.customer, 100.0)
        self._post(self.contact, 40.0)
        self._post(self.customer, 20.0, post=False).button_cancel()
        self._post(self.customer, 30.0, move_type="out_refund")
        self.env["project.project"].create({"name": "Archiv", "partner_id": self.customer.id})
        for partner in (self.customer, self.contact):
            partner = partner.with_user(self.crm_manager)
            for field, action in (
                ("crm_invoice_count", partner.action_crm_open_invoices()),
                ("crm_refund_count", partner.action_crm_open_refunds()),
                ("crm_project_count", partner.action_crm_open_projects()),
                ("crm_contact_count", partner.action_crm_open_contacts()),
                ("crm_address_count", partner.action_crm_open_addresses()),
                ("crm_bank_count", partner.action_crm_open_bank_accounts()),
            ):
                Model = self.env[action["res_model"]].with_user(self.crm_manager)
                listed = Model.search_count(action["domain"])
                self.assertEqual(partner[field], listed, f"{partner.name}: {field}")
                self.assertTrue(listed, field)

    def test_extension_point(self):
        """What another addon does to add a button: one definition (CockpitButton) for the
        count and the list; the arguments of before (model, partner field, domain) still
        work."""
        button = CockpitButton("res.partner", "parent_id", (("type", "=", "delivery"),))
        counts = (self.customer | self.contact)._crm_cockpit_count(button)
        self.assertEqual(counts, {self.customer.id: 1})
        action = self.contact._crm_cockpit_action(button, context={"default_type": "delivery"})
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.delivery)
        self.assertEqual(action["context"], {"default_type": "delivery"})
        self.contact._crm_cockpit_fill(button, "crm_address_count")
        self.assertEqual(self.contact.crm_address_count, 1)
        counts = (self.customer | self.contact)._crm_cockpit_count("res.partner.bank", "partner_id")
        self.assertEqual(counts, {self.customer.id: 1})
        groups = self.customer._crm_cockpit_read_group(
            CockpitButton("res.partner", "parent_id"), groupby=("type",)
        )
        self.assertEqual(
            groups, {(self.customer.id, "contact"): [1], (self.customer.id, "delivery"): [1]}
        )
        self.customer.write({"child_ids": [Command.create({"name": "Filiale", "type": "other"})]})
        self.assertEqual(self.customer.crm_address_count, 2)
