from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import iban as iban_tools

USAGES = ("incoming", "outgoing", "direct_debit")


class ResPartnerBank(models.Model):
    """Bank accounts of the customer record (issue 3, capability 4): IBANs validated and
    normalised with schwifty, bank and BIC filled from the IBAN, usages with one default
    account per usage and partner."""

    _inherit = "res.partner.bank"

    # the normalised account number is what payment matching and duplicate detection look up
    sanitized_acc_number = fields.Char(index=True)

    crm_use_incoming = fields.Boolean(
        "Incoming", help="The partner pays us from this account (transfers we receive)."
    )
    crm_use_outgoing = fields.Boolean("Outgoing", help="We pay the partner to this account.")
    crm_use_direct_debit = fields.Boolean(
        "Direct Debit", help="We collect from this account by SEPA direct debit."
    )
    crm_default_incoming = fields.Boolean("Default for Incoming", copy=False)
    crm_default_outgoing = fields.Boolean("Default for Outgoing", copy=False)
    crm_default_direct_debit = fields.Boolean("Default for Direct Debit", copy=False)

    _crm_one_default_incoming = models.UniqueIndex(
        "(partner_id) WHERE crm_default_incoming AND active",
        "A partner has one default account for incoming payments.",
    )
    _crm_one_default_outgoing = models.UniqueIndex(
        "(partner_id) WHERE crm_default_outgoing AND active",
        "A partner has one default account for outgoing payments.",
    )
    _crm_one_default_direct_debit = models.UniqueIndex(
        "(partner_id) WHERE crm_default_direct_debit AND active",
        "A partner has one default account for direct debits.",
    )

    # ------------------------------------------------------------------------------------------
    # IBAN validation and normalisation
    # ------------------------------------------------------------------------------------------
    def _crm_iban_error(self, number, partner, error):
        reasons = {
            "checksum": self.env._("the check digits do not match"),
            "length": self.env._("it has the wrong length for its country"),
            "country": self.env._("its country code is unknown"),
            "structure": self.env._("its bank or account code is malformed"),
        }
        return ValidationError(
            self.env._(
                "The IBAN %(iban)s of %(partner)s is invalid: %(reason)s.",
                iban=number,
                partner=partner.display_name or self.env._("a new partner"),
                reason=reasons.get(error.code, str(error)),
            )
        )

    def _crm_prepare_iban(self, vals, partner):
        """Validate and normalise the IBAN in `vals`, fill the bank from it; return vals."""
        number = vals.get("acc_number")
        if not number or not iban_tools.looks_like_iban(number):
            return vals
        try:
            info = iban_tools.parse_iban(number)
        except iban_tools.IbanError as error:
            raise self._crm_iban_error(number, partner, error) from error
        vals = dict(vals, acc_number=info.formatted)
        if not vals.get("bank_id") and info.bic:
            vals["bank_id"] = self._crm_bank_from_bic(info).id
        return vals

    def _crm_bank_from_bic(self, info):
        Bank = self.env["res.bank"].sudo()
        bic = info.bic.removesuffix("XXX") if len(info.bic) == 11 else info.bic
        bank = Bank.search(["|", ("bic", "=ilike", bic), ("bic", "=ilike", info.bic)], limit=1)
        if not bank:
            country = self.env["res.country"].search([("code", "=", info.country_code)], limit=1)
            bank = Bank.create(
                {
                    "name": info.bank_name or info.bic,
                    "bic": info.bic,
                    "country": country.id,
                }
            )
        return bank

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        partners.fetch(["display_name"])
        vals_list = [
            self._crm_prepare_iban(
                dict(vals), self.env["res.partner"].browse(vals.get("partner_id"))
            )
            for vals in vals_list
        ]
        for vals in vals_list:
            self._crm_default_implies_usage(vals)
        for usage in USAGES:
            self._crm_unset_defaults(
                usage,
                [v["partner_id"] for v in vals_list if v.get(f"crm_default_{usage}")],
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("acc_number"):
            for account in self:
                account._crm_prepare_iban(vals, account.partner_id)
            vals = self._crm_prepare_iban(vals, self[:1].partner_id)
        vals = self._crm_default_implies_usage(dict(vals))
        for usage in USAGES:
            if vals.get(f"crm_default_{usage}"):
                partner_ids = [vals["partner_id"]] if vals.get("partner_id") else None
                self._crm_unset_defaults(usage, partner_ids or self.partner_id.ids, self.ids)
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # Usages and defaults
    # ------------------------------------------------------------------------------------------
    @api.onchange("crm_default_incoming", "crm_default_outgoing", "crm_default_direct_debit")
    def _onchange_crm_default(self):
        for usage in USAGES:
            if self[f"crm_default_{usage}"]:
                self[f"crm_use_{usage}"] = True

    @api.constrains(*(f"crm_{kind}_{usage}" for kind in ("use", "default") for usage in USAGES))
    def _check_crm_default_has_usage(self):
        labels = {
            usage: self._fields[f"crm_use_{usage}"]._description_string(self.env)
            for usage in USAGES
        }
        for account in self:
            for usage in USAGES:
                if account[f"crm_default_{usage}"] and not account[f"crm_use_{usage}"]:
                    raise ValidationError(
                        self.env._(
                            "Bank account %(account)s of %(partner)s is the default for "
                            "%(usage)s but not marked for that usage.",
                            account=account.acc_number,
                            partner=account.partner_id.display_name,
                            usage=labels[usage],
                        )
                    )

    @api.model
    def _crm_default_implies_usage(self, vals):
        for usage in USAGES:
            if vals.get(f"crm_default_{usage}"):
                vals[f"crm_use_{usage}"] = True
        return vals

    def _crm_unset_defaults(self, usage, partner_ids, keep_ids=()):
        """Before an account becomes the default for `usage`, the partner's previous
        default stops being it (one default per usage and partner)."""
        if not partner_ids:
            return
        field = f"crm_default_{usage}"
        previous = self.search(
            [("partner_id", "in", partner_ids), (field, "=", True), ("id", "not in", keep_ids)]
        )
        if previous:
            super(ResPartnerBank, previous).write({field: False})
            previous.flush_recordset([field])
