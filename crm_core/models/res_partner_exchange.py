"""res.partner: what printing, labels and vCard exchange need (issue 4)."""

from odoo import api, models
from odoo.tools import html2plaintext

from ..tools import address_block as address_tools
from ..tools import vcard as vcard_tools
from ..tools.boundary import Any, ArgumentError, ListOf, Records, Str, public

# vCard ADR types <-> Odoo address types; the main address is "work,pref".
ADDRESS_TYPE_TO_VCARD = {
    "main": ["pref", "work"],
    "invoice": ["postal", "work"],
    "delivery": ["parcel", "work"],
    "other": ["work"],
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------------------------------
    # Address blocks (labels, envelopes)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _get_address_format(self):
        """Odoo 19 has no address format of its own for Czechia (nor SK, PL, HU...): their
        partners got the generic US-style one, "Brno 602 00", on every document printed
        through Odoo's `_display_address` (invoices, the contact widget of letters and
        forms, route sheets). Their post wants the postcode before the town ("602 00 Brno");
        a format set on the country by the user is kept."""
        address_format = super()._get_address_format()
        code = (self.country_id.code or "").upper()
        if code in address_tools.POSTCODE_FIRST and address_format in (
            address_tools.GENERIC_FORMAT,
            self._get_default_address_format(),
        ):
            return address_tools.POSTCODE_FIRST_FORMAT
        return address_format

    def _crm_address_blocks(self, sender_country=None, lang=None):
        """One address block (list of lines) per partner of self, in order: company name,
        person name, then the address formatted for the destination country (DIN 5008 for
        Germany); the country in capitals for mail abroad. Batch-friendly: no query per
        partner beyond the ORM's prefetching."""
        sender_country = sender_country or self.env.company.country_id
        sender_code = sender_country.code or ""
        lang = lang or self.env.lang or "en_US"
        countries = self.country_id.with_context(lang=lang)
        names = {c.id: c.name for c in countries}
        formats = {c.id: c.address_format or "" for c in countries}
        codes = {c.id: c.code or "" for c in countries}
        blocks = []
        for partner in self:
            company_name = partner.commercial_company_name or ""
            person = "" if partner.is_company else (partner.name or "")
            recipient = [company_name, person] if company_name != person else [company_name]
            if not company_name and not person:
                recipient = [partner.display_name or ""]
            country_id = partner.country_id.id
            blocks.append(
                address_tools.address_block(
                    recipient,
                    {
                        "street": partner.street,
                        "street2": partner.street2,
                        "zip": partner.zip,
                        "city": partner.city,
                        "state_name": partner.state_id.name,
                        "state_code": partner.state_id.code,
                    },
                    country_code=codes.get(country_id, ""),
                    country_name=names.get(country_id, ""),
                    address_format=formats.get(country_id, ""),
                    sender_country_code=sender_code,
                )
            )
        return blocks

    def _crm_label_partners(self, per="partner"):
        """The partners to print a label for: self, or with per='contact' each company's
        contact persons (the company itself when it has none)."""
        if per != "contact":
            return self
        result = self.browse()
        contacts = self.search_fetch(
            [("parent_id", "in", self.filtered("is_company").ids), ("type", "=", "contact")],
            ["parent_id", "name"],
            order="parent_id, name, id",
        )
        by_company = {}
        for contact in contacts:
            by_company.setdefault(contact.parent_id.id, self.browse())
            by_company[contact.parent_id.id] |= contact
        for partner in self:
            result |= by_company.get(partner.id) or partner
        return result

    # ------------------------------------------------------------------------------------------
    # vCard
    # ------------------------------------------------------------------------------------------
    def _crm_vcard_address(self, kind):
        return {
            "types": set(ADDRESS_TYPE_TO_VCARD[kind]),
            "street": self.street or "",
            "street2": self.street2 or "",
            "city": self.city or "",
            "region": self.state_id.name or "",
            "zip": self.zip or "",
            "country": self.country_id.name or "",
        }

    def _crm_vcard_card(self):
        """This partner as a vcard_tools.Card (company or person)."""
        self.ensure_one()
        card = vcard_tools.Card(kind="org" if self.is_company else "individual")
        card.fn = self.name or ""
        if self.is_company:
            card.org = self.name or ""
        else:
            given, _sep, family = (self.name or "").strip().rpartition(" ")
            card.given, card.family = given, family
            card.org = self.parent_id.commercial_company_name or self.parent_id.name or ""
            card.title = self.function or ""
            card.bday = self.crm_birthday or None
        if any(self[f] for f in ("street", "street2", "zip", "city", "country_id")):
            card.addresses.append(self._crm_vcard_address("main"))
        if self.is_company:
            for child in self.child_ids:
                if child.type in ("invoice", "delivery", "other") and child.active:
                    card.addresses.append(child._crm_vcard_address(child.type))
        if self.phone:
            card.phones.append((self.phone, {"work", "voice"}))
        if self.email:
            card.emails.append((self.email, {"internet", "work"}))
        if self.website:
            card.urls.append(self.website)
        card.note = html2plaintext(self.comment or "").strip()
        card.categories = self.category_id.mapped("name")
        return card

    def _crm_vcard_text(self):
        """The vCard 3.0 text of these partners (one card each)."""
        return vcard_tools.write_vcards([partner._crm_vcard_card() for partner in self])

    @api.model
    @public(partner_ids=Records("res.partner"))
    def crm_vcard_export(self, partner_ids):
        """The vCard 3.0 text (one card each) of the partners `partner_ids` (a list of
        ids), as "Export vCard" writes it: companies as company cards, persons with their
        company, typed addresses."""
        partner_ids.check_access("read")
        return partner_ids._crm_vcard_text()

    def action_crm_export_vcard(self):
        """Download these partners as one .vcf file (list action "Export vCard")."""
        export = self.env["crm.vcard.export"].create({"partner_ids": [(6, 0, self.ids)]})
        return export.action_download()

    def action_crm_print_labels(self):
        """Open the label wizard for these partners (list action "Print labels")."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print labels"),
            "res_model": "crm.label.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": [(6, 0, self.ids)]},
        }

    @api.model
    def get_import_templates(self):
        return super().get_import_templates() + [
            {
                "label": self.env._("Import Template for Customers (CRM Suite, Excel)"),
                "template": "/crm_core/static/xls/crm_customers_import_template.xlsx",
            },
            {
                "label": self.env._("Import Template for Customers (CRM Suite, CSV)"),
                "template": "/crm_core/static/xls/crm_customers_import_template.csv",
            },
        ]

    @api.model
    @public(
        fields=ListOf(Str(max_len=512), max_items=5_000),
        data=ListOf(Any(), max_items=10_000_000, allow_empty=True),
    )
    def load(self, fields, data):
        """Odoo's import, with messages that name the partner of the row (Odoo names only
        the row number and the field): "Příklad s.r.o., field Roles: No matching record
        found ...". Rows that only continue the partner above (further bank accounts)
        name that partner. Names of reference data are looked up once per import."""
        self._crm_check_import_rows(fields, data)
        # names of countries, tags, roles ... looked up once per import (ir_fields_converter)
        if self.env.context.get("crm_import_name_cache") is None:
            self = self.with_context(crm_import_name_cache={})
        # the identifiers (phones, e-mails, VAT, IBANs) of the imported partners rebuilt
        # once at the end, not after each write of a row (crm.partner.identifier)
        later = None
        if self.env.context.get("crm_identifiers_later") is None:
            later = set()
            self = self.with_context(crm_identifiers_later=later)
        result = super().load(fields, data)
        if later:
            self.env["crm.partner.identifier"].sudo()._sync_partners(sorted(later))
        if result.get("messages") and "name" in fields:
            self._crm_name_partners_in_messages(result["messages"], fields, data)
        return result

    @api.model
    def _crm_check_import_rows(self, fields, data):
        """Each row of an import has a cell per field, each a text, a number, a yes/no or
        empty: anything else is the caller's mistake (named), not a server error."""
        allowed = (str, int, float, bool, type(None))
        for index, row in enumerate(data):
            if (
                not isinstance(row, list | tuple)
                or len(row) != len(fields)
                or not all(isinstance(cell, allowed) for cell in row)
            ):
                raise ArgumentError(
                    self.env._(
                        "res.partner.load: the argument data must hold one row per record, "
                        "each with %(count)s cells (texts, numbers, true/false or empty); "
                        "row %(row)s is %(value)s.",
                        count=len(fields),
                        row=index + 1,
                        value=repr(row)[:60],
                    )
                )

    @api.model
    def _crm_name_partners_in_messages(self, messages, fields, data):
        name_index = fields.index("name")
        labels = {name: field._description_string(self.env) for name, field in self._fields.items()}
        for message in messages:
            row = (message.get("rows") or {}).get("from")
            if row is None or not 0 <= row < len(data) or not message.get("message"):
                continue
            partner = ""
            for index in range(row, -1, -1):  # a continuation row belongs to the one above
                partner = (data[index][name_index] or "").strip()
                if partner:
                    break
            text = str(message["message"])
            field = message.get("field_name") or labels.get(message.get("field"), "")
            prefix = []
            if partner and partner not in text:
                prefix.append(partner)
            if field and field not in text:
                prefix.append(self.env._("field %(field)s", field=field))
            if prefix:
                message["message"] = self.env._(
                    "%(where)s: %(message)s", where=", ".join(prefix), message=text
                )
