import datetime

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_resubmission_tour(self):
        partner = self.env["res.partner"].create(
            {"name": "Tour Chronik GmbH", "is_company": True, "customer_rank": 1}
        )
        self.start_tour(
            "/odoo/action-crm_core.res_partner_action_customers",
            "crm_chronicle_resubmission_tour",
            login="admin",
        )
        from_tab = self.env["crm.chronicle.entry"].search([("name", "=", "Tour note from the tab")])
        self.assertEqual(from_tab.partner_id, partner)
        self.assertEqual(from_tab.state, "done")
        entry = self.env["crm.chronicle.entry"].search([("name", "=", "Tour call about the offer")])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.partner_id, partner)
        self.assertEqual(entry.type_id.code, "call")
        resubmission = entry.resubmission_ids
        self.assertEqual(len(resubmission), 1)
        self.assertEqual(resubmission.state, "done")
        admin = self.env.ref("base.user_admin")
        self.assertEqual(resubmission.user_id, admin)
        self.assertEqual(resubmission.done_user_id, admin)
        in_two_days = datetime.date.today() + datetime.timedelta(days=2)
        self.assertLessEqual(abs((resubmission.date.date() - in_two_days).days), 1)
        followup = resubmission.followup_entry_id
        self.assertEqual(followup.name, "Tour follow-up: offer accepted")
        self.assertEqual(followup.partner_id, partner)
        self.assertEqual(entry.state, "done")
