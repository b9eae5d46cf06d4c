import logging

from dateutil.relativedelta import relativedelta
from schwifty import IBAN

from odoo import api, fields, models
from odoo.fields import Command

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

_logger = logging.getLogger(__name__)

# name, country, street, zip, city, phone, yearly revenue (EUR, 0 = none), roles,
# (bank code, account number), [(contact, function, department, decision maker)],
# delivery address city or None
COMPANIES = [
    (
        "Maschinenbau Schröder GmbH",
        "DE",
        "Industriestraße 12",
        "70565",
        "Stuttgart",
        "+49 711 7820450",
        182000,
        ["customer"],
        ("60050101", "7401555913"),
        [
            ("Jürgen Schröder", "Geschäftsführer", "Geschäftsleitung", True),
            ("Sabine Krause", "Einkaufsleiterin", "Einkauf", False),
        ],
        "Esslingen",
    ),
    (
        "Brauerei Pilsner Urquell s.r.o.",
        "CZ",
        "U Prazdroje 7",
        "301 00",
        "Plzeň",
        "+420 377 061 111",
        164000,
        ["customer"],
        ("0800", "0000192000145399"),
        [("Jana Nováková", "Ředitelka nákupu", "Nákup", True)],
        "Praha",
    ),
    (
        "Elektro Weber KG",
        "DE",
        "Hauptstraße 45",
        "80331",
        "München",
        "+49 89 2350810",
        121000,
        ["customer", "reseller"],
        ("70150000", "0001234567"),
        [("Thomas Weber", "Inhaber", "Geschäftsleitung", True)],
        None,
    ),
    (
        "Stavby Dvořák a.s.",
        "CZ",
        "Vinohradská 112",
        "130 00",
        "Praha 3",
        "+420 222 515 400",
        98000,
        ["customer"],
        ("0100", "0000000123456789"),
        [
            ("Petr Dvořák", "Jednatel", "Vedení", True),
            ("Lucie Svobodová", "Účetní", "Účetnictví", False),
        ],
        "Brno",
    ),
    (
        "Bäckerei Hoffmann GmbH & Co. KG",
        "DE",
        "Marktplatz 3",
        "50667",
        "Köln",
        "+49 221 2577130",
        74000,
        ["customer"],
        ("37050198", "0012345678"),
        [("Monika Hoffmann", "Geschäftsführerin", "Geschäftsleitung", True)],
        None,
    ),
    (
        "Autohaus Becker GmbH",
        "DE",
        "Ruhrallee 88",
        "45138",
        "Essen",
        "+49 201 8945560",
        61000,
        ["customer"],
        ("36050105", "0004711081"),
        [("Frank Becker", "Verkaufsleiter", "Vertrieb", True)],
        "Bochum",
    ),
    (
        "Sklárna Bohemia Crystal s.r.o.",
        "CZ",
        "Palackého 45",
        "470 01",
        "Česká Lípa",
        "+420 487 832 111",
        52000,
        ["customer"],
        ("0300", "0000000987654321"),
        [("Martin Procházka", "Obchodní ředitel", "Obchod", True)],
        None,
    ),
    (
        "Holzbau Richter GmbH",
        "DE",
        "Waldweg 5",
        "01067",
        "Dresden",
        "+49 351 4963720",
        43000,
        ["customer"],
        ("85050300", "3120123456"),
        [("Andreas Richter", "Zimmermeister", "Produktion", True)],
        None,
    ),
    (
        "Druckerei Schulz e.K.",
        "DE",
        "Gutenbergstraße 21",
        "04109",
        "Leipzig",
        "+49 341 9927610",
        36000,
        ["customer"],
        ("86055592", "1100223344"),
        [("Katrin Schulz", "Inhaberin", "Geschäftsleitung", True)],
        None,
    ),
    (
        "Textil Moravia s.r.o.",
        "CZ",
        "Masarykova 33",
        "602 00",
        "Brno",
        "+420 543 211 900",
        31000,
        ["customer"],
        ("2010", "0000002800123456"),
        [("Tomáš Černý", "Vedoucí logistiky", "Logistika", False)],
        "Zlín",
    ),
    (
        "Metallbau Fischer GmbH",
        "DE",
        "Hafenstraße 9",
        "28195",
        "Bremen",
        "+49 421 3365480",
        26000,
        ["customer"],
        ("29050101", "0001098765"),
        [("Uwe Fischer", "Geschäftsführer", "Geschäftsleitung", True)],
        None,
    ),
    (
        "Gasthof Zur Linde",
        "DE",
        "Dorfstraße 1",
        "83471",
        "Berchtesgaden",
        "+49 8652 94570",
        21000,
        ["customer"],
        ("71050000", "0020123456"),
        [("Maria Huber", "Wirtin", "Service", True)],
        None,
    ),
    (
        "Pivovar Kocour Varnsdorf s.r.o.",
        "CZ",
        "Pivovarská 98",
        "407 47",
        "Varnsdorf",
        "+420 412 372 442",
        17000,
        ["customer"],
        ("0600", "0000000188122250"),
        [("Josef Kocour", "Sládek", "Výroba", True)],
        None,
    ),
    (
        "Ingenieurbüro Wagner",
        "DE",
        "Schlossallee 14",
        "69117",
        "Heidelberg",
        "+49 6221 6540390",
        14000,
        ["customer"],
        ("67250020", "0009012345"),
        [("Dr. Claudia Wagner", "Beratende Ingenieurin", "Planung", True)],
        None,
    ),
    (
        "Zahnarztpraxis Dr. Neumann",
        "DE",
        "Lindenstraße 77",
        "10969",
        "Berlin",
        "+49 30 6112340",
        11000,
        ["customer"],
        ("10050000", "6600123456"),
        [("Dr. Stefan Neumann", "Zahnarzt", "Praxis", True)],
        None,
    ),
    (
        "Kavárna Slavia s.r.o.",
        "CZ",
        "Smetanovo nábřeží 2",
        "110 00",
        "Praha 1",
        "+420 224 218 493",
        9000,
        ["customer"],
        ("5500", "0000001234567890"),
        [("Eva Horáková", "Provozní", "Provoz", True)],
        None,
    ),
    (
        "Gärtnerei Blum",
        "DE",
        "Am Feldrain 3",
        "90402",
        "Nürnberg",
        "+49 911 2418870",
        7000,
        ["customer"],
        ("76050101", "0001234500"),
        [("Peter Blum", "Gärtnermeister", "Betrieb", True)],
        None,
    ),
    (
        "Optik Lehmann GmbH",
        "DE",
        "Königstraße 30",
        "30159",
        "Hannover",
        "+49 511 3573120",
        5500,
        ["customer"],
        ("25050180", "0910123456"),
        [("Julia Lehmann", "Augenoptikermeisterin", "Filiale", True)],
        None,
    ),
    (
        "Truhlářství Malý",
        "CZ",
        "Husova 15",
        "370 01",
        "České Budějovice",
        "+420 386 351 222",
        4000,
        ["customer"],
        ("0800", "0000001002003004"),
        [("Jiří Malý", "Mistr truhlář", "Dílna", True)],
        None,
    ),
    (
        "Fahrradladen Koch",
        "DE",
        "Bahnhofstraße 2",
        "79098",
        "Freiburg",
        "+49 761 2923450",
        2500,
        ["customer"],
        ("68050101", "0002345678"),
        [("Lukas Koch", "Inhaber", "Verkauf", True)],
        None,
    ),
    (
        "Blumen Novotná",
        "CZ",
        "Náměstí Míru 8",
        "779 00",
        "Olomouc",
        "+420 585 222 333",
        1200,
        ["customer"],
        ("0100", "0000000043210987"),
        [("Petra Novotná", "Majitelka", "Prodej", True)],
        None,
    ),
    (
        "Logistik Zimmermann GmbH",
        "DE",
        "Speicherstraße 40",
        "20457",
        "Hamburg",
        "+49 40 3698210",
        0,
        ["prospect"],
        ("20050550", "1234567890"),
        [("Kai Zimmermann", "Disponent", "Disposition", False)],
        None,
    ),
    (
        "Energie Vysočina a.s.",
        "CZ",
        "Žižkova 57",
        "586 01",
        "Jihlava",
        "+420 567 110 200",
        0,
        ["prospect"],
        ("0300", "0000000222333444"),
        [("Radek Kučera", "Technický ředitel", "Technika", True)],
        None,
    ),
    (
        "Kanzlei Braun & Partner",
        "DE",
        "Kaiserstraße 50",
        "60329",
        "Frankfurt am Main",
        "+49 69 2578930",
        0,
        ["prospect"],
        ("50050201", "0200123456"),
        [("Dr. Markus Braun", "Rechtsanwalt", "Kanzlei", True)],
        None,
    ),
    (
        "Papier Großhandel Krüger GmbH",
        "DE",
        "Lagerweg 11",
        "44135",
        "Dortmund",
        "+49 231 5576410",
        0,
        ["supplier"],
        ("44050199", "0001122334"),
        [("Heike Krüger", "Vertriebsinnendienst", "Vertrieb", False)],
        None,
    ),
    (
        "Ocel Ostrava a.s.",
        "CZ",
        "Vítkovická 3083",
        "703 00",
        "Ostrava",
        "+420 595 951 111",
        0,
        ["supplier"],
        ("0100", "0000000555666777"),
        [("Ondřej Pokorný", "Obchodní zástupce", "Prodej", False)],
        None,
    ),
    (
        "Software Vogel GmbH",
        "DE",
        "Technologiepark 4",
        "33100",
        "Paderborn",
        "+49 5251 6879300",
        0,
        ["competitor"],
        ("47250101", "0001900100"),
        [("Nina Vogel", "Produktmanagerin", "Produkt", False)],
        None,
    ),
    (
        "IT Systémy Beneš s.r.o.",
        "CZ",
        "Technická 2",
        "616 00",
        "Brno",
        "+420 541 141 111",
        0,
        ["competitor"],
        ("0800", "0000004321000012"),
        [("Karel Beneš", "Ředitel", "Vedení", True)],
        None,
    ),
    (
        "Handelsvertretung Schwarz",
        "DE",
        "Rheinufer 6",
        "55116",
        "Mainz",
        "+49 6131 2108870",
        0,
        ["reseller"],
        ("55050120", "0000012345"),
        [("Oliver Schwarz", "Handelsvertreter", "Vertrieb", True)],
        None,
    ),
    (
        "Verein Kulturhaus Görlitz e.V.",
        "DE",
        "Obermarkt 17",
        "02826",
        "Görlitz",
        "+49 3581 4768100",
        0,
        ["other"],
        ("85050100", "3000123456"),
        [("Ute Lange", "Vorsitzende", "Vorstand", True)],
        None,
    ),
]


