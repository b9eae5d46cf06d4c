"""res.partner: the partner's identifiers - what a person types or pastes into them is
cleaned before it is stored, and their normalised forms (crm.partner.identifier) are kept
up to date."""

import re

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import email_normalize

from ..tools import iban as iban_tools
from ..tools import phone_identifier as phone_tools
from ..tools import sanitize
from ..tools.boundary import Int, Selection, Str, public

LOOKUP_KINDS = ("phone", "email", "vat", "iban", "debtor", "creditor", "ref")
# what a phone number typed into a search looks like: digits and the usual separators
_PHONE_TEXT = re.compile(r"^\+?[\d\s/().-]+$")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_identifier_ids = fields.One2many(
        "crm.partner.identifier", "partner_id", string="Identifiers", groups="crm_core.group_user"
    )
    # the search box: a number typed in any spelling ("0351 4445566", "+49 (351) 444 55 66")
    # finds the partner whose phone is stored in another one (the search view's Name search)
    crm_phone_search = fields.Char(
        "Phone Number (any spelling)", store=False, search="_search_crm_phone"
    )

    def _search_crm_phone(self, operator, value):
        """Partners with a phone number denoting `value` (crm.partner.identifier's lookup:
        exact E.164 match, else the trailing digits). A text that is no phone number (letters,
        fewer than six digits) matches nothing, so that the field can be OR-ed into the name
        search."""
        if operator not in ("ilike", "=", "in"):
            return NotImplemented
        values = value if operator == "in" else [value]
        region = (self.env.company.country_id.code or "DE").upper()
        Identifier = self.env["crm.partner.identifier"].sudo()
        ids = set()
        for text in values:
            if isinstance(text, str):
                text = sanitize.typed(text, sanitize.LABELS["phone"])
            if not text or not _PHONE_TEXT.match(text):
                continue
            if len(phone_tools.digits(text)) < phone_tools.MIN_MATCH_DIGITS:
                continue
            ids.update(Identifier._lookup_phone(text, region, limit=200))
        if not ids:
            return Domain.FALSE
        # a contact person's number finds its company too (the Customers list shows those)
        self.env.cr.execute(
            "SELECT DISTINCT commercial_partner_id FROM res_partner"
            " WHERE id = ANY(%s) AND commercial_partner_id IS NOT NULL",
            [sorted(ids)],
        )
        ids.update(row[0] for row in self.env.cr.fetchall())
        return Domain("id", "in", sorted(ids))

    # ------------------------------------------------------------------------------------------
    # Typed values cleaned
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_identifier_fields(self):
        """{field name: kind (a key of sanitize.LABELS, or None)} of the partner fields that
        hold identifiers the suite validates, matches or looks up (VAT id, phone number,
        e-mail, debtor and creditor numbers, reference). Their values pass sanitize.typed
        on every way in (form, import, vCard, RPC): an invisible character or a label
        pasted with the value would otherwise slip past every check and lookup. Addons add
        their fields (super() plus theirs)."""
        return {
            "vat": "vat",
            "phone": "phone",
            "email": "email",
            "ref": None,
            "crm_debtor_number": None,
            "crm_creditor_number": None,
        }

    @api.model
    def _crm_clean_identifiers(self, vals):
        """`vals` with the identifier values cleaned (see _crm_identifier_fields)."""
        cleaned = {
            name: sanitize.typed(vals[name], sanitize.LABELS.get(kind)) or False
            for name, kind in self._crm_identifier_fields().items()
            if isinstance(vals.get(name), str)
        }
        return {**vals, **cleaned} if cleaned else vals

    # ------------------------------------------------------------------------------------------
    # Public API: finding partners by an identifier
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        value=Str(max_len=256),
        kind=Selection(LOOKUP_KINDS),
        region=Str(max_len=2, required=False),
        limit=Int(minimum=1, maximum=200, required=False),
    )
    def crm_find_partners(self, value, kind, region=False, limit=20):
        """The ids of the partners the caller may read whose identifier of `kind` is
        `value`, in any spelling: "phone" (any format; `region`: ISO country code for
        numbers without one, default the company's country), "email", "vat", "iban"
        (the complete number), "debtor" or "creditor" (number in the current company),
        "ref". Best matches first, at most `limit`."""
        value = sanitize.typed(value, sanitize.LABELS.get(kind))
        if not value:
            return []
        if kind == "phone":
            region = (region or self.env.company.country_id.code or "DE").upper()
            ids = self.env["crm.partner.identifier"].sudo()._lookup_phone(value, region, limit)
            return self.browse(ids)._filtered_access("read").ids
        if kind == "iban":
            number = iban_tools.normalise(value)
            domain = [("bank_ids.sanitized_acc_number", "=", number)]
        elif kind == "email":
            domain = [("email_normalized", "=", email_normalize(value) or value)]
        elif kind == "vat":
            domain = [("vat", "=ilike", value)]
            compact = "".join(value.split()).upper()
            domain = ["|", *domain, ("vat", "=ilike", compact)]
        elif kind in ("debtor", "creditor"):
            domain = [(f"crm_{kind}_number", "=ilike", value)]
        else:
            domain = [("ref", "=ilike", value)]
        return self.search(domain, limit=limit, order="is_company desc, id").ids

    # ------------------------------------------------------------------------------------------
    # Normalised identifiers kept up to date
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._crm_clean_identifiers(vals) for vals in vals_list]
        partners = super().create(vals_list)
        Identifier = self.env["crm.partner.identifier"]
        watched = Identifier._partner_source_fields()
        if any(watched & set(vals) for vals in vals_list):
            Identifier._sync_partners_soon(partners.ids)
        return partners

    def write(self, vals):
        result = super().write(self._crm_clean_identifiers(vals))
        Identifier = self.env["crm.partner.identifier"]
        if Identifier._partner_source_fields() & set(vals) or "country_id" in vals:
            Identifier._sync_partners_soon(self.ids)
        return result
