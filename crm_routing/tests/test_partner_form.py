"""The partner form offers one way to locate an address (issue 20: base_geolocalize's
"Compute based on address" competed with ours)."""

from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartnerFormLocate(TransactionCase):
    def test_one_locate_button(self):
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        form = etree.fromstring(arch)
        theirs = form.xpath("//button[@name='geo_localize']")
        self.assertTrue(theirs, "base_geolocalize's buttons are in the form")
        for button in theirs:
            container = button.xpath("ancestor-or-self::*[@invisible='1' or @invisible='True']")
            self.assertTrue(container, "base_geolocalize's locate button is hidden")
        ours = form.xpath("//button[@name='action_crm_geocode']")
        self.assertEqual(len(ours), 2, "Locate, and Locate Again once located")
