from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.crm_core.tools import iban as iban_tools
from odoo.addons.crm_core.tools import sanitize
from odoo.addons.crm_core.tools.boundary import Str, one_record, public

from ...tools import fastpath_rows
from .res_company import SCHEMES

MANDATE_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
    ("closed", "Closed"),
]
SEQUENCE_TYPES = [
    ("FRST", "First"),
    ("RCUR", "Recurring"),
    ("FNAL", "Final"),
    ("OOFF", "One-off"),
]
EXPIRY_MONTHS = 36


class CrmSepaMandate(models.Model):
    """A SEPA direct debit mandate signed by a customer for one of its bank accounts."""

    _name = "crm.sepa.mandate"
    _description = "SEPA Direct Debit Mandate"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.state.mixin"]
    _order = "signature_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id"]

    name = fields.Char(
        "Mandate Reference",
        required=True,
        copy=False,
        default="/",
        tracking=True,
        help="Unique per creditor; taken from the sequence, editable while the mandate is a draft.",
    )
    partner_id = fields.Many2one(
        "res.partner", "Debtor", required=True, index=True, tracking=True, ondelete="restrict"
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    bank_account_id = fields.Many2one(
        "res.partner.bank",
        "Debtor Bank Account",
        required=True,
        ondelete="restrict",
        tracking=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    # complete account numbers only for those who may see them (crm_core's "Complete Bank
    # Account Numbers"); everyone else sees the bank account's masked name
    iban = fields.Char(
        related="bank_account_id.sanitized_acc_number",
        string="IBAN",
        groups="crm_core.group_bank_account_number",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    creditor_identifier = fields.Char(related="company_id.crm_sepa_creditor_identifier")
    signature_date = fields.Date(tracking=True)
    scheme = fields.Selection(
        SCHEMES,
        required=True,
        tracking=True,
        default=lambda self: self.env.company.crm_sepa_default_scheme or "CORE",
    )
    mandate_type = fields.Selection(
        [("recurrent", "Recurrent"), ("oneoff", "One-off")],
        "Type",
        required=True,
        default="recurrent",
        tracking=True,
    )
    sequence_type = fields.Selection(
        SEQUENCE_TYPES,
        "Next Sequence Type",
        compute="_compute_sequence_type",
        store=True,
        readonly=False,
        tracking=True,
        help="Kept automatically: first, then recurring after the first debit was sent; "
        "final for the last debit of a recurrent mandate; one-off for one-off mandates.",
    )
    last_debit_date = fields.Date(readonly=True, copy=False)
    state = fields.Selection(
        MANDATE_STATES, default="draft", required=True, tracking=True, copy=False, index=True
    )
    scan = fields.Binary("Signed Mandate", attachment=True, copy=False)
    scan_filename = fields.Char(copy=False)
    original_iban = fields.Char(
        "Original Debtor IBAN",
        copy=False,
        readonly=True,
        groups="crm_core.group_bank_account_number",
        help="Set when the debtor account changed after activation: the next debit reports "
        "the amendment and clears it.",
    )
    amendment_smnda = fields.Boolean(
        "New Debtor Bank",
        copy=False,
        readonly=True,
        help="The account moved to another bank: the amendment says SMNDA.",
    )
    line_ids = fields.One2many("crm.sepa.batch.line", "mandate_id", "Debits", readonly=True)
    debit_count = fields.Integer(compute="_compute_debit_count")
    revocation_reason = fields.Char(copy=False, tracking=True)

    _unique_reference = models.Constraint(
        "UNIQUE(company_id, name)",
        "A mandate reference must be unique per creditor.",
    )
    # what only the actions and the debits write (crm.state.mixin)
    _action_fields = ("state", "last_debit_date", "original_iban", "amendment_smnda")

    @api.depends("mandate_type")
    def _compute_sequence_type(self):
        for mandate in self:
            if mandate.mandate_type == "oneoff":
                mandate.sequence_type = "OOFF"
            elif mandate.sequence_type in (False, "OOFF"):
                mandate.sequence_type = "FRST"

    def _compute_debit_count(self):
        counts = dict(
            self.env["crm.sepa.batch.line"]._read_group(
                [("mandate_id", "in", self.ids)], ["mandate_id"], ["__count"]
            )
        )
        for mandate in self:
            mandate.debit_count = counts.get(mandate, 0)

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for mandate in self:
            mandate.display_name = (
                f"{mandate.name} ({mandate.partner_id.name})"
                if mandate.partner_id
                else mandate.name
            )

    # ------------------------------------------------------------------------------------------
    # Access: a user sees the mandates of the partners he can see
    # ------------------------------------------------------------------------------------------
    # (An ir.rule cannot say this: rule domains are evaluated as superuser, so a condition
    # on partner_id never applies the partner's own rules.)
    @api.model
    def _search(
        self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False
    ):
        if not self.env.su and not bypass_access:
            visible = self.env["res.partner"].with_context(active_test=False)._search([])
            domain = Domain(domain) & Domain("partner_id", "in", visible)
        return super()._search(
            domain,
            offset=offset,
            limit=limit,
            order=order,
            active_test=active_test,
            bypass_access=bypass_access,
        )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not any(self._ids):
            return result
        partners = self.sudo().partner_id
        hidden = partners - partners.with_env(self.env)._filtered_access("read")
        if hidden:
            forbidden = self.sudo().filtered(lambda m: m.partner_id in hidden).with_env(self.env)
            return forbidden, lambda: AccessError(
                self.env._(
                    "You cannot access the SEPA mandates of %(partner)s.",
                    partner=hidden[0].sudo().display_name,
                )
            )
        return None

    # ------------------------------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------------------------------
    @api.constrains("bank_account_id", "partner_id")
    def _check_bank_account(self):
        for mandate in self:
            bank = mandate.bank_account_id
            if bank.partner_id.commercial_partner_id != mandate.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Mandate %(ref)s: the bank account %(account)s does not belong to "
                        "%(partner)s (field Debtor Bank Account).",
                        ref=mandate.name,
                        account=bank.display_name,
                        partner=mandate.partner_id.display_name,
                    )
                )
            problem = iban_tools.sepa_problem(bank.sanitized_acc_number)
            if problem:
                raise ValidationError(
                    self.env._(
                        "Mandate %(ref)s: the debtor account %(account)s cannot be used for "
                        "SEPA direct debits: %(problem)s (field Debtor Bank Account).",
                        ref=mandate.name,
                        account=bank.display_name,
                        problem=problem,
                    )
                )

    @api.constrains("name")
    def _check_reference(self):
        for mandate in self:
            if mandate.name == "/":
                continue
            # the EPC rules of identifiers: its character set, at most 35 characters, no
            # "/" at the start or the end, no "//"
            if sanitize.identifier(mandate.name, spaces=True) != mandate.name:
                raise ValidationError(
                    self.env._(
                        "Mandate reference %(ref)s: at most 35 characters of the SEPA "
                        "character set (letters, digits, + ? / - : ( ) . , ' and space), "
                        "neither starting nor ending with / and without //.",
                        ref=mandate.name,
                    )
                )

    @api.constrains("signature_date", "state")
    def _check_signature_date(self):
        today = fields.Date.context_today(self)
        for mandate in self:
            if mandate.signature_date and mandate.signature_date > today:
                raise ValidationError(
                    self.env._(
                        "Mandate %(ref)s: the signature date cannot be in the future.",
                        ref=mandate.name,
                    )
                )
            if mandate.state == "active" and not mandate.signature_date:
                raise ValidationError(
                    self.env._(
                        "Mandate %(ref)s is active: it needs its signature date (field "
                        "Signature Date).",
                        ref=mandate.name,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("bank_account_id"):
                raise ValidationError(
                    self.env._(
                        "Mandate %(ref)s: a mandate needs the debtor's bank account with its "
                        "IBAN (field Debtor Bank Account).",
                        ref=vals.get("name") or "/",
                    )
                )
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("crm.sepa.mandate")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals and any(m.state != "draft" and m.name != vals["name"] for m in self):
            raise UserError(
                self.env._("The reference of an active or ended mandate cannot change.")
            )
        if "bank_account_id" in vals:
            new_bank = self.env["res.partner.bank"].browse(vals["bank_account_id"])
            for mandate in self.filtered(lambda m: m.state == "active"):
                mandate._record_amendment(
                    mandate.bank_account_id.sanitized_acc_number, new_bank.sanitized_acc_number
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for mandate in self:
            if mandate.state != "draft" or mandate.line_ids:
                raise UserError(
                    self.env._(
                        "Mandate %(ref)s was used or activated: revoke or close it instead "
                        "of deleting it.",
                        ref=mandate.name,
                    )
                )

    # ------------------------------------------------------------------------------------------
    # Amendments
    # ------------------------------------------------------------------------------------------
    def _record_amendment(self, old_iban, new_iban):
        """Remember the account the debtor used before, for the next debit. When the IBAN
        changes twice before a debit, the bank still knows the first one."""
        self.ensure_one()
        if not old_iban or old_iban == new_iban:
            return
        original = self.sudo().original_iban or old_iban
        if original == new_iban:
            # back to the account the bank knows: nothing to report any more
            self.sudo()._write_state({"original_iban": False, "amendment_smnda": False})
            return
        self.sudo()._write_state(
            {
                "original_iban": original,
                "amendment_smnda": iban_tools.bank_key(original) != iban_tools.bank_key(new_iban),
            }
        )
        self.message_post(
            body=self.env._(
                "Debtor account changed from %(old)s to %(new)s: the next debit reports the "
                "amendment.",
                old=iban_tools.mask(old_iban),
                new=iban_tools.mask(new_iban),
            )
        )

    # ------------------------------------------------------------------------------------------
    # Actions (buttons and RPC): the only way the state changes
    # ------------------------------------------------------------------------------------------
    def _state_actions(self):
        return self.env._("Activate, Revoke, Close")

    def action_activate(self):
        """Activate draft mandates: they need a signature date and a SEPA IBAN."""
        for mandate in self:
            if mandate.state != "draft":
                raise UserError(self.env._("Mandate %(ref)s is not a draft.", ref=mandate.name))
            if not mandate.signature_date:
                raise ValidationError(
                    self.env._(
                        "Mandate %(ref)s: set the signature date before activating it.",
                        ref=mandate.name,
                    )
                )
        self._write_state({"state": "active"})
        # the customer's open invoices of the mandate's company are now paid by direct
        # debit: a consequence of the activation the user may do (checked above), also for
        # a CRM user without accounting rights
        self.env["account.move"].sudo().search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "in", ("draft", "posted")),
                ("payment_state", "in", ("not_paid", "partial")),
                ("crm_sepa_direct_debit", "=", False),
            ]
        ).crm_sepa_direct_debit = True
        return True

    @public(reason=Str(max_len=256, required=False))
    def action_revoke(self, reason=False):
        """Revoke draft or active mandates (the debtor withdrew it); `reason`: optional
        text kept on the mandate."""
        self.filtered(lambda m: m.state in ("draft", "active"))._write_state(
            {"state": "revoked", "revocation_reason": reason or False}
        )
        return True

    def action_close(self):
        """Close active mandates (no more debits)."""
        self.filtered(lambda m: m.state == "active")._write_state({"state": "closed"})
        return True

    def action_set_final(self):
        """The next debit of this recurrent mandate is its last one."""
        for mandate in self:
            if mandate.mandate_type != "recurrent" or mandate.state != "active":
                raise UserError(
                    self.env._(
                        "Mandate %(ref)s: only an active recurrent mandate has a final debit.",
                        ref=mandate.name,
                    )
                )
            mandate.sequence_type = "FNAL"
        return True

    @one_record
    def action_view_debits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Debits of %(ref)s", ref=self.name),
            "res_model": "crm.sepa.batch.line",
            "view_mode": "list,form",
            "domain": [("mandate_id", "=", self.id)],
        }

    # ------------------------------------------------------------------------------------------
    # Debits sent / returned
    # ------------------------------------------------------------------------------------------
    def _debit_sent(self, collection_dates):
        """Called when debits of these mandates were sent to the bank (batch confirmed):
        FRST becomes RCUR, FNAL and OOFF close the mandate, a reported amendment is done.
        collection_dates: {mandate id: date}. Written for all at once (a batch of 10,000
        debits has 10,000 mandates; tools/fastpath_rows.write). The chatter does not track
        these changes: the debits are listed on the mandate and logged in the customer's
        chronicle."""
        if not self:
            return
        self.fetch(["last_debit_date", "sequence_type", "state"])
        values = {}
        for mandate in self:
            date = collection_dates.get(mandate.id)
            sequence_type, state = mandate.sequence_type, mandate.state
            if sequence_type == "FRST":
                sequence_type = "RCUR"
            elif sequence_type in ("FNAL", "OOFF"):
                state = "closed"
            values[mandate] = {
                "last_debit_date": max(
                    filter(None, [mandate.last_debit_date, date]), default=False
                ),
                "sequence_type": sequence_type,
                "state": state,
                "original_iban": False,
                "amendment_smnda": False,
            }
        fastpath_rows.write(values, orm_context={"tracking_disable": True}, method="_write_state")

    # ------------------------------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------------------------------
    @api.model
    def _cron_expire(self, batch_size=1000):
        """Expire active mandates with no debit for 36 months (SEPA rulebook): counted
        from the last debit, or from the signature when never used."""
        limit = fields.Date.context_today(self) - relativedelta(months=EXPIRY_MONTHS)
        domain = [
            ("state", "=", "active"),
            "|",
            ("last_debit_date", "<", limit),
            "&",
            ("last_debit_date", "=", False),
            ("signature_date", "<", limit),
        ]
        while True:
            mandates = self.search(domain, limit=batch_size)
            if not mandates:
                break
            mandates._write_state({"state": "expired"})
            if self.env.context.get("cron_id"):  # commit per batch only inside the cron
                self.env["ir.cron"]._commit_progress(len(mandates))
        return True

    # ------------------------------------------------------------------------------------------
    # Printable form
    # ------------------------------------------------------------------------------------------
    def _form_texts(self):
        """The texts of the printable mandate form in the debtor's language: German, Czech,
        or English for everyone else (the SEPA rulebook's standard wording)."""
        self.ensure_one()
        creditor = self.company_id.partner_id.name
        lang = (self.partner_id.lang or self.env.lang or "en").split("_")[0]
        texts = FORM_TEXTS.get(lang, FORM_TEXTS["en"])
        return {key: value.format(creditor=creditor) for key, value in texts.items()}


