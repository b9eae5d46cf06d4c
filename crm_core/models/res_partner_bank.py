from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import iban as iban_tools
from ..tools import sanitize

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

    @api.model
    def _crm_typed_number(self, vals):
        """`vals` with the account number as typed or pasted cleaned (sanitize.typed), also
        when given as sanitized_acc_number (Odoo takes that for the number): an invisible
        character or an "IBAN:" label must not keep an IBAN from being recognised and
        checked."""
        if "sanitized_acc_number" in vals and "acc_number" not in vals:
            vals = dict(vals)
            vals["acc_number"] = vals.pop("sanitized_acc_number")
        if isinstance(vals.get("acc_number"), str):
            vals = dict(vals, acc_number=sanitize.typed(vals["acc_number"]) or False)
        return vals

    def _crm_prepare_iban(self, vals, partner, banks=None):
        """Validate and normalise the IBAN in `vals`, fill the bank from it; return vals.
        `banks` ({bic: res.bank}) saves the lookup of banks found before."""
        number = vals.get("acc_number")
        if not number or not iban_tools.looks_like_iban(number):
            return vals
        try:
            info = iban_tools.parse_iban(number)
        except iban_tools.IbanError as error:
            raise self._crm_iban_error(number, partner, error) from error
        vals = dict(vals, acc_number=info.formatted)
        if not vals.get("bank_id") and info.bic:
            bank = (banks or {}).get(info.bic) or self._crm_bank_from_bic(info)
            vals["bank_id"] = bank.id
        return vals

    def _crm_bank_from_bic(self, info):
        return self._crm_banks_from_bics([info])[info.bic]

    def _crm_banks_from_bics(self, infos):
        """{bic: res.bank} for the BICs of these IbanInfos: one search for all, one create
        for the banks not known yet."""
        Bank = self.env["res.bank"].sudo()
        wanted = {info.bic: info for info in infos if info.bic}
        if not wanted:
            return {}
        short = {bic: bic.removesuffix("XXX") if len(bic) == 11 else bic for bic in wanted}
        found = Bank.search_fetch(
            [("bic", "in", list({*wanted, *short.values()}))], ["bic"], order="id"
        )
        by_bic = {}
        for bank in found:
            by_bic.setdefault(bank.bic.upper(), bank)
        result = {}
        for bic in wanted:
            bank = by_bic.get(short[bic].upper()) or by_bic.get(bic.upper())
            if bank:
                result[bic] = bank
        missing = [info for bic, info in wanted.items() if bic not in result]
        if missing:
            codes = {info.country_code for info in missing}
            countries = {
                country.code: country
                for country in self.env["res.country"].search_fetch(
                    [("code", "in", list(codes))], ["code"]
                )
            }
            created = Bank.create(
                [
                    {
                        "name": info.bank_name or info.bic,
                        "bic": info.bic,
                        "country": countries.get(info.country_code, Bank.env["res.country"]).id,
                    }
                    for info in missing
                ]
            )
            result.update(zip((info.bic for info in missing), created, strict=True))
        return result

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        partners.fetch(["display_name"])
        vals_list = [self._crm_typed_number(vals) for vals in vals_list]
        banks = self._crm_banks_from_bics(self._crm_parse_ibans(vals_list))
        vals_list = [
            self._crm_prepare_iban(
                dict(vals), self.env["res.partner"].browse(vals.get("partner_id")), banks
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
        # Odoo (account) logs "Bank Account ... created" on the partner, one message (several
        # queries) per account: logged here in one batch instead (an import brings thousands)
        accounts = super(ResPartnerBank, self.with_context(crm_bank_log_batch=True)).create(
            vals_list
        )
        accounts = accounts.with_env(self.env)
        self._crm_log_created_accounts(accounts)
        return accounts

    def _crm_log_created_accounts(self, accounts):
        bodies = {}
        for account in accounts.filtered("partner_id"):
            message = self.env._(
                "Bank Account %s created", account._get_html_link(title=f"#{account.id}")
            )
            partner_id = account.partner_id.id
            bodies[partner_id] = (
                Markup("<br/>").join([bodies[partner_id], message])
                if partner_id in bodies
                else message
            )
        if bodies:
            self.env["res.partner"].browse(list(bodies))._message_log_batch(bodies)

    @api.model
    def _crm_parse_ibans(self, vals_list):
        """The IbanInfos of the valid IBANs in vals_list that need a bank (errors are
        raised later, naming the partner)."""
        infos = []
        for vals in vals_list:
            number = vals.get("acc_number")
            if vals.get("bank_id") or not number or not iban_tools.looks_like_iban(number):
                continue
            try:
                infos.append(iban_tools.parse_iban(number))
            except iban_tools.IbanError:
                continue
        return infos

    def write(self, vals):
        vals = self._crm_typed_number(vals)
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
                            account=account._crm_shown_number(),
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
            # (logged in the customer's event log like any change of an account)
            self.env["crm.partner.event"]._logged_write(
                previous, {field: False}, super(ResPartnerBank, previous).write
            )
            previous.flush_recordset([field])
