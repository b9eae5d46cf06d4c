import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.addons.crm_core.tools.boundary import some_records

from ..tools.boundary import Date, Record, Records, public

_logger = logging.getLogger(__name__)

# German practice (SKR03/SKR04): debtors 10000-69999, creditors 70000-99999.
NUMBER_RANGE_START = {"debtor": 10000, "creditor": 70000}

# The story's Czech company and its customers (demo data, _crm_demo_czech_company)
CZ_DEMO_COMPANY = {
    "name": "Elbtal Obchod s.r.o.",
    "street": "Údolní 53",
    "zip": "602 00",
    "city": "Brno",
    "phone": "+420 543 210 000",
    "email": "elbtal-obchod@example.com",
    "website": False,
    # l10n_cz's demo gives its company a Costa Rican region (base has no Czech ones)
    "state_id": False,
}
CZ_DEMO_CUSTOMERS = [
    (
        "res_partner_cz_demo_01",
        {
            "name": "Pekárna Královo Pole s.r.o.",
            "street": "Palackého třída 112",
            "zip": "612 00",
            "city": "Brno",
            "vat": "CZ27451232",
            "phone": "+420 541 222 333",
            "email": "objednavky@pekarna-kp.example.com",
            "partner_latitude": 49.2265,
            "partner_longitude": 16.5934,
        },
        "Karel Král",
    ),
    (
        "res_partner_cz_demo_02",
        {
            "name": "Autoservis Hrubý s.r.o.",
            "street": "Pražská 47",
            "zip": "669 02",
            "city": "Znojmo",
            "vat": "CZ26987619",
            "phone": "+420 515 224 455",
            "email": "servis@autoservis-hruby.example.com",
            "partner_latitude": 48.8555,
            "partner_longitude": 16.0488,
        },
        "Jiří Hrubý",
    ),
    (
        "res_partner_cz_demo_03",
        {
            "name": "Vinařství Mikulov a.s.",
            "street": "Náměstí 11",
            "zip": "692 01",
            "city": "Mikulov",
            "vat": "CZ28114302",
            "phone": "+420 519 510 100",
            "email": "info@vinarstvi-mikulov.example.com",
            "partner_latitude": 48.8056,
            "partner_longitude": 16.6378,
        },
        "Eva Marková",
    ),
]
# CZK without VAT, ten, five and one month ago: (label, amount, tax scope, rate) - services
# and spare parts at the standard 21 %, firewood at the reduced 12 %
CZ_DEMO_AMOUNTS = [
    [
        ("Údržba a servis", 480000.0, "service", "standard"),
        ("Údržba a servis", 290000.0, "service", "standard"),
        ("Náhradní díly", 190000.0, "consu", "standard"),
    ],
    [
        ("Údržba a servis", 160000.0, "service", "standard"),
        ("Údržba a servis", 95000.0, "service", "standard"),
        ("Náhradní díly", 64000.0, "consu", "standard"),
    ],
    [
        ("Údržba a servis", 42000.0, "service", "standard"),
        ("Náhradní díly", 25000.0, "consu", "standard"),
        ("Palivové dříví", 17000.0, "consu", "reduced"),
    ],
]


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_debtor_sequence_id = fields.Many2one(
        "ir.sequence", string="Debtor Number Range", copy=False, ondelete="restrict"
    )
    crm_creditor_sequence_id = fields.Many2one(
        "ir.sequence", string="Creditor Number Range", copy=False, ondelete="restrict"
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._crm_ensure_sequences()
        companies._crm_ensure_classes()
        return companies

    def _crm_ensure_sequences(self):
        """Create the missing debtor/creditor number ranges of these companies."""
        sequences = self.env["ir.sequence"].sudo()
        for company in self.sudo():
            for kind, start in NUMBER_RANGE_START.items():
                field = f"crm_{kind}_sequence_id"
                if company[field]:
                    continue
                company[field] = sequences.create(
                    {
                        "name": self.env._(
                            "%(kind)s numbers %(company)s",
                            kind=kind.capitalize(),
                            company=company.name,
                        ),
                        "code": f"crm_core.{kind}",
                        "company_id": company.id,
                        "implementation": "standard",
                        "number_next": start,
                        "padding": 5,
                    }
                )

    def _crm_next_numbers(self, kind, count):
        """The next `count` numbers of `kind`: one query for all from a standard sequence
        (an import assigns thousands), else one by one."""
        self.ensure_one()
        self._crm_ensure_sequences()
        sequence = self.sudo()[f"crm_{kind}_sequence_id"]
        if count <= 1 or sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _i in range(count)]
        rows = self.env.execute_query(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s) AS n ORDER BY n",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [sequence.get_next_char(number) for (number,) in rows]

    # ------------------------------------------------------------------------------------------
    # Classification: A/B/C classes and the ABC analysis (issue 3, capability 1)
    # ------------------------------------------------------------------------------------------
    crm_abc_months = fields.Integer(
        "ABC Period (Months)",
        default=12,
        help="The ABC analysis ranks customers by their revenue of this many last months.",
    )
    crm_abc_last_run = fields.Datetime("Last ABC Analysis", readonly=True, copy=False)
    crm_class_ids = fields.One2many("crm.partner.class", "company_id", string="Customer Classes")

    _crm_abc_months_positive = models.Constraint(
        "CHECK(crm_abc_months IS NULL OR crm_abc_months > 0)",
        "The ABC period must be at least one month.",
    )

    def _crm_ensure_classes(self):
        """Give companies without classes the classes A (80 %), B (95 %) and C."""
        Class = self.env["crm.partner.class"].sudo().with_context(active_test=False)
        have = set(Class.search([("company_id", "in", self.ids)]).company_id.ids)
        Class.create(
            [
                {"name": name, "sequence": seq, "threshold": threshold, "company_id": company.id}
                for company in self
                if company.id not in have
                for name, seq, threshold in (("A", 10, 80.0), ("B", 20, 95.0), ("C", 30, 100.0))
            ]
        )

    @some_records
    def action_crm_run_abc(self):
        """Recompute the customer classes of these companies now (button)."""
        self.env["crm.partner.class"].check_access("write")
        for company in self:
            self.env["crm.abc.analysis"]._run(company)
        return True

    @api.model
    @public(
        company=Record("res.company", required=False),
        partner_ids=Records("res.partner", required=False),
        date=Date(required=False),
    )
    def crm_run_abc_analysis(self, company=False, partner_ids=False, date=False):
        """Recompute the A/B/C classes of `company`'s customers now (default: the current
        company), by revenue of the ABC period ending on `date` (default today); with
        `partner_ids` only theirs, still ranked among all customers. CRM managers only.
        Returns the number of class changes."""
        self.env["crm.partner.class"].check_access("write")
        company = company or self.env.company
        if company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You are not a user of company %(company)s.", company=company.sudo().name
                )
            )
        return self.env["crm.abc.analysis"]._run(
            company,
            partner_ids=partner_ids.commercial_partner_id.ids if partner_ids else None,
            today=date or None,
        )

    # ------------------------------------------------------------------------------------------
    # Demo data: called by demo/crm_core_demo.xml only
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_demo_use_euro(self):
        """The story's company (Elbtal Handel GmbH, Dresden) works in euros, on the German
        chart SKR03 when Odoo's l10n_de is installed (`make run` and `make test` install it
        before our addons). Odoo's accounting demo data, loaded with the generic chart before
        this addon, made it a USD company with a few journal entries, and Odoo refuses to
        change the currency or the chart of a company with entries. Remove exactly those demo
        entries (as the chart template does when it reloads), switch the company to EUR, load
        SKR03 (or keep the chart) and Odoo's accounting demo data again, now in euros. A
        company with entries of its own keeps its currency and chart."""
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        skr03 = self._crm_demo_chart_available("l10n_de")
        if company.currency_id == euro and (not skr03 or company.chart_template == "de_skr03"):
            return
        context = {"active_test": False, MODULE_UNINSTALL_FLAG: True}
        moves = self.env["account.move"].with_context(**context)
        moves = moves.search([("company_id", "child_of", company.id)])
        statements = self.env["account.bank.statement"].with_context(**context)
        statements = self._crm_demo_records_of_account(
            statements.search([("company_id", "=", company.id)])
        )
        lines = self.env["account.bank.statement.line"].with_context(**context)
        lines = lines.search([("move_id", "in", moves.ids)])
        lines = self._crm_demo_records_of_account(lines) | lines.filtered(
            lambda line: line.statement_id in statements
        )
        demo_moves = self._crm_demo_records_of_account(moves) | lines.move_id
        if moves - demo_moves:
            _logger.info(
                "CRM Suite demo: %s has journal entries of its own, it keeps its currency %s"
                " and its chart %s",
                company.name,
                company.currency_id.name,
                company.chart_template,
            )
            return
        demo_moves.unlink()
        statements.exists().unlink()
        if company.currency_id != euro:
            dollar = company.currency_id
            company.currency_id = euro  # activates the euro
            # the company's default pricelist (customers' prices) follows
            self.env["product.pricelist"].with_context(active_test=False).search(
                [("company_id", "=", company.id), ("currency_id", "=", dollar.id)]
            ).currency_id = euro
        if skr03 and company.chart_template != "de_skr03":
            # Odoo's own switch of the chart (as in the settings on a company without
            # entries): the generic accounts, taxes and journals go, SKR03's come, with
            # Odoo's accounting demo data on them
            layout = company.external_report_layout_id, company.paperformat_id
            self.env["account.chart.template"].try_loading("de_skr03", company, install_demo=True)
            # l10n_de's chart gives its companies l10n_din5008's report layout; the story's
            # company keeps the layout it had (the suite's reports do not give that layout
            # their titles yet)
            company.write(
                {"external_report_layout_id": layout[0].id, "paperformat_id": layout[1].id}
            )
        elif company.chart_template:
            self.env["account.chart.template"]._install_demo(company)

    @api.model
    def _crm_demo_czech_company(self):
        """The story's Czech company: Odoo's demo company on the Czech chart (l10n_cz's
        base.demo_company_cz, in CZK) becomes Elbtal Obchod s.r.o. in Brno, with three Czech
        customers of its own (company_id: visible in that company only) and invoices in CZK
        with Czech VAT over the last year; it invoices the story's Czech customers too
        (demo/account_move_demo.xml), and all of them get debtor numbers of its number range.
        Nothing when l10n_cz's demo company is not there.

        Created once, found again by stable keys (the company's external id, the customers'
        VAT ids in that company), so that uninstalling crm_core (which keeps the customers and
        their posted invoices: history) and installing it again finds them instead of
        duplicating them."""
        company = self.env.ref("base.demo_company_cz", raise_if_not_found=False)
        if not company or company.chart_template != "cz":
            return
        company.write(CZ_DEMO_COMPANY)
        # the route planner starts and ends a day's route at the company (offline positions)
        company.partner_id.write({"partner_latitude": 49.1975, "partner_longitude": 16.6021})
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        Data = self.env["ir.model.data"]
        customers = Partner
        for key, vals, contact in CZ_DEMO_CUSTOMERS:
            xmlid = f"crm_core.{key}"
            partner = self.env.ref(xmlid, raise_if_not_found=False) or Partner.with_context(
                active_test=False
            ).search([("vat", "=", vals["vat"]), ("company_id", "=", company.id)], limit=1)
            if not partner:
                common = {
                    "company_id": company.id,
                    "country_id": self.env.ref("base.cz").id,
                    "lang": "cs_CZ",
                }
                partner = Partner.create({**vals, **common, "is_company": True})
                Partner.create(
                    {
                        **common,
                        "name": contact,
                        "parent_id": partner.id,
                        "type": "contact",
                        "phone": vals["phone"],
                    }
                )
            Data._update_xmlids([{"xml_id": xmlid, "record": partner, "noupdate": True}])
            customers |= partner
        Move = self.env["account.move"].with_company(company).with_context(tracking_disable=True)
        invoiced = Move.search(
            [("partner_id", "in", customers.ids), ("company_id", "=", company.id)]
        )
        if not invoiced:
            today = fields.Date.context_today(self)
            vals_list = []
            for partner, amounts in zip(customers, CZ_DEMO_AMOUNTS, strict=True):
                for months, (label, amount, scope, rate) in zip((10, 5, 1), amounts, strict=True):
                    date = today - relativedelta(months=months)
                    vals_list.append(
                        {
                            "move_type": "out_invoice",
                            "company_id": company.id,
                            "partner_id": partner.id,
                            "invoice_date": date,
                            "date": date,
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "name": label,
                                        "quantity": 1,
                                        "price_unit": amount,
                                        "tax_ids": self._crm_demo_sale_tax_ids(
                                            company.id, rate, scope
                                        ),
                                    }
                                )
                            ],
                        }
                    )
            invoiced = Move.create(vals_list)
            invoiced.action_post()
        # debtor numbers of its own range for all its customers (the Czech customers of the
        # story that it invoices too: demo/account_move_demo.xml)
        invoiced = Move.search([("company_id", "=", company.id), ("state", "=", "posted")])
        (customers | invoiced.commercial_partner_id).with_company(company)._crm_assign_numbers(
            "debtor"
        )
        company.action_crm_run_abc()

    @api.model
    def _crm_demo_sale_tax_ids(self, company_id, rate="standard", scope="service"):
        """The sales tax of a story invoice line of company `company_id`, as its chart has it:
        on SKR03 19 % (standard) or 7 % (reduced), on the Czech chart the domestic 21 % or
        12 % for goods (scope "consu") or services; on another chart the company's default
        sales tax. Returns the ids (demo/account_move_demo.xml)."""
        company = self.browse(company_id)
        xmlids = {
            "de_skr03": {"standard": "tax_ust_19_skr03", "reduced": "tax_ust_7_skr03"},
            "cz": {
                "standard": "l10n_cz_21_domestic_"
                + ("services" if scope == "service" else "supplies"),
                "reduced": "l10n_cz_12_domestic_"
                + ("service" if scope == "service" else "supplies"),
            },
        }.get(company.chart_template, {})
        tax = self.env["account.tax"]
        if xmlids:
            tax = (
                self.env["account.chart.template"]
                .with_company(company)
                .ref(xmlids[rate], raise_if_not_found=False)
            )
        return (tax or company.account_sale_tax_id).ids

    @api.model
    def _crm_demo_chart_available(self, module):
        """Whether Odoo's chart module `module` (l10n_de, l10n_cz) is installed."""
        return bool(
            self.env["ir.module.module"]
            .sudo()
            .search_count([("name", "=", module), ("state", "in", ("installed", "to upgrade"))])
        )

    @api.model
    def _crm_demo_records_of_account(self, records):
        """Those of `records` that are Odoo's accounting demo data (external ids of
        account)."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "account"),
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )
        return records.browse(data.mapped("res_id"))
