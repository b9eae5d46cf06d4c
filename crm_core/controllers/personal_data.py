from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request


class PersonalData(http.Controller):
    @http.route(
        "/crm_core/personal_data/<int:partner_id>", type="http", auth="user", methods=["GET"]
    )
    def personal_data(self, partner_id, **kwargs):
        """The GDPR data export of a customer as one zip archive (CRM managers; see
        res_partner_personal_data.py). An unknown customer, or one the user may not read
        (another company's), is a 404 - the same answer, naming nothing -, a user who may
        not export a customer he reads a 403 with the reason. A contact person's or an
        address's id exports its customer (the commercial entity), archived ones included."""
        partners = request.env["res.partner"].with_context(active_test=False)
        partner = partners.browse(partner_id).exists() if 0 < partner_id < 2**31 else partners
        if not partner or not partner._filtered_access("read"):
            raise request.not_found()
        try:
            filename, content = partner._crm_personal_data_file()
        except (AccessError, MissingError) as error:
            raise Forbidden(str(error.args[0] if error.args else error)) from None
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @http.route(
        ["/crm_core/personal_data", "/crm_core/personal_data/<path:anything>"],
        type="http",
        auth="user",
        methods=["GET"],
    )
    def personal_data_no_customer(self, anything=None, **kwargs):
        """What is no customer id ("abc", "-1", "1.5", a NUL byte ...): a 404 here, not
        Odoo's fallback for unknown paths (which looks the path up as a stored file and
        answers a NUL byte with a 500)."""
        raise request.not_found()
