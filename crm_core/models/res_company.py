import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..tools.boundary import Date, Record, Records, public

_logger = logging.getLogger(__name__)

# German practice (SKR03/SKR04): debtors 10000-69999, creditors 70000-99999.
NUMBER_RANGE_START = {"debtor": 10000, "creditor": 70000}


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
        """The story's company (Elbtal Handel GmbH, Dresden) works in euros. Odoo's
        accounting demo data, loaded with the generic chart before this addon, made it a USD
        company with a few journal entries, and Odoo refuses to change the currency of a
        company with entries. Remove exactly those demo entries (as the chart template does
        when it reloads), switch the company to EUR and load Odoo's accounting demo data
        again, now in euros. A company with entries of its own keeps its currency."""
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        if company.currency_id == euro:
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
