from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

MANDATES = CockpitButton("crm.sepa.mandate", "commercial_partner_id")
# a debit's partner is the debtor, a commercial entity
DEBITS = CockpitButton("crm.sepa.batch.line", "partner_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_sepa_mandate_ids = fields.One2many(
        "crm.sepa.mandate", "partner_id", "SEPA Mandates", context={"active_test": False}
    )
    crm_sepa_line_ids = fields.One2many(
        "crm.sepa.batch.line", "partner_id", "SEPA Debit History", readonly=True
    )
    crm_sepa_mandate_count = fields.Integer(compute="_compute_crm_cockpit")
    crm_sepa_debit_count = fields.Integer(compute="_compute_crm_cockpit")

    def _crm_cockpit_groups(self):
        return {
            **super()._crm_cockpit_groups(),
            "crm_billing_sepa.mandates": CockpitGroup(MANDATES),
            "crm_billing_sepa.debits": CockpitGroup(DEBITS, path="partner_id"),
        }

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        mandates = groups["crm_billing_sepa.mandates"]
        debits = groups["crm_billing_sepa.debits"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            partner.crm_sepa_mandate_count = mandates.get(key, [0])[0]
            partner.crm_sepa_debit_count = debits.get(key, [0])[0]

    @one_record
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

    @one_record
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

    @one_record
    def action_crm_sepa_debits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SEPA Debits"),
            "res_model": "crm.sepa.batch.line",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
        }

    def _crm_personal_data(self, files):
        """SEPA mandates and the direct debits and transfers of the customer (GDPR export,
        crm_core)."""
        data = super()._crm_personal_data(files)
        mandates = self._crm_personal_data_search(
            "crm.sepa.mandate", [("commercial_partner_id", "=", self.id)], "id"
        )
        lines = self._crm_personal_data_search(
            "crm.sepa.batch.line", [("partner_id", "child_of", self.id)], "id"
        )
        data["crm_billing_sepa.mandates"] = self._crm_personal_data_rows(mandates)
        data["crm_billing_sepa.debits_and_transfers"] = self._crm_personal_data_rows(lines)
        return data
