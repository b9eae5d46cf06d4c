"""The POHODA export of the Czech company: issued and received invoices of a period and the
address book, as POHODA XML (Stormware's schemas, Windows-1250), kept as a record."""

import base64
import datetime
import hashlib
import re
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_core.tools.boundary import Bool, Date, Record, public
from odoo.addons.crm_core.tools.formats import pohoda as pohoda_book

from ...tools import pohoda as pohoda_tools
from ...tools.zipfiles import deterministic_zip
from .crm_datev_export import EXPORT_GROUPS

# fields only the export itself writes (crm_core's state guard)
_WRITTEN_BY_EXPORT = ("state", "file", "filename", "checksum", "invoice_count", "partner_count")


def _last_month():
    first = datetime.date.today().replace(day=1)
    return first - relativedelta(months=1), first - relativedelta(days=1)


class CrmPohodaExport(models.Model):
    _name = "crm.pohoda.export"
    _description = "POHODA Export"
    _inherit = ["crm.period.export.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    # only the export writes its results; an exported period is kept (crm.period.export.mixin)
    _action_fields = _WRITTEN_BY_EXPORT
    _period_fields = ("date_from", "date_to", "company_id", "issued", "received", "addressbook")

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date("From", required=True, default=lambda self: _last_month()[0])
    date_to = fields.Date("To", required=True, default=lambda self: _last_month()[1])
    issued = fields.Boolean("Issued Invoices", default=True)
    received = fields.Boolean("Received Invoices", default=True)
    addressbook = fields.Boolean("Address Book", default=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Exported")], default="draft", required=True, readonly=True
    )
    file = fields.Binary(readonly=True, attachment=True, copy=False)
    filename = fields.Char(readonly=True, copy=False)
    checksum = fields.Char("SHA-256", readonly=True, copy=False)
    invoice_count = fields.Integer("Invoices", readonly=True, copy=False)
    partner_count = fields.Integer("Addresses", readonly=True, copy=False)

    _period_order = models.Constraint(
        "CHECK(date_from <= date_to)", "The period must not end before it starts."
    )

    def _compute_display_name(self):
        for export in self:
            export.display_name = self.env._(
                "POHODA %(start)s - %(end)s", start=export.date_from or "", end=export.date_to or ""
            )

    # ------------------------------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        date_from=Date(),
        date_to=Date(),
        issued=Bool(),
        received=Bool(),
        addressbook=Bool(),
        company=Record("res.company", required=False),
    )
    def export_period(
        self, date_from, date_to, issued=True, received=True, addressbook=True, company=False
    ):
        """POHODA XML of `company` (default: the current one): the issued and received
        invoices and credit notes dated from `date_from` to `date_to` and the address book
        of their partners. Returns {"id", "filename", "file" (base64 ZIP), "checksum",
        "invoices", "addresses"}."""
        company = self._export_company(company, date_from, date_to)
        export = self.with_company(company).create(
            {
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "issued": issued,
                "received": received,
                "addressbook": addressbook,
            }
        )
        export.action_export()
        return export._export_result(invoices=export.invoice_count, addresses=export.partner_count)

    def action_export(self):
        for export in self:
            export._check_may_export()
            files, invoices, partners = export.with_company(export.company_id)._build_files()
            data = deterministic_zip(files)
            export._write_state(
                {
                    "state": "done",
                    "file": base64.b64encode(data),
                    "filename": f"POHODA_{export.date_from:%Y%m%d}_{export.date_to:%Y%m%d}.zip",
                    "checksum": hashlib.sha256(data).hexdigest(),
                    "invoice_count": invoices,
                    "partner_count": partners,
                }
            )
        return True

    def _check_may_export(self):
        _ = self.env._
        if not any(self.env.user.has_group(group) for group in EXPORT_GROUPS):
            raise AccessError(_("Only accounting administrators and accountants export the books."))
        self.check_access("write")
        self.env["account.move"].check_access("read")
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(_("You do not work in %(company)s.", company=self.company_id.name))
        if self.state == "done":
            raise UserError(_("This export is done already; start a new one."))

    def _moves(self, move_types):
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", move_types),
                    ("invoice_date", ">=", self.date_from),
                    ("invoice_date", "<=", self.date_to),
                ],
                order="invoice_date, name, id",
            )
        )

    def _build_files(self):
        company = self.company_id
        ico = company.company_registry or ""
        files, count = {}, 0
        partners = self.env["res.partner"]
        for flag, types, name in (
            (self.issued, ["out_invoice", "out_refund"], "vydane_faktury"),
            (self.received, ["in_invoice", "in_refund"], "prijate_faktury"),
        ):
            if not flag:
                continue
            moves = self._moves(types)
            partners |= moves.commercial_partner_id
            invoices = [self._invoice(move) for move in moves]
            count += len(invoices)
            files[f"{name}.xml"] = pohoda_tools.write_invoices(
                invoices, ico, f"{name}-{self.date_from:%Y%m%d}", name.replace("_", " ")
            )
        if self.addressbook:
            contacts = partners.sorted("id")._crm_contacts()
            files["adresar.xml"] = pohoda_book.write_addressbook(
                contacts, ico=ico, pack_id=f"adresar-{self.date_from:%Y%m%d}"
            )
        return files, count, len(partners)

    def _invoice(self, move):
        """pohoda_tools.Invoice of a posted invoice or credit note."""
        company = self.company_id
        sign = -1 if move.move_type in ("out_refund", "in_refund") else 1
        foreign = move.currency_id != company.currency_id
        lines = []
        for line in move.invoice_line_ids.filtered(lambda item: item.display_type == "product"):
            percent = Decimal(
                str(
                    sum(
                        line.tax_ids.filtered(lambda t: t.amount_type == "percent").mapped("amount")
                    )
                )
            )
            net = Decimal(str(abs(line.balance))).quantize(Decimal("0.01")) * sign
            vat = (net * percent / 100).quantize(Decimal("0.01"))
            foreign_net = Decimal(str(line.price_subtotal)) * sign
            lines.append(
                pohoda_tools.Line(
                    text=line.name or line.product_id.display_name or "",
                    quantity=Decimal(str(line.quantity)),
                    unit=line.product_uom_id.name or "",
                    percent=percent,
                    net=net,
                    vat=vat,
                    foreign_net=foreign_net,
                    foreign_vat=(Decimal(str(line.price_total)) * sign - foreign_net),
                )
            )
        _fix_vat(lines, move, sign)
        issued = move.move_type.startswith("out_")
        # issued: the company's account the customer pays to; received: the supplier's
        bank = move.partner_bank_id
        account_number, bank_code = (
            pohoda_book.account_fields({"iban": bank.acc_number, "bic": bank.bank_bic})
            if bank
            else ("", "")
        )
        symbol = move.payment_reference or move.name
        return pohoda_tools.Invoice(
            move_type=move.move_type,
            number=move.name,
            symbol=re.sub(r"\D", "", symbol or "")[-10:],
            date=move.invoice_date,
            date_tax=move.taxable_supply_date or move.invoice_date
            if "taxable_supply_date" in move._fields
            else move.invoice_date,
            date_accounting=move.date,
            date_due=move.invoice_date_due,
            partner=move.commercial_partner_id._crm_contacts()[0],
            text=move.ref or move.invoice_origin or "",
            original_number=(move.ref or "") if not issued else "",
            account_number=account_number,
            bank_code=bank_code,
            currency=move.currency_id.name if foreign else "",
            rate=Decimal(str(round(abs(move.amount_total_signed / move.amount_total), 6)))
            if foreign and move.amount_total
            else Decimal(1),
            lines=lines,
        )


def _fix_vat(lines, move, sign):
    """Make the lines' VAT per rate add up to the invoice's tax amounts in CZK (Odoo may
    round per invoice): the difference goes to the largest line of that rate."""
    taxes = {}
    for line in move.line_ids.filtered(lambda item: item.display_type == "tax"):
        percent = Decimal(str(line.tax_line_id.amount))
        taxes[percent] = taxes.get(percent, Decimal(0)) + Decimal(str(abs(line.balance)))
    for percent, amount in taxes.items():
        same = [line for line in lines if line.percent == percent]
        if not same:
            continue
        difference = amount * sign - sum(line.vat for line in same)
        if difference:
            max(same, key=lambda line: abs(line.net)).vat += difference
