import phonenumbers
from stdnum.eu import vat as eu_vat

from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import layout, letter, matching, recognition
from .crm_scan_document import MANDATE_MODEL

MAX_NAME_CANDIDATES = 80
NAME_RETRIEVAL = 0.3  # pg_trgm similarity from which a partner name is compared in Python
NAME_EVIDENCE = 0.6  # name similarity from which a name is evidence
SUGGESTIONS = 5
OUR_DOCUMENTS = ("out_invoice", "out_refund")


class CrmScanDocument(models.Model):
    """Finding the customer: the page's layout says which side of the letter speaks for
    the other party (tools/letter.py); what stands there is looked up (one query per
    kind), our own names and identifiers left out; partners are ranked by their
    evidence (tools/matching.py), the best kept as the document's customer with ranked
    suggestions, every piece of evidence shown with where it stood; the document type is
    chosen by keywords."""

    _inherit = "crm.scan.document"

    def _recognize(self):
        """Recognise the other party of the letter, rank partners, choose the type."""
        self.ensure_one()
        text = self.ocr_text or ""
        own = self._own_identity()
        analysis = letter.analyse(text, self.layout or [], own)
        items, moves, mandates, writers, elsewhere = self._collect_evidence(
            analysis, own["partner_ids"]
        )
        ranked = matching.rank(items, writers, elsewhere)
        self.suggestion_ids.sudo().unlink()
        self.env["crm.scan.suggestion"].sudo().create(
            [
                {
                    "document_id": self.id,
                    "partner_id": r["partner_id"],
                    "score": r["score"],
                    "sequence": index,
                    "evidence": [
                        {k: e[k] for k in ("kind", "value", "weight", "zone") if k in e}
                        for e in r["evidence"]
                    ]
                    + self._cap_evidence(r, analysis),
                }
                for index, r in enumerate(ranked[:SUGGESTIONS])
            ]
        )
        found = recognition.extract(text)
        recognized = {
            k: ([d.isoformat() for d in v] if k == "dates" else v)
            for k, v in found.items()
            if k != "numbers"
        }
        recognized.update(direction=analysis["direction"], ours=analysis["ours"])
        vals = {
            "recognized": recognized,
            "score": matching.confidence(ranked),
            "document_date": found["dates"][0] if found["dates"] else False,
            "amount": max((a for a, _c in found["amounts"]), default=0.0),
            "mandate_ref": found["mandates"][0] if found["mandates"] else False,
            "partner_id": False,
            "move_id": False,
            "mandate_record": False,
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
            vals["type_manual"] = False
        self._write_processing(vals)

    def _cap_evidence(self, ranked, analysis):
        """What keeps a ranked partner below the filing threshold, shown with its evidence
        (weight 0): the letter names another writer; the letter gives another address."""
        items = []
        if ranked["conflict"]:
            writers = ", ".join(analysis["party"]["writers"])
            items.append({"kind": "conflict", "value": writers, "weight": 0})
        if ranked["elsewhere"]:
            partner = self.env["res.partner"].sudo().browse(ranked["partner_id"])
            stored = ", ".join(filter(None, [partner.street, partner.zip, partner.city]))
            items.append({"kind": "elsewhere", "value": stored, "weight": 0})
        return items

    # ------------------------------------------------------------------ who we are
    def _own_partners(self):
        """Our companies' partners, their contacts and the partners of our users: never a
        party of a scanned letter."""
        companies = self.env["res.company"].sudo().search([])
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", companies.partner_id.ids)])
        )
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("share", "=", False)])
        )
        return companies, contacts | companies.partner_id, users

    def _own_identity(self):
        """Our names, staff and identifiers, normalised as the recognition finds them (see
        tools/letter.py)."""
        companies, contacts, users = self._own_partners()
        people = contacts.filtered(lambda p: not p.is_company) | users.partner_id
        banks = self.env["res.partner.bank"].sudo().search([("partner_id", "in", contacts.ids)])
        emails = {e for e in (contacts | users.partner_id).mapped("email_normalized") if e}
        domains = {e.split("@")[-1] for e in emails}
        domains |= set(recognition.find_domains(" ".join(filter(None, contacts.mapped("website")))))
        domains -= recognition.FREE_MAIL
        phones = {p for p in (contacts | users.partner_id).mapped("phone_sanitized") if p}
        for company in companies:
            if company.phone:
                try:
                    number = phonenumbers.parse(company.phone, company.country_id.code or "DE")
                    phones.add(
                        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    )
                except phonenumbers.NumberParseException:
                    pass
        vats = set()
        for vat in filter(None, contacts.mapped("vat")):
            try:
                vats.add(eu_vat.compact(vat))
            except Exception:  # noqa: BLE001 - a malformed VAT id of ours is simply unused
                vats.add(recognition.compact(vat))
        registrations = set()
        for registry in filter(None, contacts.mapped("company_registry")):
            registrations |= set(recognition.find_registrations(registry)) | {registry.strip()}
        return {
            "names": sorted(
                set(companies.mapped("name")) | set(companies.partner_id.mapped("name"))
            ),
            "staff": sorted(set(people.mapped("name")) | set(users.mapped("name"))),
            "ibans": {b.sanitized_acc_number for b in banks if b.sanitized_acc_number},
            "vats": vats,
            "registrations": registrations,
            "phones": phones,
            "emails": emails,
            "domains": domains,
            "partner_ids": set(contacts.ids) | set(users.partner_id.ids),
            "addresses": [
                (c.street, c.zip, c.city) for c in companies.partner_id if c.street or c.zip
            ],
        }

    def _candidate_domain(self, own_partner_ids):
        """Partners this document may be filed to: of its company or shared; not our
        companies, their contacts or our users."""
        return Domain("company_id", "in", [False, self.company_id.id]) & Domain(
            "id", "not in", sorted(own_partner_ids)
        )

    # ------------------------------------------------------------------ evidence
    def _collect_evidence(self, analysis, own_ids):
        """Look what the letter says about its party up (one query per kind) and return
        the evidence for matching.rank(), {partner_id: invoice id}, {partner_id: mandate
        id} and the ids of the partners whose name is the writer's (None when the letter
        names no writer)."""
        allowed = self._candidate_domain(own_ids)
        items = []

        def add(partners, kind, value, zone, similarity=1.0):
            for partner in partners:
                commercial = partner.commercial_partner_id.id
                if commercial not in own_ids and partner.id not in own_ids:
                    items.append(matching.evidence(commercial, kind, value, similarity, zone))

        for zone, found in (
            ("party", analysis["party"]["found"]),
            ("body", analysis["body"]["found"]),
        ):
            self._identifier_evidence(found, zone, allowed, add)
        moves, mandates = self._reference_evidence(analysis, add)
        # names: where the party is named, and (confirming only) in the text
        for zone, kind, names in (
            ("party", "name", analysis["party"]["names"]),
            ("body", "name_text", analysis["body"]["names"]),
        ):
            for partner_id, name, similarity in self._name_candidates(names, allowed):
                items.append(matching.evidence(partner_id, kind, name, similarity, zone))
        candidates = (
            self.env["res.partner"].sudo().browse({i["partner_id"] for i in items}).exists()
        )
        address_items, elsewhere = self._address_evidence(candidates, analysis["party"]["text"])
        items += address_items
        writers = None
        names = analysis["party"]["writers"]
        if names:
            writers = {
                partner.id
                for partner in candidates
                if max(matching.name_similarity(partner.name, w) for w in names)
                >= matching.NAME_MATCH
            }
        return items, moves, mandates, writers, elsewhere

    def _identifier_evidence(self, found, zone, allowed, add):
        """IBANs, VAT ids, register numbers, e-mails, phones and web domains found in a
        zone: one query per kind."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=True)
        if found["ibans"]:
            banks = (
                self.env["res.partner.bank"]
                .sudo()
                .search([("sanitized_acc_number", "in", found["ibans"])])
            )
            for bank in banks:
                add(bank.partner_id, "iban", bank.acc_number, zone)
        variants = found["registrations"] + [r.replace(" ", "") for r in found["registrations"]]
        for kind, field, values in (
            ("vat", "vat", found["vats"]),
            ("registration", "company_registry", variants),
            ("email", "email_normalized", found["emails"]),
            ("phone", "phone_sanitized", found["phones"]),
        ):
            if values:
                for partner in Partner.search(Domain(field, "in", values) & allowed):
                    add(partner, kind, partner[field], zone)
        domains = found["domains"][:5]
        if domains:
            domain = Domain.OR(
                Domain("email_normalized", "=like", f"%@{name}")
                | Domain("website", "=ilike", f"%{name}%")
                for name in domains
            )
            for partner in Partner.search(allowed & domain, limit=20):
                text = f"{partner.email_normalized or ''} {partner.website or ''}".lower()
                for name in domains:
                    if name in text:
                        add(partner, "domain", name, zone)

    def _reference_evidence(self, analysis, add):
        """Our debtor/creditor numbers, our invoices and SEPA mandates the letter refers to;
        returns {partner_id: invoice id} and {partner_id: mandate id}."""
        moves, mandates = {}, {}
        numbers = dict(analysis["numbers"])
        if numbers:
            kinds = {"party": "number_labelled", "confirm": "number", "token": "number_token"}
            for number in (
                self.env["crm.partner.number"]
                .sudo()
                .search([("name", "in", list(numbers)), ("company_id", "=", self.company_id.id)])
            ):
                add(number.partner_id, kinds[numbers[number.name]], number.name, "party")
        uses = dict(analysis["invoices"])
        for move in self._find_invoices(list(uses)):
            kind = "own_document" if uses.get(move.name) == "own_document" else "invoice"
            add(move.partner_id, kind, move.name, "party")
            moves.setdefault(move.partner_id.commercial_partner_id.id, move.id)
        for mandate in self._find_mandates(analysis["mandates"]):
            add(mandate.partner_id, "mandate", mandate.name, "party")
            mandates.setdefault(mandate.partner_id.commercial_partner_id.id, mandate.id)
        return moves, mandates

    def _address_evidence(self, partners, text):
        """The address of each partner where the letter names its party; and the partners
        the letter places elsewhere: it gives a postcode and a town for its party, and
        neither the partner's postcode nor its street with house number is there (a
        namesake in the same town, on the same street, is not the customer)."""
        norm_text = matching.normalize_address_text(text)
        gives_address = bool(layout.POSTCODE_AND_TOWN.search(text or ""))
        items = []
        elsewhere = set()
        for partner in partners:
            args = (norm_text, partner.street, partner.zip, partner.city, partner.country_id.code)
            sim = matching.address_similarity(*args)
            if sim >= 0.4:
                value = ", ".join(filter(None, [partner.street, partner.zip, partner.city]))
                items.append(matching.evidence(partner.id, "address", value, sim, "party"))
            parts = matching.address_parts(*args)
            if gives_address and partner.zip and not (parts["zip"] or parts["number"]):
                elsewhere.add(partner.id)
        return items, elsewhere

    def _find_invoices(self, refs):
        """Our own invoices and credit notes (of this document's company) named by the
        references on the page."""
        if not refs:
            return self.env["account.move"]
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "in", OUR_DOCUMENTS),
                    ("name", "in", refs),
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

    def _name_candidates(self, names, allowed):
        """(commercial partner id, name on the page, similarity) for strings that may name
        a partner: partners found by pg_trgm similarity (served by the trigram index on
        the name), then compared word by word knowing legal forms
        (matching.name_similarity); the best string per partner."""
        names = names[:MAX_NAME_CANDIDATES]
        if not names:
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
                SELECT p.commercial_partner_id, p.name, l.line
                  FROM unnest(%(lines)s::text[]) AS l(line)
                 CROSS JOIN LATERAL (
                        SELECT res_partner.commercial_partner_id, res_partner.name,
                               similarity(res_partner.name, l.line) AS sim
                          FROM res_partner
                         WHERE res_partner.name %% l.line
                           AND res_partner.id IN %(ids)s
                         ORDER BY sim DESC
                         LIMIT 8
                       ) p
                 WHERE p.sim >= %(floor)s
                """,
                lines=names,
                ids=query.subselect(),
                floor=NAME_RETRIEVAL,
            )
        )
        best = {}
        for partner_id, partner_name, line in rows:
            similarity = matching.name_similarity(partner_name, line)
            if similarity >= NAME_EVIDENCE and similarity > best.get(partner_id, (0, ""))[0]:
                best[partner_id] = (similarity, line)
        return [(pid, line, sim) for pid, (sim, line) in best.items()]
