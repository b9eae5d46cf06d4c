from odoo.tests import mute_logger, new_test_user, tagged
from odoo.tests.common import HttpCase

from odoo.addons.crm_core.tests.rpc_probe import (
    FAULT_ACCESS,
    FAULT_APPLICATION,
    FAULT_USER,
    NONEXISTENT_ID,
    RpcProbe,
)


def suite_buttons(env):
    """(model, method) of every public record method without arguments that the suite's
    addons define (action_*, crm_*): the buttons of their forms, read from the registry."""
    found = set()
    for model_name in env.registry:
        cls = type(env[model_name])
        for klass in cls.mro():
            if not klass.__module__.startswith("odoo.addons.crm_"):
                continue
            for name, function in vars(klass).items():
                if (
                    name.startswith(("action_", "crm_"))
                    and callable(function)
                    and not hasattr(function, "_api_model")
                    and function.__code__.co_argcount == 1
                ):
                    found.add((model_name, name))
    return sorted(found)


@tagged("post_install", "-at_install")
class TestButtonsFromOutside(RpcProbe, HttpCase):
    """Every button of the suite called over JSON-2 and XML-RPC on an id that does not
    exist; the customer record's cockpit and the correspondence's rows of another
    company's customer, by a CRM user of the first company and an internal user without
    CRM rights (Odoo logs those refusals as warnings: muted here, asserted on)."""

    def test_every_button_on_a_missing_record(self):
        admin = self.env.ref("base.user_admin")
        admin.password = "admin"  # noqa: S105 - the test database's
        buttons = suite_buttons(self.env)
        self.assertGreater(len(buttons), 50)
        failures = []
        for model, method in buttons:
            with mute_logger("odoo.http"):
                status, body = self.json2(admin, model, method, ids=[NONEXISTENT_ID])
                code, text = self.xmlrpc_as(admin, "admin", model, method, [NONEXISTENT_ID])
            if status >= 500:
                failures.append(f"JSON-2 {model}.{method}: {status} {body.get('message')}")
            if code == FAULT_APPLICATION:
                failures.append(f"XML-RPC {model}.{method}: {str(text).splitlines()[-1:]}")
        self.assertFalse(failures, "\n".join(failures))

    def xmlrpc_as(self, user, password, model, method, ids):
        try:
            return None, self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, password, model, method, [ids], {}
            )
        except Exception as error:  # noqa: BLE001 - xmlrpc.client.Fault
            return getattr(error, "faultCode", repr(error)), getattr(error, "faultString", "")

    def test_another_companys_customer(self):
        env = self.env
        company2 = env["res.company"].create({"name": "Probe Zwei GmbH"})
        crm_user = new_test_user(env, login="probe_btn_crm", groups="crm_core.group_user")
        plain = new_test_user(env, login="probe_btn_plain", groups="base.group_user")
        shared = env["res.partner"].create({"name": "Probe Geteilt", "is_company": True})
        own2 = env["res.partner"].create(
            {"name": "Probe Nur Zwei", "is_company": True, "company_id": company2.id}
        )
        own2.message_post(
            body="Geheime Konditionen",
            subject="Probe Vertrag",
            message_type="email",
            author_id=shared.id,
        )
        row = env["crm.chronicle.correspondence"].search(
            [("partner_id", "=", shared.id), ("name", "=", "Probe Vertrag")]
        )
        self.assertEqual(len(row), 1)
        buttons = [
            name
            for model, name in suite_buttons(env)
            if model == "res.partner" and name.startswith(("action_crm_open_", "action_crm_new_"))
        ]
        self.assertGreaterEqual(len(buttons), 9)
        for button in buttons:
            body = self.assertRefused(crm_user, "res.partner", button, own2.ids, 403, FAULT_ACCESS)
            self.assertNotIn("Probe Nur Zwei", str(body))
        for button in ("action_crm_new_invoice", "action_crm_new_refund"):
            self.assertRefused(plain, "res.partner", button, shared.ids, 403, FAULT_ACCESS)
        # another company's correspondence row: refused like a missing one for a CRM user
        # (crm_chronicle's row check, a 422 that does not tell whether the row exists); a
        # user without CRM rights may not read the correspondence at all (403)
        for method in ("action_open", "action_print", "action_send"):
            for user, status, fault, mentions in (
                (crm_user, 422, FAULT_USER, [f"Row {row.id} "]),
                (plain, 403, FAULT_ACCESS, []),
            ):
                body = self.assertRefused(
                    user, "crm.chronicle.correspondence", method, row.ids, status, fault, mentions
                )
                self.assertNotIn("Probe Vertrag", str(body))
        # the company's ABC run of a company that does not exist: nothing written
        admin = self.env.ref("base.user_admin")
        admin.password = "admin"  # noqa: S105 - the test database's (XML-RPC: login)
        self.assertRefused(
            admin,
            "res.company",
            "action_crm_run_abc",
            [NONEXISTENT_ID],
            422,
            FAULT_USER,
            ["res.company.action_crm_run_abc"],
        )
        self.assertFalse(
            env["crm.partner.class"].search_count([("company_id", "=", NONEXISTENT_ID)])
        )
        # the contact sheets of company 2's customer by id, and the one with complete IBANs
        # (a web session of the user: JSON-2 calls with another user's key come first)
        self.authenticate(crm_user.login, crm_user.login)
        for report, partner in (
            ("crm_core.report_contact_sheet", own2),
            ("crm_core.report_contact_sheet_full_iban", own2),
            ("crm_core.report_contact_sheet_full_iban", shared),
        ):
            with mute_logger("odoo.http"):
                response = self.url_open(f"/report/html/{report}/{partner.id}")
            self.assertEqual(response.status_code, 403, (report, partner.name))
            self.assertNotIn("Probe Nur Zwei", response.text)
