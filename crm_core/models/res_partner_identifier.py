"""res.partner: the partner's identifiers - what a person types or pastes into them is
cleaned before it is stored, and their normalised forms (crm.partner.identifier) are kept
up to date."""

from odoo import api, fields, models

from ..tools import sanitize


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_identifier_ids = fields.One2many(
        "crm.partner.identifier", "partner_id", string="Identifiers"
    )

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
    # Normalised identifiers kept up to date
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._crm_clean_identifiers(vals) for vals in vals_list]
        partners = super().create(vals_list)
        Identifier = self.env["crm.partner.identifier"]
        watched = Identifier._partner_source_fields()
        if any(watched & set(vals) for vals in vals_list):
            Identifier._sync_partners(partners.ids)
        return partners

    def write(self, vals):
        result = super().write(self._crm_clean_identifiers(vals))
        Identifier = self.env["crm.partner.identifier"]
        if Identifier._partner_source_fields() & set(vals) or "country_id" in vals:
            Identifier._sync_partners(self.ids)
        return result
