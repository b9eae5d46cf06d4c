import io
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from odoo.addons.crm_core.tools.boundary import Selection, public

# the e-invoices an invoice can be downloaded as: builder, file type, label
EINVOICE_KINDS = {
    "xrechnung_ubl": "account.edi.xml.ubl_de",
    "xrechnung_cii": "crm.edi.xml.cii_xrechnung",
    "facturx": "account.edi.xml.cii",
    "isdoc": None,
}
BILLING_GROUPS = ("account.group_account_invoice", "account.group_account_readonly")


class AccountMove(models.Model):
    """E-invoices of customer invoices and credit notes: the buyer's references from the
    customer's definitions, the check of the data an e-invoice needs before posting, and
    the downloads (XRechnung UBL and CII, ZUGFeRD/Factur-X PDF, ISDOC) made by Odoo's own
    builders (account_edi_ubl_cii) with the fixes of crm_billing_sepa."""

    _inherit = "account.move"

    # Odoo's own names: its CII builder reads them (as for Chorus Pro in France)
    buyer_reference = fields.Char(
        "Buyer Reference",
        compute="_compute_buyer_reference",
        store=True,
        readonly=False,
        precompute=True,
        help="BT-10 of the e-invoice: the Leitweg-ID of a public customer, else the "
        "reference the customer asked for. From the customer's definitions.",
    )
    purchase_order_reference = fields.Char(
        "Order Reference",
        compute="_compute_purchase_order_reference",
        store=True,
        readonly=False,
        precompute=True,
        help="BT-13 of the e-invoice: the customer's purchase order or contract number. "
        "From the customer's definitions.",
    )

    @api.depends("partner_id")
    def _compute_buyer_reference(self):
        for move in self:
            if move.is_sale_document(include_receipts=True):
                move.buyer_reference = move.commercial_partner_id.crm_einvoice_buyer_reference
            else:
                move.buyer_reference = False

    @api.depends("partner_id")
    def _compute_purchase_order_reference(self):
        for move in self:
            if move.is_sale_document(include_receipts=True):
                move.purchase_order_reference = (
                    move.commercial_partner_id.crm_einvoice_order_reference
                )
            else:
                move.purchase_order_reference = False

    # ------------------------------------------------------------------------------------------
    # Posting: the data an e-invoice needs, named before the recipient finds it missing
    # ------------------------------------------------------------------------------------------
    def _post(self, soft=True):
        self.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund")
        )._crm_einvoice_check_post()
        return super()._post(soft=soft)

    def _crm_einvoice_problems(self):
        """{record: [missing or wrong field, ...]} of these customer invoices: their
        customers, their companies, themselves."""
        problems = defaultdict(list)
        for move in self:
            customer = move.commercial_partner_id.with_company(move.company_id)
            for problem in customer._crm_einvoice_missing_list():
                if problem not in problems[customer]:
                    problems[customer].append(problem)
            if (
                customer.crm_einvoice_order_required
                and move.move_type == "out_invoice"
                and not (move.purchase_order_reference or "").strip()
            ):
                problems[move].append(
                    self.env._("Order Reference (required by %(customer)s)", customer=customer.name)
                )
            if customer._crm_einvoice_xrechnung():
                address = move.partner_id
                for fname in ("zip", "city", "country_id"):
                    if address != customer and not address[fname]:
                        problems[address].append(
                            address._fields[fname].get_description(self.env)["string"]
                        )
                company = move.company_id
                for problem in company._crm_einvoice_missing_list():
                    if problem not in problems[company]:
                        problems[company].append(problem)
                if move.move_type == "out_invoice" and not move.partner_bank_id:
                    problems[move].append(
                        self.env._("Recipient Bank (the IBAN the customer pays to)")
                    )
        return problems

    def _crm_einvoice_check_post(self):
        problems = self._crm_einvoice_problems()
        if not problems:
            return
        kinds = {
            "res.partner": self.env._("Customer"),
            "res.company": self.env._("Company"),
            "account.move": self.env._("Invoice"),
        }
        lines = [
            self.env._(
                "%(kind)s %(name)s: %(fields)s",
                kind=kinds[record._name],
                name=record.display_name,
                fields=", ".join(fields_missing),
            )
            for record, fields_missing in problems.items()
        ]
        raise UserError(
            self.env._(
                "These invoices cannot be posted: their e-invoices (XRechnung) would lack "
                "data the recipient needs. Missing or invalid:\n%(lines)s",
                lines="\n".join(lines),
            )
        )

    # ------------------------------------------------------------------------------------------
    # E-invoice documents
    # ------------------------------------------------------------------------------------------
    def _crm_einvoice_kinds(self):
        """The e-invoices this invoice can be downloaded as (keys of EINVOICE_KINDS)."""
        self.ensure_one()
        if not self.is_sale_document() or self.state != "posted":
            return []
        country = self.company_id.account_fiscal_country_id.code or self.company_id.country_code
        if country == "DE":
            return ["xrechnung_ubl", "xrechnung_cii", "facturx"]
        if country == "CZ":
            return ["isdoc", "facturx"]
        return ["facturx"]

    def _crm_einvoice_labels(self):
        return {
            "xrechnung_ubl": self.env._("XRechnung (UBL)"),
            "xrechnung_cii": self.env._("XRechnung (CII)"),
            "facturx": self.env._("ZUGFeRD / Factur-X PDF"),
            "isdoc": self.env._("ISDOC"),
        }

    def _crm_einvoice_xml(self, kind):
        """{'filename', 'content', 'errors'} of the e-invoice XML of this invoice in
        `kind` ("xrechnung_ubl", "xrechnung_cii", "facturx": the CII embedded in the
        ZUGFeRD/Factur-X PDF, "isdoc"), made by Odoo's builder of that format."""
        self.ensure_one()
        if kind == "isdoc":
            return self._crm_isdoc_document()
        builder = self.env[EINVOICE_KINDS[kind]]
        content, errors = builder._export_invoice(self)
        return {
            "filename": "factur-x.xml"
            if kind == "facturx"
            else builder._export_invoice_filename(self),
            "content": content,
            "errors": sorted(errors),
        }

    def _crm_einvoice_facturx_pdf(self):
        """{'filename', 'content', 'errors'}: the invoice PDF (the one sent, else printed
        now) with its Factur-X CII embedded as factur-x.xml (ZUGFeRD 2 / Factur-X 1,
        profile EN 16931), PDF/A-3 with the Factur-X metadata."""
        self.ensure_one()
        xml = self._crm_einvoice_xml("facturx")
        # a PDF also where Odoo would answer HTML (its tests): the file embeds the XML
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, _type = report._render_qweb_pdf("account.account_invoices", self.ids)
        reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(reader)
        writer.addAttachment("factur-x.xml", xml["content"], subtype="text/xml")
        if not writer.is_pdfa:
            writer.convert_to_pdfa()
        writer.add_file_metadata(
            self.env["ir.qweb"]
            ._render(
                "account_edi_ubl_cii.account_invoice_pdfa_3_facturx_metadata",
                {"title": self.name, "date": fields.Date.context_today(self)},
            )
            .encode()
        )
        buffer = io.BytesIO()
        writer.write(buffer)
        return {
            "filename": self._get_invoice_report_filename(extension="pdf").replace(
                ".pdf", "_zugferd.pdf"
            ),
            "content": buffer.getvalue(),
            "errors": xml["errors"],
        }

    def _crm_einvoice_direct_debit(self):
        """Hook: {'mandate', 'iban', 'creditor_id'} when this invoice is collected by direct
        debit (the SEPA part implements it), else None."""
        return None

    def _crm_einvoice_check_access(self):
        if not any(self.env.user.has_group(group) for group in BILLING_GROUPS):
            raise AccessError(self.env._("Only billing users and accountants download e-invoices."))
        self.check_access("read")

    def _get_invoice_legal_documents(self, filetype, allow_fallback=False):
        """Odoo's download of an invoice's documents (/account/download_invoice_documents),
        with the e-invoices of crm_billing_sepa as file types crm_<kind>; Odoo's "ubl"
        takes the customer's own e-invoice format, not only the one of its country."""
        if filetype.startswith("crm_") and filetype[4:] in EINVOICE_KINDS:
            self.ensure_one()
            self._crm_einvoice_check_access()
            kind = filetype[4:]
            if kind not in self._crm_einvoice_kinds():
                return None  # of several invoices, those without this kind are left out
            if kind == "facturx":
                document = self._crm_einvoice_facturx_pdf()
                filetype_out = "application/pdf"
            else:
                document = self._crm_einvoice_xml(kind)
                filetype_out = "application/xml"
            return {**document, "filetype": filetype_out}
        return super()._get_invoice_legal_documents(filetype, allow_fallback=allow_fallback)

    @public(kind=Selection(tuple(EINVOICE_KINDS)))
    def action_crm_einvoice_download(self, kind):
        """Download the e-invoice of these posted customer invoices in `kind`
        (xrechnung_ubl, xrechnung_cii, facturx, isdoc): one file, or a ZIP of several."""
        self._crm_einvoice_check_access()
        if not self or any(kind not in move._crm_einvoice_kinds() for move in self):
            raise UserError(
                self.env._(
                    "%(kind)s e-invoices exist only of posted customer invoices and credit "
                    "notes (XRechnung of German companies, ISDOC of Czech ones): %(invoices)s "
                    "has none.",
                    kind=self._crm_einvoice_labels()[kind],
                    invoices=", ".join(
                        self.filtered(lambda m: kind not in m._crm_einvoice_kinds()).mapped(
                            "display_name"
                        )
                    )
                    or "-",
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/account/download_invoice_documents/{','.join(map(str, self.ids))}/crm_{kind}",
            "target": "download",
        }

    def get_extra_print_items(self):
        items = super().get_extra_print_items()
        if not any(self.env.user.has_group(group) for group in BILLING_GROUPS):
            return items
        labels = self._crm_einvoice_labels()
        for kind in EINVOICE_KINDS:
            moves = self.filtered(lambda m, kind=kind: kind in m._crm_einvoice_kinds())
            if moves:
                items.append(
                    {
                        "key": f"crm_einvoice_{kind}",
                        "description": labels[kind],
                        **moves.action_crm_einvoice_download(kind),
                    }
                )
        return items
