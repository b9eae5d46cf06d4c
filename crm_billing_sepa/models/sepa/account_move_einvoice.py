from odoo import models

from odoo.addons.crm_core.tools import iban as iban_tools


class AccountMove(models.Model):
    _inherit = "account.move"

    def _crm_einvoice_direct_debit(self):
        """An invoice collected by SEPA direct debit says so in its e-invoice (payment
        means 59): the mandate reference (BT-89), the debited account (BT-91) and the
        creditor identifier (BT-90): the mandate of its open SEPA payment, else the
        customer's active mandate of the invoice's company. Read as superuser: an
        accountant without CRM rights downloads the e-invoice of an invoice it may read;
        the account number masked for a user who may not see it complete (an auditor with
        Odoo's read-only accounting group: crm_core's "Complete Bank Account Numbers")."""
        self.ensure_one()
        creditor = self.company_id.crm_sepa_creditor_identifier
        if not (self.crm_sepa_direct_debit and self.move_type == "out_invoice" and creditor):
            return super()._crm_einvoice_direct_debit()
        line = self.sudo().crm_sepa_line_ids.filtered(lambda li: li.state in ("open", "collected"))[
            :1
        ]
        mandate = line.mandate_id or self.env["crm.sepa.mandate"].sudo().search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "active"),
            ],
            limit=1,
        )
        iban = line.iban or mandate.iban
        if not (mandate and iban):
            return super()._crm_einvoice_direct_debit()
        if not self.env["res.partner.bank"]._crm_number_visible():
            iban = iban_tools.mask(iban)
        return {"mandate": mandate.name, "iban": iban, "creditor_id": creditor}
