from odoo import api, fields, models

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

    def _crm_next_number(self, kind):
        self.ensure_one()
        self._crm_ensure_sequences()
        return self.sudo()[f"crm_{kind}_sequence_id"].next_by_id()
