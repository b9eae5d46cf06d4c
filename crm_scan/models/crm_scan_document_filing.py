import datetime

from odoo import fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_escape


class CrmScanDocument(models.Model):
    """Filing: a document recognised with enough confidence, all of its pages read, is
    filed to its customer automatically; the others wait for review with the reason. A
    filed document is linked to the customer's chronicle (its searchable PDF, which only
    those who may read the document can open), to the recognised invoice and SEPA
    mandate."""

    _inherit = "crm.scan.document"

    def _auto_file(self):
        """File what may be filed automatically; the others wait for review with the
        reason."""
        threshold = self._get_threshold()
        for doc in self:
            if doc.unread_pages:
                reason = (
                    "unread_pages",
                    {"pages": doc.unread_pages, "count": doc.page_count},
                )
            elif not doc.partner_id:
                reason = ("no_partner", {})
            elif doc.score < threshold:
                reason = doc._low_confidence_reason(threshold)
            else:
                doc._file(doc.partner_id, auto=True)
                continue
            doc._write_processing(
                {"state": "needs_review", "reason_code": reason[0], "reason_args": reason[1]}
            )

    def _low_confidence_reason(self, threshold):
        """Why the best match is not filed automatically, as (code, args): the letter names
        another writer, gives another address, names a second partner as well, or says too
        little."""
        self.ensure_one()
        args = {
            "partner": self.partner_id.display_name,
            "score": round(self.score * 100),
            "threshold": round(threshold * 100),
        }
        suggestions = self.suggestion_ids.sorted("sequence")
        top = suggestions.filtered(lambda s: s.partner_id == self.partner_id)[:1]
        caps = {
            e["kind"]: e["value"]
            for e in top.evidence or []
            if e["kind"] in ("conflict", "elsewhere")
        }
        if "conflict" in caps:
            return "other_writer", dict(args, writer=caps["conflict"])
        if "elsewhere" in caps:
            return "elsewhere", dict(args, address=caps["elsewhere"])
        others = suggestions - top
        if others and self.score < top.score:
            return "runner_up", dict(args, other=others[0].partner_id.display_name)
        return "low_confidence", args

    def _file(self, partner, auto=False):
        """Link the document to the partner's chronicle (and to its invoice and mandate)
        and mark it filed."""
        self.ensure_one()
        if not partner:
            raise ValidationError(
                self.env._("Choose the customer of scanned document %(doc)s.", doc=self.name)
            )
        partner = partner.commercial_partner_id
        vals = {}
        move = self.move_id
        if move and move.commercial_partner_id != partner:
            vals["move_id"] = move = False
        mandate = self.sudo().mandate_record
        if mandate and mandate.partner_id.commercial_partner_id != partner:
            vals["mandate_record"] = mandate = False
        # the chronicle links the document's own searchable PDF (no copy: who may open it
        # is who may read the document); the invoice and the mandate get a copy
        derived = self.searchable_attachment_id or self.attachment_id
        Attachment = derived.sudo().with_context(image_no_postprocess=True)
        if move:
            Attachment.copy({"res_model": "account.move", "res_id": move.id})
        if mandate:
            Attachment.copy({"res_model": mandate._name, "res_id": mandate.id})
            mandate.message_post(
                body=self.env._("Scanned document %(doc)s filed to this mandate.", doc=self.name),
                subtype_xmlid="mail.mt_note",
            )
        user = self.create_uid if auto and self.create_uid.share is False else self.env.user
        days = int(self._get_number_param("resubmission_days", 0, 0, int))
        type_name = self.document_type_id.name or self.env._("Document")
        entry = (
            self.env["crm.chronicle.entry"]
            .with_company(self.company_id)
            .crm_log(
                partner,
                "scan",
                self.env._("Scanned %(type)s: %(name)s", type=type_name, name=self.name),
                body=self._chronicle_body(),
                source=self,
                user=user,
                attachment_ids=derived,
                resubmission_date=(
                    fields.Date.context_today(self) + datetime.timedelta(days=days)
                    if days > 0
                    else False
                ),
            )
        )
        self._write_processing(
            dict(
                vals,
                partner_id=partner.id,
                state="done",
                chronicle_entry_id=entry.id,
                filed_date=fields.Datetime.now(),
                filed_user_id=self.env.user.id if not auto else False,
                reason_code=False,
                reason_args=False,
            )
        )
        self.message_post(
            body=self.env._(
                "Filed to %(partner)s (%(how)s, confidence %(score)s%%).",
                partner=partner.display_name,
                how=self.env._("automatically") if auto else self.env._("by hand"),
                score=round(self.score * 100),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _chronicle_body(self):
        parts = [f"<p>{html_escape(self.document_type_id.name or '')}</p>"]
        if self.evidence_html:
            parts.append(self.evidence_html)
        return "".join(parts)
