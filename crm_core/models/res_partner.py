"""res.partner: creating and writing partners (the steps of each concern in their order).
The concerns of the customer record live in the other
res_partner_*.py files."""

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------------------------------
    # Creating and writing partners
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._crm_set_country_lang(vals_list)
        if any("crm_class_id" in vals for vals in vals_list):
            self._crm_check_class_access()
            for vals in vals_list:
                if vals.get("crm_class_id"):
                    vals.setdefault("crm_class_manual", True)
        partners = super().create(vals_list)
        partners._crm_unset_other_default_addresses()
        partners._crm_sync_roles_and_ranks()
        partners._crm_assign_numbers_by_rank()
        return partners

    def write(self, vals):
        old_classes = None
        # (the ABC analysis writes classes through the ORM with crm_abc: not by hand)
        if "crm_class_id" in vals and not self.env.context.get("crm_abc"):
            self._crm_check_class_access()
            vals = dict(vals, crm_class_manual=bool(vals["crm_class_id"]))
            old_classes = {partner.id: partner.crm_class_id for partner in self}
        result = super().write(vals)
        if old_classes is not None:
            self._crm_track_class_changes(old_classes)
        if vals.get("crm_is_default_address"):
            self._crm_unset_other_default_addresses()
        if {"customer_rank", "supplier_rank", "crm_role_ids"} & set(vals):
            self._crm_sync_roles_and_ranks()
        if vals.get("customer_rank") or vals.get("supplier_rank"):
            self._crm_assign_numbers_by_rank()
        return result

    # ------------------------------------------------------------------------------------------
    # The language of a new partner: its country's when none is given
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_set_country_lang(self, vals_list):
        """A new partner without a language and without a parent (a contact takes its
        parent's, as in Odoo) gets the language of its country when exactly one active
        language belongs to that country (DE: de_DE, CZ: cs_CZ; none for Switzerland with
        three). Every path creates through here: the form, imports, vCard and CardDAV, RPC."""
        langs = None
        for vals in vals_list:
            if vals.get("lang") or vals.get("parent_id") or not vals.get("country_id"):
                continue
            if langs is None:
                langs = self._crm_country_langs()
            country = self.env["res.country"].browse(vals["country_id"])
            if lang := langs.get(country.code):
                vals["lang"] = lang

    @api.model
    def _crm_country_langs(self):
        """{country code: the one active language of that country}, from the language codes
        (de_DE, cs_CZ); cached by Odoo (get_installed), no query."""
        codes = {}
        for code, _name in self.env["res.lang"].get_installed():
            country = code.partition("@")[0].rpartition("_")[2]
            if country:
                codes.setdefault(country.upper(), []).append(code)
        return {country: found[0] for country, found in codes.items() if len(found) == 1}

    @api.onchange("country_id")
    def _onchange_country_id_crm_lang(self):
        """In the form of a new partner: the language follows the country (the same rule as
        create; a language chosen after the country stays)."""
        if self._origin.id or self.parent_id or not self.country_id:
            return
        if lang := self._crm_country_langs().get(self.country_id.code):
            self.lang = lang

    # ------------------------------------------------------------------------------------------
    # Messages about bank accounts: created in a batch
    # ------------------------------------------------------------------------------------------
    def _message_log(self, **kwargs):
        """While res.partner.bank creates accounts in a batch (context crm_bank_log_batch),
        it logs "Bank Account ... created" for all of them at once: account's message per
        account is left out."""
        if self.env.context.get("crm_bank_log_batch"):
            return self.env["mail.message"]
        return super()._message_log(**kwargs)

    # ------------------------------------------------------------------------------------------
    # Changes of account numbers in the chatter
    # ------------------------------------------------------------------------------------------
    def _track_filter_for_display(self, tracking_values):
        """Changes of account numbers (logged on the partner by Odoo's accounting) show
        only to users who see complete numbers (res_partner_bank_privacy.py)."""
        return self._crm_hide_number_tracking(super()._track_filter_for_display(tracking_values))

    @api.model
    def _crm_hide_number_tracking(self, tracking_values):
        if self.env["res.partner.bank"]._crm_number_visible():
            return tracking_values
        return tracking_values.filtered(
            lambda tracking: not (
                tracking.field_id.model == "res.partner.bank"
                and tracking.field_id.name in ("acc_number", "sanitized_acc_number")
            )
        )
