import dataclasses
import re

from odoo import models
from odoo.fields import Command
from odoo.tools import email_normalize, plaintext2html

from ..tools import phone_identifier, sanitize
from ..tools import vcard as vcard_tools

# what a phone number is written with (an extension after "ext", "x" or "#")
PHONE_CHARS = re.compile(r"\+?[0-9 ()./\-]+(?:\s*(?:ext\.?|x|#)\s*[0-9]+)?", re.IGNORECASE)
# vCard ADR types -> address kind, in the order they are looked for
ADDRESS_KINDS = (("pref", "main"), ("postal", "invoice"), ("parcel", "delivery"))
SINGLE_LINE = ("fn", "family", "given", "additional", "prefix", "suffix", "org")
SINGLE_LINE += ("department", "title")


def _clean_card(card):
    """The card's texts as vCard can carry them (no control or invisible characters)."""
    for name in SINGLE_LINE:
        setattr(card, name, sanitize.text(getattr(card, name)))
    card.note = sanitize.text(card.note, multiline=True)
    card.categories = [sanitize.text(c) for c in card.categories if sanitize.text(c)]
    card.phones = [(sanitize.text(v), t) for v, t in card.phones]
    card.emails = [(sanitize.text(v), t) for v, t in card.emails]
    card.addresses = [
        {k: (sanitize.text(v) if isinstance(v, str) else v) for k, v in a.items()}
        for a in card.addresses
    ]
    card.extra = [(name, sanitize.text(value)) for name, value in card.extra]
    return card


def _address_kind(address, taken):
    for vcard_type, kind in ADDRESS_KINDS:
        if vcard_type in address["types"] and kind not in taken:
            return kind
    return "main" if "main" not in taken else "other"


