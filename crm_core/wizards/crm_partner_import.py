"""Import customers and contacts from other systems: Outlook, Google Contacts, vCard, DATEV
Debitoren/Kreditoren, POHODA address book, lexoffice, sevDesk, or any CSV/XLSX with a
column mapping that is remembered. Every row is previewed first (new, duplicate of which
customer and why, or error) and the user decides per duplicate; then the import runs all
or nothing, or row by row with a report. The file itself is never changed or kept."""

import base64
import dataclasses
import datetime
import hashlib

import psycopg2
from psycopg2.extras import execute_values
from stdnum.eu import vat as eu_vat

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import email_normalize, plaintext2html, split_every

from ..models.crm_partner_identifier import normalise_vat
from ..tools import country_names, phone_identifier, sanitize
from ..tools import iban as iban_tools
from ..tools.boundary import ArgumentError, Base64, Bool, ListOf, Selection, Str, one_record, public
from ..tools.formats import Contact, FormatError, sources, tabular

SOURCES = [
    ("auto", "Detect from the file"),
    ("outlook", "Outlook (CSV)"),
    ("google", "Google Contacts (CSV)"),
    ("vcard", "vCard"),
    ("datev", "DATEV Debitoren/Kreditoren"),
    ("pohoda", "POHODA address book (XML)"),
    ("lexoffice", "lexoffice (CSV)"),
    ("sevdesk", "sevDesk (CSV)"),
    ("table", "Other table (CSV or XLSX), columns mapped"),
]
ACTIONS = [("create", "Create"), ("update", "Update"), ("skip", "Skip")]
MODES = [("atomic", "All or nothing"), ("rows", "Row by row, with a report")]
FIELD_LABELS = {
    "name": "Name",
    "first_name": "First Name",
    "last_name": "Last Name",
    "company_name": "Company of the Person",
    "title": "Title",
    "function": "Job Position",
    "department": "Department",
    "street": "Street",
    "street2": "Street 2",
    "zip": "ZIP",
    "city": "City",
    "state": "State",
    "country": "Country",
    "phone": "Phone",
    "mobile": "Mobile",
    "email": "E-mail",
    "website": "Website",
    "vat": "VAT ID",
    "company_registry": "Company Registry",
    "ref": "Reference",
    "debtor_number": "Debtor Number",
    "creditor_number": "Creditor Number",
    "iban": "IBAN",
    "bic": "BIC",
    "tags": "Tags",
    "note": "Notes",
    "birthday": "Birthday",
    "lang": "Language",
    "is_company": "Company or Person",
}
NOT_IMPORTED = "-"  # a column left out, in import_contacts' `columns`
FIELD_CHOICES = [(f, FIELD_LABELS[f]) for f in tabular.FIELDS]


def _contact_to_json(contact):
    """The contact as JSON values (its lists copied one level deep: dataclasses.asdict's
    deep copy of every value took a third of a large preview's time)."""
    data = {}
    for field in dataclasses.fields(contact):
        value = getattr(contact, field.name)
        if isinstance(value, list):
            value = [dict(item) if isinstance(item, dict) else item for item in value]
        data[field.name] = value
    data["birthday"] = contact.birthday.isoformat() if contact.birthday else None
    return data


def _contact_from_json(data):
    data = dict(data)
    data["birthday"] = datetime.date.fromisoformat(data["birthday"]) if data["birthday"] else None
    return Contact(**data)


