import threading

from odoo.cli.command import find_command
from odoo.tests import HttpCase, tagged

from ..tools.listener import MonitorSupervisor
from .peers import CallMonitorPeer, Tr64Peer


@tagged("post_install", "-at_install")
class TestIncomingCallTour(HttpCase):
    _after_login = None

    def authenticate(self, user, password, browser=None):
        # The listener writes through test cursors on this test's connection: start it only
        # once the login (which still queries through self.cr while requests are allowed) is
        # done, so that the two threads never use the connection at the same time.
        super().authenticate(user, password, browser=browser)
        if self._after_login:
            self._after_login()
            self._after_login = None

    def test_incoming_call_tour(self):
        """A customer calls: the real listener (fritzconnection's FritzMonitor against the call
        monitor peer, events written through the odoo-bin command's service with its own
        cursors) notifies the admin live; the admin opens the customer and finds the call."""
        self.env.company.country_id = self.env.ref("base.de")
        tr64 = Tr64Peer().start()
        self.addCleanup(tr64.stop)
        monitor = CallMonitorPeer(
            [
                [
                    ("sleep", 4),
                    "27.11.26 10:00:00;RING;0;03514445566;4440000;SIP0;",
                    ("sleep", 1),
                    "27.11.26 10:00:20;DISCONNECT;0;0;",
                ]
            ]
        ).start()
        self.addCleanup(monitor.stop)
        box = self.env["crm.telephony.box"].create(
            {
                "name": "Tour Box",
                "host": "127.0.0.1",
                "tr64_port": tr64.port,
                "user": "crm",
                "password": "secret",
                "monitor_port": monitor.port,
            }
        )
        admin = self.env.ref("base.user_admin")
        admin.write({"crm_telephony_box_id": box.id, "crm_telephony_extension": "**610"})
        self.env["crm.telephony.line"].create(
            {
                "box_id": box.id,
                "name": "Zentrale",
                "number": "4440000",
                "user_ids": [(6, 0, admin.ids)],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Telefon GmbH", "is_company": True, "phone": "+49 351 4445566"}
        )

        service = find_command("crm_callmonitor").service_class(self.registry)
        supervisor = MonitorSupervisor(service.on_line, service.on_status)
        supervisor.set_boxes(service.boxes())
        thread = threading.Thread(target=supervisor.run, daemon=True)
        self._after_login = thread.start
        try:
            self.start_tour("/odoo", "crm_telephony_incoming_call_tour", login="admin")
        finally:
            supervisor.stop()
            if thread.ident:  # started by the login
                thread.join(10)
        # the listener wrote through its own cursors: forget what this env cached
        self.env.invalidate_all()
        # click to dial from the form went over TR-064 to the box
        self.assertEqual(tr64.dialled, [("**610", "03514445566")])
        call = self.env["crm.phone.call"].search(
            [("box_id", "=", box.id), ("call_type", "=", "missed")]
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.partner_id, customer)
        self.assertEqual(call.user_id, admin)
        self.assertEqual(call.chronicle_entry_id.partner_id, customer)
        self.assertEqual(box.monitor_state, "connected")


class DialTourMixin:
    """Click to dial from the customer's form, a contact person's card and a chronicle entry
    (read-only phone fields), checked by what the TR-064 peer was asked to dial."""

    def _dial_setup(self):
        self.env.company.country_id = self.env.ref("base.de")
        tr64 = Tr64Peer().start()
        self.addCleanup(tr64.stop)
        box = self.env["crm.telephony.box"].create(
            {
                "name": "Dial Box",
                "host": "127.0.0.1",
                "tr64_port": tr64.port,
                "user": "crm",
                "password": "secret",
                "monitor_enabled": False,
            }
        )
        self.env.ref("base.user_admin").write(
            {"crm_telephony_box_id": box.id, "crm_telephony_extension": "**610"}
        )
        customer = self.env["res.partner"].create(
            {"name": "Dial Telefon GmbH", "is_company": True, "phone": "+49 351 4445566"}
        )
        self.env["res.partner"].create(
            {"name": "Dial Kontakt", "parent_id": customer.id, "phone": "0351 4445577"}
        )
        entry = self.env["crm.chronicle.entry"].crm_log(customer, "call", "Called about the offer")
        return tr64, customer, entry

    def _run_dial_tours(self):
        tr64, customer, entry = self._dial_setup()
        self.start_tour(
            f"/odoo/contacts/{customer.id}", "crm_telephony_dial_partner_tour", login="admin"
        )
        self.assertEqual(tr64.dialled, [("**610", "03514445566"), ("**610", "03514445577")])
        self.start_tour(
            f"/odoo/crm.chronicle.entry/{entry.id}",
            "crm_telephony_dial_chronicle_tour",
            login="admin",
        )
        self.assertEqual(tr64.dialled[2:], [("**610", "03514445566")])


@tagged("post_install", "-at_install")
class TestDialDesktop(DialTourMixin, HttpCase):
    def test_dial_tours_desktop(self):
        self._run_dial_tours()


@tagged("post_install", "-at_install")
class TestDialMobile(DialTourMixin, HttpCase):
    """The same at a phone's viewport with touch: Odoo's small-screen layout."""

    browser_size = "390x844"
    touch_enabled = True

    def test_dial_tours_mobile(self):
        self._run_dial_tours()


@tagged("post_install", "-at_install")
class TestDialTablet(DialTourMixin, HttpCase):
    """The same on an iPad (1024x768, touch)."""

    browser_size = "1024x768"
    touch_enabled = True

    def test_dial_tours_tablet(self):
        self._run_dial_tours()


class DialLayoutMixin:
    """Foreign numbers on the form and on the Customers card, at one size (issue 20). Names
    and e-mails as long as the demo's (22-26 characters; a phone showed 16 and 20 of them)."""

    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own by default

    def test_dial_layout(self):
        tr64, _customer, _entry = self._dial_setup()
        Partner = self.env["res.partner"]
        customers = Partner.create(
            [
                {
                    "name": "Dial Lux Logistik SARL",
                    "is_company": True,
                    "customer_rank": 1,
                    "phone": "+352 621 123 456",
                    "email": "bestellung@lux-logistik.lu",
                },
                {
                    "name": "Dial Praha Velkoobchod",
                    "is_company": True,
                    "customer_rank": 1,
                    "phone": "+420 777 123 456",
                    "email": "objednavky@praha-velko.cz",
                },
            ]
        )
        for customer in customers:
            self.start_tour(
                f"/odoo/contacts/{customer.id}",
                "crm_telephony_dial_layout_form_tour",
                login="admin",
            )
        action = self.env.ref("crm_core.res_partner_action_customers")
        self.start_tour(
            f"/odoo/action-{action.id}?view_type=kanban",
            "crm_telephony_dial_layout_card_tour",
            login="admin",
        )
        self.assertEqual(tr64.dialled, [])  # only looked at


@tagged("post_install", "-at_install")
class TestDialLayoutDesktop(DialLayoutMixin, DialTourMixin, HttpCase):
    pass


@tagged("post_install", "-at_install")
class TestDialLayoutTablet(DialLayoutMixin, DialTourMixin, HttpCase):
    browser_size = "1024x768"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestDialLayoutPhone(DialLayoutMixin, DialTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True
