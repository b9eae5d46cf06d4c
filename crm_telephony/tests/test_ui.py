import threading

from odoo.cli.command import find_command
from odoo.tests import HttpCase, tagged

from ..tools.listener import MonitorSupervisor
from .peers import CallMonitorPeer, Tr64Peer


@tagged("post_install", "-at_install")
class TestIncomingCallTour(HttpCase):
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
        thread.start()
        try:
            self.start_tour("/odoo", "crm_telephony_incoming_call_tour", login="admin")
        finally:
            supervisor.stop()
            thread.join(10)
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
