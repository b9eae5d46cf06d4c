import base64

from odoo.tests import HttpCase, tagged

from . import pages


@tagged("post_install", "-at_install")
class TestScanTour(HttpCase):
    def test_upload_tour(self):
        partner = {
            "name": "Tour Scan Kunde GmbH",
            "street": "Birkenallee 7",
            "zip": "04109",
            "city": "Leipzig",
            "email": "post@tour-scan.de",
            "phone": "+49 341 998877",
        }
        customer = self.env["res.partner"].create(dict(partner, is_company=True))
        self.env["crm.partner.number"].create(
            {"partner_id": customer.id, "kind": "debtor", "name": "77123"}
        )
        self.env["ir.config_parameter"].sudo().set_param("crm_scan.languages", "deu+eng")
        image = pages.render_page(
            pages.letter(partner, "77123", "DE02 1203 0000 0000 2020 51"), height=900, noise=0.005
        )
        # the tour takes the scan from here, as if it came from the user's disk
        attachment = self.env["ir.attachment"].create(
            {"name": "tour_scan.png", "datas": base64.b64encode(pages.to_png(image)),
             "public": True}
        )  # fmt: skip
        self.env["ir.model.data"].create(
            {"module": "crm_scan", "name": "tour_scan_image", "model": "ir.attachment",
             "res_id": attachment.id}
        )  # fmt: skip
        self.start_tour("/odoo/action-crm_scan.crm_scan_document_action", "crm_scan_tour",
                        login="admin", timeout=300)  # fmt: skip
        doc = self.env["crm.scan.document"].search([("name", "=", "tour_scan")])
        self.assertEqual(doc.state, "done")
        self.assertEqual(doc.partner_id, customer)
        self.assertEqual(doc.document_type_id.code, "invoice")
        self.assertEqual(doc.chronicle_entry_id.partner_id, customer)
