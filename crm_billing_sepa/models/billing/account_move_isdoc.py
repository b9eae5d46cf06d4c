import uuid
from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.fields import Command
from odoo.tools import html2plaintext

from ...tools import isdoc

ISDOC_IMPORT_TYPE = "crm.isdoc"


class AccountMove(models.Model):
    """ISDOC 6.0.2, the Czech e-invoice: export of customer invoices and credit notes,
    import of vendor bills (Odoo's document import recognises ISDOC files)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------------------------------
    def _crm_isdoc_document(self):
        """{'filename', 'content', 'errors'}: the ISDOC of this posted customer invoice or
        credit note."""
        self.ensure_one()
        return {
            "filename": f"{self.name.replace('/', '_')}.isdoc",
            "content": isdoc.write(self._crm_isdoc_values()),
            "errors": [],
        }

    def _crm_isdoc_uuid(self):
        """A stable UUID of this invoice (the same in every download of it)."""
        database = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{database}/account.move/{self.id}"))

    @api.model
    def _crm_isdoc_party(self, partner, contact=None):
        commercial = partner.commercial_partner_id
        return {
            "id": commercial.company_registry or "",
            "name": commercial.name,
            "street": " ".join(filter(None, [partner.street, partner.street2])),
            "city": partner.city,
            "zip": partner.zip,
            "country_code": partner.country_id.code,
            "country_name": partner.country_id.name,
            "vat": commercial.vat,
            "contact": {
                "name": (contact or partner).name if (contact or partner) != commercial else "",
                "phone": (contact or partner).phone,
                "email": (contact or partner).email,
            },
        }

    def _crm_isdoc_values(self):
        self.ensure_one()
        company = self.company_id
        foreign = self.currency_id != company.currency_id
        lines, by_percent = [], defaultdict(lambda: defaultdict(float))
        for line in self.invoice_line_ids.filtered(lambda li: li.display_type == "product"):
            taxes = line.tax_ids.filtered(lambda t: t.amount_type == "percent")
            percent = sum(taxes.mapped("amount"))
            net_curr, gross_curr = line.price_subtotal, line.price_total
            # in the local currency: the line's balance, positive on invoices and credit notes
            net = line.balance * self.direction_sign if foreign else net_curr
            tax = (
                company.currency_id.round((gross_curr - net_curr) * (net / net_curr))
                if (foreign and net_curr)
                else gross_curr - net_curr
            )
            quantity = line.quantity or 1.0
            lines.append(
                {
                    "quantity": line.quantity,
                    "unit_code": line.product_uom_id
                    and self.env["account.edi.common"]._get_uom_unece_code(line.product_uom_id),
                    "description": line.name or line.product_id.display_name,
                    "seller_item_id": line.product_id.default_code,
                    "percent": percent,
                    "vat_applicable": bool(taxes),
                    "amount": net,
                    "amount_tax_inclusive": net + tax,
                    "tax_amount": tax,
                    "unit_price": net / quantity,
                    "unit_price_tax_inclusive": (net + tax) / quantity,
                    "amount_curr": net_curr,
                    "amount_tax_inclusive_curr": gross_curr,
                }
            )
            group = by_percent[(percent, bool(taxes))]
            group["taxable"] += net
            group["tax"] += tax
            group["taxable_curr"] += net_curr
            group["tax_curr"] += gross_curr - net_curr
        subtotals = [
            {"percent": percent, "vat_applicable": applicable, **amounts}
            for (percent, applicable), amounts in sorted(by_percent.items())
        ]
        bank = self.partner_bank_id
        account, bank_code = isdoc.czech_account(bank.sanitized_acc_number)
        origin = self.reversed_entry_id
        return {
            "document_type": isdoc.CREDIT_NOTE if self.move_type == "out_refund" else isdoc.INVOICE,
            "id": self.name,
            "uuid": self._crm_isdoc_uuid(),
            "issuing_system": "Odoo (CRM Suite)",
            "issue_date": self.invoice_date,
            "tax_point_date": self.taxable_supply_date or self.invoice_date,
            "vat_applicable": any(s["vat_applicable"] for s in subtotals),
            "note": html2plaintext(self.narration) if self.narration else "",
            "local_currency": company.currency_id.name,
            "foreign_currency": self.currency_id.name if foreign else None,
            "rate": (1 / self.invoice_currency_rate)
            if foreign and self.invoice_currency_rate
            else 1,
            "supplier": self._crm_isdoc_party(company.partner_id),
            "customer": self._crm_isdoc_party(self.partner_id),
            "order_reference": self.purchase_order_reference,
            "original_document": origin and {"id": origin.name, "issue_date": origin.invoice_date},
            "lines": lines,
            "tax_subtotals": subtotals,
            "totals": {
                "exclusive": abs(self.amount_untaxed_signed) if foreign else self.amount_untaxed,
                "inclusive": abs(self.amount_total_signed) if foreign else self.amount_total,
                "payable": abs(self.amount_residual_signed) if foreign else self.amount_residual,
                "exclusive_curr": self.amount_untaxed,
                "inclusive_curr": self.amount_total,
                "payable_curr": self.amount_residual,
            },
            "payment": bank
            and self.move_type == "out_invoice"
            and {
                "amount": self.amount_residual,
                "due_date": self.invoice_date_due or self.invoice_date,
                "account": account or bank.acc_number,
                "bank_code": bank_code,
                "bank_name": bank.bank_id.name or "",
                "iban": bank.sanitized_acc_number if bank.acc_type == "iban" else "",
                "bic": bank.bank_id.bic or "",
                "variable_symbol": isdoc.variable_symbol(self.payment_reference or self.name),
            },
        }

    # ------------------------------------------------------------------------------------------
    # Import: Odoo's document import (upload on the vendor bills, mail alias, crm_scan)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _get_import_file_type(self, file_data):
        if isdoc.is_isdoc(file_data.get("xml_tree")):
            return ISDOC_IMPORT_TYPE
        return super()._get_import_file_type(file_data)

    @api.model
    def _get_xml_tree(self, file_data):
        """ISDOC files come as .isdoc (text/plain or application/octet-stream for mail
        clients that do not know the type): read them as XML too."""
        tree = super()._get_xml_tree(file_data)
        if tree is None and (file_data.get("name") or "").lower().endswith(".isdoc"):
            try:
                tree = isdoc.parse(file_data["raw"])
            except isdoc.IsdocError:
                return None
        return tree

    def _get_edi_decoder(self, file_data, new=False):
        if file_data.get("import_file_type") == ISDOC_IMPORT_TYPE:
            return {"priority": 20, "decoder": self._crm_isdoc_decode}
        return super()._get_edi_decoder(file_data, new=new)

    def _crm_isdoc_decode(self, invoice, file_data, new=False):
        """Fill this new vendor bill (or credit note) from an ISDOC file: the supplier (by
        VAT id, IČO, name), the references and dates, the lines with the purchase taxes of
        their rates; return a reason when it cannot."""
        invoice.ensure_one()
        if invoice.invoice_line_ids:
            return invoice._reason_cannot_decode_has_invoice_lines()
        if invoice.journal_id.type != "purchase":
            return self.env._("ISDOC files are imported as vendor bills.")
        try:
            values = isdoc.read(file_data["raw"])
        except isdoc.IsdocError as exc:
            return self.env._("not a readable ISDOC invoice (%(reason)s)", reason=exc)
        logs = []
        partner = invoice._crm_isdoc_supplier(values["supplier"], logs)
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", values["currency"])], limit=1)
        )
        refund = values["document_type"] in (isdoc.CREDIT_NOTE, 6)
        vals = {
            "move_type": "in_refund" if refund else "in_invoice",
            "ref": values["id"],
            "invoice_date": values["issue_date"],
            "narration": values["note"] or False,
        }
        if partner:
            vals["partner_id"] = partner.id
        if values["due_date"]:
            vals["invoice_date_due"] = values["due_date"]
        if values["variable_symbol"]:
            vals["payment_reference"] = values["variable_symbol"]
        if currency:
            vals["currency_id"] = currency.id
        elif values["currency"]:
            logs.append(self.env._("Unknown currency %(code)s.", code=values["currency"]))
        invoice.write(vals)
        line_commands, tax_cache = [], {}
        for line in values["lines"]:
            taxes = self.env["account.tax"]
            if line["percent"]:
                taxes = invoice._crm_isdoc_purchase_tax(float(line["percent"]), tax_cache)
                if not taxes:
                    logs.append(
                        self.env._(
                            "No purchase tax of %(percent)s %% for line %(line)s.",
                            percent=line["percent"],
                            line=line["description"],
                        )
                    )
            line_commands.append(
                Command.create(
                    {
                        "name": line["description"],
                        "quantity": float(line["quantity"]),
                        "price_unit": float(line["unit_price"]),
                        "tax_ids": [Command.set(taxes.ids)],
                    }
                )
            )
        with invoice._get_edi_creation() as move:
            move.write({"invoice_line_ids": line_commands})
        if values["iban"] and partner:
            self.env["account.edi.common"]._import_partner_bank(invoice, [values["iban"]])
        total = float(values["totals"]["inclusive"])
        if invoice.currency_id.compare_amounts(invoice.amount_total, total):
            logs.append(
                self.env._(
                    "The ISDOC total is %(total)s, the bill's %(bill)s.",
                    total=total,
                    bill=invoice.amount_total,
                )
            )
        body = Markup("<p>%s</p>") % self.env._("Imported from an ISDOC 6 file.")
        if logs:
            body += Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % log for log in logs
            )
        invoice.message_post(body=body)
        return None

    def _crm_isdoc_supplier(self, supplier, logs):
        """The supplier of a received ISDOC: by VAT id (DIČ), name, e-mail or phone, else
        by company id (IČO); none found is logged."""
        partner = (
            self.env["res.partner"]
            .with_company(self.company_id)
            ._retrieve_partner(
                name=supplier.get("name"),
                phone=supplier.get("phone"),
                email=supplier.get("email"),
                vat=supplier.get("vat"),
            )
        )
        if not partner and supplier.get("id"):
            partner = self.env["res.partner"].search(
                [("company_registry", "=", supplier["id"]), ("parent_id", "=", False)], limit=1
            )
        if not partner:
            logs.append(
                self.env._(
                    "No supplier found for %(name)s (VAT id %(vat)s, company id %(id)s).",
                    name=supplier.get("name") or "-",
                    vat=supplier.get("vat") or "-",
                    id=supplier.get("id") or "-",
                )
            )
        return partner

    def _crm_isdoc_purchase_tax(self, percent, cache):
        """The purchase tax of this bill's company for a rate of a received invoice: the
        company's default purchase tax when it has that rate, else the first of that rate
        that is paid to the supplier (not a reverse charge, whose two repartitions cancel)
        and excluded from the price."""
        if percent not in cache:
            default = self.company_id.account_purchase_tax_id
            candidates = self.env["account.tax"].search(
                [
                    *self.env["account.tax"]._check_company_domain(self.company_id),
                    ("type_tax_use", "=", "purchase"),
                    ("amount_type", "=", "percent"),
                    ("amount", "=", percent),
                    ("price_include", "=", False),
                ]
            )
            candidates = candidates.filtered(lambda t: not t.has_negative_factor)
            cache[percent] = (default & candidates) or candidates[:1]
        return cache[percent]

    @api.model
    def _crm_isdoc_import_bill(self, attachment, journal=None):
        """The one entry for a received ISDOC file (crm_scan, a mail, an upload): a draft
        vendor bill made by Odoo's document import from this attachment (the original
        stays as it is, attached to the bill). `journal`: a purchase journal, else the
        company's first."""
        journal = journal or self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.env.company),
                ("type", "=", "purchase"),
            ],
            limit=1,
        )
        return journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)
