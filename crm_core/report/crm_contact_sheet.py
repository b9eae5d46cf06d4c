import re

from odoo import api, models

from ..tools import iban as iban_tools

CLASSIFICATION_FIELD = re.compile(r"^crm_.*(role|class)")
CLASSIFICATION_TYPES = ("many2one", "many2many", "selection", "char")


class ReportCrmContactSheet(models.AbstractModel):
    """Data of the contact sheet: everything about the customers on paper, with grouped
    queries for all printed partners together."""

    _name = "report.crm_core.report_contact_sheet"
    _description = "Contact Sheet Report"

    show_full_iban = False

    @api.model
    def _classification_fields(self):
        """Fields shown in the 'Classification' section: tags, and the role/class fields
        that other parts of the suite add (crm_*role*, crm_*class*) when they exist."""
        Partner = self.env["res.partner"]
        names = ["category_id"]
        names += sorted(
            name
            for name, field in Partner._fields.items()
            if CLASSIFICATION_FIELD.match(name)
            and field.type in CLASSIFICATION_TYPES
            and not name.endswith("_count")
        )
        # only what the printing user may read (an accountant without CRM rights prints
        # the sheet too: no roles or classes for them, instead of an access error)
        return [
            name
            for name in names
            if Partner._has_field_access(Partner._fields[name], "read")
            and (
                not Partner._fields[name].relational
                or self.env[Partner._fields[name].comodel_name].has_access("read")
            )
        ]

    @api.model
    def _classification(self, partner, names):
        rows = []
        for name in names:
            field = partner._fields[name]
            value = partner[name]
            if field.type in ("many2one", "many2many"):
                text = ", ".join(value.mapped("display_name"))
            elif field.type == "selection":
                text = dict(field._description_selection(self.env)).get(value, "")
            else:
                text = value or ""
            if text:
                rows.append((field._description_string(self.env), text))
        return rows

    @api.model
    def _open_items(self, partners):
        """Open receivable/payable items of the commercial partners: {commercial id: lines};
        None when the printing user may not read journal items (the sheet then leaves the
        section out instead of failing)."""
        if not self.env["account.move.line"].has_access("read"):
            return None
        commercial = partners.commercial_partner_id
        lines = self.env["account.move.line"].search_fetch(
            [
                ("partner_id", "in", commercial.ids),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("account_type", "in", ("asset_receivable", "liability_payable")),
                ("company_id", "in", self.env.companies.ids),
            ],
            [
                "partner_id",
                "move_id",
                "move_name",
                "date",
                "date_maturity",
                "balance",
                "amount_residual",
                "company_currency_id",
            ],
            order="date_maturity, date, id",
        )
        result = {}
        for line in lines:
            result.setdefault(line.partner_id.id, self.env["account.move.line"])
            result[line.partner_id.id] |= line
        return result

    @api.model
    def _bank_accounts(self, partners):
        """{partner id: rows} of the commercial partners' bank accounts; account numbers
        masked unless this is the sheet with complete numbers (for users who see them)."""
        rows = {}
        for partner in partners:
            rows[partner.id] = [
                {
                    "number": bank.acc_number
                    if self.show_full_iban
                    else iban_tools.mask(bank.acc_number),
                    "bic": bank.bank_bic or "",
                    "bank": bank.bank_name or "",
                    "holder": bank.acc_holder_name or partner.name,
                }
                for bank in partner.commercial_partner_id.bank_ids
            ]
        return rows

    @api.model
    def _extra_sections(self, partners):
        """Extension point for other addons: return {partner id: {key: value}} computed with
        grouped queries; the template crm_core.contact_sheet_extra_sections receives it as
        `extra`. crm_chronicle adds the latest chronicle entries this way."""
        return {partner.id: {} for partner in partners}

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        names = self._classification_fields()
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "classification": {p.id: self._classification(p, names) for p in partners},
            "open_items": self._open_items(partners),
            "bank_accounts": self._bank_accounts(partners),
            "extra": self._extra_sections(partners),
            "show_full_iban": self.show_full_iban,
        }
