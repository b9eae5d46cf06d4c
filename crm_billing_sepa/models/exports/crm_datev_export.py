"""The DATEV export of a company's bookings for a period, kept as a record: which period was
handed to the tax adviser, when and by whom, and the file itself."""

import base64
import datetime
import hashlib
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from odoo.addons.crm_core.tools.boundary import ArgumentError, Bool, Date, Record, public
from odoo.addons.crm_core.tools.formats import Contact
from odoo.addons.crm_core.tools.formats import datev as extf

from ...tools import datev as datev_tools
from ...tools.zipfiles import deterministic_zip

MAX_BOOKINGS = 99999  # per Buchungsstapel file
MAX_YEARS = 10  # the longest period of one export (one Buchungsstapel file per month)
PARTNER_KINDS = {"asset_receivable": "debtor", "liability_payable": "creditor"}
EXPORT_GROUPS = ("account.group_account_manager", "account.group_account_user")
# fields only the export itself writes (crm_core's state guard)
_WRITTEN_BY_EXPORT = (
    "state",
    "file",
    "filename",
    "checksum",
    "booking_count",
    "move_count",
    "partner_count",
    "exported_on",
    "exported_by_id",
    "note",
)


class CrmDatevExport(models.Model):
    _name = "crm.datev.export"
    _description = "DATEV Export"
    _inherit = ["crm.period.export.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    # only the export writes its results; an exported period is kept (crm.period.export.mixin)
    _action_fields = _WRITTEN_BY_EXPORT
    _period_fields = ("date_from", "date_to", "company_id")

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date("From", required=True, default=lambda self: _last_month()[0])
    date_to = fields.Date("To", required=True, default=lambda self: _last_month()[1])
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Exported")], default="draft", required=True, readonly=True
    )
    reexport = fields.Boolean(
        "Export Again",
        help="This period (or part of it) was exported before: tick to export it again.",
    )
    previous_export_ids = fields.Many2many(
        "crm.datev.export",
        compute="_compute_previous_export_ids",
        string="Earlier Exports of this Period",
    )
    file = fields.Binary(readonly=True, attachment=True, copy=False)
    filename = fields.Char(readonly=True, copy=False)
    checksum = fields.Char(
        "SHA-256", readonly=True, copy=False, help="Checksum of the exported file."
    )
    booking_count = fields.Integer("Bookings", readonly=True, copy=False)
    move_count = fields.Integer("Journal Entries", readonly=True, copy=False)
    partner_count = fields.Integer("Debtors and Creditors", readonly=True, copy=False)
    exported_on = fields.Datetime(readonly=True, copy=False)
    exported_by_id = fields.Many2one("res.users", "Exported By", readonly=True, copy=False)
    note = fields.Text(readonly=True, copy=False)

    _period_order = models.Constraint(
        "CHECK(date_from <= date_to)", "The period must not end before it starts."
    )

    @api.depends("company_id", "date_from", "date_to")
    def _compute_name(self):
        for export in self:
            export.name = self.env._(
                "DATEV %(start)s - %(end)s",
                start=export.date_from or "",
                end=export.date_to or "",
            )

    @api.depends("company_id", "date_from", "date_to")
    def _compute_previous_export_ids(self):
        for export in self:
            if not (export.date_from and export.date_to and export.company_id):
                export.previous_export_ids = False
                continue
            export.previous_export_ids = self.search(
                [
                    ("company_id", "=", export.company_id.id),
                    ("state", "=", "done"),
                    ("date_from", "<=", export.date_to),
                    ("date_to", ">=", export.date_from),
                    ("id", "!=", export._origin.id or 0),
                ]
            )

    # ------------------------------------------------------------------------------------------
    # Only the export writes its results; an exported record is kept
    # ------------------------------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_exported(self):
        if any(export.state == "done" for export in self):
            raise UserError(
                self.env._(
                    "An export handed to the tax adviser is kept as a record; it cannot be deleted."
                )
            )

    # ------------------------------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        date_from=Date(),
        date_to=Date(),
        reexport=Bool(),
        company=Record("res.company", required=False),
    )
    def export_period(self, date_from, date_to, reexport=False, company=False):
        """Export the bookings of `company` (default: the current company) from `date_from`
        to `date_to` and the master data of their debtors and creditors. A period exported
        before needs `reexport`. Returns {"id", "filename", "file" (base64 ZIP), "checksum",
        "bookings", "journal_entries", "partners"}."""
        company = self._export_company(company, date_from, date_to)
        if _too_long(date_from, date_to):
            raise ArgumentError(
                self.env._(
                    "crm.datev.export.export_period: the argument date_to lies more than "
                    "%(years)s years after date_from; export a long time year by year.",
                    years=MAX_YEARS,
                )
            )
        export = self.with_company(company).create(
            {
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "reexport": reexport,
            }
        )
        if export.previous_export_ids and not reexport:
            earlier = export.previous_export_ids[0]
            raise ArgumentError(
                self.env._(
                    "crm.datev.export.export_period: %(company)s's bookings from %(start)s to "
                    "%(end)s were exported on %(date)s by %(user)s (%(export)s); pass "
                    "reexport=True to export the period once more.",
                    company=company.name,
                    start=earlier.date_from,
                    end=earlier.date_to,
                    date=earlier.exported_on.date() if earlier.exported_on else "",
                    user=earlier.exported_by_id.name or "",
                    export=earlier.name,
                )
            )
        export.action_export()
        return export._export_result(
            bookings=export.booking_count,
            journal_entries=export.move_count,
            partners=export.partner_count,
        )

    def action_export(self):
        """Write the DATEV files of the period (button)."""
        for export in self:
            export._check_may_export()
            files, counts, notes = export.with_company(export.company_id)._build_files()
            stamp = max(counts["created"], datetime.datetime(1980, 1, 1)).timetuple()[:6]
            data = deterministic_zip(files, stamp, compresslevel=1)
            export._write_state(
                {
                    "state": "done",
                    "file": base64.b64encode(data),
                    "filename": export._zip_name(),
                    "checksum": hashlib.sha256(data).hexdigest(),
                    "booking_count": counts["bookings"],
                    "move_count": counts["moves"],
                    "partner_count": counts["partners"],
                    "exported_on": fields.Datetime.now(),
                    "exported_by_id": self.env.user.id,
                    "note": "\n".join(notes) or False,
                }
            )
        return True

    def _check_may_export(self):
        _ = self.env._
        self.ensure_one()
        if not any(self.env.user.has_group(group) for group in EXPORT_GROUPS):
            raise AccessError(
                _("Only accounting administrators and accountants export the books to DATEV.")
            )
        self.check_access("write")
        self.env["account.move.line"].check_access("read")
        company = self.company_id
        if company not in self.env.user.company_ids:
            raise AccessError(_("You do not work in %(company)s.", company=company.name))
        if self.state == "done":
            raise UserError(
                _("%(export)s is exported already; start a new export.", export=self.name)
            )
        if _too_long(self.date_from, self.date_to):
            raise UserError(
                _(
                    "%(export)s spans more than %(years)s years; export a long time year by year.",
                    export=self.name,
                    years=MAX_YEARS,
                )
            )
        missing = [
            label
            for label, value in (
                (_("DATEV consultant number"), company.crm_datev_consultant_number),
                (_("DATEV client number"), company.crm_datev_client_number),
            )
            if not value
        ]
        if missing:
            raise UserError(
                _(
                    "%(company)s has no %(missing)s yet: set it in the settings (Invoicing, "
                    "DATEV) before exporting to DATEV.",
                    company=company.name,
                    missing=_(" and ").join(missing),
                )
            )
        if self.previous_export_ids and not self.reexport:
            earlier = self.previous_export_ids[0]
            raise UserError(
                _(
                    "%(company)s's bookings from %(start)s to %(end)s were exported on "
                    "%(date)s by %(user)s (%(export)s). Tick 'Export Again' to export the "
                    "period once more.",
                    company=company.name,
                    start=format_date(self.env, earlier.date_from),
                    end=format_date(self.env, earlier.date_to),
                    date=format_date(self.env, earlier.exported_on),
                    user=earlier.exported_by_id.name or "",
                    export=earlier.name,
                )
            )

    def _zip_name(self):
        company = "".join(c if c.isalnum() else "_" for c in self.company_id.name)[:40]
        return f"DATEV_{company}_{self.date_from:%Y%m%d}_{self.date_to:%Y%m%d}.zip"

    # ------------------------------------------------------------------------------------------
    # The files
    # ------------------------------------------------------------------------------------------
    def _build_files(self):
        """({file name: bytes}, counts, notes) of the export: one Buchungsstapel per calendar
        month of the period (more when a month has more than 99,999 bookings) and the
        Debitoren/Kreditoren of the personal accounts booked."""
        company = self.company_id
        rows = self._journal_items()
        accounts = self._account_data({row[6] for row in rows})
        numbers, notes = self._personal_accounts(rows, accounts)
        taxes = self._tax_table()
        seed = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        seed = f"{seed}:{company.id}"
        by_month, moves, created = {}, set(), {}
        items = []
        country = company.country_id.code or ""
        for index, row in enumerate(rows):
            items.append(self._item(row, accounts, numbers, country))
            last_of_move = index + 1 == len(rows) or rows[index + 1][1] != row[1]
            if not last_of_move:
                continue
            move_date = row[3]
            month = move_date.replace(day=1)
            moves.add(row[1])
            created[month] = max(created.get(month) or row[14], row[14])
            by_month.setdefault(month, []).append(
                datev_tools.bookings(items, taxes, guid_seed=seed)
            )
            items = []
        files, booking_count = {}, 0
        header_args = {
            "consultant": company.crm_datev_consultant_number,
            "client": company.crm_datev_client_number,
            "account_length": company.crm_datev_account_length,
            "currency": company.currency_id.name,
            "chart": company._crm_datev_chart(),
        }
        currency = company.currency_id.name
        for month in self._months():
            groups = by_month.get(month, [])
            parts = _split(groups, MAX_BOOKINGS)
            for number, part in enumerate(parts, 1):
                start = max(month, self.date_from)
                end = min(month + relativedelta(months=1, days=-1), self.date_to)
                header = extf.Header(
                    extf.BOOKINGS,
                    fiscal_year_start=company.compute_fiscalyear_dates(start)["date_from"],
                    created=created.get(month) or datetime.datetime.combine(end, datetime.time()),
                    date_from=start,
                    date_to=end,
                    label=f"Odoo {month:%Y-%m}" + (f" ({number})" if len(parts) > 1 else ""),
                    **header_args,
                )
                data = extf.write(
                    header, (datev_tools.row(b, currency) for group in part for b in group)
                )
                suffix = f"_{number}" if len(parts) > 1 else ""
                files[f"EXTF_Buchungsstapel_{month:%Y-%m}{suffix}.csv"] = data
                booking_count += sum(len(group) for group in part)
        partner_file, partner_count = self._partner_file(numbers, header_args, created)
        files["EXTF_Debitoren_Kreditoren.csv"] = partner_file
        counts = {
            "bookings": booking_count,
            "moves": len(moves),
            "partners": partner_count,
            "created": max(created.values(), default=None)
            or datetime.datetime.combine(self.date_to, datetime.time()),
        }
        return files, counts, notes

    def _months(self):
        month = self.date_from.replace(day=1)
        while month <= self.date_to:
            yield month
            month += relativedelta(months=1)

    def _journal_items(self):
        """The posted journal items of the company in the period, in the order of their
        entries: one query."""
        for model in ("account.move", "account.move.line", "res.partner"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH moves AS (
                    SELECT id, name, date, invoice_date_due, ref, commercial_partner_id,
                           create_date
                      FROM account_move
                     WHERE company_id = %(company)s AND state = 'posted'
                       AND date BETWEEN %(start)s AND %(end)s
                ), taxes AS (
                    SELECT r.account_move_line_id AS line_id,
                           array_agg(r.account_tax_id ORDER BY r.account_tax_id) AS tax_ids
                      FROM account_move_line_account_tax_rel r
                      JOIN account_move_line l ON l.id = r.account_move_line_id
                      JOIN moves m ON m.id = l.move_id
                     GROUP BY 1
                )
                SELECT l.id, l.move_id, m.name, m.date, m.invoice_date_due, m.ref,
                       l.account_id, ROUND(l.balance * 100)::bigint, l.tax_line_id, t.tax_ids,
                       lp.commercial_partner_id, mp.name, mp.vat, l.name, m.create_date
                  FROM moves m
                  JOIN account_move_line l ON l.move_id = m.id
                  LEFT JOIN taxes t ON t.line_id = l.id
                  LEFT JOIN res_partner lp ON lp.id = l.partner_id
                  LEFT JOIN res_partner mp ON mp.id = m.commercial_partner_id
                 WHERE l.balance != 0
                 ORDER BY m.date, m.name, m.id, l.id
                """,
                company=self.company_id.id,
                start=self.date_from,
                end=self.date_to,
            )
        )
        return self.env.cr.fetchall()

    def _account_data(self, account_ids):
        """{account id: (code, account type, frozenset of its own tax ids)}, checked against
        the G/L account length."""
        _ = self.env._
        company = self.company_id
        length = company.crm_datev_account_length
        result, bad = {}, []
        accounts = self.env["account.account"].sudo().with_company(company).browse(account_ids)
        for account in accounts:
            code = account.code or ""
            if account.account_type not in PARTNER_KINDS and not (
                code.isdigit() and len(code) <= length
            ):
                bad.append(code or account.name)
            taxes = account.tax_ids.filtered(lambda t: t.company_id == company)
            result[account.id] = (code, account.account_type, frozenset(taxes.ids))
        if bad:
            raise UserError(
                _(
                    "These accounts of %(company)s are no DATEV G/L accounts (digits only, at "
                    "most %(length)s): %(accounts)s. Change their codes or the G/L account "
                    "length in the settings.",
                    company=company.name,
                    length=length,
                    accounts=", ".join(sorted(bad)),
                )
            )
        return result

    def _personal_accounts(self, rows, accounts):
        """{(commercial partner id, "debtor"|"creditor"): number} of the partners with
        receivable/payable items; a partner without a number gets the next one of the
        company's range (as crm_core does for every new customer and supplier). Numbers
        outside the DATEV ranges refuse the export, naming the partners."""
        _ = self.env._
        company = self.company_id
        wanted = {}
        for row in rows:
            kind = PARTNER_KINDS.get(accounts[row[6]][1])
            if not kind:
                continue
            if not row[10]:
                raise UserError(
                    _(
                        "Journal entry %(entry)s books on the receivable or payable account "
                        "%(account)s without a partner; DATEV needs a debtor or creditor.",
                        entry=row[2],
                        account=accounts[row[6]][0],
                    )
                )
            wanted.setdefault(kind, set()).add(row[10])
        Partner = self.env["res.partner"].sudo().with_company(company)
        Number = self.env["crm.partner.number"].sudo()
        numbers, notes = {}, []
        for kind, partner_ids in wanted.items():
            partners = Partner.browse(sorted(partner_ids))
            have = Number.search_fetch(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("kind", "=", kind),
                ],
                ["partner_id", "name"],
            )
            missing = partners - have.partner_id
            if missing:
                created = missing._crm_assign_numbers(kind)
                have |= created
                notes.append(
                    _(
                        "%(count)s partners got a %(kind)s number: %(names)s",
                        count=len(created),
                        kind=dict(Number._fields["kind"]._description_selection(self.env))[kind],
                        names=", ".join(created.mapped(lambda n: f"{n.partner_id.name} {n.name}")),
                    )
                )
            low, high = (
                (company.crm_datev_debtor_from, company.crm_datev_debtor_to)
                if kind == "debtor"
                else (company.crm_datev_creditor_from, company.crm_datev_creditor_to)
            )
            bad = []
            for number in have:
                name = (number.name or "").strip()
                if not (
                    name.isdigit()
                    and low <= int(name) <= high
                    and len(name) == company.crm_datev_account_length + 1
                ):
                    bad.append(f"{number.partner_id.name} ({name})")
                numbers[(number.partner_id.id, kind)] = name
            if bad:
                raise UserError(
                    _(
                        "These %(kind)s numbers of %(company)s cannot be DATEV personal "
                        "accounts (%(low)s to %(high)s, %(digits)s digits): %(partners)s.",
                        kind=dict(Number._fields["kind"]._description_selection(self.env))[kind],
                        company=company.name,
                        low=low,
                        high=high,
                        digits=company.crm_datev_account_length + 1,
                        partners=", ".join(sorted(bad)),
                    )
                )
        return numbers, notes

    def _tax_table(self):
        """{tax id: datev_tools.Tax} of the company's taxes. The key is the tax's DATEV code
        (l10n_de's field on the tax, when installed)."""
        taxes = (
            self.env["account.tax"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id)])
        )
        has_code = "l10n_de_datev_code" in taxes._fields
        result = {}
        for tax in taxes:
            tax_lines = tax.invoice_repartition_line_ids.filtered(
                lambda r: r.repartition_type == "tax"
            )
            simple = (
                tax.amount_type == "percent"
                and len(tax_lines) == 1
                and tax_lines.account_id
                and tax_lines.factor_percent == 100
            )
            key = (tax.l10n_de_datev_code or "") if has_code else ""
            result[tax.id] = datev_tools.Tax(
                key=key.strip() if key.strip().isdigit() else "",
                rate=Decimal(str(tax.amount)),
                simple=bool(simple),
            )
        return result

    @staticmethod
    def _item(row, accounts, numbers, company_country):
        code, account_type, own_taxes = accounts[row[6]]
        kind = PARTNER_KINDS.get(account_type)
        vat = (row[12] or "").replace(" ", "").upper()
        eu_vat = vat if vat[:2].isalpha() and vat[:2] != company_country else ""
        return datev_tools.Item(
            move=row[1],
            document=row[2] or "",
            date=row[3],
            account=numbers[(row[10], kind)] if kind else code,
            kind="partner" if kind else ("liquidity" if account_type == "asset_cash" else "other"),
            balance=row[7],
            text=" ".join(p for p in (row[11], row[5]) if p) or row[13] or "",
            tax_line=row[8] or 0,
            taxes=tuple(row[9] or ()),
            automatic=own_taxes,
            due=row[4],
            vat=eu_vat if eu_vat and datev_tools.valid_eu_vat(eu_vat) else "",
        )

    def _partner_file(self, numbers, header_args, created):
        """The Debitoren/Kreditoren file of the personal accounts booked, and its row count."""
        company = self.company_id
        partner_ids = sorted({partner_id for partner_id, _kind in numbers})
        partners = self.env["res.partner"].sudo().with_company(company).browse(partner_ids)
        fields_read = ["is_company", "name", "street", "street2", "zip", "city", "country_id"]
        fields_read += ["phone", "email", "website", "vat", "ref", "lang"]
        partners.fetch(fields_read)
        partners.country_id.fetch(["code"])
        by_id = {partner.id: partner for partner in partners}
        banks = (
            self.env["res.partner.bank"]
            .sudo()
            .search_fetch(
                [("partner_id", "in", partner_ids)],
                [
                    "partner_id",
                    "acc_number",
                    "bank_bic",
                    "bank_name",
                    "acc_holder_name",
                    "sequence",
                ],
                order="sequence, id",
            )
        )
        by_partner = {}
        for bank in banks:
            by_partner.setdefault(bank.partner_id.id, []).append(
                {
                    "iban": bank.acc_number,
                    "bic": bank.bank_bic,
                    "bank": bank.bank_name,
                    "holder": bank.acc_holder_name,
                }
            )
        mandates = {}
        for mandate in (
            self.env["crm.sepa.mandate"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", partner_ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                ],
                ["partner_id", "name"],
                order="id",
            )
        ):
            mandates.setdefault(mandate.partner_id.id, []).append(mandate.name)
        rows = []
        for (partner_id, _kind), number in sorted(numbers.items(), key=lambda item: item[1]):
            partner = by_id[partner_id]
            contact = Contact(
                is_company=partner.is_company,
                name=partner.name or "",
                street=partner.street or "",
                street2=partner.street2 or "",
                zip=partner.zip or "",
                city=partner.city or "",
                country=partner.country_id.code or "",
                phone=partner.phone or "",
                email=partner.email or "",
                website=partner.website or "",
                vat=partner.vat or "",
                ref=partner.ref or "",
                lang=partner.lang or "",
                external_id=str(partner.id),
                bank_accounts=by_partner.get(partner_id, []),
                mandates=mandates.get(partner_id, []),
            )
            rows.append(extf.partner_row(contact, number))
        header = extf.Header(
            extf.PARTNERS,
            fiscal_year_start=company.compute_fiscalyear_dates(self.date_from)["date_from"],
            created=max(created.values(), default=None)
            or datetime.datetime.combine(self.date_to, datetime.time()),
            label="Odoo Debitoren/Kreditoren",
            **header_args,
        )
        return extf.write(header, rows), len(rows)


def _too_long(date_from, date_to):
    """Whether the period has more months than MAX_YEARS years (one file per month)."""
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
    return months > MAX_YEARS * 12


def _last_month():
    """(first day, last day) of the month before today."""
    first = datetime.date.today().replace(day=1)
    return first - relativedelta(months=1), first - relativedelta(days=1)


def _split(groups, limit):
    """Lists of whole entries' bookings with at most `limit` bookings each (at least one
    list, possibly empty)."""
    parts, current, size = [], [], 0
    for group in groups:
        if current and size + len(group) > limit:
            parts.append(current)
            current, size = [], 0
        current.append(group)
        size += len(group)
    parts.append(current)
    return parts
