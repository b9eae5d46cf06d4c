"""States change only through actions (issue 17, finding 5): a direct write or create of a
workflow field is refused for every user, whatever their group; the actions still work and
check what they must."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_core.tools.state import StateError

from .test_billing_service import ServiceCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestStateMachine(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crm_manager = new_test_user(
            cls.env,
            login="state_crm_manager",
            groups="crm_core.group_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.sepa_only = new_test_user(
            cls.env,
            login="state_sepa_only",
            groups="crm_billing_sepa.group_sepa_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.write(
            {
                "company_ids": [Command.link(cls.company.id)],
                "group_ids": [Command.link(cls.env.ref("crm_billing_sepa.group_sepa_manager").id)],
            }
        )
        # every user who may write the records at all; the admin is not the superuser
        cls.writers = [cls.crm_user, cls.crm_manager, cls.billing_user, cls.sepa_only, cls.admin]
        cls.level = cls.env["crm.dunning.level"].create({"name": "Mahnung", "days": 7})

    def assert_refused(self, records, vals, field_label, users=None):
        for user in users or self.writers:
            with self.subTest(user=user.login, model=records._name, vals=vals):
                with self.assertRaisesRegex(StateError, field_label):
                    records.with_user(user).with_company(self.company).write(vals)

    def test_a_draft_mandate_is_never_activated_by_writing_its_state(self):
        """The finding: a CRM user activated a draft mandate without a signature date with
        write({'state': 'active'})."""
        partner, _bank, mandate = self.make_customer("Entwurf", mandate_state="draft")
        mandate.signature_date = False
        self.assert_refused(mandate, {"state": "active"}, "State changes only through")
        self.assert_refused(mandate, {"last_debit_date": D(2026, 1, 1)}, "Last Debit Date")
        self.assert_refused(mandate, {"original_iban": "DE02100100100006820101"}, "Original")
        self.assertEqual(mandate.state, "draft")
        # nor is one created active
        bank = mandate.bank_account_id
        for user in self.writers:
            with self.assertRaisesRegex(StateError, "State changes only through"):
                self.env["crm.sepa.mandate"].with_user(user).create(
                    {"partner_id": partner.id, "bank_account_id": bank.id, "state": "active"}
                )
        # the action checks the signature date; with it, every writer may activate
        with self.assertRaisesRegex(ValidationError, "set the signature date"):
            mandate.with_user(self.crm_user).action_activate()
        mandate.with_user(self.crm_user).signature_date = D(2026, 2, 1)
        mandate.with_user(self.crm_user).action_activate()
        self.assertEqual(mandate.state, "active")
        # even as superuser an active mandate keeps its signature date
        with self.assertRaisesRegex(ValidationError, "needs its signature date"):
            mandate.signature_date = False
        mandate.with_user(self.crm_user).action_revoke("Widerruf per Brief")
        self.assertEqual(
            (mandate.state, mandate.revocation_reason), ("revoked", "Widerruf per Brief")
        )

    def test_mandate_actions_for_each_group(self):
        for user in self.writers:
            with self.subTest(user=user.login):
                _p, _b, mandate = self.make_customer(f"Aktion {user.login}", mandate_state="draft")
                mandate = mandate.with_user(user)
                mandate.action_activate()
                mandate.action_set_final()
                self.assertEqual(mandate.sequence_type, "FNAL")
                mandate.action_close()
                self.assertEqual(mandate.state, "closed")

    def test_a_dunning_run_state_is_never_written(self):
        self.make_invoice(self.customer, 30.0, due=D(2026, 1, 1))
        run = self.env["crm.dunning.run"].with_user(self.billing_user).create({})
        billing = [self.billing_user, self.sepa_only, self.admin]
        self.assert_refused(run, {"state": "done"}, "State changes only through", billing)
        with self.assertRaisesRegex(StateError, "State changes only through"):
            self.env["crm.dunning.run"].with_user(self.billing_user).create({"state": "done"})
        run.with_user(self.billing_user).action_propose()
        letter = run.letter_ids
        self.assertEqual(len(letter), 1)
        for vals in ({"state": "sent"}, {"fee_state": "invoiced"}):
            with self.assertRaises(StateError):
                letter.with_user(self.billing_user).write(vals)
        # a proposed letter may be reviewed, a confirmed one keeps what it said
        letter.with_user(self.billing_user).fee_amount = 2.5
        run.with_user(self.billing_user).action_confirm()
        self.assertEqual((run.state, letter.state), ("done", "done"))
        with self.assertRaisesRegex(UserError, "can no longer change"):
            letter.with_user(self.billing_user).fee_amount = 0
        with self.assertRaisesRegex(UserError, "can no longer change"):
            letter.line_ids.with_user(self.billing_user).interest = 0
        with self.assertRaisesRegex(UserError, "can no longer change"):
            run.with_user(self.billing_user).date = D(2026, 1, 1)

    def test_a_service_is_never_marked_invoiced_by_hand(self):
        service = self.make_services(self.customer, [("Wartung", self.product_unit, 1, self.today)])
        invoice = self.make_invoice(self.customer, 1.0)
        for vals in (
            {"state": "invoiced"},
            {"invoice_line_id": invoice.invoice_line_ids.id},
            {"invoice_id": invoice.id},
        ):
            for user in (self.crm_user, self.billing_user, self.admin):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(StateError):
                        service.with_user(user).write(vals)
        self.assertEqual(service.state, "open")
        service.with_user(self.crm_user).action_mark_not_billable()
        self.assertEqual(service.state, "not_billable")
        service.with_user(self.crm_user).action_mark_billable()
        [invoice_id] = service.with_user(self.billing_user).invoice_services()
        self.assertEqual(service.state, "invoiced")
        self.assertEqual(service.invoice_id.id, invoice_id)