def _demo_iban(country, bank_code, account_code):
    """A valid IBAN (real bank codes, made-up account numbers, computed check digits)."""
    if country == "CZ":  # prefix (6 digits) and account number (10 digits)
        return IBAN.generate(
            country,
            bank_code=bank_code,
            branch_code=account_code[:6],
            account_code=account_code[6:],
        )
    return IBAN.generate(country, bank_code=bank_code, account_code=account_code)


class CrmCoreDemo(models.AbstractModel):
    """Demo data of the customer record: German and Czech companies with contacts,
    addresses, bank accounts with valid IBANs and posted invoices spread so that the ABC
    analysis yields every class. Loaded only with demo data."""

    _name = "crm.core.demo"
    _description = "CRM Suite demo data"

    @api.model
    def _load_company(self):
        """The story's company (Elbtal Handel GmbH, Dresden) works in euros. Odoo's accounting
        demo data, loaded with the generic chart before this addon, made it a USD company with
        a few journal entries, and Odoo refuses to change the currency of a company with
        entries. Remove exactly those demo entries (as the chart template does when it
        reloads), switch the company to EUR and load Odoo's accounting demo data again, now in
        euros. A company with entries of its own keeps its currency."""
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        if company.currency_id == euro:
            return
        context = {"active_test": False, MODULE_UNINSTALL_FLAG: True}
        moves = self.env["account.move"].with_context(**context)
        moves = moves.search([("company_id", "child_of", company.id)])
        statements = self.env["account.bank.statement"].with_context(**context)
        statements = self._odoo_demo(statements.search([("company_id", "=", company.id)]))
        lines = self.env["account.bank.statement.line"].with_context(**context)
        lines = lines.search([("move_id", "in", moves.ids)])
        lines = self._odoo_demo(lines) | lines.filtered(
            lambda line: line.statement_id in statements
        )
        demo_moves = self._odoo_demo(moves) | lines.move_id
        if moves - demo_moves:
            _logger.info(
                "CRM Suite demo: %s has journal entries of its own, it keeps its currency %s",
                company.name,
                company.currency_id.name,
            )
            return
        demo_moves.unlink()
        statements.exists().unlink()
        dollar = company.currency_id
        company.currency_id = euro  # activates the euro
        # the company's default pricelist (customers' prices) follows
        self.env["product.pricelist"].with_context(active_test=False).search(
            [("company_id", "=", company.id), ("currency_id", "=", dollar.id)]
        ).currency_id = euro
        if company.chart_template:
            self.env["account.chart.template"]._install_demo(company)

    @api.model
    def _odoo_demo(self, records):
        """Those of `records` that are Odoo's accounting demo data (external ids of account)."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "account"),
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )
        return records.browse(data.mapped("res_id"))

    @api.model
    def _load(self):
        if self.env.ref("crm_core.res_partner_demo_01", raise_if_not_found=False):
            return
        countries = {
            c.code: c for c in self.env["res.country"].search([("code", "in", ("DE", "CZ"))])
        }
        roles = {r.code: r for r in self.env["crm.partner.role"].search([])}
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        xmlids = []
        revenue = {}
        for index, row in enumerate(COMPANIES, start=1):
            (name, country, street, zip_code, city, phone, amount, role_codes, bank,
             contacts, delivery_city) = row  # fmt: skip
            domain = name.split()[0].lower().replace("ä", "ae").replace("ö", "oe")
            domain = "".join(ch for ch in domain if ch.isascii() and ch.isalnum())
            children = [
                Command.create(
                    {
                        "name": person,
                        "type": "contact",
                        "function": function,
                        "crm_department": department,
                        "crm_decision_maker": decision,
                        "email": f"{person.split()[-1].lower()}@{domain}.example.com",
                    }
                )
                for person, function, department, decision in contacts
            ]
            children.append(
                Command.create(
                    {
                        "name": "Buchhaltung" if country == "DE" else "Účtárna",
                        "type": "invoice",
                        "street": street,
                        "zip": zip_code,
                        "city": city,
                        "country_id": countries[country].id,
                    }
                )
            )
            if delivery_city:
                children.append(
                    Command.create(
                        {
                            "name": "Lager" if country == "DE" else "Sklad",
                            "type": "delivery",
                            "street": "Gewerbegebiet 1" if country == "DE" else "Průmyslová 1",
                            "city": delivery_city,
                            "country_id": countries[country].id,
                        }
                    )
                )
            bank_code, account_code = bank
            partner = Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "street": street,
                    "zip": zip_code,
                    "city": city,
                    "country_id": countries[country].id,
                    "phone": phone,
                    "email": f"info@{domain}.example.com",
                    "lang": "de_DE" if country == "DE" else "cs_CZ",
                    "crm_role_ids": [Command.set([roles[c].id for c in role_codes if c in roles])],
                    "child_ids": children,
                    "bank_ids": [
                        Command.create(
                            {
                                "acc_number": str(_demo_iban(country, bank_code, account_code)),
                                "crm_default_incoming": True,
                                "crm_use_direct_debit": country == "DE",
                                "crm_default_direct_debit": country == "DE",
                            }
                        )
                    ],
                }
            )
            xmlids.append({"xml_id": f"crm_core.res_partner_demo_{index:02d}", "record": partner})
            if amount:
                revenue[partner] = amount
        self.env["ir.model.data"]._update_xmlids([dict(x, noupdate=True) for x in xmlids])
        self._load_invoices(revenue)
        self.env["crm.abc.analysis"]._run(self.env.company)

    @api.model
    def _load_invoices(self, revenue):
        """Post invoices (three per customer over the last year) and a credit note."""
        company = self.env.company
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            _logger.info("CRM Suite demo: no sales journal in %s, no demo invoices", company.name)
            return
        today = fields.Date.context_today(self)
        vals_list = []
        for partner, amount in revenue.items():
            for months, share in ((10, 0.5), (5, 0.3), (1, 0.2)):
                date = today - relativedelta(months=months)
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": date,
                        "date": date,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Wartung und Service" if months > 3 else "Ersatzteile",
                                    "quantity": 1,
                                    "price_unit": round(amount * share, 2),
                                    "tax_ids": [],
                                }
                            )
                        ],
                    }
                )
        first = next(iter(revenue))
        vals_list.append(
            {
                "move_type": "out_refund",
                "partner_id": first.id,
                "journal_id": journal.id,
                "invoice_date": today - relativedelta(months=2),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Gutschrift Reklamation",
                            "quantity": 1,
                            "price_unit": 2000,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        moves = self.env["account.move"].create(vals_list)
        moves.action_post()
