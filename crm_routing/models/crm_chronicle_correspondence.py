from odoo import api, fields, models
from odoo.tools import SQL


class CrmChronicleCorrespondence(models.Model):
    """Routes and visits in the customer's correspondence (crm_chronicle's hook): a stop
    at the customer is a visit once visited, else the route it is planned on."""

    _inherit = "crm.chronicle.correspondence"
    _depends = {
        "crm.route.stop": ["route_id", "partner_id", "state", "company_id", "user_id"],
        "crm.route": ["name", "date"],
    }

    kind = fields.Selection(selection_add=[("route", "Route"), ("visit", "Visit")])

    @api.model
    def _correspondence_sources(self):
        """One row per stop, opening its route; a visit's row stands for the chronicle
        entry that logs it (the entries of routes are linked to the route)."""
        return [
            *super()._correspondence_sources(),
            SQL(
                """
                SELECT s.id AS source_id,
                       CASE s.state WHEN 'visited' THEN 'visit' ELSE 'route' END AS kind,
                       %s AS date, r.name,
                       p.commercial_partner_id AS partner_id, r.user_id, s.company_id,
                       'crm.route' AS res_model, r.id AS res_id,
                       'crm.route.stop' AS doc_model, s.id AS doc_id
                  FROM crm_route_stop s
                  JOIN crm_route r ON r.id = s.route_id
                  JOIN res_partner p ON p.id = s.partner_id
                """,
                self._correspondence_moment(SQL("r.date"), SQL("s.create_date")),
            ),
        ]

    @api.model
    def _correspondence_logged_models(self):
        return super()._correspondence_logged_models() | {"crm.route"}
