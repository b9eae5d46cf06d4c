from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import sanitize

KINDS = [("debtor", "Debtor"), ("creditor", "Creditor")]


class CrmPartnerNumber(models.Model):
    """A debtor or creditor number of a partner in one company."""

    _name = "crm.partner.number"
    _description = "Debtor / Creditor Number"
    _order = "company_id, kind, name"
    _check_company_auto = True

    name = fields.Char("Number", required=True, index=True)
    kind = fields.Selection(KINDS, required=True, default="debtor")
    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _unique_number = models.Constraint(
        "UNIQUE(company_id, kind, name)",
        "A debtor or creditor number must be unique per company.",
    )
    _unique_partner = models.Constraint(
        "UNIQUE(partner_id, company_id, kind)",
        "A partner has one debtor and one creditor number per company.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        numbers = super().create([self._clean_name(vals) for vals in vals_list])
        Event = self.env["crm.partner.event"]
        Event._log(Event._number_changes({}, numbers._crm_event_keys()))
        return numbers

    def write(self, vals):
        if not {"name", "kind", "partner_id", "company_id"} & set(vals):
            return super().write(self._clean_name(vals))
        before = self._crm_event_keys()
        result = super().write(self._clean_name(vals))
        Event = self.env["crm.partner.event"]
        Event._log(Event._number_changes(before, self._crm_event_keys()))
        return result

    def unlink(self):
        before = self._crm_event_keys()
        result = super().unlink()
        Event = self.env["crm.partner.event"]
        Event._log(Event._number_changes(before, {}))
        return result

    def _crm_event_keys(self):
        """{(partner id, company id, kind): number} of these numbers, for the customer's
        event log (crm.partner.event._number_changes)."""
        return {
            (number.partner_id.id, number.company_id.id, number.kind): number.name
            for number in self.sudo()
        }

    @api.model
    def _clean_name(self, vals):
        """The number as typed or pasted, without invisible characters or surrounding
        blanks (sanitize.typed): "10001" with a zero-width space is "10001"."""
        if isinstance(vals.get("name"), str):
            vals = dict(vals, name=sanitize.typed(vals["name"]) or False)
        return vals

    @api.constrains("name", "kind", "company_id")
    def _check_unique_name(self):
        """Say which partner holds a number already. Reads the table without flushing
        these records, so it speaks before the SQL constraint (which backs it up)."""
        self.env.cr.execute(
            SQL(
                "SELECT name, kind, company_id, partner_id FROM crm_partner_number"
                " WHERE name IN %s AND company_id IN %s AND id NOT IN %s",
                tuple(self.mapped("name")),
                tuple(self.company_id.ids),
                tuple(self.ids),
            )
        )
        taken = {
            (name, kind, company): partner
            for name, kind, company, partner in self.env.cr.fetchall()
        }
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for number in self:
            other = taken.get((number.name, number.kind, number.company_id.id))
            if other:
                raise ValidationError(
                    self.env._(
                        "%(kind)s number %(number)s of %(partner)s is already used by "
                        "%(other)s in company %(company)s.",
                        kind=kinds[number.kind],
                        number=number.name,
                        partner=number.partner_id.display_name,
                        other=self.env["res.partner"].browse(other).display_name,
                        company=number.company_id.name,
                    )
                )
