import datetime

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_core.tools import state

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestCallsInCorrespondence(TelephonyCase):
    def test_call_in_the_correspondence(self):
        """A finished call with a contact person is listed under the customer (the call's
        row stands for the chronicle entry logging it) and opens the call; a user of
        another company does not see it."""
        start = datetime.datetime(2026, 3, 2, 9, 30)
        call = self.env["crm.phone.call"]._create_by_action(
            [
                {
                    "box_id": self.box.id,
                    "call_type": "incoming",
                    "number": "+49 351 4445577",
                    "partner_id": self.contact.id,
                    "user_id": self.user.id,
                    "start": start,
                    "duration": 120,
                }
            ]
        )
        with state.changing(call, "chronicle_entry_id"):  # as the call monitor does
            call._log_to_chronicle()
        self.assertTrue(call.chronicle_entry_id)
        Correspondence = self.env["crm.chronicle.correspondence"].with_user(self.user)
        rows = Correspondence.search([("partner_id", "=", self.customer.id)])
        [row] = rows.filtered(lambda r: r.kind == "call")
        self.assertEqual(
            (row.res_model, row.res_id, row.date, row.name, row.user_id, row.company_id),
            (call._name, call.id, start, call.name, self.user, self.box.company_id),
        )
        self.assertFalse(rows.filtered(lambda r: r.kind == "entry"), "the call stands for it")
        self.assertEqual(row.action_open()["res_id"], call.id)
        self.assertFalse(row.can_print or row.can_send)
        other = self.env["res.company"].create({"name": "Andere Firma"})
        stranger = new_test_user(
            self.env,
            login="tel_stranger",
            groups="crm_core.group_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(
            Correspondence.with_user(stranger).search([("partner_id", "=", self.customer.id)])
        )
