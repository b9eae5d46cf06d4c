import base64

from odoo.addons.base.tests.common import BaseCommon, new_test_user

from . import pages


class ScanCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Doc = cls.env["crm.scan.document"]
        cls.user = new_test_user(cls.env, login="scan_user", groups="crm_core.group_user")
        cls.manager = new_test_user(cls.env, login="scan_mgr", groups="crm_core.group_manager")
        cls.customer_data = {
            "name": "Müller Bau GmbH",
            "street": "Lindenweg 12",
            "zip": "80331",
            "city": "München",
            "email": "info@mueller-bau.de",
            "phone": "+49 89 1234567",
        }
        cls.customer = cls.env["res.partner"].create(
            dict(cls.customer_data, is_company=True, country_id=cls.env.ref("base.de").id)
        )
        cls.env["crm.partner.number"].create(
            {"partner_id": cls.customer.id, "kind": "debtor", "name": "10042"}
        )
        cls.env["res.partner.bank"].create(
            {"partner_id": cls.customer.id, "acc_number": "DE47 3704 0044 0532 0130 77"}
        )
        # a look-alike in another town: the fuzzy name alone must not decide
        cls.lookalike = cls.env["res.partner"].create(
            {
                "name": "Müller Bau KG",
                "is_company": True,
                "street": "Am Markt 3",
                "zip": "01067",
                "city": "Dresden",
            }
        )
        cls.env["ir.config_parameter"].sudo().set_param("crm_scan.languages", "deu+eng")

    @classmethod
    def letter_png(cls, partner=None, number="10042", iban="DE47 3704 0044 0532 0130 77",
                   subject="Rechnung", extra=(), **kwargs):  # fmt: skip
        image = pages.render_page(
            pages.letter(partner or cls.customer_data, number, iban, subject, extra),
            height=kwargs.pop("height", 900),
            **kwargs,
        )
        return pages.to_png(image)

    @classmethod
    def upload(cls, files, user=None, process_now=False):
        env = cls.env(user=user) if user else cls.env
        attachments = env["ir.attachment"].create(
            [
                {"name": name, "datas": base64.b64encode(data), "res_model": "crm.scan.upload"}
                for name, data in files
            ]
        )
        wizard = env["crm.scan.upload"].create(
            {"attachment_ids": [(6, 0, attachments.ids)], "process_now": process_now}
        )
        action = wizard.action_upload()
        if action.get("res_id"):
            return env["crm.scan.document"].browse(action["res_id"])
        return env["crm.scan.document"].search(action["domain"], order="id")
