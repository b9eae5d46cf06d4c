from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_sepa_mandate_ids = fields.One2many(
        "crm.sepa.mandate", "partner_id", "SEPA Mandates", context={"active_test": False}
    )
    crm_sepa_line_ids = fields.One2many(
        "crm.sepa.batch.line", "partner_id", "SEPA Debit History", readonly=True
    )
    crm_sepa_mandate_count = fields.Integer(compute="_compute_crm_sepa_counts")
    crm_sepa_debit_count = fields.Integer(compute="_compute_crm_sepa_counts")

    def _compute_crm_sepa_counts(self):
        commercial = self.commercial_partner_id
        mandates = dict(
            self.env["crm.sepa.mandate"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        debits = dict(
            self.env["crm.sepa.batch.line"]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.crm_sepa_mandate_count = mandates.get(partner.commercial_partner_id, 0)
            partner.crm_sepa_debit_count = debits.get(partner.commercial_partner_id, 0)

    def action_crm_sepa_debit_now(self):
        """ "Debit now": collect this customer's due invoices (opens the wizard)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Debit %(partner)s now", partner=self.display_name),
            "res_model": "crm.sepa.debit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": [self.commercial_partner_id.id],
                "default_due_date_to": fields.Date.to_string(fields.Date.context_today(self)),
            },
        }

    def crm_sepa_debit_now(self):
        """Collect the due invoices of these customers by direct debit right away (RPC).
        Returns {"batch_ids", "errors"} as crm.sepa.batch.create_debit_batches."""
        return self.env["crm.sepa.batch"].create_debit_batches(
            partner_ids=self.commercial_partner_id.ids,
            due_date_to=fields.Date.context_today(self),
        )

    def action_crm_sepa_mandates(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SEPA Mandates"),
            "res_model": "crm.sepa.mandate",
            "view_mode": "list,form",
            "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "active_test": False,
            },
        }

    def action_crm_sepa_debits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SEPA Debits"),
            "res_model": "crm.sepa.batch.line",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
        }
