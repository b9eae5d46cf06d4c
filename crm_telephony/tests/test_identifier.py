from odoo.tests import tagged

from odoo.addons.crm_core.tools.boundary import ArgumentError

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestPartnerIdentifier(TelephonyCase):
    def _values(self, partner):
        return sorted(partner.crm_identifier_ids.mapped("value"))

    def test_maintained_on_create_write(self):
        self.assertEqual(self._values(self.customer), ["+493514445566"])
        self.assertEqual(self._values(self.contact), ["+491712345678", "+493514445577"])
        self.customer.phone = "0049 (0)351-4445599"
        self.assertEqual(self._values(self.customer), ["+493514445599"])
        self.customer.phone = False
        self.assertFalse(self.customer.crm_identifier_ids)
        # the partner's own country decides numbers written without country code
        czech = self.env["res.partner"].create(
            {
                "name": "Brno s.r.o.",
                "phone": "601 123 456",
                "country_id": self.env.ref("base.cz").id,
            }
        )
        self.assertEqual(self._values(czech), ["+420601123456"])

    def test_lookup_caller_mixed_formats(self):
        Partner = self.env["res.partner"].with_user(self.user)
        for number in ("+49 351 4445566", "03514445566", "0049 (0)351-4445566", "004935144455 66"):
            result = Partner.lookup_caller(number)
            self.assertTrue(result, number)
            self.assertEqual(result["partner_id"], self.customer.id, number)
            self.assertEqual(result["name"], "Elbe Maschinenbau GmbH")
        result = Partner.lookup_caller("0171/2345678")
        self.assertEqual(result["partner_id"], self.contact.id)
        self.assertEqual(result["company_name"], "Elbe Maschinenbau GmbH")
        self.assertFalse(Partner.lookup_caller("+49 30 9999999"))
        self.assertFalse(Partner.lookup_caller("**610"))
        with self.assertRaisesRegex(ArgumentError, "lookup_caller: the argument number must"):
            Partner.lookup_caller("")

    def test_contact_person_preferred_over_company(self):
        self.contact.phone = "0351 4445566"  # same number as the company's switchboard
        result = self.env["res.partner"].lookup_caller("+493514445566")
        self.assertEqual(result["partner_id"], self.contact.id)
        self.assertEqual(set(result["candidates"]), {self.contact.id, self.customer.id})

    def test_suffix_fallback_for_numbers_without_area_code(self):
        local = self.env["res.partner"].create({"name": "Bäckerei Nord", "phone": "488 77 66"})
        self.assertEqual(local.crm_identifier_ids.value_rev, "6677884")
        result = self.env["res.partner"].lookup_caller("+49 351 4887766")
        self.assertEqual(result["partner_id"], local.id)
        self.assertFalse(self.env["res.partner"].lookup_caller("+49 351 4887765"))

    def test_record_rules_apply_to_lookup(self):
        other = self.env["res.company"].create({"name": "Other GmbH"})
        self.customer.company_id = self.env.company
        stranger = self.env["res.users"].create(
            {
                "name": "Stranger",
                "login": "tel_stranger2",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "group_ids": [(6, 0, self.env.ref("crm_core.group_user").ids)],
            }
        )
        self.assertEqual(
            self.env["res.partner"].with_user(self.user).lookup_caller("03514445566")["partner_id"],
            self.customer.id,
        )
        self.assertFalse(self.env["res.partner"].with_user(stranger).lookup_caller("03514445566"))

    def test_batch_sync_constant_queries(self):
        partners = self.env["res.partner"].create(
            [{"name": f"P{i}", "phone": f"0351 55{i:05d}"} for i in range(200)]
        )
        self.assertEqual(len(partners.crm_identifier_ids), 200)
        Identifier = self.env["crm.partner.identifier"]
        # SELECT, DELETE, INSERT: the same for 2 and for 200 partners
        self.env.flush_all()
        with self.assertQueryCount(3):
            Identifier._sync_partners(partners[:2].ids)
        with self.assertQueryCount(3):
            Identifier._sync_partners(partners.ids)
        self.assertEqual(Identifier.search_count([("partner_id", "in", partners.ids)]), 200)

    def test_rebuild_all(self):
        self.env.cr.execute("DELETE FROM crm_partner_identifier")
        self.env["crm.partner.identifier"]._rebuild_all()
        self.assertEqual(
            self.env["res.partner"].lookup_caller("0351 4445566")["partner_id"], self.customer.id
        )
