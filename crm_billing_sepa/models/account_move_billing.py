from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL


class AccountMove(models.Model):
    """Invoices made from services, and their dunning state (issue 7). Kept apart from
    account_move.py (SEPA)."""

    _inherit = "account.move"

    crm_service_invoice = fields.Boolean(
        "From Services", readonly=True, copy=False, help="Created by invoicing services."
    )
    crm_service_ids = fields.One2many("crm.service", "invoice_id", "Services", readonly=True)
    crm_dunning_level_id = fields.Many2one(
        "crm.dunning.level", "Dunning Level", readonly=True, copy=False, index="btree_not_null"
    )
    crm_dunning_date = fields.Date("Last Dunning", readonly=True, copy=False)

    def button_draft(self):
        """A cancelled services invoice whose services were invoiced again must not come
        back: they would be billed twice."""
        cancelled = self.filtered(lambda m: m.crm_service_invoice and m.state == "cancel")
        fee = cancelled and self.env.ref(
            "crm_billing_sepa.product_dunning_fee", raise_if_not_found=False
        )
        for move in cancelled:
            lines = move.invoice_line_ids.filtered(lambda li: li.display_type == "product")
            orphan = lines.filtered(lambda li: not li.crm_service_ids and li.product_id != fee)
            if orphan:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s cannot be reset to draft: its services "
                        "(%(line)s) were invoiced again meanwhile.",
                        invoice=move.display_name,
                        line=orphan[0].name,
                    )
                )
        return super().button_draft()

    def action_crm_services(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Services"),
            "res_model": "crm.service",
            "view_mode": "list,form",
            "domain": [("invoice_id", "=", self.id)],
        }

    # ------------------------------------------------------------------------------------------
    # Draft invoices in bulk (issue 7, performance)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_create_draft_invoices(self, vals_list):
        """Create draft customer invoices like account.move.create(vals_list), in bulk.

        Odoo's create synchronises the dynamic lines (taxes, receivable) line by line: each
        product line is written once more, each tax line created and rewritten, which costs
        about 40 ms an invoice. Here the invoice headers are created first (all their
        defaults and computed fields by the ORM), then every line of all invoices in one
        create, taxes and receivable lines included, with Odoo's own computations (the tax
        engine of account.tax and the payment term's _compute_terms, as _sync_tax_lines and
        _compute_needed_terms use them for a draft) and `skip_invoice_sync`, the key Odoo's
        own reversal uses when it creates complete moves. Odoo still checks that every move
        balances. Invoices this does not cover (cash rounding, early payment discount, line
        commands other than create, explicit taxes other than clear/set) take Odoo's
        ordinary path. The tests compare the result field by field with Odoo's."""
        heads, lines_list = [], []
        for vals in vals_list:
            vals = dict(vals)
            commands = list(vals.pop("invoice_line_ids", []) or []) + list(
                vals.pop("line_ids", []) or []
            )
            heads.append(vals)
            lines_list.append(commands)
        self._crm_default_journals(heads)
        moves = self.with_context(skip_invoice_sync=True).create(heads).with_env(self.env)
        # the headers' computed fields (payment state of an empty invoice: no query) now
        self.env.flush_all()
        slow = []
        fast_vals = []
        cache = {}
        for move, commands in zip(moves, lines_list, strict=True):
            prepared = move._crm_prepare_draft_lines(commands, cache)
            if prepared is None:
                slow.append((move, commands))
            else:
                fast_vals.extend(prepared)
        if fast_vals:
            # a new draft invoice has no reconciled line: its payment state is "not paid"
            # (already computed on the header). Odoo's recomputation would run its
            # reconciliation query once more for all these moves: on tables whose statistics
            # predate a bulk run the planner turns it into nested full scans (minutes for a
            # few thousand invoices).
            fast = self.browse({vals["move_id"] for vals in fast_vals})
            if not self.env["account.analytic.distribution.model"].search_count(
                Domain("company_id", "in", [*fast.company_id.ids, False]), limit=1
            ):
                # no distribution model: Odoo's per-line model search finds none either
                for vals in fast_vals:
                    if vals["display_type"] == "product":
                        vals.setdefault("analytic_distribution", False)
            # skip_analytic_sync: draft lines have no analytic lines to re-create
            Line = self.env["account.move.line"].with_context(
                skip_invoice_sync=True, skip_analytic_sync=True
            )
            with self.env.protecting([self._fields["payment_state"]], fast):
                Line.create(fast_vals)
                self.env.flush_all()
        for move, commands in slow:
            move.write({"invoice_line_ids": commands})
        # as Odoo's create leaves it: made by the program, not modified by hand. One UPDATE:
        # the ORM's write would run the whole dynamic-line synchronisation and balance check
        # of every invoice again for this plain flag (a seventh of the bulk path's time)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE account_move SET is_manually_modified = FALSE
                    WHERE id = ANY(%s) AND is_manually_modified""",
                moves.ids,
            )
        )
        moves.invalidate_recordset(["is_manually_modified"])
        # what that synchronisation leaves in the cache: the payment terms are in sync (else
        # the next edit of a line in this transaction would count as a manual change)
        self._fields["needed_terms_dirty"]._update_cache(moves, False)
        return moves

    @api.model
    def _crm_default_journals(self, heads):
        """Set the journal Odoo would compute (_compute_journal_id searches it once per
        invoice: a sixth of the headers' creation) on these invoice values, computed once
        per move type, company and currency on a new record as Odoo does it."""
        journals = {}
        for vals in heads:
            move_type = vals.get("move_type") or self.env.context.get("default_move_type")
            if "journal_id" in vals or not (
                move_type and vals.get("company_id") and vals.get("currency_id")
            ):
                continue
            key = (move_type, vals["company_id"], vals["currency_id"])
            if key not in journals:
                probe = self.new(
                    {
                        "move_type": move_type,
                        "company_id": vals["company_id"],
                        "currency_id": vals["currency_id"],
                    }
                )
                journals[key] = probe.journal_id.id
            vals["journal_id"] = journals[key]

    def _crm_fast_line_taxes(self, line_vals, cache):
        """(account, taxes) of a new product line of this invoice as Odoo computes them
        (a new line record of this move), or explicit taxes given as clear/set commands;
        None when the values are beyond the bulk path."""
        product_id = line_vals.get("product_id")
        key = (
            self.company_id.id,
            self.journal_id.id,
            self.fiscal_position_id.id,
            self.move_type,
            self.commercial_partner_id.id if not product_id else False,
            product_id,
            line_vals.get("account_id"),
        )
        if key not in cache:
            probe = self.env["account.move.line"].new(
                {
                    "move_id": self.id,
                    "display_type": "product",
                    "product_id": product_id,
                    "partner_id": self.commercial_partner_id.id,
                    **(
                        {"account_id": line_vals["account_id"]} if "account_id" in line_vals else {}
                    ),
                }
            )
            cache[key] = (probe.account_id._origin, probe.tax_ids._origin)
        account, taxes = cache[key]
        if "tax_ids" in line_vals:
            taxes = self.env["account.tax"]
            for command in line_vals["tax_ids"] or []:
                if command[0] == Command.CLEAR:
                    taxes = self.env["account.tax"]
                elif command[0] == Command.SET:
                    taxes = self.env["account.tax"].browse(command[2])
                else:
                    return None
        return account, taxes

    def _crm_prepare_draft_lines(self, commands, cache):
        """All line values (products, taxes, payment terms) of this new draft invoice, or
        None when it must take Odoo's ordinary path."""
        self.ensure_one()
        if (
            self.state != "draft"
            or not self.is_invoice(include_receipts=True)
            or self.invoice_cash_rounding_id
            or self.invoice_payment_term_id.early_discount
            or any(command[0] != Command.CREATE for command in commands)
        ):
            return None
        AccountTax = self.env["account.tax"]
        company = self.company_id
        sign = self.direction_sign
        partner = self.commercial_partner_id
        result, base_lines = [], []
        for _command, _id, line_vals in commands:
            vals = dict(line_vals, move_id=self.id)
            display_type = vals.setdefault("display_type", "product")
            if display_type in ("line_section", "line_subsection", "line_note"):
                result.append(vals)
                continue
            if (
                display_type != "product"
                or "price_unit" not in vals
                or {"balance", "amount_currency", "debit", "credit"} & set(vals)
            ):
                return None
            computed = self._crm_fast_line_taxes(vals, cache)
            if computed is None:
                return None
            account, taxes = computed
            vals.setdefault("account_id", account.id)
            vals["tax_ids"] = [Command.set(taxes.ids)]
            product = self.env["product.product"].browse(vals.get("product_id"))
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    _vals=vals,
                    product_id=product,
                    product_uom_id=self.env["uom.uom"].browse(vals.get("product_uom_id")),
                    tax_ids=taxes,
                    price_unit=vals.get("price_unit", 0.0),
                    quantity=vals.get("quantity", 1.0),
                    discount=vals.get("discount", 0.0),
                    currency_id=self.currency_id,
                    rate=self.invoice_currency_rate,
                    sign=sign,
                    is_refund=self.move_type in ("out_refund", "in_refund"),
                    partner_id=partner,
                    account_id=self.env["account.account"].browse(vals["account_id"]),
                    analytic_distribution=vals.get("analytic_distribution"),
                )
            )
            result.append(vals)
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(
            base_lines, company, include_caba_tags=self.always_tax_exigible
        )
        tax_results = AccountTax._prepare_tax_lines(base_lines, company)
        untaxed = untaxed_currency = tax = tax_currency = 0.0
        for base_line, to_update in tax_results["base_lines_to_update"]:
            base_line["_vals"].update(to_update)
            untaxed_currency += sign * to_update["amount_currency"]
            untaxed += sign * to_update["balance"]
        for tax_vals in tax_results["tax_lines_to_add"]:
            tax_currency += sign * tax_vals["amount_currency"]
            tax += sign * tax_vals["balance"]
            result.append({**tax_vals, "display_type": "tax", "move_id": self.id})
        if not base_lines:
            return result
        result.extend(
            self._crm_payment_term_lines(tax, tax_currency, untaxed, untaxed_currency, sign)
        )
        return result

    def _crm_payment_term_lines(self, tax, tax_currency, untaxed, untaxed_currency, sign):
        """The receivable lines of this draft invoice, as _compute_needed_terms and
        _sync_dynamic_line make them."""
        if not self.invoice_payment_term_id:
            return [
                {
                    "move_id": self.id,
                    "display_type": "payment_term",
                    "date_maturity": self.invoice_date_due,
                    "discount_date": False,
                    "discount_balance": 0.0,
                    "discount_amount_currency": 0.0,
                    "balance": sign * -(tax + untaxed),
                    "amount_currency": sign * -(tax_currency + untaxed_currency),
                }
            ]
        terms = self.invoice_payment_term_id._compute_terms(
            date_ref=self.invoice_date or self.date or fields.Date.context_today(self),
            currency=self.currency_id,
            tax_amount_currency=tax_currency,
            tax_amount=tax,
            untaxed_amount_currency=untaxed_currency,
            untaxed_amount=untaxed,
            company=self.company_id,
            cash_rounding=self.invoice_cash_rounding_id,
            sign=sign,
        )
        needed = {}
        for term_line in terms["line_ids"]:
            key = (fields.Date.to_date(term_line.get("date")), terms.get("discount_date"))
            if key in needed:
                needed[key]["balance"] += term_line["company_amount"]
                needed[key]["amount_currency"] += term_line["foreign_amount"]
                continue
            needed[key] = {
                "move_id": self.id,
                "display_type": "payment_term",
                "date_maturity": key[0],
                "discount_date": key[1],
                "balance": term_line["company_amount"],
                "amount_currency": term_line["foreign_amount"],
                "discount_balance": terms.get("discount_balance") or 0.0,
                "discount_amount_currency": terms.get("discount_amount_currency") or 0.0,
            }
        return list(needed.values())
