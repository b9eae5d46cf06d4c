from odoo import fields, models

from odoo.addons.crm_core.tools.boundary import one_record


class CrmSepaCamtImport(models.TransientModel):
    """Import the returned direct debits of a camt.054 (or camt.053) file."""

    _name = "crm.sepa.camt.import"
    _description = "Import SEPA Returns (camt.054)"

    file = fields.Binary(required=True)
    filename = fields.Char()
    charge_fee = fields.Boolean("Charge the Return Fee")
    result = fields.Text(readonly=True)

    @one_record
    def action_import(self):
        self.ensure_one()
        self.result = self.env["crm.sepa.batch.line"].import_camt054(
            self.file, charge_fee=self.charge_fee
        )["summary"]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