FORM_TEXTS = {
    "en": {
        "title": "SEPA Direct Debit Mandate",
        "creditor": "Creditor",
        "creditor_id": "Creditor identifier",
        "reference": "Mandate reference",
        "type": "Type of payment",
        "recurrent": "Recurrent payment",
        "oneoff": "One-off payment",
        "body": "By signing this mandate form, you authorise (A) {creditor} to send "
        "instructions to your bank to debit your account and (B) your bank to debit your "
        "account in accordance with the instructions from {creditor}. As part of your rights, "
        "you are entitled to a refund from your bank under the terms and conditions of your "
        "agreement with your bank. A refund must be claimed within 8 weeks starting from the "
        "date on which your account was debited.",
        "b2b": "This mandate is only intended for business-to-business transactions. You are "
        "not entitled to a refund from your bank after your account has been debited.",
        "debtor": "Debtor (account holder)",
        "place_date": "Place and date",
        "signature": "Signature",
    },
    "de": {
        "title": "SEPA-Lastschriftmandat",
        "creditor": "Zahlungsempfänger",
        "creditor_id": "Gläubiger-Identifikationsnummer",
        "reference": "Mandatsreferenz",
        "type": "Zahlungsart",
        "recurrent": "Wiederkehrende Zahlung",
        "oneoff": "Einmalige Zahlung",
        "body": "Ich ermächtige / Wir ermächtigen (A) {creditor}, Zahlungen von meinem / "
        "unserem Konto mittels Lastschrift einzuziehen. Zugleich (B) weise ich mein / weisen "
        "wir unser Kreditinstitut an, die von {creditor} auf mein / unser Konto gezogenen "
        "Lastschriften einzulösen. Hinweis: Ich kann / Wir können innerhalb von acht Wochen, "
        "beginnend mit dem Belastungsdatum, die Erstattung des belasteten Betrages verlangen. "
        "Es gelten dabei die mit meinem / unserem Kreditinstitut vereinbarten Bedingungen.",
        "b2b": "Dieses Mandat dient nur dem Einzug von Lastschriften, die auf Konten von "
        "Unternehmen gezogen sind. Ich bin / Wir sind nicht berechtigt, nach der erfolgten "
        "Einlösung eine Erstattung des belasteten Betrages zu verlangen.",
        "debtor": "Zahlungspflichtiger (Kontoinhaber)",
        "place_date": "Ort, Datum",
        "signature": "Unterschrift",
    },
    "cs": {
        "title": "Mandát k inkasu SEPA",
        "creditor": "Věřitel",
        "creditor_id": "Identifikátor věřitele",
        "reference": "Reference mandátu",
        "type": "Druh platby",
        "recurrent": "Opakovaná platba",
        "oneoff": "Jednorázová platba",
        "body": "Podpisem tohoto mandátu opravňujete (A) {creditor} zasílat vaší bance pokyny "
        "k inkasu z vašeho účtu a (B) vaši banku inkasovat z vašeho účtu v souladu s pokyny "
        "{creditor}. V rámci svých práv máte nárok na vrácení platby od své banky za podmínek "
        "vaší smlouvy s bankou. O vrácení je nutné požádat do 8 týdnů ode dne, kdy byla částka "
        "z vašeho účtu odepsána.",
        "b2b": "Tento mandát je určen pouze pro platby mezi podniky. Po odepsání částky z "
        "vašeho účtu nemáte nárok na její vrácení.",
        "debtor": "Dlužník (majitel účtu)",
        "place_date": "Místo a datum",
        "signature": "Podpis",
    },
}