class CrmDavAddressbook(models.AbstractModel):
    """The CardDAV address book of a user: the customers (every partner with a role) and
    their contact persons the user may read, one vCard 3.0 each, written by
    res.partner._crm_vcard_card() with the roles, class and tags as CATEGORIES, the debtor
    number and the bank accounts. Edits from a device are written through the ORM (its
    checks apply); a deleted card archives the partner."""

    _name = "crm.dav.addressbook"
    _inherit = "crm.dav.collection"
    _description = "CardDAV Address Book"

    _dav_collection = "contacts"
    _dav_tag = "VADDRESSBOOK"
    _dav_kinds = {"contact": ("res.partner", "partner")}
    _dav_extension = ".vcf"
    _dav_precondition = "CR:valid-address-data"
    _dav_components = {"contact": "VCARD"}
    _dav_known = frozenset(
        """VERSION PRODID REV UID FN N ORG TITLE TEL EMAIL ADR URL BDAY NOTE CATEGORIES KIND
        X-ABSHOWAS X-CRM-DEBTOR-NUMBER X-CRM-IBAN""".split()
    )
    # one phone, e-mail address and website per partner: further ones are kept as sent
    _dav_first_only = frozenset({"TEL", "EMAIL", "URL"})

    def init(self):
        Change = self.env["crm.dav.change"]
        columns = (
            "name",
            "is_company",
            "type",
            "parent_id",
            "active",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "phone",
            "email",
            "website",
            "function",
            "comment",
            "crm_birthday",
            "crm_class_id",
        )
        Change._install_log_triggers(
            "partner",
            "res_partner",
            "contact",
            ("id", "parent_id"),
            columns,
            follow=[
                (
                    "contact",
                    ("name", "is_company", "active"),
                    "SELECT c.id FROM res_partner c JOIN changed x ON c.parent_id = x.id",
                )
            ],
        )
        Change._install_log_triggers(
            "partner_tag", "res_partner_res_partner_category_rel", "contact", ("partner_id",)
        )
        Change._install_log_triggers(
            "partner_role", "crm_partner_role_rel", "contact", ("partner_id",)
        )
        Change._install_log_triggers(
            "partner_number",
            "crm_partner_number",
            "contact",
            ("id", "partner_id"),
            ("name", "partner_id", "company_id", "kind"),
        )
        Change._install_log_triggers(
            "partner_bank",
            "res_partner_bank",
            "contact",
            ("id", "partner_id"),
            ("acc_number", "partner_id", "active"),
        )

    def _dav_meta(self):
        return {
            "tag": self._dav_tag,
            "D:displayname": self.env._("CRM Contacts"),
            "CR:addressbook-description": self.env._(
                "Customers and contact persons of the CRM (%(user)s)", user=self.env.user.name
            ),
        }

    def _dav_domain(self, kind):
        return [
            ("type", "=", "contact"),
            "|",
            ("crm_role_ids", "!=", False),
            ("parent_id.crm_role_ids", "!=", False),
        ]

    def _dav_component_uid(self, component):
        return component.uid.value if hasattr(component, "uid") and component.uid.value else ""

    # ------------------------------------------------------------------------------------------
    # Writing a partner as a vCard
    # ------------------------------------------------------------------------------------------
    def _debtor_line(self, number):
        return self.env._("Debtor number: %(number)s", number=number) if number else ""

    def _dav_card(self, partner, banks, uid):
        card = partner._crm_vcard_card()
        card.uid = uid
        commercial = partner.commercial_partner_id
        names = commercial.crm_role_ids.mapped("name")
        if commercial.crm_class_id:
            names.append(commercial.crm_class_id.display_name)
        card.categories = list(dict.fromkeys(names + card.categories))
        number = commercial.crm_debtor_number
        if number:
            card.extra.append(("X-CRM-DEBTOR-NUMBER", number))
            card.note = "\n\n".join(filter(None, [self._debtor_line(number), card.note]))
        for bank in banks.get(partner.id, []):
            card.extra.append(("X-CRM-IBAN", bank))
        return _clean_card(card)

    def _dav_render(self, kind, records, names):
        banks = {}
        Bank = self.env["res.partner.bank"]
        # bank accounts as the user may read them (none for who may not read them at all),
        # masked for who may not see complete numbers (res_partner_bank_privacy.py)
        if Bank.has_access("read"):
            for bank in Bank.search_fetch(
                [("partner_id", "in", records.ids)], ["partner_id", "acc_number"], order="id"
            ):
                banks.setdefault(bank.partner_id.id, []).append(bank._crm_shown_number())
        result = {}
        for partner in records:
            uid = names[partner.id][1]
            card = self._dav_card(partner, banks, uid)
            result[partner.id] = (vcard_tools.card_to_vcard(card), "VCARD")
        return result

    # ------------------------------------------------------------------------------------------
    # Reading a vCard back into a partner
    # ------------------------------------------------------------------------------------------
    def _dav_kind_of(self, component):
        return "contact"

    def _parse(self, component):
        try:
            cards, errors = vcard_tools.parse_vcards(component.serialize())
        except vcard_tools.VCardFileError as error:
            raise self._dav_refused(str(error)) from error
        if errors or len(cards) != 1:
            reason = errors[0].message if errors else self.env._("one card expected")
            raise self._dav_refused(
                self.env._("The card cannot be read: %(reason)s", reason=reason)
            )
        return _clean_card(cards[0])

    def _check_values(self, card, partner, name):
        """Refuse what the ORM would store unchecked: a phone number that is none, an e-mail
        address that is none."""
        region = (partner.country_id or self.env.company.country_id).code or "DE"
        for number, _types in card.phones:
            if not PHONE_CHARS.fullmatch(number) or phone_identifier.parse(number, region) is None:
                raise self._dav_refused(
                    self.env._(
                        "The phone number %(number)s of %(partner)s is not a phone number.",
                        number=number,
                        partner=name,
                    )
                )
        for address, _types in card.emails:
            if not email_normalize(address):
                raise self._dav_refused(
                    self.env._(
                        "The e-mail address %(email)s of %(partner)s is not an e-mail address.",
                        email=address,
                        partner=name,
                    )
                )

    def _note_text(self, card, number):
        """The card's note without the debtor number line this book adds."""
        line = self._debtor_line(number)
        note = card.note or ""
        if line and note.startswith(line):
            note = note[len(line) :].lstrip("\n")
        return note

    def _tags_and_roles(self, names):
        roles = self.env["crm.partner.role"].search([])
        tags = self.env["res.partner.category"].search([])
        wanted = {name.casefold() for name in names}
        return (
            roles.filtered(lambda r: r.name.casefold() in wanted),
            tags.filtered(lambda t: t.name.casefold() in wanted),
        )

    def _dav_store(self, kind, record, component, uid):
        card = self._parse(component)
        if not record:
            return self._create_partner(card)
        partner = record
        current = self._dav_card(partner, {}, uid)
        self._check_values(card, partner, partner.display_name)
        vals = self._changed_vals(partner, card, current)
        if sorted(card.categories) != sorted(current.categories):
            roles, tags = self._tags_and_roles(card.categories)
            commercial = partner.commercial_partner_id
            if roles and set(roles.ids) != set(commercial.crm_role_ids.ids):
                commercial.write({"crm_role_ids": [Command.set(roles.ids)]})
            vals["category_id"] = [Command.set(tags.ids)]
        vals.update(self._write_addresses(partner, card, current))
        if vals:
            partner.write(vals)
        self._add_bank_accounts(partner, card, current)
        return partner

    def _changed_vals(self, partner, card, current):
        """Values of the fields a device changed (compared with the card as rendered)."""
        vals = {}
        if partner.is_company:
            name = card.org or card.fn
        else:
            name = card.person_name or card.org
        if name and name != (current.person_name or current.org):
            vals["name"] = name
        if card.title != current.title and not partner.is_company:
            vals["function"] = card.title or False
        for field, new, old in (
            ("phone", card.phones, current.phones),
            ("email", card.emails, current.emails),
        ):
            first = new[0][0] if new else ""
            if first != (old[0][0] if old else ""):
                vals[field] = first or False
        if card.urls[:1] != current.urls[:1]:
            vals["website"] = (card.urls[:1] or [False])[0]
        if card.bday != current.bday and not partner.is_company:
            vals["crm_birthday"] = card.bday or False
        number = partner.commercial_partner_id.crm_debtor_number
        note = self._note_text(card, number)
        if note != self._note_text(current, number):
            vals["comment"] = plaintext2html(note) if note else False
        return vals

    def _write_addresses(self, partner, card, current):
        """Write the typed addresses a device changed; return the values of the main one."""
        importer = self.env["crm.vcard.import"]
        countries = None
        vals = {}
        current_addresses = self._addresses_by_kind(current.addresses)
        for address_kind, address in self._addresses_by_kind(card.addresses).items():
            if address == current_addresses.get(address_kind):
                continue
            countries = countries or importer._country_lookup()
            address_vals = importer._address_vals(address, countries)
            if address_kind == "main":
                vals.update(address_vals)
            elif partner.is_company:
                child = partner.child_ids.filtered(lambda c, k=address_kind: c.type == k)[:1]
                if child:
                    child.write(address_vals)
                else:
                    partner.create({"parent_id": partner.id, "type": address_kind, **address_vals})
        return vals

    def _addresses_by_kind(self, addresses):
        result = {}
        for address in addresses:
            kind = _address_kind(address, result)
            result[kind] = {k: v for k, v in address.items() if k != "types"}
        return result

    def _add_bank_accounts(self, partner, card, current):
        known = {value for name, value in current.extra if name == "X-CRM-IBAN"}
        # (a masked number the device shows back is no new account)
        new = [
            v
            for name, v in card.extra
            if name == "X-CRM-IBAN" and v and v not in known and "*" not in v
        ]
        if new:
            self.env["res.partner.bank"].create(
                [{"partner_id": partner.commercial_partner_id.id, "acc_number": v} for v in new]
            )

    def _create_partner(self, card):
        """A card made on a device: a company (ORG only), or a person under the company
        named in ORG (found by name among the companies the user sees, or created), as
        prospects unless the card names roles."""
        Partner = self.env["res.partner"]
        importer = self.env["crm.vcard.import"]
        name = card.display_name
        self._check_values(card, Partner, name)
        roles, tags = self._tags_and_roles(card.categories)
        roles = roles or self.env.ref("crm_core.crm_partner_role_prospect")
        countries = importer._country_lookup()
        addresses = self._addresses_by_kind(card.addresses)
        # further numbers and addresses stay on the card as sent (not in the note)
        vals = importer._contact_vals(
            dataclasses.replace(card, phones=card.phones[:1], emails=card.emails[:1])
        )
        vals.update(
            importer._address_vals(addresses["main"], countries) if "main" in addresses else {}
        )
        vals["category_id"] = [Command.set(tags.ids)]
        company = Partner
        if card.kind != "org" and card.org:
            company = Partner.search(
                [("is_company", "=", True), ("name", "=ilike", card.org)], limit=1
            )
            if not company:
                company = Partner.create(
                    {"name": card.org, "is_company": True, "crm_role_ids": [Command.set(roles.ids)]}
                )
            vals["parent_id"] = company.id
        else:
            vals["crm_role_ids"] = [Command.set(roles.ids)]
        partner = Partner.create(vals)
        for address_kind, address in addresses.items():
            if address_kind != "main" and partner.is_company:
                Partner.create(
                    {
                        "parent_id": partner.id,
                        "type": address_kind,
                        **importer._address_vals(address, countries),
                    }
                )
        self._add_bank_accounts(partner, card, vcard_tools.Card())
        return partner

    def _dav_archive(self, kind, record):
        record.action_archive()
