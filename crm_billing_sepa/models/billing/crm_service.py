from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL, format_date, split_every

from odoo.addons.crm_core.tools import concurrency
from odoo.addons.crm_core.tools.boundary import (
    ArgumentError,
    Date,
    Records,
    Selection,
    one_record,
    public,
)

from ...tools import fastpath_invoice, fastpath_rows

INVOICE_CHUNK = 1000
SERVICE_STATES = [
    ("open", "Open"),
    ("invoiced", "Invoiced"),
    ("not_billable", "Not Billable"),
]
# what an invoiced service keeps (its invoice line bills it)
PROTECTED_FIELDS = frozenset(
    {"partner_id", "product_id", "quantity", "price_unit", "currency_id", "company_id"}
)


class CrmService(models.Model):
    """A billable service rendered to a customer (time or units), invoiced later."""

    _name = "crm.service"
    _description = "Billable Service"
    _inherit = ["mail.thread", "crm.state.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Description", required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", "Rendered by", required=True, default=lambda self: self.env.user, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('parent_id', '=', False)]",
    )
    project_id = fields.Many2one("project.project", "Project", index="btree_not_null")
    product_id = fields.Many2one(
        "product.product",
        "Product",
        required=True,
        ondelete="restrict",
        domain="[('sale_ok', '=', True)]",
        tracking=True,
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(
        "Quantity", default=1.0, required=True, digits="Product Unit", tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        readonly=False,
    )
    price_unit = fields.Monetary(
        "Unit Price",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        readonly=False,
        help="From the customer's pricelist when the product or quantity is set; editable.",
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, aggregator="sum")
    billable = fields.Boolean(default=True, tracking=True)
    invoice_line_id = fields.Many2one(
        "account.move.line",
        "Invoice Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id", string="Invoice", store=True, index="btree_not_null"
    )
    state = fields.Selection(
        SERVICE_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        copy=False,
    )
    chronicle_entry_id = fields.Many2one(
        "crm.chronicle.entry", "Chronicle Entry", index="btree_not_null", ondelete="set null"
    )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a service must be positive."
    )
    # what only invoicing writes (crm.state.mixin)
    _action_fields = ("state", "invoice_line_id", "invoice_id")

    @api.depends("product_id", "quantity", "partner_id", "date", "company_id")
    def _compute_price_unit(self):
        for service in self:
            partner = service.partner_id.commercial_partner_id.with_company(service.company_id)
            pricelist = partner.property_product_pricelist
            currency = (
                pricelist.currency_id
                or partner.crm_sale_currency_id
                or service.company_id.currency_id
            )
            service.currency_id = currency
            if not service.product_id:
                service.price_unit = 0.0
                continue
            if pricelist:
                service.price_unit = pricelist._get_product_price(
                    service.product_id,
                    service.quantity or 1.0,
                    currency=currency,
                    date=service.date,
                )
            else:
                service.price_unit = service.product_id.lst_price

    @api.depends("quantity", "price_unit", "currency_id")
    def _compute_amount(self):
        for service in self:
            amount = service.quantity * service.price_unit
            service.amount = service.currency_id.round(amount) if service.currency_id else amount

    @api.depends("billable", "invoice_line_id", "invoice_line_id.parent_state")
    def _compute_state(self):
        for service in self:
            line = service.invoice_line_id
            if line and line.parent_state != "cancel":
                service.state = "invoiced"
            elif not service.billable:
                service.state = "not_billable"
            else:
                service.state = "open"

    @api.constrains("partner_id")
    def _check_partner(self):
        for service in self:
            if service.partner_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "Service %(service)s: record it on the customer %(customer)s, not on "
                        "its contact %(contact)s.",
                        service=service.name,
                        customer=service.partner_id.commercial_partner_id.display_name,
                        contact=service.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a service recorded on a contact person belongs to its company
        partner_ids = {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        if partner_ids:
            commercial = {
                p.id: p.commercial_partner_id.id
                for p in self.env["res.partner"].browse(partner_ids)
            }
            for vals in vals_list:
                if vals.get("partner_id"):
                    vals["partner_id"] = commercial[vals["partner_id"]]
        return super().create(vals_list)

    def write(self, vals):
        if PROTECTED_FIELDS.intersection(vals) or "billable" in vals:
            invoiced = self.filtered(lambda s: s.state == "invoiced")
            if invoiced:
                raise UserError(
                    self.env._(
                        "Service %(service)s of %(customer)s is invoiced (%(invoice)s): its "
                        "customer, product, quantity and price can no longer change. Cancel "
                        "the invoice first.",
                        service=invoiced[0].name,
                        customer=invoiced[0].partner_id.display_name,
                        invoice=invoiced[0].invoice_id.display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        invoiced = self.filtered(lambda s: s.state == "invoiced")
        if invoiced:
            raise UserError(
                self.env._(
                    "Service %(service)s of %(customer)s is invoiced (%(invoice)s) and cannot "
                    "be deleted.",
                    service=invoiced[0].name,
                    customer=invoiced[0].partner_id.display_name,
                    invoice=invoiced[0].invoice_id.display_name,
                )
            )

    def _state_actions(self):
        return self.env._("Invoice Services, Not Billable, Billable")

    def action_mark_not_billable(self):
        self.filtered(lambda s: s.state == "open").billable = False
        return True

    def action_mark_billable(self):
        self.filtered(lambda s: s.state == "not_billable").billable = True
        return True

    @one_record
    def action_open_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }

    def action_invoice_services(self):
        """Open the invoicing wizard for these services (list action)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice Services"),
            "res_model": "crm.service.invoice.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_ids": self.ids},
        }

    # ------------------------------------------------------------------------------------------
    # Invoicing: open services to draft invoices, each service linked to its line
    # ------------------------------------------------------------------------------------------
    @api.model
    def _invoice_domain(self, date_from=False, date_to=False, partner_ids=False):
        domain = Domain("state", "=", "open") & Domain("company_id", "=", self.env.company.id)
        if date_from:
            domain &= Domain("date", ">=", date_from)
        if date_to:
            domain &= Domain("date", "<=", date_to)
        if partner_ids:
            domain &= Domain("partner_id", "in", list(partner_ids))
        return domain

    @public(
        date_from=Date(required=False),
        date_to=Date(required=False),
        partner_ids=Records("res.partner", required=False, visible=True),
        group_by=Selection(("partner", "project")),
        line_mode=Selection(("service", "product")),
        invoice_date=Date(required=False),
    )
    def invoice_services(
        self,
        date_from=False,
        date_to=False,
        partner_ids=False,
        group_by="partner",
        line_mode="service",
        invoice_date=False,
    ):
        """Invoice open services as draft customer invoices and return the invoice ids.

        Called on a recordset: those services (still open ones only); on an empty recordset:
        the open services of the current company in the period, optionally of some customers.
        group_by: "partner" (one invoice per customer) or "project" (one per customer and
        project); line_mode: "service" (one line per service) or "product" (summed per
        product and unit price). Services locked by a concurrent run are left to it."""
        if date_from and date_to and date_from > date_to:
            raise ArgumentError(
                self.env._(
                    "crm.service.invoice_services: the argument date_from (%(start)s) lies "
                    "after date_to (%(end)s).",
                    start=date_from,
                    end=date_to,
                )
            )
        self.env["account.move"].check_access("create")
        self.check_access("write")
        domain = self._invoice_domain(date_from, date_to, partner_ids and partner_ids.ids)
        if self:
            domain &= Domain("id", "in", self.ids)
        services = self.search(domain, order="partner_id, project_id, date, id")
        return services._create_invoices(group_by, line_mode, invoice_date).ids

    def _create_invoices(self, group_by="partner", line_mode="service", invoice_date=False):
        """Create the draft invoices of these open services; return them.

        The services are row-locked first (SKIP LOCKED): services another run holds are
        left to it, and services that run invoiced meanwhile are no longer open here
        (REPEATABLE READ makes the lock fail with a serialization error when a concurrent
        transaction changed them after ours began; Odoo retries the request then). So a
        service lands on one invoice only. The links are written in one UPDATE. Invoicing
        runs take turns on all servers (crm_core/tools/concurrency.py): a run that had to
        wait runs again on what the other one left, so the customers' pending dunning fees
        are invoiced once too."""
        if not self:
            return self.env["account.move"]
        concurrency.exclusive(self.env, "crm_billing_sepa.invoicing")
        self.flush_model()
        services = self._lock_for_invoicing()
        services.invalidate_recordset(["state", "invoice_line_id"])
        services = services.filtered(lambda s: s.state == "open")
        if not services:
            return self.env["account.move"]
        services.fetch(
            [
                "partner_id",
                "project_id",
                "product_id",
                "quantity",
                "price_unit",
                "currency_id",
                "name",
                "date",
                "company_id",
            ]
        )
        groups = {}
        for service in services:
            key = (
                service.company_id.id,
                service.partner_id.id,
                service.project_id.id if group_by == "project" else False,
                service.currency_id.id,
            )
            groups.setdefault(key, []).append(service)
        partners = self.env["res.partner"].browse({key[1] for key in groups})
        defaults = partners._crm_service_invoice_defaults()
        fees_by_key = self._pending_fees(partners, {key[0] for key in groups})
        move_vals = []
        move_fees = []
        line_services = []  # per move: [services of line 1, services of line 2, ...]
        dates = {}
        for (company_id, partner_id, project_id, currency_id), members in groups.items():
            lines, per_line = self._invoice_lines(members, line_mode, dates)
            letters = self.env["crm.dunning.letter"]
            if currency_id == self.env["res.company"].browse(company_id).currency_id.id:
                letters = fees_by_key.pop((company_id, partner_id), letters)
            for letter in letters:
                for fee_line in letter._fee_lines():
                    fee_line["sequence"] = len(lines) + 1
                    lines.append(fee_line)
                    per_line.append([])
            move_fees.append(letters)
            vals = dict(defaults[partner_id])
            vals.update(
                move_type="out_invoice",
                company_id=company_id,
                currency_id=currency_id,
                invoice_line_ids=[Command.create(line) for line in lines],
                crm_service_invoice=True,
            )
            if invoice_date:
                vals["invoice_date"] = invoice_date
            if project_id:
                project = members[0].project_id
                vals["ref"] = project.name
            move_vals.append(vals)
            line_services.append(per_line)
        # in chunks of 1,000 invoices: bounded memory, each chunk created in bulk. Without
        # the chatter's per-invoice work on creation (follower subscriptions, a posted
        # "Invoice Created" that notifies followers: five queries an invoice): each invoice
        # gets a note instead, all of them written at once
        Move = self.env["account.move"].with_context(
            default_move_type="out_invoice", tracking_disable=True
        )
        moves = Move
        for chunk in split_every(INVOICE_CHUNK, move_vals):
            moves |= fastpath_invoice.create_draft_invoices(Move, list(chunk))
        moves._message_log_batch(
            bodies={
                move.id: self.env._(
                    "Invoice created from %(count)s services.",
                    count=sum(len(members) for members in per_line),
                )
                for move, per_line in zip(moves, line_services, strict=True)
            }
        )
        for move, letters in zip(moves, move_fees, strict=True):
            if letters:
                letters._write_state({"fee_move_id": move.id, "fee_state": "invoiced"})
        self._link_invoice_lines(moves, line_services)
        services.invalidate_recordset(["invoice_line_id", "invoice_id", "state"])
        return moves

    @api.model
    def _link_invoice_lines(self, moves, line_services):
        """Link the services to the product lines of their new invoices (line_services: per
        invoice, the services of each product line in order) and mark them invoiced, all at
        once (tools/fastpath_rows.write). The chatter does not track it: the invoice notes
        how many services it bills."""
        product_lines = defaultdict(list)
        for line in self.env["account.move.line"].search_fetch(
            [("move_id", "in", moves.ids), ("display_type", "=", "product")],
            ["move_id"],
            order="move_id, sequence, id",
        ):
            product_lines[line.move_id.id].append(line.id)
        values = {}
        for move, per_line in zip(moves, line_services, strict=True):
            for line_id, members in zip(product_lines[move.id], per_line, strict=True):
                for service in members:
                    values[service] = {
                        "invoice_line_id": line_id,
                        "invoice_id": move.id,
                        "state": "invoiced",
                    }
        fastpath_rows.write(values, orm_context={"tracking_disable": True}, method="_write_state")

    def _lock_for_invoicing(self):
        """Row-lock these services, skipping those another transaction holds.

        FOR UPDATE SKIP LOCKED, like try_lock_for_update(), but a serialization failure (a
        concurrent run invoiced some of them after our snapshot) is not logged as a bad
        query: Odoo retries the whole request, which then finds them invoiced."""
        locked = []
        for chunk in split_every(10000, self.ids):
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM crm_service WHERE id IN %s FOR UPDATE SKIP LOCKED",
                    tuple(chunk),
                ),
                log_exceptions=False,
            )
            locked += [row[0] for row in self.env.cr.fetchall()]
        return self.browse(locked)

    @api.model
    def _pending_fees(self, partners, company_ids):
        """{(company id, partner id): dunning letters whose fees and interest wait for the
        customer's next invoice}."""
        letters = self.env["crm.dunning.letter"].search(
            [
                ("fee_state", "=", "to_invoice"),
                ("partner_id", "in", partners.ids),
                ("company_id", "in", list(company_ids)),
            ]
        )
        result = {}
        for letter in letters:
            key = (letter.company_id.id, letter.partner_id.id)
            result[key] = result.get(key, self.env["crm.dunning.letter"]) | letter
        return result

    def _invoice_lines(self, members, line_mode, dates):
        """Invoice line values for the services of one invoice, and per line the services
        it bills (in the same order). dates: {date: formatted date}, shared by a run."""

        def label(day):
            if day not in dates:
                dates[day] = format_date(self.env, day)
            return dates[day]

        lines, per_line = [], []
        if line_mode == "service":
            for service in members:
                lines.append(
                    {
                        "product_id": service.product_id.id,
                        "name": f"{label(service.date)} {service.name}",
                        "quantity": service.quantity,
                        "product_uom_id": service.product_id.uom_id.id,
                        "price_unit": service.price_unit,
                    }
                )
                per_line.append([service])
        else:
            summed = {}
            for service in members:
                key = (service.product_id.id, service.price_unit)
                summed.setdefault(key, []).append(service)
            for (product_id, price_unit), group in summed.items():
                days = [s.date for s in group]
                product = group[0].product_id
                lines.append(
                    {
                        "product_id": product_id,
                        "name": self.env._(
                            "%(product)s, %(count)s services %(first)s - %(last)s",
                            product=product.display_name,
                            count=len(group),
                            first=label(min(days)),
                            last=label(max(days)),
                        ),
                        "quantity": sum(s.quantity for s in group),
                        "product_uom_id": product.uom_id.id,
                        "price_unit": price_unit,
                    }
                )
                per_line.append(group)
        for sequence, line in enumerate(lines, start=1):
            line["sequence"] = sequence
        return lines, per_line
