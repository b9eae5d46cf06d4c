import base64

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.crm_core.tools import iban as iban_tools
from odoo.addons.crm_core.tools.boundary import one_record

from ...tools import pain


class CrmSepaBatch(models.Model):
    """The batch's file: written with sepaxml (free text through the EPC layer), validated
    against the XSD before the batch exists, downloaded, validated again."""

    _inherit = "crm.sepa.batch"

    @api.model
    def _file_content(self, company, kind, name, version, scheme, batch_booking, lines):
        """The batch's file, written and validated before the batch exists: (content,
        skipped). Free text passes crm_core's EPC layer in tools/pain.py; a payment the file
        cannot carry is left out (pain.Skipped), the others are written. content is None
        when no payment is left. Raises pain.SepaFileError for what concerns the whole file
        (the company's own name, account or creditor identifier)."""
        journal = company._crm_sepa_journal()
        own_iban = journal.bank_account_id.sanitized_acc_number
        own = {
            "name": company.partner_id.name,
            "iban": own_iban,
            "bic": journal.bank_account_id.bank_id.bic or iban_tools.bic(own_iban),
        }
        payments = []
        for line in lines:
            payment = {
                "end_to_end_id": line["end_to_end_id"],
                "amount": line["amount_cents"],
                "iban": line["iban"],
                "bic": line["bic"],
                "name": line["_name"],
                "description": line["_description"],
            }
            if kind == "debit":
                payment |= {
                    "mandate_ref": line["_mandate_ref"],
                    "mandate_date": line["_mandate_date"],
                    "sequence_type": line["sequence_type"],
                    "collection_date": line["collection_date"],
                    "original_iban": line["original_iban"],
                    "smnda": line["amendment_smnda"],
                }
            else:
                payment["execution_date"] = line["collection_date"]
            payments.append(payment)
        if kind == "debit":
            return pain.direct_debit_file(
                own | {"creditor_id": company.crm_sepa_creditor_identifier},
                payments,
                version=version,
                scheme=scheme,
                batch_booking=batch_booking,
                msg_id=name,
            )
        return pain.credit_transfer_file(
            own, payments, version=version, batch_booking=batch_booking, msg_id=name
        )

    @api.model
    def _skip_message(self, move, problem):
        """Why a payment was left out of the file, for the user (translated)."""
        payment = problem.payment
        if problem.reason == "name":
            return self.env._(
                "%(inv)s: the name %(name)s has no character of the SEPA character set "
                "(Latin letters, digits, / - ? : ( ) . , ' +); spell it in Latin letters.",
                inv=move.name,
                name=payment.get("name"),
            )
        if problem.reason == "mandate_ref":
            return self.env._(
                "%(inv)s: the mandate reference %(ref)s does not follow the SEPA rules.",
                inv=move.name,
                ref=payment.get("mandate_ref"),
            )
        if problem.reason == "mandate_date":
            return self.env._(
                "%(inv)s: mandate %(ref)s has no signature date before the collection date.",
                inv=move.name,
                ref=payment.get("mandate_ref"),
            )
        if problem.reason == "amount":
            return self.env._(
                "%(inv)s: SEPA carries amounts from 0.01 to 999,999,999.99 EUR.", inv=move.name
            )
        return self.env._(
            "%(inv)s cannot be written into the SEPA file: %(reason)s",
            inv=move.name,
            reason=problem.detail,
        )

    @api.model
    def _file_level_error(self, company, exc):
        """What keeps a whole file from being written, for each of its invoices."""
        return self.env._(
            "The SEPA file of %(company)s cannot be written: %(error)s %(details)s",
            company=company.name,
            error=str(exc),
            details=" ".join(exc.errors),
        ).strip()

    @one_record
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
