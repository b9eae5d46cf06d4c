from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import format_date, formatLang

from odoo.addons.crm_core.tools import iban as iban_tools

from ...tools import target2


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_sepa_direct_debit = fields.Boolean(
        "Pay by SEPA Direct Debit",
        compute="_compute_crm_sepa_direct_debit",
        store=True,
        readonly=False,
        help="Collected by SEPA direct debit; set by default when the customer has an "
        "active mandate.",
    )
    # accountants without CRM rights open and print invoices too: the payments list is
    # for CRM users, the pre-notification text (printed on the invoice) is computed as sudo
    crm_sepa_line_ids = fields.One2many(
        "crm.sepa.batch.line",
        "move_id",
        "SEPA Payments",
        readonly=True,
        groups="crm_core.group_user",
    )
    crm_sepa_prenotification = fields.Text(
        "SEPA Pre-notification",
        compute="_compute_crm_sepa_prenotification",
        compute_sudo=True,
    )

    @api.depends("partner_id", "move_type", "company_id")
    def _compute_crm_sepa_direct_debit(self):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.partner_id)
        (self - invoices).crm_sepa_direct_debit = False
        if not invoices:
            return
        with_mandate = {
            (partner.id, company.id)
            for partner, company in self.env["crm.sepa.mandate"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", invoices.commercial_partner_id.ids),
                    ("state", "=", "active"),
                ],
                ["commercial_partner_id", "company_id"],
            )
        }
        for move in invoices:
            if move.state == "draft" or not move.crm_sepa_direct_debit:
                move.crm_sepa_direct_debit = (
                    move.commercial_partner_id.id,
                    move.company_id.id,
                ) in with_mandate

    @api.depends("crm_sepa_line_ids.state", "crm_sepa_line_ids.batch_id.state")
    def _compute_payment_state(self):
        """An invoice whose debit is in a file or on its way (batch not yet matched with the
        bank statement) is "in payment", also in Odoo Community.

        For a posted pending invoice with an open residual Odoo can only find "not paid",
        "partial" or "in payment" ("paid" and "reversed" need a zero residual), all of which
        become "in payment" here: so it is set without asking Odoo, and a batch of 10,000
        invoices does not run Odoo's reconciliation queries for them."""
        pending = self.crm_sepa_line_ids.filtered(
            lambda line: line.state in ("open", "collected")
            and line.batch_id.state in ("generated", "sent")
        ).move_id
        known = (self & pending).filtered(
            lambda move: move.state == "posted"
            and move.is_invoice(include_receipts=True)
            and move.payment_state not in ("blocked", "invoicing_legacy")
            and not (move.currency_id or move.company_currency_id).is_zero(move.amount_residual)
        )
        super(AccountMove, self - known)._compute_payment_state()
        known.payment_state = "in_payment"
        for move in (self - known) & pending:
            if move.payment_state in ("not_paid", "partial", "paid"):
                move.payment_state = "in_payment"

    @api.depends(
        "crm_sepa_direct_debit",
        "amount_residual",
        "invoice_date_due",
        "crm_sepa_line_ids.state",
    )
    @api.depends_context("lang")
    def _compute_crm_sepa_prenotification(self):
        """The pre-notification printed on the invoice and put in its e-mail, in the
        language of the context (the invoice report renders in the customer's), amount and
        date written the way that language writes them. SEPA debits are in euros only: an
        invoice in another currency (a Czech company's CZK invoice) gets none."""
        eur = self.env.ref("base.EUR")
        invoices = self.filtered(
            lambda m: m.crm_sepa_direct_debit
            and m.move_type == "out_invoice"
            and (m.currency_id == eur or m.crm_sepa_line_ids)
        )
        (self - invoices).crm_sepa_prenotification = False
        if not invoices:
            return
        mandates = (
            self.env["crm.sepa.mandate"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", invoices.commercial_partner_id.ids),
                    ("state", "=", "active"),
                ]
            )
        )
        by_partner = {(m.commercial_partner_id.id, m.company_id.id): m for m in mandates}
        today = fields.Date.context_today(self)
        # the numbers in the language of the words (without a language in the context the
        # words are English, and formatLang would take the user's language)
        fmt_env = self.with_context(lang=self.env.lang or "en_US").env
        for move in invoices:
            line = move.crm_sepa_line_ids.filtered(lambda li: li.state in ("open", "collected"))[:1]
            mandate = line.mandate_id or by_partner.get(
                (move.commercial_partner_id.id, move.company_id.id)
            )
            if not mandate or (not line and move.currency_id.is_zero(move.amount_residual)):
                move.crm_sepa_prenotification = False
                continue
            if line:
                amount, date, iban = line.amount, line.collection_date, line.iban
            else:
                amount = move.amount_residual
                iban = mandate.iban
                date = target2.collection_date(
                    move.invoice_date_due,
                    max(today, move.invoice_date or today),
                    move.company_id.crm_sepa_lead_days,
                )
            move.crm_sepa_prenotification = self.env._(
                "We will debit %(amount)s on %(date)s from your account IBAN %(iban)s "
                "(SEPA direct debit, mandate %(ref)s, creditor identifier %(cid)s).",
                amount=formatLang(fmt_env, amount, currency_obj=eur),
                date=format_date(fmt_env, date),
                iban=iban_tools.mask(iban),
                ref=mandate.name,
                cid=move.company_id.crm_sepa_creditor_identifier or "",
            )

    def action_crm_sepa_debit(self):
        """Open the direct debit wizard for these invoices."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collect by SEPA Direct Debit"),
            "res_model": "crm.sepa.debit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_invoice_ids": self.ids},
        }

    @api.model
    def _crm_dunning_skip_domain(self):
        """An invoice in a direct debit (an open or sent SEPA payment) is not dunned: the
        money is on its way."""
        pending = (
            self.env["crm.sepa.batch.line"]
            .sudo()
            ._search([("state", "in", ("open", "collected"))])
            .subselect("move_id")
        )
        return super()._crm_dunning_skip_domain() | Domain("id", "in", pending)
