from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import matching, recognition
from .crm_scan_document import MANDATE_MODEL

MAX_NAME_LINES = 60
SUGGESTIONS = 5


class CrmScanDocument(models.Model):
    """Finding the customer: the identifiers recognised in the OCR text are looked up
    (one query per kind), partners ranked by their evidence, the best kept as the
    document's customer with ranked suggestions, and the document type chosen."""

    _inherit = "crm.scan.document"

    def _recognize(self):
        """Recognise identifiers in the OCR text, rank partners, choose the type."""
        self.ensure_one()
        text = self.ocr_text or ""
        found = recognition.extract(text)
        items, moves, mandates = self._collect_evidence(text, found)
        ranked = matching.rank(items)
        self.suggestion_ids.sudo().unlink()
        suggestions = [
            {
                "document_id": self.id,
                "partner_id": r["partner_id"],
                "score": r["score"],
                "sequence": index,
                "evidence": [{k: e[k] for k in ("kind", "value", "weight")} for e in r["evidence"]],
            }
            for index, r in enumerate(ranked[:SUGGESTIONS])
        ]
        self.env["crm.scan.suggestion"].sudo().create(suggestions)
        vals = {
            "recognized": {
                k: ([d.isoformat() for d in v] if k == "dates" else v)
                for k, v in found.items()
                if k != "numbers"
            },
            "score": matching.confidence(ranked),
            "document_date": found["dates"][0] if found["dates"] else False,
            "amount": max((a for a, _c in found["amounts"]), default=0.0),
            "mandate_ref": found["mandates"][0] if found["mandates"] else False,
        }
        if ranked:
            top = ranked[0]["partner_id"]
            vals["partner_id"] = top
            vals["move_id"] = moves.get(top, False)
            vals["mandate_record"] = (
                f"{MANDATE_MODEL},{mandates[top]}" if top in mandates else False
            )
        if not self.type_manual:
            vals["document_type_id"] = self.env["crm.scan.document.type"]._classify(text).id
        self._write_processing(vals)

    def _candidate_domain(self):
        """Partners this document may be filed to: of its company or shared, not one of
        our own companies."""
        own = self.env["res.company"].sudo().search([]).partner_id
        return Domain("company_id", "in", [False, self.company_id.id]) & Domain(
            "id", "not in", own.ids
        )

    def _collect_evidence(self, text, found):
        """Look every recognised value up (one query per kind) and return the evidence
        list for matching.rank(), {partner_id: invoice id} and {partner_id: mandate id}."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=True)
        allowed = self._candidate_domain()
        items = []
        moves = {}
        mandates = {}

        def add(partners, kind, value, similarity=1.0):
            for partner in partners:
                items.append(
                    matching.evidence(partner.commercial_partner_id.id, kind, value, similarity)
                )

        numbers = found["numbers_labelled"] + found["numbers"]
        if numbers:
            for number in (
                self.env["crm.partner.number"]
                .sudo()
                .search([("name", "in", numbers), ("company_id", "=", self.company_id.id)])
            ):
                kind = "number_labelled" if number.name in found["numbers_labelled"] else "number"
                add(number.partner_id, kind, number.name)
        if found["ibans"]:
            banks = (
                self.env["res.partner.bank"]
                .sudo()
                .search([("sanitized_acc_number", "in", found["ibans"])])
            )
            for bank in banks:
                add(bank.partner_id, "iban", bank.acc_number)
        variants = found["registrations"] + [r.replace(" ", "") for r in found["registrations"]]
        for kind, field, values in (
            ("vat", "vat", found["vats"]),
            ("registration", "company_registry", variants),
            ("email", "email_normalized", found["emails"]),
            ("phone", "phone_sanitized", found["phones"]),
        ):
            if values:
                for partner in Partner.search(Domain(field, "in", values) & allowed):
                    add(partner, kind, partner[field])
        for kind, records, links in (
            ("invoice", self._find_invoices(found["invoices"]), moves),
            ("mandate", self._find_mandates(found["mandates"]), mandates),
        ):
            for record in records:
                add(record.partner_id, kind, record.name)
                links.setdefault(record.partner_id.commercial_partner_id.id, record.id)
        # fuzzy name: trigram similarity of each text line with partner names
        for partner_id, line, similarity in self._name_candidates(text, allowed):
            items.append(matching.evidence(partner_id, "name", line, similarity))
        # address of the candidates found so far
        candidates = Partner.browse({i["partner_id"] for i in items}).exists()
        norm_text = recognition.normalize(text)
        for partner in candidates:
            sim = matching.address_similarity(norm_text, partner.street, partner.zip, partner.city)
            if sim >= 0.4:
                value = ", ".join(filter(None, [partner.street, partner.zip, partner.city]))
                items.append(matching.evidence(partner.id, "address", value, sim))
        own = set(self.env["res.company"].sudo().search([]).partner_id.ids)
        return [i for i in items if i["partner_id"] not in own], moves, mandates

    def _find_invoices(self, refs):
        """Invoices of this document's company named by the references on the page."""
        if not refs:
            return self.env["account.move"]
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "!=", "entry"),
                    "|",
                    ("name", "in", refs),
                    ("ref", "in", refs),
                ],
                limit=20,
            )
        )

    def _find_mandates(self, refs):
        """SEPA mandates of this document's company with a reference on the page (empty
        when SEPA billing is not installed)."""
        if not refs or MANDATE_MODEL not in self.env:
            return []
        return (
            self.env[MANDATE_MODEL]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("name", "in", refs)], limit=20)
        )

    def _name_candidates(self, text, allowed):
        """(commercial partner id, line, similarity) for lines of the text that look like
        a partner's name: pg_trgm similarity, served by the trigram index on the name."""
        lines = []
        for line in (text or "").splitlines():
            line = " ".join(line.split())
            if 4 <= len(line) <= 80 and sum(c.isalpha() for c in line) >= 4 and line not in lines:
                lines.append(line)
            if len(lines) >= MAX_NAME_LINES:
                break
        if not lines:
            return []
        query = (
            self.env["res.partner"]
            .sudo()
            ._search(
                allowed & Domain("is_company", "=", True)
                | allowed & Domain("parent_id", "=", False)
            )
        )
        self.env["res.partner"].flush_model(["name", "commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, l.line, max(p.sim)
                  FROM unnest(%(lines)s::text[]) AS l(line)
                 CROSS JOIN LATERAL (
                        SELECT res_partner.commercial_partner_id,
                               similarity(res_partner.name, l.line) AS sim
                          FROM res_partner
                         WHERE res_partner.name %% l.line
                           AND res_partner.id IN %(ids)s
                         ORDER BY sim DESC
                         LIMIT 5
                       ) p
                 WHERE p.sim >= 0.45
                 GROUP BY p.commercial_partner_id, l.line
                """,
                lines=lines,
                ids=query.subselect(),
            )
        )
        return [(pid, line, float(sim)) for pid, line, sim in rows]
