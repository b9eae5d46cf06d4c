"""res.partner.bank: who sees complete account numbers.

Bank data is personal data. Users in the group "Complete Bank Account Numbers"
(crm_core.group_bank_account_number, which comes with Odoo's Invoicing group and so with
every accounting group, and which the SEPA groups give) see and search account numbers as
they are; everyone else sees them masked by iban.mask ("**** **** **** **** **30 00") -
in the partner form and the bank account list, in the name of an account wherever it is
shown (invoices, payments), in exports, and in the messages of the partner - and can look an
account up only by its complete number. The stored numbers and the code that works with
them (SEPA files, payment matching, document recognition) are not affected. See the
readme, "Who sees complete bank account numbers".
"""

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import iban as iban_tools

NUMBER_FIELDS = ("acc_number", "sanitized_acc_number")
GROUP = "crm_core.group_bank_account_number"
# conditions that only say whether a number is the one given (or is set)
EXACT_OPERATORS = ("=", "!=", "<>", "in", "not in")


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model
    def _crm_number_visible(self):
        """Whether the current user sees complete account numbers. The user counts, not
        sudo: Odoo computes names of linked records with sudo for everybody."""
        user = self.env.user
        return user._is_superuser() or user._has_group(GROUP)

    def _crm_shown_number(self):
        """The account number as the current user may see it."""
        self.ensure_one()
        if self._crm_number_visible():
            return self.acc_number
        return iban_tools.mask(self.acc_number)

    @api.model
    def _crm_refuse(self, field_name):
        raise AccessError(
            self.env._(
                "Only users who see complete bank account numbers (group %(group)s) can "
                "search, group or sort bank accounts by part of their %(field)s.",
                group=self.env.ref(GROUP).name,
                field=self._fields[field_name]._description_string(self.env),
            )
        )

    # ------------------------------------------------------------------------------------------
    # Reading: numbers and names masked
    # ------------------------------------------------------------------------------------------
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [name for name in NUMBER_FIELDS if name in fnames]
        if masked and not self._crm_number_visible():
            for values in result:
                for name in masked:
                    if values.get(name):
                        values[name] = iban_tools.mask(values[name])
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        lines = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        columns = [i for i, path in enumerate(fields) if path and path[0] in NUMBER_FIELDS]
        if columns and not self._crm_number_visible():
            for line in lines:
                for i in columns:
                    if line[i] and isinstance(line[i], str):
                        line[i] = iban_tools.mask(line[i])
        return lines

    @api.depends_context("uid")
    def _compute_display_name(self):
        super()._compute_display_name()
        if self._crm_number_visible():
            return
        for account in self:
            if account.acc_number and account.display_name:
                account.display_name = account.display_name.replace(
                    account.acc_number, iban_tools.mask(account.acc_number)
                )

    # ------------------------------------------------------------------------------------------
    # Searching, grouping and sorting: by the complete number only
    # ------------------------------------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self._crm_number_visible():
            for condition in Domain(domain).iter_conditions():
                name = condition.field_expr.split(".")[0]
                if name in NUMBER_FIELDS and condition.operator not in EXACT_OPERATORS:
                    self._crm_refuse(name)
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)

    @api.model
    def _search_display_name(self, operator, value):
        """Users who see masked numbers find accounts by holder, partner or bank name, or
        by the complete number."""
        if self._crm_number_visible() or not isinstance(value, str):
            return super()._search_display_name(operator, value)
        positive = operator not in Domain.NEGATIVE_OPERATORS
        like = operator if positive else Domain.NEGATIVE_OPERATORS.get(operator, operator)
        domain = (
            Domain("partner_id.name", like, value)
            | Domain("acc_holder_name", like, value)
            | Domain("bank_id.name", like, value)
        )
        number = iban_tools.normalise(value)
        if number:
            domain |= Domain("sanitized_acc_number", "=", number)
        return domain if positive else ~domain

    def _read_group_groupby(self, alias, groupby_spec, query):
        name = groupby_spec.split(":")[0].split(".")[0]
        if name in NUMBER_FIELDS and not self._crm_number_visible():
            self._crm_refuse(name)
        return super()._read_group_groupby(alias, groupby_spec, query)

    def _read_group_select(self, aggregate_spec, query):
        name = aggregate_spec.split(":")[0]
        if name in NUMBER_FIELDS and not self._crm_number_visible():
            self._crm_refuse(name)
        return super()._read_group_select(aggregate_spec, query)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name in NUMBER_FIELDS and not self._crm_number_visible():
            self._crm_refuse(field_name)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    # ------------------------------------------------------------------------------------------
    # Writing: a masked number written back is no change
    # ------------------------------------------------------------------------------------------
    def write(self, vals):
        number = vals.get("acc_number")
        if number and "*" in number and self and not self._crm_number_visible():
            if all(iban_tools.mask(account.acc_number) == number for account in self):
                vals = {key: value for key, value in vals.items() if key != "acc_number"}
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # Messages: the partner's chatter is read by everybody
    # ------------------------------------------------------------------------------------------
    def unlink(self):
        """Odoo (account) logs "Bank Account ... with number <number> archived" on the
        partner: logged here with the number masked, account's message left out."""
        for account in self.filtered("partner_id"):
            account.partner_id._message_log(
                body=self.env._(
                    "Bank Account %(link)s with number %(number)s archived",
                    link=account._get_html_link(title=f"#{account.id}"),
                    number=iban_tools.mask(account.acc_number),
                )
            )
        return super(ResPartnerBank, self.with_context(crm_bank_log_batch=True)).unlink()

    def _track_filter_for_display(self, tracking_values):
        return self.env["res.partner"]._crm_hide_number_tracking(
            super()._track_filter_for_display(tracking_values)
        )
