from odoo.tests import tagged

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestTypesAcrossUninstall(ChronicleCommon):
    """A feature addon's chronicle types outlive its uninstall while logged entries use them
    (released from the addon), and are its own again when it is installed again (adopted)."""

    def setUp(self):
        super().setUp()
        Type = self.env["crm.chronicle.type"]
        self.used = Type.create({"name": "Used Type", "code": "uninstall_used"})
        self.unused = Type.create({"name": "Unused Type", "code": "uninstall_unused"})
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": "crm_feature_test.type_used", "record": self.used, "noupdate": True},
                {"xml_id": "crm_feature_test.type_unused", "record": self.unused},
            ]
        )
        self.Entry.crm_log(self.customer, "uninstall_used", "Logged by the feature addon")

    def test_release_then_adopt(self):
        Type = self.env["crm.chronicle.type"]
        released = Type._crm_release_used_types("crm_feature_test")
        self.assertEqual(released, self.used)
        self.assertFalse(self.env.ref("crm_feature_test.type_used", raise_if_not_found=False))
        # the unused type stays the addon's: its uninstall deletes it
        self.assertEqual(self.env.ref("crm_feature_test.type_unused"), self.unused)

        Type._crm_adopt_kept_types(
            "crm_feature_test", {"type_used": "uninstall_used", "type_missing": "no_such_code"}
        )
        self.assertEqual(self.env.ref("crm_feature_test.type_used"), self.used)
        self.assertFalse(self.env.ref("crm_feature_test.type_missing", raise_if_not_found=False))
