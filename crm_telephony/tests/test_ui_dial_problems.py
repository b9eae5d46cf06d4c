"""Click to dial when it cannot work, and in lists (issue 20): tours in Chromium."""

import socket

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import new_test_user

from .peers.tr64_peer import Tr64Peer


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestDialProblems(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Dial Telefon GmbH",
                "is_company": True,
                "customer_rank": 1,
                "phone": "+49 351 4445566",
            }
        )
        cls.env["res.partner"].create(
            {
                "name": "Dial Praha s.r.o.",
                "is_company": True,
                "customer_rank": 1,
                "phone": "+420 585 222 333",
            }
        )

    def _box(self, port):
        return self.env["crm.telephony.box"].create(
            {
                "name": "Office Box",
                "host": "127.0.0.1",
                "tr64_port": port,
                "user": "crm",
                "password": "secret",
                "monitor_enabled": False,
            }
        )

    def test_no_box_hint(self):
        new_test_user(self.env, login="dial_nobox", groups="crm_core.group_user")
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}", "crm_telephony_dial_hint_tour", login="dial_nobox"
        )

    @mute_logger("odoo.http")  # the UserError the tour provokes on purpose
    def test_unreachable_box(self):
        user = new_test_user(self.env, login="dial_down", groups="crm_core.group_user")
        user.crm_telephony_box_id = self._box(_closed_port())
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_telephony_dial_unreachable_tour",
            login="dial_down",
        )

    def test_dial_button_in_list(self):
        tr64 = Tr64Peer().start()
        self.addCleanup(tr64.stop)
        self.env.ref("base.user_admin").crm_telephony_box_id = self._box(tr64.port)
        action = self.env.ref("crm_core.res_partner_action_customers")
        self.start_tour(
            f"/odoo/action-{action.id}?view_type=list", "crm_telephony_dial_list_tour",
            login="admin",
        )  # fmt: skip


@tagged("post_install", "-at_install")
class TestDialListTablet(TestDialProblems):
    """The list on an iPad (1024x768, touch: web's SMS link on every row) (issue 20)."""

    browser_size = "1024x768"
    touch_enabled = True

    def test_dial_button_in_list(self):  # (only this one: Odoo runs a class's own tests)
        super().test_dial_button_in_list()
