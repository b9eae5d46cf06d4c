"""The contact sheet and the customer lists rendered to PDF by wkhtmltopdf and read back with
pdftotext."""

import datetime

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import new_test_user

from ..tools.iban import mask as mask_iban
from .pdf_text import pdf_text


def render_pdf(env, report_ref, partners):
    pdf, kind = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(report_ref, res_ids=partners.ids)
    )
    assert kind == "pdf", kind
    assert pdf.startswith(b"%PDF"), pdf[:20]
    return pdf


def crm_core_sections(text):
    """The text of crm_core's own sections of a contact sheet, without the sections other
    addons add (crm_chronicle's latest entries: their own tests check them)."""
    return text.split("Latest chronicle entries")[0]


def render(env, report_ref, partners):
    return " ".join(pdf_text(render_pdf(env, report_ref, partners)).split())


@tagged("post_install", "-at_install")
class TestCrmReports(AccountTestInvoicingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"name": "Druckerei Beispiel GmbH", "country_id": cls.env.ref("base.de").id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Müller & Söhne GmbH",
                "is_company": True,
                "street": "Hauptstraße 5",
                "zip": "10115",
                "city": "Berlin",
                "country_id": cls.env.ref("base.de").id,
                "phone": "+49 30 1234567",
                "email": "info@mueller-soehne.example",
                # reads English (a German address alone would give German, issue 18)
                "lang": "en_US",
                "customer_rank": 1,
                "category_id": [(0, 0, {"name": "Stammkunde"})],
                "bank_ids": [(0, 0, {"acc_number": "DE89 3704 0044 0532 0130 00"})],
            }
        )
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Jiří Dvořák",
                "parent_id": cls.customer.id,
                "function": "Einkauf",
                "phone": "+49 30 7654321",
                "email": "jiri@mueller-soehne.example",
                "crm_birthday": datetime.date(1980, 3, 14),
            }
        )
        cls.person_2 = cls.env["res.partner"].create(
            {
                "name": "Anna Zelená",
                "parent_id": cls.customer.id,
                "crm_birthday": datetime.date(1990, 3, 2),
            }
        )
        cls.person_3 = cls.env["res.partner"].create(
            {
                "name": "Bernd Oktober",
                "parent_id": cls.customer.id,
                "crm_birthday": datetime.date(1970, 10, 9),
            }
        )
        cls.delivery = cls.env["res.partner"].create(
            {
                "type": "delivery",
                "parent_id": cls.customer.id,
                "street": "Lagerweg 9",
                "zip": "14467",
                "city": "Potsdam",
            }
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.customer, amounts=[1234.0], taxes=[], post=True
        )
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Příklad s.r.o.",
                "is_company": True,
                "city": "Praha",
                "zip": "110 00",
                "street": "Václavské náměstí 1",
                "country_id": cls.env.ref("base.cz").id,
                "lang": "en_US",  # (a Czech address alone would give Czech, issue 18)
            }
        )

    def test_mask_iban(self):
        self.assertEqual(mask_iban("DE89 3704 0044 0532 0130 00"), "**** **** **** **** **30 00")
        self.assertEqual(mask_iban("1234"), "1234")

    def test_contact_sheet(self):
        text = render(self.env, "crm_core.action_report_contact_sheet", self.customer | self.other)
        for expected in (
            "Müller & Söhne GmbH",
            "Hauptstraße 5",
            "10115 Berlin",
            "info@mueller-soehne.example",
            "Debtor number " + self.customer.crm_debtor_number,
            "Classification",
            "Stammkunde",
            "Contact persons",
            "Jiří Dvořák",
            "jiri@mueller-soehne.example",
            "Addresses",
            "Lagerweg 9",
            "Bank accounts",
            "**** **** **** **** **30 00",
            "Open items",
            self.invoice.name,
            "1,234.00",
            # the second customer, its country in capitals (sent from Germany)
            "Příklad s.r.o.",
            "Václavské náměstí 1",
            "CZECH REPUBLIC",
            "No open items.",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("0532 0130", text)

    def test_contact_sheet_one_partner_per_page(self):
        pdf = render_pdf(
            self.env, "crm_core.action_report_contact_sheet", self.customer | self.other
        )
        pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
        self.assertIn("Müller & Söhne GmbH", pages[0])
        self.assertIn("Příklad s.r.o.", pages[-1])
        for page in pages:  # each sheet starts on a page of its own
            self.assertFalse("Müller & Söhne GmbH" in page and "Příklad s.r.o." in page)

    def test_contact_sheet_of_three_customers_in_one_pdf(self):
        """Several customers in one PDF with the wkhtmltopdf of this machine (Debian's
        0.12.6 with unpatched Qt cannot join several HTML documents, for which Odoo raises
        an error, or skips the test): the sheets are one document with a page break
        between them. Each customer is there, in the order of the selection, each sheet
        in its customer's language."""
        self.env["res.lang"]._activate_lang("de_DE")
        # (the report's words in German: loaded at install when German is active)
        self.env["ir.module.module"]._load_module_terms(["crm_core"], ["de_DE"])
        third = self.env["res.partner"].create(
            {
                "name": "Dritter Kunde KG",
                "is_company": True,
                "city": "Hamburg",
                "street": "Elbchaussee 3",
                "lang": "de_DE",
            }
        )
        self.other.lang = "en_US"
        partners = self.other | third | self.customer
        report = self.env.ref("crm_core.action_report_contact_sheet")
        html = report._render_qweb_html(report.id, partners.ids)[0]
        bodies = report._prepare_html(html, report_model="res.partner")[0]
        self.assertEqual(len(bodies), 1)  # one document for wkhtmltopdf
        pdf = render_pdf(self.env, "crm_core.action_report_contact_sheet", partners)
        text = pdf_text(pdf)
        positions = [text.find(name) for name in ("Příklad s.r.o.", "Dritter Kunde KG")]
        positions.append(text.find("Müller & Söhne GmbH"))
        self.assertNotIn(-1, positions, text)
        self.assertEqual(positions, sorted(positions), text)
        pages = [page for page in text.split("\f") if page.strip()]
        self.assertGreaterEqual(len(pages), 3)
        starts = []
        for name in ("Příklad s.r.o.", "Dritter Kunde KG", "Müller & Söhne GmbH"):
            starts.append(next(i for i, page in enumerate(pages) if name in page))
        self.assertEqual(starts, sorted(set(starts)))  # each on a page of its own
        third_sheet = pages[starts[1]]
        self.assertIn("Stammdaten", third_sheet)  # the German customer's sheet in German
        self.assertIn("Master data", pages[starts[0]])
        self.assertIn("Elbchaussee 3", third_sheet)

    def test_contact_sheet_uses_company_document_layout(self):
        layout = self.env.ref("web.external_layout_boxed")
        self.env.company.external_report_layout_id = layout
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_core.action_report_contact_sheet", self.customer.ids)[0]
            .decode()
        )
        self.assertIn("o_report_layout_boxed", html)  # the company's chosen layout
        self.assertIn("Druckerei Beispiel GmbH", html)

    def test_contact_sheet_extension_point(self):
        """An addon (crm_chronicle) adds a section by inheriting the hook template."""
        self.env["ir.ui.view"].create(
            {
                "name": "test chronicle section",
                "type": "qweb",
                "inherit_id": self.env.ref("crm_core.contact_sheet_extra_sections").id,
                "arch": """<xpath expr="//div[@name='crm_contact_sheet_extension']"
                    position="inside"><h4>Latest entries of <t t-out="partner.name"/></h4>
                    </xpath>""",
            }
        )
        text = render(self.env, "crm_core.action_report_contact_sheet", self.customer)
        self.assertIn("Latest entries of Müller & Söhne GmbH", text)

    def test_contact_sheet_full_iban_for_users_who_see_complete_numbers(self):
        """Complete IBANs for invoicing and accounting users; a CRM manager without them
        prints the sheet with masked numbers only."""
        manager = new_test_user(self.env, login="sheet_mgr", groups="crm_core.group_manager")
        billing = new_test_user(
            self.env, login="sheet_billing", groups="account.group_account_invoice"
        )
        text = render(
            self.env(user=billing), "crm_core.action_report_contact_sheet_full_iban", self.customer
        )
        self.assertIn("DE89 3704 0044 0532 0130 00", text)
        with self.assertRaisesRegex(AccessError, "complete bank account numbers"):
            render(
                self.env(user=manager),
                "crm_core.action_report_contact_sheet_full_iban",
                self.customer,
            )
        text = render(self.env(user=manager), "crm_core.action_report_contact_sheet", self.customer)
        self.assertIn("**** **** **** **** **30 00", text)
        self.assertNotIn("0532 0130", crm_core_sections(text))
        report = self.env.ref("crm_core.action_report_contact_sheet_full_iban")
        self.assertEqual(report.group_ids, self.env.ref("crm_core.group_bank_account_number"))

    def test_contact_sheet_leaves_out_what_the_user_may_not_see(self):
        """Each job prints the sheet (finding 6 of issue 17: a CRM user got 403 for its open
        items): a section the user may not read is left out, the rest is there."""
        crm_user = new_test_user(self.env, login="sheet_crm_user", groups="crm_core.group_user")
        crm_manager = new_test_user(
            self.env, login="sheet_crm_manager", groups="crm_core.group_manager"
        )
        billing = new_test_user(
            self.env, login="sheet_billing_user", groups="account.group_account_invoice"
        )
        crm_billing = new_test_user(
            self.env,
            login="sheet_crm_billing",
            groups="crm_core.group_user,account.group_account_invoice",
        )
        common = ("Müller & Söhne GmbH", "Hauptstraße 5", "Contact persons", "Jiří Dvořák")
        for user, shown, left_out in (
            (crm_user, ("Classification", "Stammkunde", "**30 00"), ("Open items", "0532")),
            (crm_manager, ("Classification", "**30 00"), ("Open items", "0532")),
            (billing, ("Open items", self.invoice.name, "**30 00"), ("Roles",)),
            (crm_billing, ("Classification", "Open items", self.invoice.name), ("0532",)),
        ):
            with self.subTest(user=user.login):
                report = self.env["ir.actions.report"].with_user(user)
                bindings = report.env["ir.actions.actions"].get_bindings("res.partner")
                self.assertIn(
                    self.env.ref("crm_core.action_report_contact_sheet").id,
                    [action["id"] for action in bindings.get("report", [])],
                )
                text = render(
                    self.env(user=user), "crm_core.action_report_contact_sheet", self.customer
                )
                for expected in (*common, *shown):
                    self.assertIn(expected, text)
                for missing in left_out:
                    self.assertNotIn(missing, crm_core_sections(text))

    def test_phone_list(self):
        text = render(self.env, "crm_core.action_report_phone_list", self.customer | self.other)
        self.assertIn("Phone list", text)
        self.assertIn("Müller & Söhne GmbH +49 30 1234567 info@mueller-soehne.example", text)
        self.assertIn("Jiří Dvořák Müller & Söhne GmbH Einkauf +49 30 7654321", text)
        self.assertLess(text.index("Müller & Söhne"), text.index("Příklad"))

    def test_address_list(self):
        text = render(self.env, "crm_core.action_report_address_list", self.customer | self.other)
        self.assertIn("Address list", text)
        self.assertIn(self.customer.crm_debtor_number, text)
        self.assertIn("Hauptstraße 5, 10115 Berlin", text)
        self.assertIn("Václavské náměstí 1, 110 00 Praha, CZECH REPUBLIC", text)

    def test_birthday_list_by_month(self):
        text = render(self.env, "crm_core.action_report_birthday_list", self.customer)
        self.assertIn("Birthday list", text)
        march, october = text.index("March"), text.index("October")
        self.assertLess(march, october)
        # sorted by day inside the month: 2 March before 14 March
        self.assertLess(text.index("Anna Zelená"), text.index("Jiří Dvořák"))
        self.assertLess(march, text.index("Anna Zelená"))
        self.assertLess(october, text.index("Bernd Oktober"))
        self.assertIn("14.03.", text)
        self.assertIn("1980", text)
        text = render(self.env, "crm_core.action_report_birthday_list", self.other)
        self.assertIn("No contact person of the selection has a birthday", text)
