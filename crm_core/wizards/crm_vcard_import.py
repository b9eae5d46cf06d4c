import base64
import binascii
import dataclasses
import datetime

import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import email_normalize, html2plaintext, plaintext2html, split_every

from ..tools import country_names, sanitize
from ..tools import vcard as vcard_tools
from ..tools.boundary import Base64, Bool, Record, Str, one_record, public

MAIN_TYPES = ("pref", "work")
MAX_FILE_SIZE = 20 * 1024 * 1024


def _card_to_json(card):
    data = dataclasses.asdict(card)
    data["bday"] = card.bday.isoformat() if card.bday else None
    data["emails"] = [[value, sorted(types)] for value, types in card.emails]
    data["phones"] = [[value, sorted(types)] for value, types in card.phones]
    data["addresses"] = [dict(a, types=sorted(a["types"])) for a in card.addresses]
    return data


def _card_from_json(data):
    data = dict(data)
    data["bday"] = datetime.date.fromisoformat(data["bday"]) if data.get("bday") else None
    data["emails"] = [(value, set(types)) for value, types in data["emails"]]
    data["phones"] = [(value, set(types)) for value, types in data["phones"]]
    data["addresses"] = [dict(a, types=set(a["types"])) for a in data["addresses"]]
    return vcard_tools.Card(**data)


def _main_address(card):
    """The card's main address: preferred, else work, else the first."""
    for wanted in MAIN_TYPES:
        for address in card.addresses:
            if wanted in address["types"]:
                return address
    return card.addresses[0] if card.addresses else None


def _address_type(address):
    types = address["types"]
    if "parcel" in types:
        return "delivery"
    if "postal" in types:
        return "invoice"
    return "other"


