"""The salesperson's daily call, started from the Customers menu's search box (issue 20): find
the customer by name, by a phone number typed in another spelling and by city, open it, dial
(TR-064 peer, the Fritz!Box protocol), see the call recorded - at desktop, iPad and phone
size, as a new CRM salesperson (the default role) speaking German or Czech."""

from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import new_test_user

from .peers import Tr64Peer


class DailySearchMixin:
    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own by default
    lang = "de_DE"

    def test_daily_search_and_dial(self):
        self.env.company.country_id = self.env.ref("base.de")
        self.env["res.lang"]._activate_lang(self.lang)
        tr64 = Tr64Peer().start()
        self.addCleanup(tr64.stop)
        box = self.env["crm.telephony.box"].create(
            {
                "name": "Vertrieb Box",
                "host": "127.0.0.1",
                "tr64_port": tr64.port,
                "user": "crm",
                "password": "secret",
                "monitor_enabled": False,
            }
        )
        user = new_test_user(
            self.env,
            login=f"daily_{self.lang}",
            groups="base.group_user,crm_core.group_role_salesperson",
            lang=self.lang,
        )
        user.write({"crm_telephony_box_id": box.id, "crm_telephony_extension": "**621"})
        Partner = self.env["res.partner"]
        roles = {r.code: r for r in self.env["crm.partner.role"].search([])}
        customer = Partner.create(
            {
                "name": "Suchtest Elbwiesen GmbH",
                "is_company": True,
                "customer_rank": 1,
                "phone": "+49 35207 81234",
                "street": "Schlossallee 4",
                "zip": "01468",
                "city": "Moritzburg",
            }
        )
        # not found by the Customers menu: a contact person, a supplier and a prospect there
        Partner.create({"name": "Suchtest Ansprech", "parent_id": customer.id})
        Partner.create(
            {"name": "Moritzburger Lieferant AG", "is_company": True, "supplier_rank": 1,
             "city": "Moritzburg", "phone": "+49 35207 99999"}
        )  # fmt: skip
        Partner.create(
            {"name": "Moritzburg Interessent", "city": "Moritzburg",
             "crm_role_ids": [(6, 0, roles["prospect"].ids)]}
        )  # fmt: skip
        url = "/odoo/action-crm_core.res_partner_action_customers"
        if self.view_type:
            url += f"?view_type={self.view_type}"
        self.start_tour(url, "crm_telephony_daily_search_name_tour", login=user.login)
        self.assertEqual(tr64.dialled, [("**621", "03520781234")])
        call = self.env["crm.phone.call"].search([("box_id", "=", box.id)])
        self.assertEqual(len(call), 1)
        self.assertEqual(
            (call.call_type, call.source, call.partner_id, call.user_id),
            ("outgoing", "dial", customer, user),
        )
        self.start_tour(url, "crm_telephony_daily_search_phone_tour", login=user.login)
        self.start_tour(url, "crm_telephony_daily_search_city_tour", login=user.login)
        self.assertEqual(len(tr64.dialled), 1, "the search tours only looked")


@tagged("post_install", "-at_install")
class TestDailySearchDesktop(DailySearchMixin, HttpCase):
    browser_size = "1440x900"
    view_type = "list"


@tagged("post_install", "-at_install")
class TestDailySearchTablet(DailySearchMixin, HttpCase):
    browser_size = "1024x768"
    touch_enabled = True
    view_type = "list"
    lang = "cs_CZ"


@tagged("post_install", "-at_install")
class TestDailySearchPhone(DailySearchMixin, HttpCase):
    """The menu's own view on a phone (kanban cards)."""

    browser_size = "390x844"
    touch_enabled = True
    view_type = None


@tagged("post_install", "-at_install")
class TestDailySearchPhoneCzech(DailySearchMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True
    view_type = None
    lang = "cs_CZ"