class CrmPartnerImport(models.TransientModel):
    _name = "crm.partner.import"
    _description = "Customer Import"

    file = fields.Binary(required=True)
    filename = fields.Char()
    source = fields.Selection(SOURCES, default="auto", required=True)
    detected_source = fields.Selection(SOURCES[1:], readonly=True)
    state = fields.Selection(
        [("upload", "Upload"), ("mapping", "Columns"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
        readonly=True,
    )
    mode = fields.Selection(MODES, default="atomic", required=True)
    duplicate_action = fields.Selection(
        ACTIONS,
        "Duplicates",
        default="skip",
        required=True,
        help="What the preview proposes for rows that match an existing customer; you can "
        "change it row by row.",
    )
    default_country_id = fields.Many2one(
        "res.country",
        "Country for phone numbers",
        default=lambda self: self.env.company.country_id,
    )
    mapping_id = fields.Many2one("crm.partner.import.mapping", "Remembered Columns", readonly=True)
    column_ids = fields.One2many("crm.partner.import.column", "wizard_id", "Columns")
    line_ids = fields.One2many("crm.partner.import.line", "wizard_id", "Rows")
    new_count = fields.Integer(compute="_compute_counts")
    duplicate_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(compute="_compute_counts")
    report = fields.Text(readonly=True)

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for wizard in self:
            groups = dict(
                self.env["crm.partner.import.line"]._read_group(
                    [("wizard_id", "=", wizard.id)], ["state"], ["__count"]
                )
            )
            wizard.new_count = groups.get("new", 0)
            wizard.duplicate_count = groups.get("duplicate", 0)
            wizard.error_count = groups.get("error", 0)

    # ------------------------------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------------------------------
    def _data(self):
        self.ensure_one()
        data = base64.b64decode(self.file or b"")
        if not data.strip():
            raise UserError(self.env._("The file %(file)s is empty.", file=self.filename or ""))
        return data

    def _source(self, data):
        return self.source if self.source != "auto" else sources.detect(data, self.filename)

    def _ranges(self):
        company = self.env.company
        debtor = (
            getattr(company, "crm_datev_debtor_from", 10000),
            getattr(company, "crm_datev_debtor_to", 69999),
        )
        creditor = (
            getattr(company, "crm_datev_creditor_from", 70000),
            getattr(company, "crm_datev_creditor_to", 99999),
        )
        return debtor, creditor

    def _read(self, data, source, mapping=None):
        debtor, creditor = self._ranges()
        try:
            return sources.read(source, data, mapping, debtor, creditor)
        except FormatError as error:
            labels = dict(SOURCES)
            raise UserError(
                self.env._(
                    "%(file)s cannot be read as %(kind)s: %(reason)s",
                    file=self.filename or self.env._("The file"),
                    kind=labels[source],
                    reason=str(error),
                )
            ) from error

    @one_record
    def action_next(self):
        """Read the file: a table goes to the column mapping, anything else to the
        preview."""
        self.ensure_one()
        data = self._data()
        source = self._source(data)
        self.detected_source = source
        if source != "table":
            return self.action_preview()
        headings, rows = self._read_table(data)
        signature = _signature(headings)
        remembered = self.env["crm.partner.import.mapping"].search(
            [("signature", "=", signature), ("company_id", "in", [False, self.env.company.id])],
            limit=1,
        )
        by_heading = remembered.mapping or {}
        guessed = tabular.guess_mapping(headings)
        sample = rows[0][1] if rows else []
        self.column_ids.unlink()
        self.write(
            {
                "state": "mapping",
                "mapping_id": remembered.id,
                "column_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "heading": heading,
                            "sample": sanitize.text(sample[index] if index < len(sample) else "")[
                                :80
                            ],
                            "field": by_heading.get(heading, guessed.get(index, "")) or False,
                        }
                    )
                    for index, heading in enumerate(headings)
                ],
            }
        )
        return self._reopen()

    def _read_table(self, data):
        try:
            return tabular.read_table(data)
        except FormatError as error:
            raise UserError(
                self.env._(
                    "%(file)s cannot be read as a table: %(reason)s",
                    file=self.filename or self.env._("The file"),
                    reason=str(error),
                )
            ) from error

    def _mapping(self):
        mapping = {column.sequence: column.field for column in self.column_ids if column.field}
        if not {"name", "first_name", "last_name"} & set(mapping.values()):
            raise UserError(
                self.env._("Map at least one column to the name (or first or last name).")
            )
        return mapping

    def _remember(self, headings, mapping):
        Mapping = self.env["crm.partner.import.mapping"]
        signature = _signature(headings)
        values = {
            "name": self.filename or ", ".join(headings[:3]),
            "signature": signature,
            "mapping": {headings[i]: field for i, field in mapping.items()},
            "company_id": self.env.company.id,
        }
        existing = Mapping.search(
            [("signature", "=", signature), ("company_id", "=", self.env.company.id)], limit=1
        )
        if existing:
            existing.write(values)
            return existing
        return Mapping.create(values)

    # ------------------------------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------------------------------
    @one_record
    def action_preview(self):
        self.ensure_one()
        data = self._data()
        source = self.detected_source or self._source(data)
        mapping = None
        if source == "table":
            mapping = self._mapping()
        contacts, problems, headings = self._read(data, source, mapping)
        if source == "table":
            self.mapping_id = self._remember(headings, mapping)
        lines = self._preview_lines(contacts, problems)
        self.line_ids.unlink()
        self.env["crm.partner.import.line"].create(
            [dict(vals, wizard_id=self.id) for vals in lines]
        )
        self.write({"state": "preview", "detected_source": source})
        return self._reopen()

    def _preview_lines(self, contacts, problems):
        """The values of the preview lines: errors for rows that could not be read or
        cannot be imported, duplicates (of an existing customer or of an earlier row of the
        file) and new rows."""
        countries = self._country_lookup()
        region = (self.default_country_id.code or "DE").upper()
        keyed, lines = [], []
        for contact in contacts:
            error = self._check_contact(contact, countries)
            if error:
                lines.append(self._line_vals(contact, "error", message=error))
                continue
            keyed.append((contact, self._keys(contact, countries, region)))
        matches = self._find_duplicates(keyed)
        seen = {}
        for contact, keys in keyed:
            partner, reason = matches.get(contact.row, (False, ""))
            if partner:
                lines.append(
                    self._line_vals(
                        contact,
                        "duplicate",
                        partner=partner,
                        reason=reason,
                        action=self.duplicate_action,
                    )
                )
                continue
            earlier = next((seen[key] for key in keys if key in seen), None)
            for key in keys:
                seen.setdefault(key, contact.row)
            if earlier:
                reason = self.env._("same as row %(row)s of this file", row=earlier)
                lines.append(self._line_vals(contact, "duplicate", reason=reason, action="skip"))
            else:
                lines.append(self._line_vals(contact, "new"))
        for problem in problems:
            lines.append(
                {
                    "position": problem.row,
                    "file_line": problem.line,
                    "state": "error",
                    "action": "skip",
                    "name": problem.name or False,
                    "message": self._problem_text(problem),
                }
            )
        return lines

    def _problem_text(self, problem):
        _ = self.env._
        texts = {
            "name": _("the row has no name"),
            "birthday": _("the birthday %(value)s is no date", value=problem.value),
            "account": _("the account %(value)s is no number", value=problem.value),
            "account range": _(
                "the account %(value)s is neither in the debtor nor in the creditor range",
                value=problem.value,
            ),
            "vcard": _("the card cannot be read: %(reason)s", reason=problem.value),
        }
        return texts.get(problem.code, problem.code)

    def _line_vals(self, contact, state, partner=False, reason="", action=None, message=""):
        bank = contact.bank_accounts[0] if contact.bank_accounts else {}
        return {
            "position": contact.row,
            "file_line": contact.line,
            "state": state,
            "action": "skip" if state == "error" else action or "create",
            "is_company": contact.is_company,
            "name": contact.display_name[:256],
            "email": contact.email[:256] or False,
            "phone": (contact.phone or contact.mobile)[:64] or False,
            "vat": contact.vat[:64] or False,
            "iban": iban_tools.mask(bank.get("iban")) if bank.get("iban") else False,
            "city": contact.city[:128] or False,
            "partner_id": partner,
            "match_reason": reason or False,
            "message": message or False,
            "data": _contact_to_json(contact),
        }

    def _country_lookup(self):
        """{casefolded name or ISO code: country id}, one query (all loaded languages)."""
        return country_names.lookup(self.env)

    def _check_contact(self, contact, countries):
        """Why this contact cannot be imported ('' when it can)."""
        _ = self.env._
        if not contact.display_name.strip():
            return _("the row has no name")
        if contact.country and contact.country.strip().casefold() not in countries:
            return _("the country %(country)s is unknown", country=contact.country)
        vat_problem = self._vat_problem(contact, countries)
        if vat_problem:
            return vat_problem
        for bank in contact.bank_accounts:
            try:
                iban_tools.parse_iban(bank.get("iban"))
            except iban_tools.IbanError as error:
                return _(
                    "the IBAN %(iban)s is not valid: %(reason)s",
                    iban=bank.get("iban"),
                    reason=str(error),
                )
        return ""

    def _vat_problem(self, contact, countries):
        """Why Odoo would refuse the contact's VAT id (base_vat's check, when installed)."""
        Partner = self.env["res.partner"]
        if not contact.vat or not hasattr(Partner, "_run_vat_checks"):
            return ""
        if eu_vat.is_valid(contact.vat):
            # a valid EU VAT id with its country prefix passes Odoo's check too (stdnum's, or a
            # looser one of base_vat), which costs a query per row
            return ""
        country = self.env["res.country"]
        if contact.country:
            country = country.browse(countries[contact.country.strip().casefold()])
        try:
            Partner._run_vat_checks(country, contact.vat, contact.display_name, "error")
        except ValidationError as error:
            return _reason(error)
        return ""

    def _keys(self, contact, countries, region):
        """The identifiers of a contact, as the identifier table stores them."""
        keys = set()
        if contact.country:
            code = (
                self.env["res.country"].browse(countries[contact.country.strip().casefold()]).code
            )
            region = (code or region).upper()
        email = email_normalize(sanitize.typed(contact.email, sanitize.LABELS["email"]))
        if email:
            keys.add(("email", email))
        for number in (contact.phone, contact.mobile):
            e164 = phone_identifier.to_e164(number, region) if number else None
            if e164:
                keys.add(("phone", e164))
        vat = normalise_vat(contact.vat)
        if vat:
            keys.add(("vat", vat))
        for bank in contact.bank_accounts:
            keys.add(("iban", iban_tools.normalise(bank.get("iban"))))
        if contact.display_name and contact.city:
            keys.add(
                ("name", (contact.display_name.casefold().strip(), contact.city.casefold().strip()))
            )
        return keys

    def _find_duplicates(self, keyed):
        """{row: (partner id, reason)} of the rows matching an existing partner the user
        may read: VAT id, IBAN, e-mail, phone through the identifier table, then name and
        city; two queries over a temporary table, whatever the number of rows."""
        if not keyed:
            return {}
        _ = self.env._
        cr = self.env.cr
        self.env["crm.partner.identifier"].flush_model()
        self.env["res.partner"].flush_model(["name", "city", "active"])
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS crm_import_key"
            " (row_number int, kind varchar, value varchar, city varchar) ON COMMIT DROP"
        )
        cr.execute("TRUNCATE crm_import_key")
        rows = []
        for contact, keys in keyed:
            for kind, value in keys:
                if kind == "name":
                    rows.append((contact.row, kind, value[0], value[1]))
                else:
                    rows.append((contact.row, kind, value, None))
        execute_values(cr, "INSERT INTO crm_import_key VALUES %s", rows, page_size=10000)
        cr.execute("ANALYZE crm_import_key")
        cr.execute(
            """
            SELECT k.row_number, k.kind, k.value, i.partner_id
              FROM crm_import_key k
              JOIN crm_partner_identifier i ON i.kind = k.kind AND i.value = k.value
             WHERE k.kind <> 'name'
            UNION ALL
            SELECT k.row_number, 'name', k.value, p.id
              FROM crm_import_key k
              JOIN res_partner p ON lower(p.name) = k.value AND lower(p.city) = k.city
             WHERE k.kind = 'name' AND p.active
            """
        )
        found = cr.fetchall()
        visible = set()
        Partner = self.env["res.partner"]
        for chunk in split_every(50000, list({row[3] for row in found})):
            visible.update(Partner.search([("id", "in", list(chunk))]).ids)
        order = {"vat": 0, "iban": 1, "email": 2, "phone": 3, "name": 4}
        reasons = {
            "vat": _("same VAT id"),
            "iban": _("same IBAN"),
            "email": _("same e-mail"),
            "phone": _("same phone number"),
            "name": _("same name and city"),
        }
        best = {}
        for row, kind, value, partner_id in found:
            if partner_id not in visible:
                continue
            rank = (order[kind], partner_id)
            if row not in best or rank < best[row][0]:
                best[row] = (
                    rank,
                    partner_id,
                    f"{reasons[kind]} {value if kind != 'name' else ''}".strip(),
                )
        return {row: (partner_id, reason) for row, (_rank, partner_id, reason) in best.items()}

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Customers"),
        }

    # ------------------------------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------------------------------
    @one_record
    def action_import(self):
        """Create and update as the preview lines say: all or nothing, or row by row."""
        self.ensure_one()
        _ = self.env._
        if self.state == "upload":
            self.action_next()
            if self.state == "mapping":
                return self._reopen()
        elif self.state == "mapping":
            self.action_preview()
        self.env["res.partner"].check_access("create")
        lines = self.line_ids.filtered(lambda line: line.state != "error" and line.action != "skip")
        for line in lines:
            if line.action == "update" and not line.partner_id:
                raise UserError(
                    _(
                        "Row %(row)s (%(name)s) is marked 'Update' but no existing customer is "
                        "chosen.",
                        row=line.position,
                        name=line.name,
                    )
                )
        ctx = {"countries": self._country_lookup(), "companies": {}, "tags": {}}
        results = {}
        if self.mode == "atomic":
            with self.env.cr.savepoint():
                for line in lines:
                    try:
                        results[line.id] = self._apply(line, ctx)
                    except (UserError, ValidationError, ValueError, psycopg2.Error) as error:
                        raise UserError(
                            _(
                                "Row %(row)s (%(name)s) could not be imported, so nothing was "
                                "imported: %(reason)s",
                                row=line.position,
                                name=line.name,
                                reason=_reason(error),
                            )
                        ) from error
        else:
            for line in lines:
                try:
                    with self.env.cr.savepoint():
                        results[line.id] = self._apply(line, ctx)
                except (UserError, ValidationError, ValueError, psycopg2.Error) as error:
                    results[line.id] = ("failed", _reason(error))
                    # what the failed row made (a company, a tag) is undone with it
                    ctx["companies"].clear()
                    ctx["tags"].clear()
        self._write_results(results)
        return self._reopen()

    def _write_results(self, results):
        _ = self.env._
        counts = {"created": 0, "updated": 0, "failed": 0}
        for line in self.line_ids:
            outcome = results.get(line.id)
            if outcome is None:
                line.result = "skipped"
                continue
            kind, value = outcome
            counts[kind] += 1
            if kind == "failed":
                line.write({"result": "failed", "message": value})
            else:
                line.write({"result": kind, "result_partner_id": value})
        skipped = len(self.line_ids) - sum(counts.values())
        self.write(
            {
                "state": "done",
                "report": _(
                    "%(created)s created, %(updated)s updated, %(skipped)s skipped, "
                    "%(failed)s failed.",
                    created=counts["created"],
                    updated=counts["updated"],
                    skipped=skipped,
                    failed=counts["failed"],
                ),
            }
        )

    def _apply(self, line, ctx):
        """Create or update the partner of one line; ('created'|'updated', partner id)."""
        contact = _contact_from_json(line.data)
        Partner = self.env["res.partner"]
        vals = self._partner_vals(contact, ctx)
        if contact.company_name and not contact.is_company:
            vals["parent_id"] = self._company(contact, vals, ctx).id
        numbers = {
            key: vals.pop(key)
            for key in ("crm_debtor_number", "crm_creditor_number")
            if vals.get(key)
        }
        if line.action == "update" and line.partner_id:
            partner = line.partner_id
            partner.check_access("write")
            if partner.parent_id:
                vals.pop("parent_id", None)
            if partner.comment and vals.get("comment"):
                vals["comment"] = partner.comment + vals["comment"]
            partner.write({k: v for k, v in vals.items() if v not in (False, None, "")})
            outcome = "updated"
        else:
            partner = Partner.create(vals)
            outcome = "created"
        if numbers and not self.env["crm.partner.number"].has_access("create"):
            line.message = self.env._(
                "Debtor and creditor numbers are set by CRM managers; %(numbers)s not imported.",
                numbers=", ".join(numbers.values()),
            )
            numbers = {}
        if numbers:
            commercial = partner.commercial_partner_id
            for field, number in numbers.items():
                if commercial[field] != number:
                    commercial[field] = number
        self._add_banks(partner.commercial_partner_id, contact)
        if contact.is_company and contact.contact_person:
            existing = partner.child_ids.filtered(
                lambda c: (c.name or "").casefold() == contact.contact_person.casefold()
            )
            if not existing:
                Partner.create(
                    {"name": contact.contact_person, "parent_id": partner.id, "type": "contact"}
                )
        return outcome, partner.id

    def _partner_vals(self, contact, ctx):
        _ = self.env._
        vals = {
            "name": contact.display_name,
            "is_company": contact.is_company,
            "street": contact.street or False,
            "street2": contact.street2 or False,
            "zip": contact.zip or False,
            "city": contact.city or False,
            "email": contact.email or False,
            "phone": contact.phone or contact.mobile or False,
            "website": contact.website or False,
            "vat": contact.vat or False,
            "company_registry": contact.company_registry or False,
            "ref": contact.ref or False,
            "function": contact.function or False,
            "crm_debtor_number": contact.debtor_number or False,
            "crm_creditor_number": contact.creditor_number or False,
        }
        if not contact.is_company:
            vals["crm_title"] = contact.title or False
            vals["crm_department"] = contact.department or False
            vals["crm_birthday"] = contact.birthday or False
        if contact.country:
            vals["country_id"] = ctx["countries"][contact.country.strip().casefold()]
            if contact.state:
                state = self.env["res.country.state"].search(
                    [
                        ("country_id", "=", vals["country_id"]),
                        "|",
                        ("name", "=ilike", contact.state),
                        ("code", "=ilike", contact.state),
                    ],
                    limit=1,
                )
                vals["state_id"] = state.id or False
        if contact.lang:
            lang = self.env["res.lang"]._lang_get(contact.lang) or self.env["res.lang"].search(
                [("code", "=like", f"{contact.lang[:2]}%"), ("active", "=", True)], limit=1
            )
            vals["lang"] = lang.code or False
        notes = [contact.note] if contact.note else []
        if contact.phone and contact.mobile:
            notes.append(_("Mobile: %(number)s", number=contact.mobile))
        if notes:
            vals["comment"] = plaintext2html("\n".join(notes))
        if contact.tags:
            vals["category_id"] = [Command.link(i) for i in self._tag_ids(contact.tags, ctx)]
        return vals

    def _company(self, contact, vals, ctx):
        """The company a person works for: one of this import, an existing one of that
        name, or a new one with the person's address."""
        key = contact.company_name.casefold()
        if key not in ctx["companies"]:
            Partner = self.env["res.partner"]
            company = Partner.search(
                [("is_company", "=", True), ("name", "=ilike", contact.company_name)], limit=1
            )
            if not company:
                address = {
                    k: vals[k]
                    for k in ("street", "street2", "zip", "city", "country_id")
                    if vals.get(k)
                }
                company = Partner.create(
                    {"name": contact.company_name, "is_company": True, **address}
                )
            ctx["companies"][key] = company
        return ctx["companies"][key]

    def _tag_ids(self, names, ctx):
        Tag = self.env["res.partner.category"]
        ids = []
        for name in names:
            key = name.casefold()
            if key not in ctx["tags"]:
                tag = Tag.search([("name", "=ilike", name)], limit=1) or Tag.create({"name": name})
                ctx["tags"][key] = tag.id
            ids.append(ctx["tags"][key])
        return ids

    def _add_banks(self, partner, contact):
        Bank = self.env["res.partner.bank"]
        have = {iban_tools.normalise(b.acc_number) for b in partner.bank_ids}
        for bank in contact.bank_accounts:
            number = iban_tools.normalise(bank.get("iban"))
            if number and number not in have:
                have.add(number)
                Bank.create({"acc_number": number, "partner_id": partner.id})

    # ------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        content=Base64(max_bytes=50 * 1024 * 1024),
        filename=Str(max_len=255, required=False),
        source=Selection([key for key, _label in SOURCES]),
        on_duplicate=Selection([key for key, _label in ACTIONS]),
        mode=Selection([key for key, _label in MODES]),
        preview_only=Bool(),
        columns=ListOf(
            Selection([NOT_IMPORTED] + [key for key, _label in FIELD_CHOICES]),
            max_items=500,
            required=False,
        ),
    )
    def import_contacts(
        self,
        content,
        filename=False,
        source="auto",
        on_duplicate="skip",
        mode="atomic",
        preview_only=False,
        columns=False,
    ):
        """Import customers from a file (base64): preview every row and, unless
        `preview_only`, import them. `source`: "auto" or one of outlook, google, vcard,
        datev, pohoda, lexoffice, sevdesk, table; `columns`: for a table, the field of each
        column in order ("-" = not imported; default: guessed from the column names);
        `on_duplicate`: skip, update or create for rows matching an existing customer;
        `mode`: atomic (nothing is imported when a row fails) or rows (each row on its
        own, failures reported). Returns {"source", "rows": [{"row", "state", "action",
        "name", "partner_id", "reason", "result"}], "created", "updated", "skipped",
        "failed", "errors"}."""
        wizard = self.create(
            {
                "file": base64.b64encode(content),
                "filename": filename or "",
                "source": source,
                "duplicate_action": on_duplicate,
                "mode": mode,
            }
        )
        argument = "content"
        try:
            wizard.action_next()
            if wizard.state == "mapping":
                if columns:
                    argument = "columns"
                    for column in wizard.column_ids:
                        field = (
                            columns[column.sequence] if column.sequence < len(columns) else False
                        )
                        column.field = field if field != NOT_IMPORTED else False
                wizard.action_preview()
        except UserError as error:
            if isinstance(error, AccessError):
                raise
            # a file that cannot be read or mapped is a wrong argument of the call
            raise ArgumentError(
                self.env._(
                    "crm.partner.import.import_contacts: the argument %(argument)s cannot be "
                    "imported: %(reason)s",
                    argument=argument,
                    reason=_reason(error),
                )
            ) from error
        if not preview_only:
            wizard.action_import()
        rows = [
            {
                "row": line.position,
                "state": line.state,
                "action": line.action,
                "name": line.name or "",
                "partner_id": line.result_partner_id.id or line.partner_id.id or False,
                "reason": line.match_reason or line.message or "",
                "result": line.result or "",
            }
            for line in wizard.line_ids
        ]
        return {
            "source": wizard.detected_source,
            "rows": rows,
            "created": sum(r["result"] == "created" for r in rows),
            "updated": sum(r["result"] == "updated" for r in rows),
            "skipped": sum(r["result"] == "skipped" for r in rows),
            "failed": sum(r["result"] == "failed" for r in rows),
            "errors": [r for r in rows if r["state"] == "error" or r["result"] == "failed"],
        }


def _signature(headings):
    """The key of a remembered mapping: the column names, case and blanks aside."""
    return hashlib.sha1("\x1f".join(h.strip().casefold() for h in headings).encode()).hexdigest()


def _reason(error):
    """The text of an exception (ValidationError, UserError, a database error)."""
    text = error.args[0] if getattr(error, "args", None) else ""
    return str(text or error).strip() or type(error).__name__
