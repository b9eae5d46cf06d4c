from odoo import fields, models

from ..tools import phone as phone_tools


class CrmTelephonyLine(models.Model):
    """One of the box's own numbers (MSN / SIP number) and the users who answer it."""

    _name = "crm.telephony.line"
    _description = "Telephone Line"
    _order = "box_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    number = fields.Char(
        required=True,
        help="The line's own number as the box reports it (e.g. 4445566 or 0351 4445566).",
    )
    box_id = fields.Many2one("crm.telephony.box", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="box_id.company_id", store=True, index=True)
    user_ids = fields.Many2many(
        "res.users",
        "crm_telephony_line_res_users_rel",
        "line_id",
        "user_id",
        string="Users",
        help="Who is notified of calls on this line; the first one gets missed calls.",
    )

    def _match(self, own_number):
        """The line of these whose number is `own_number` (the box writes it as configured,
        with or without area code or 'SIP:' labels)."""
        wanted = phone_tools.digits(own_number).lstrip("0")[::-1]
        for line in self:
            have = phone_tools.digits(line.number).lstrip("0")[::-1]
            if wanted and have and (wanted == have or phone_tools.suffix_matches(wanted, have)):
                return line
        return self.browse()
