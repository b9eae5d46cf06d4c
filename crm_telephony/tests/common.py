import socket

from odoo import api
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_core.tools import breaker

from .peers import CallMonitorPeer, Tr64Peer


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on (connecting gets 'refused')."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TelephonyCase(TransactionCase):
    """A company in Germany with a box talking to the TR-064 peer, one line, two users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.tr64 = Tr64Peer(user="crm", password="s3cret-Pass").start()
        cls.addClassCleanup(cls.tr64.stop)
        cls.box = cls.env["crm.telephony.box"].create(
            {
                "name": "Test Box",
                "host": "127.0.0.1",
                "tr64_port": cls.tr64.port,
                "user": "crm",
                "password": "s3cret-Pass",
                "monitor_port": free_port(),
                "tz": "Europe/Berlin",
            }
        )
        cls.user = new_test_user(
            cls.env, login="tel_user", groups="crm_core.group_user", name="Tel User"
        )
        cls.manager = new_test_user(
            cls.env, login="tel_manager", groups="crm_core.group_manager", name="Tel Manager"
        )
        cls.user.write(
            {"crm_telephony_box_id": cls.box.id, "crm_telephony_extension": "FON1: Telefon"}
        )
        cls.line = cls.env["crm.telephony.line"].create(
            {
                "box_id": cls.box.id,
                "name": "Zentrale",
                "number": "4440000",
                "user_ids": [(6, 0, cls.user.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Elbe Maschinenbau GmbH", "is_company": True, "phone": "0351/4445566"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Erika Muster",
                "parent_id": cls.customer.id,
                "phone": "+49 351 4445577",
                "crm_phone_mobile": "0171 2345678",
            }
        )

    def setUp(self):
        super().setUp()
        breaker.reset_all()  # every test starts with no box paused

    def run_sync_cron(self):
        """The call list and phonebook cron as Odoo runs it: in a cursor of its own,
        committing box by box (here: savepoints of the test's transaction)."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            api.Environment(cr, api.SUPERUSER_ID, {})["crm.telephony.box"]._cron_sync()
        self.env.invalidate_all()

    def start_monitor_peer(self, scripts=None, port=0):
        """A call monitor peer on a fresh port (or `port`), set on the box."""
        peer = CallMonitorPeer(scripts, port=port).start()
        self.addCleanup(peer.stop)
        self.box.monitor_port = peer.port
        return peer
