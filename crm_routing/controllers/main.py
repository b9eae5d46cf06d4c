from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request


class CrmRoutingController(http.Controller):
    @http.route("/crm_routing/gpx/<int:route_id>", type="http", auth="user", methods=["GET"])
    def route_gpx(self, route_id):
        route = request.env["crm.route"].browse(route_id).exists()
        if not route:
            raise NotFound()
        route.check_access("read")
        data = route._gpx_data()
        filename = f"{route.name} {route.date}.gpx".replace("/", "-")
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/gpx+xml; charset=utf-8"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
