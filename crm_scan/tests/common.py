import base64
import mimetypes
import os
import shutil
import tempfile
import time
from email.message import EmailMessage

from odoo.addons.base.tests.common import BaseCommon, new_test_user
from odoo.addons.crm_core.tools import state

from ..models.crm_scan_document import PROCESSING_FIELDS
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
    def make_documents(cls, vals_list):
        """Documents as the intake and the processing would leave them (a test's
        shortcut past the state guard)."""
        with state.changing(cls.env["crm.scan.document"], *PROCESSING_FIELDS):
            return cls.env["crm.scan.document"].create(vals_list)

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


class IntakeCommon(ScanCommon):
    """The four ways a file reaches crm_scan, driven as the outside world drives them."""

    PATHS = ("wizard", "rpc", "email", "folder")

    def setUp(self):
        super().setUp()
        self.folder = tempfile.mkdtemp(prefix="crm_scan_test_")
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.env["ir.config_parameter"].sudo().set_param("crm_scan.hot_folder", self.folder)

    def intake(self, path, files, user=None):
        """Hand ``files`` ({name: bytes}) in through ``path``; return the new documents in
        the order of ``files``."""
        user = user or self.user
        before = self.Doc.sudo().search([]).ids
        getattr(self, f"_intake_{path}")(files, user)
        self.env.invalidate_all()
        docs = self.Doc.sudo().search([("id", "not in", before)], order="id")
        by_name = {doc.attachment_id.name: doc for doc in docs}
        self.assertEqual(sorted(by_name), sorted(files), f"{path}: one document per file")
        return [by_name[name] for name in files]

    def _intake_wizard(self, files, user):
        # as the web client's upload dialog: /web/binary/upload_attachment creates the
        # attachments for the wizard, then the wizard's button
        env = self.env(user=user)
        attachments = env["ir.attachment"]
        for name, data in files.items():
            attachments |= env["ir.attachment"].create(
                {"name": name, "raw": data, "res_model": "crm.scan.upload", "res_id": 0}
            )
        wizard = env["crm.scan.upload"].create({"attachment_ids": [(6, 0, attachments.ids)]})
        wizard.action_upload()

    def _intake_rpc(self, files, user):
        # what the list view sends when files are dropped on it (and integrations over RPC)
        self.env(user=user)["crm.scan.document"].action_upload_files(
            [[name, base64.b64encode(data).decode()] for name, data in files.items()]
        )

    def _intake_email(self, files, user):
        msg = EmailMessage()
        msg["From"] = "Scanner <scanner@example.com>"
        msg["To"] = "scan@example.com"
        msg["Subject"] = "Scan"
        msg["Message-Id"] = f"<scan-{len(files)}-{id(files)}@example.com>"
        msg.set_content("Scanned.")
        for name, data in files.items():
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            maintype, subtype = mimetype.split("/")
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        self.env["mail.thread"].message_process("crm.scan.document", msg.as_bytes())

    def _intake_folder(self, files, user):
        old = time.time() - 60
        for name, data in files.items():
            path = os.path.join(self.folder, name)
            with open(path, "wb") as handle:
                handle.write(data)
            os.utime(path, (old, old))
        with self.enter_registry_test_mode():
            self.env.ref("crm_scan.ir_cron_crm_scan_hot_folder").sudo().method_direct_trigger()

    def run_processing(self):
        """The OCR cron as the scheduler runs it (own cursor, a commit after each step)."""
        with self.enter_registry_test_mode():
            self.env.ref("crm_scan.ir_cron_crm_scan_process").sudo().method_direct_trigger()
        self.env.invalidate_all()
