from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_core.tools.boundary import one_record


class CrmChronicleReportWizard(models.TransientModel):
    """Print a customer's chronicle for a period."""

    _name = "crm.chronicle.report.wizard"
    _description = "Print Chronicle"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    date_from = fields.Date("From", required=True, default=lambda self: self._default_from())
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    include_contacts = fields.Boolean(
        "Include Contact Persons",
        default=True,
        help="A company's chronicle with the entries of its contact persons.",
    )

    @api.model
    def _default_from(self):
        today = fields.Date.context_today(self)
        return today.replace(month=1, day=1)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._(
                        "Chronicle of %(partner)s: the period starts (%(start)s) after it "
                        "ends (%(end)s).",
                        partner=wizard.partner_id.display_name,
                        start=wizard.date_from,
                        end=wizard.date_to,
                    )
                )

    @one_record
    def action_print(self):
        self.ensure_one()
        return self.env.ref("crm_chronicle.crm_chronicle_report_action").report_action(
            self.partner_id,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
                "include_contacts": self.include_contacts,
            },
        )
