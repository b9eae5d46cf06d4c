import base64

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools import iban as iban_tools

from ...tools import pain


class CrmSepaBatch(models.Model):
    """The batch's file: written with sepaxml, validated against the XSD, downloaded."""

    _inherit = "crm.sepa.batch"

    def _write_file(self, lines, file_data):
        """Write, validate and store the batch's file. A file that does not validate is
        never offered: the whole batch creation is rolled back with the reason."""
        self.ensure_one()
        company = self.company_id
        journal = self.journal_id
        own = {
            "name": company.partner_id.name,
            "iban": journal.bank_account_id.sanitized_acc_number,
            "bic": journal.bank_account_id.bank_id.bic
            or iban_tools.bic(journal.bank_account_id.sanitized_acc_number),
        }
        payments = []
        for line, data in zip(lines, file_data, strict=True):
            payment = {
                "end_to_end_id": line["end_to_end_id"],
                "amount": line["amount_cents"],
                "iban": line["iban"],
                "bic": line["bic"],
                "name": data["name"],
                "description": data["description"],
            }
            if self.kind == "debit":
                payment |= {
                    "mandate_ref": data["mandate_ref"],
                    "mandate_date": data["mandate_date"],
                    "sequence_type": line["sequence_type"],
                    "collection_date": line["collection_date"],
                    "original_iban": line["original_iban"],
                    "smnda": line["amendment_smnda"],
                }
            else:
                payment["execution_date"] = line["collection_date"]
            payments.append(payment)
        try:
            if self.kind == "debit":
                content = pain.build_direct_debit(
                    own | {"creditor_id": company.crm_sepa_creditor_identifier},
                    payments,
                    version=self.version,
                    scheme=self.scheme,
                    batch_booking=self.batch_booking,
                    msg_id=self.name,
                )
            else:
                content = pain.build_credit_transfer(
                    own,
                    payments,
                    version=self.version,
                    batch_booking=self.batch_booking,
                    msg_id=self.name,
                )
        except pain.SepaFileError as exc:
            raise self._file_error(exc) from exc
        self.write(
            {
                "file": base64.b64encode(content),
                "filename": f"{self.name.replace('/', '-')}.xml",
            }
        )

    def action_download(self):
        """The URL of the batch's file (button; RPC clients read the `file` field)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/crm.sepa.batch/{self.id}/file/{self.filename}?download=true",
            "target": "download",
        }

    def action_validate_file(self):
        """Validate the stored file against its XSD again (button and RPC)."""
        for batch in self:
            try:
                pain.validate(base64.b64decode(batch.file), batch.version)
            except pain.SepaFileError as exc:
                raise batch._file_error(exc) from exc
        return True

    def _file_error(self, exc):
        """The user's error for a file that cannot be written or does not validate: the
        reason and the first XSD errors (line and message)."""
        return UserError(
            self.env._(
                "The SEPA file of batch %(name)s: %(error)s\n%(details)s",
                name=self.name,
                error=str(exc),
                details="\n".join(exc.errors),
            )
        )
