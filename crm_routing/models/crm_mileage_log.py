from odoo import fields, models

from odoo.addons.crm_core.tools import sanitize


class CrmMileageLog(models.Model):
    """One line of the mileage logbook (Fahrtenbuch): date, route, km, purpose."""

    _name = "crm.mileage.log"
    _description = "Mileage Log Entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users", "Driver", required=True, default=lambda self: self.env.user, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    route_id = fields.Many2one("crm.route", check_company=True, index=True, ondelete="set null")
    stop_id = fields.Many2one("crm.route.stop", check_company=True, ondelete="set null")
    partner_id = fields.Many2one("res.partner", "Visited", check_company=True)
    origin = fields.Char("From")
    destination = fields.Char("To")
    distance = fields.Float("km", digits=(16, 1), required=True)
    purpose = fields.Char(required=True)

    _distance_positive = models.Constraint(
        "CHECK(distance >= 0)", "A mileage log entry cannot have negative kilometres."
    )

    def _logbook_rows(self):
        """These lines by date as the logbook prints them, free text sanitised."""
        return [
            {
                "line": line,
                "driver": sanitize.text(line.user_id.name),
                "route": sanitize.text(line.route_id.name),
                "origin": sanitize.text(line.origin),
                "destination": sanitize.text(line.destination),
                "purpose": sanitize.text(line.purpose),
            }
            for line in self.sorted(lambda line: (line.date, line.id))
        ]