class CrmVcardImport(models.TransientModel):
    """Import contacts from a .vcf file: preview with duplicate detection, then one atomic
    import. The file stays in the wizard until the import succeeded."""

    _name = "crm.vcard.import"
    _description = "vCard Import"

    # (not an attachment: what a caller sends is checked when the file is read, with a
    # message, instead of failing in the attachment's base64 decoding)
    file = fields.Binary("vCard file", required=True, attachment=False)
    filename = fields.Char()
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview")], default="upload")
    default_country_id = fields.Many2one(
        "res.country",
        string="Country for phone numbers",
        default=lambda self: self.env.company.country_id,
        help="Phone numbers without a country prefix are read as numbers of this country.",
    )
    line_ids = fields.One2many("crm.vcard.import.line", "wizard_id", string="Cards")
    error_count = fields.Integer(compute="_compute_counts")
    card_count = fields.Integer(compute="_compute_counts")

    @api.model_create_multi
    def create(self, vals_list):
        if any({"state", "line_ids"} & set(vals) for vals in vals_list):
            self.env["crm.vcard.import.line"]._refuse()
        return super().create(vals_list)

    def write(self, vals):
        """The preview (state, cards) comes from reading the file (action_preview); a new
        file needs a new preview."""
        if not self.env.context.get("crm_vcard_preview"):
            # per card the user chooses the action and the contact (updates of the cards,
            # checked by the card itself); the cards themselves come from the file
            commands = vals.get("line_ids") or []
            if "state" in vals or any(
                not isinstance(command, list | tuple) or command[0] != Command.UPDATE
                for command in commands
            ):
                self.env["crm.vcard.import.line"]._refuse()
            if "file" in vals:
                vals = dict(vals, state="upload")
                self.line_ids.unlink()
        return super().write(vals)

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for wizard in self:
            wizard.error_count = len(wizard.line_ids.filtered(lambda line: line.state == "error"))
            wizard.card_count = len(wizard.line_ids) - wizard.error_count

    # ------------------------------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------------------------------
    def _read_file(self):
        self.ensure_one()
        _ = self.env._
        name = self.filename or _("the uploaded file")
        try:
            data = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(
                _("The file %(file)s cannot be read: it is not sent in base64.", file=name)
            ) from error
        if len(data) > MAX_FILE_SIZE:
            raise UserError(
                _(
                    "The file %(file)s is larger than %(size)s MB; split it into smaller files.",
                    file=name,
                    size=MAX_FILE_SIZE // 1024 // 1024,
                )
            )
        if not data.strip():
            raise UserError(_("The file %(file)s is empty.", file=name))
        try:
            return vcard_tools.parse_vcards(data)
        except vcard_tools.VCardFileError as error:
            raise UserError(
                _(
                    "The file %(file)s is not a vCard file: it contains no card "
                    "(no BEGIN:VCARD line).",
                    file=name,
                )
            ) from error

    def _country_lookup(self):
        """{casefolded name in any loaded language, native and German names, or ISO code:
        res.country}, one query."""
        Country = self.env["res.country"]
        return {key: Country.browse(cid) for key, cid in country_names.lookup(self.env).items()}

    def _normalise_phone(self, number, region):
        try:
            parsed = phonenumbers.parse(number, region or None)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_possible_number(parsed):
            return None
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    def _card_keys(self, card, countries):
        address = _main_address(card)
        country = countries.get((address or {}).get("country", "").casefold())
        region = (country or self.default_country_id).code or None
        emails = {
            email_normalize(sanitize.typed(value, sanitize.LABELS["email"]))
            for value, _types in card.emails
        } - {False, None}
        phones = {
            self._normalise_phone(sanitize.typed(value, sanitize.LABELS["phone"]), region)
            for value, _types in card.phones
        }
        phones.discard(None)
        name = (card.person_name or card.org).casefold()
        city = ((address or {}).get("city") or "").casefold()
        return emails, phones, (name, city) if name and city else None

    def _find_duplicates(self, keyed):
        """keyed: [(card, emails, phones, name_city)]. Return {position: (partner, reason)}
        found with three grouped queries (e-mail, phone, name and city)."""
        _ = self.env._
        Partner = self.env["res.partner"]
        all_emails = {e for _c, emails, _p, _n in keyed for e in emails}
        all_phones = {p for _c, _e, phones, _n in keyed for p in phones}
        all_names = {nc[0] for _c, _e, _p, nc in keyed if nc}
        by_email, by_phone, by_name = {}, {}, {}
        if all_emails:
            for partner in Partner.search_fetch(
                [("email_normalized", "in", list(all_emails))], ["email_normalized", "is_company"]
            ):
                by_email.setdefault(partner.email_normalized, partner)
        if all_phones and "phone_sanitized" in Partner._fields:
            for partner in Partner.search_fetch(
                [("phone_sanitized", "in", list(all_phones))], ["phone_sanitized", "is_company"]
            ):
                by_phone.setdefault(partner.phone_sanitized, partner)
        for names in split_every(500, sorted(all_names)):
            domain = Domain.OR(Domain("name", "=ilike", name) for name in names)
            for partner in Partner.search_fetch(domain, ["name", "city", "is_company"]):
                key = ((partner.name or "").casefold(), (partner.city or "").casefold())
                by_name.setdefault(key, partner)
        matches = {}
        for card, emails, phones, name_city in keyed:
            is_org = card.kind == "org"
            for email in sorted(emails):
                partner = by_email.get(email)
                if partner and partner.is_company == is_org:
                    matches[card.index] = (partner, _("same e-mail %(email)s", email=email))
                    break
            if card.index in matches:
                continue
            for phone in sorted(phones):
                partner = by_phone.get(phone)
                if partner and partner.is_company == is_org:
                    matches[card.index] = (partner, _("same phone %(phone)s", phone=phone))
                    break
            if card.index in matches or not name_city:
                continue
            partner = by_name.get(name_city)
            if partner and partner.is_company == is_org:
                matches[card.index] = (partner, _("same name and city"))
        return matches

    @one_record
    def action_preview(self):
        self.ensure_one()
        _ = self.env._
        cards, errors = self._read_file()
        countries = self._country_lookup()
        keyed = [(card, *self._card_keys(card, countries)) for card in cards]
        matches = self._find_duplicates(keyed)
        seen = {}
        lines = []
        for card, emails, phones, name_city in keyed:
            partner, reason = matches.get(card.index, (False, False))
            action = "update" if partner else "create"
            if not partner:
                keys = [("e", e) for e in emails] + [("p", p) for p in phones]
                keys += [("n", name_city)] if name_city else []
                earlier = next((seen[k] for k in keys if k in seen), None)
                if earlier:
                    action = "skip"
                    reason = _("same contact as card %(card)s of this file", card=earlier)
                for key in keys:
                    seen.setdefault(key, card.index)
            address = _main_address(card) or {}
            lines.append(
                {
                    "position": card.index,
                    "file_line": card.line,
                    "state": "ok",
                    "action": action,
                    "kind": card.kind,
                    "name": card.person_name or card.org,
                    "company_name": card.org if card.person_name else False,
                    "email": card.emails[0][0] if card.emails else False,
                    "phone": card.phones[0][0] if card.phones else False,
                    "city": address.get("city") or False,
                    "partner_id": partner.id if partner else False,
                    "match_reason": reason,
                    "card_data": _card_to_json(card),
                }
            )
        for error in errors:
            lines.append(
                {
                    "position": error.index,
                    "file_line": error.line,
                    "state": "error",
                    "action": "skip",
                    "name": error.name or False,
                    "message": _(
                        "Card %(card)s (line %(line)s) cannot be read: %(reason)s",
                        card=error.index,
                        line=error.line,
                        reason=error.message,
                    ),
                }
            )
        self.line_ids.unlink()
        self.with_context(crm_vcard_preview=True).write(
            {"state": "preview", "line_ids": [Command.create(vals) for vals in lines]}
        )
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import vCard"),
        }

    # ------------------------------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------------------------------
    def _address_vals(self, address, countries):
        country = countries.get((address.get("country") or "").casefold())
        vals = {
            "street": address.get("street") or False,
            "street2": address.get("street2") or False,
            "zip": address.get("zip") or False,
            "city": address.get("city") or False,
            "country_id": country.id if country else False,
        }
        region = (address.get("region") or "").strip()
        if country and region:
            state = self.env["res.country.state"].search(
                [
                    ("country_id", "=", country.id),
                    "|",
                    ("name", "=ilike", region),
                    ("code", "=ilike", region),
                ],
                limit=1,
            )
            vals["state_id"] = state.id or False
        return vals

    def _contact_vals(self, card):
        """Values of the card's own partner (without address)."""
        vals = {"name": card.person_name or card.org, "is_company": card.kind == "org"}
        emails = sorted(card.emails, key=lambda e: "pref" not in e[1])
        phones = sorted(card.phones, key=lambda p: ("pref" not in p[1], "work" not in p[1]))
        if emails:
            vals["email"] = emails[0][0]
        if phones:
            vals["phone"] = phones[0][0]
        if card.urls:
            vals["website"] = card.urls[0]
        if card.kind != "org":
            if card.title:
                vals["function"] = card.title
            if card.bday:
                vals["crm_birthday"] = card.bday
        notes = [card.note] if card.note else []
        more = [p for p, _t in phones[1:]] + [e for e, _t in emails[1:]]
        if more:
            notes.append(
                self.env._("Further numbers and addresses: %(more)s", more=", ".join(more))
            )
        if notes:
            vals["comment"] = plaintext2html("\n".join(notes))
        return vals

    def _tag_ids(self, names, cache):
        Tag = self.env["res.partner.category"]
        ids = []
        for name in names:
            if name.casefold() not in cache:
                tag = Tag.search([("name", "=ilike", name)], limit=1) or Tag.create({"name": name})
                cache[name.casefold()] = tag.id
            ids.append(cache[name.casefold()])
        return ids

    def _apply_card(self, line, card, ctx):
        """Create or update the partner(s) of one card; return the card's partner."""
        Partner = self.env["res.partner"]
        vals = self._contact_vals(card)
        if not (vals["name"] or "").strip():
            raise UserError(self.env._("the card has no name (FN, N or ORG)"))
        address = _main_address(card)
        address_vals = self._address_vals(address, ctx["countries"]) if address else {}
        if card.categories:
            vals["category_id"] = [
                Command.link(i) for i in self._tag_ids(card.categories, ctx["tags"])
            ]
        company = Partner
        if card.kind != "org" and card.org:
            key = card.org.casefold()
            company = ctx["companies"].get(key)
            if company is None:
                company = Partner.search(
                    [("is_company", "=", True), ("name", "=ilike", card.org)], limit=1
                )
                if not company:
                    company = Partner.create({"name": card.org, "is_company": True, **address_vals})
                    ctx["created"] |= company
                ctx["companies"][key] = company
            if company and not company.street and not company.city and address_vals:
                company.write(address_vals)
            vals["parent_id"] = company.id
        elif address_vals:
            vals.update(address_vals)
        if line.action == "update" and line.partner_id:
            partner = line.partner_id
            if partner.parent_id and "parent_id" in vals:
                vals.pop("parent_id")
            if partner.comment and vals.get("comment"):
                known = html2plaintext(partner.comment)
                if html2plaintext(vals["comment"]) in known:
                    vals.pop("comment")
                else:
                    vals["comment"] = partner.comment + vals["comment"]
            partner.write({k: v for k, v in vals.items() if v not in (False, None, "")})
            ctx["updated"] |= partner
        else:
            partner = Partner.create(vals)
            ctx["created"] |= partner
        if card.kind == "org":
            ctx["companies"].setdefault((card.org or card.fn).casefold(), partner)
        commercial = partner.commercial_partner_id
        existing = {
            (c.type, c.street or "", c.zip or "", c.city or "") for c in commercial.child_ids
        }
        for extra in card.addresses:
            if extra is address:
                continue
            extra_vals = self._address_vals(extra, ctx["countries"])
            kind = _address_type(extra)
            key = (
                kind,
                extra_vals["street"] or "",
                extra_vals["zip"] or "",
                extra_vals["city"] or "",
            )
            if key not in existing:
                existing.add(key)
                Partner.create({"parent_id": commercial.id, "type": kind, **extra_vals})
        return partner

    @one_record
    def action_import(self):
        """Import the cards marked create/update, all or nothing."""
        self.ensure_one()
        if self.state != "preview":
            return self.action_preview()
        partners = self._import_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported contacts"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", partners.ids)],
            "target": "current",
        }

    def _import_lines(self):
        """Import the previewed cards marked create/update, all or nothing; return the
        partners created or updated for them."""
        self.ensure_one()
        _ = self.env._
        self.env["res.partner"].check_access("create")
        lines = self.line_ids.filtered(lambda line: line.state == "ok" and line.action != "skip")
        ctx = {
            "countries": self._country_lookup(),
            "companies": {},
            "tags": {},
            "created": self.env["res.partner"],
            "updated": self.env["res.partner"],
        }
        for line in lines:
            if line.action == "update" and not line.partner_id:
                raise UserError(
                    _(
                        "Card %(card)s (%(name)s) is marked 'Update' but no existing contact "
                        "is chosen.",
                        card=line.position,
                        name=line.name,
                    )
                )
        with self.env.cr.savepoint():
            for line in lines:
                try:
                    self._apply_card(line, _card_from_json(line.card_data), ctx)
                except (ValidationError, UserError, ValueError) as error:
                    message = error.args[0] if error.args else str(error)
                    raise UserError(
                        _(
                            "Card %(card)s (%(name)s) could not be imported, nothing was "
                            "imported: %(reason)s",
                            card=line.position,
                            name=line.name,
                            reason=message,
                        )
                    ) from error
        return ctx["created"] | ctx["updated"]

    # ------------------------------------------------------------------------------------------
    # Public API: the import in one call
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        file=Base64(max_bytes=MAX_FILE_SIZE),
        filename=Str(max_len=255, required=False),
        country=Record("res.country", required=False),
        apply=Bool(),
    )
    def import_vcard(self, file, filename=False, country=False, apply=False):
        """Read a vCard file (`file`: its content in base64) the way the import screen
        does: every card with what the import proposes for it - create a contact, update
        the one found with the same e-mail, phone number or name and city, or skip a card
        that repeats an earlier one - and the cards that cannot be read, with the reason.
        `country`: the country (id) of phone numbers without a country code, default the
        company's. With `apply` the cards are imported as proposed, all or nothing.

        Returns {"cards": [{"position", "line", "name", "action", "partner_id",
        "reason", "error"}], "partner_ids": [ids of the contacts created or updated]}."""
        wizard = self.create(
            {
                "file": base64.b64encode(file),
                "filename": filename or False,
                "default_country_id": country.id if country else self.env.company.country_id.id,
            }
        )
        wizard.action_preview()
        partners = wizard._import_lines() if apply else self.env["res.partner"]
        return {
            "cards": [
                {
                    "position": line.position,
                    "line": line.file_line,
                    "name": line.name or "",
                    "action": line.action,
                    "partner_id": line.partner_id.id,
                    "reason": line.match_reason or "",
                    "error": line.message or "",
                }
                for line in wizard.line_ids
            ],
            "partner_ids": partners.ids,
        }
