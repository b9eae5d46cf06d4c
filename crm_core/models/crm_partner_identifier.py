from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize, split_every

from ..tools import iban as iban_tools
from ..tools import phone_identifier as phone_tools
from ..tools import sanitize

KINDS = [("phone", "Phone"), ("email", "E-mail"), ("vat", "VAT ID"), ("iban", "IBAN")]
# Sources that are no column of res_partner: the SQL that reads them (an array per partner)
_LIST_SOURCES = {
    "bank_ids": SQL(
        "ARRAY(SELECT b.sanitized_acc_number FROM res_partner_bank b"
        " WHERE b.partner_id = p.id AND b.active ORDER BY b.id)"
    ),
}


class CrmPartnerIdentifier(models.Model):
    """Normalised identifiers of partners (E.164 phone numbers, e-mail addresses, VAT ids,
    IBANs of their bank accounts), stored and indexed in one place so that every lookup
    (caller-ID, document matching, duplicate detection, payment matching) uses the same
    table. Maintained by SQL, in batch, from the partner fields that `_partner_sources`
    names; addons add fields (or kinds, with `_normalise`) by inheritance instead of writing
    their own lookup."""

    _name = "crm.partner.identifier"
    _description = "Partner Identifier"
    _order = "partner_id, kind, source_field"
    _rec_name = "value"
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    kind = fields.Selection(KINDS, required=True, default="phone")
    source_field = fields.Char(required=True, help="The partner field the value comes from.")
    raw_value = fields.Char("Value as entered")
    value = fields.Char(
        "Normalised Value",
        help="E.164 for phone numbers (+493514445566; empty when the number could not be "
        "parsed: then only the reversed digits match), the address in lower case for e-mail, "
        "letters and digits in upper case for VAT ids and IBANs.",
    )
    value_rev = fields.Char(
        "Reversed Digits",
        help="The national digits reversed, for suffix lookups of numbers written without "
        "country or area code.",
    )

    # INCLUDE (partner_id): the lookups are answered from the index alone
    _kind_value_idx = models.Index("(kind, value) INCLUDE (partner_id) WHERE value IS NOT NULL")
    _kind_value_rev_idx = models.Index("(kind, value_rev text_pattern_ops) INCLUDE (partner_id)")

    # ------------------------------------------------------------------------------------------
    # Extension points
    # ------------------------------------------------------------------------------------------
    @api.model
    def _partner_sources(self):
        """{kind: [res.partner field names]} whose values are kept as identifiers. Addons
        extend it (super() plus their fields), e.g. crm_telephony adds the mobile number.
        "bank_ids" stands for the IBANs of the partner's active bank accounts."""
        return {"phone": ["phone"], "email": ["email"], "vat": ["vat"], "iban": ["bank_ids"]}

    @api.model
    def _partner_source_fields(self):
        """All partner fields that feed the table (a write on one of them re-syncs)."""
        return {name for names in self._partner_sources().values() for name in names}

    @api.model
    def _normalise(self, kind, raw, region):
        """(value, value_rev) of a raw value of this kind; (None, None) when it identifies
        nobody. `region`: ISO country code for values written without country (phones)."""
        if kind == "phone":
            return phone_tools.identifier_values(raw, region)
        if kind == "email":
            return email_normalize(sanitize.typed(raw, sanitize.LABELS["email"])) or None, None
        if kind == "vat":
            return normalise_vat(raw) or None, None
        if kind == "iban":
            value = iban_tools.normalise(raw)
            return (value, None) if iban_tools.looks_like_iban(value) else (None, None)
        raise NotImplementedError(kind)

    # ------------------------------------------------------------------------------------------
    # Maintenance
    # ------------------------------------------------------------------------------------------
    @api.model
    def _sync_partners_soon(self, partner_ids, kinds=None):
        """Rebuild the identifiers of these partners now, or, inside a partner import
        (context crm_identifiers_later: the set res.partner.load collects into), once for
        all partners at the end of the import: Odoo's import writes each contact person
        again after creating it (the company's address and VAT), which would rebuild the
        person's identifiers once per row."""
        later = self.env.context.get("crm_identifiers_later")
        if later is not None:
            later.update(partner_ids)
            return 0
        return self._sync_partners(partner_ids, kinds)

    @api.model
    def _sync_partners(self, partner_ids, kinds=None):
        """Rebuild the identifiers of these partners (ids) from their fields, by SQL: one
        SELECT, one DELETE and batched INSERTs per call, whatever the number of partners."""
        if not partner_ids:
            return 0
        all_sources = self._partner_sources()
        kinds = kinds or list(all_sources)
        Partner = self.env["res.partner"]
        cr = self.env.cr
        sources = [
            (kind, name)
            for kind in kinds
            for name in all_sources[kind]
            if name in _LIST_SOURCES or (name in Partner._fields and Partner._fields[name].store)
        ]
        columns = [name for _kind, name in sources if name not in _LIST_SOURCES]
        Partner.flush_model(columns + ["country_id", "company_id"])
        if any(name in _LIST_SOURCES for _kind, name in sources):
            self.env["res.partner.bank"].flush_model(
                ["sanitized_acc_number", "active", "partner_id"]
            )
        self.flush_model()
        default_region = (self.env.company.country_id.code or "DE").upper()
        rows = []
        for chunk in split_every(50000, partner_ids):
            cr.execute(
                SQL(
                    "SELECT p.id, %s, country.code, company_country.code"
                    " FROM res_partner p"
                    " LEFT JOIN res_country country ON country.id = p.country_id"
                    " LEFT JOIN res_company company ON company.id = p.company_id"
                    " LEFT JOIN res_partner cp ON cp.id = company.partner_id"
                    " LEFT JOIN res_country company_country ON company_country.id = cp.country_id"
                    " WHERE p.id IN %s",
                    SQL(", ").join(
                        _LIST_SOURCES.get(name) or SQL.identifier("p", name)
                        for _kind, name in sources
                    ),
                    chunk,
                )
            )
            for partner_id, *values in cr.fetchall():
                region = (values[-2] or values[-1] or default_region).upper()
                for (kind, name), raws in zip(sources, values[:-2], strict=True):
                    for raw in raws if isinstance(raws, list) else [raws]:
                        if not raw:
                            continue
                        value, value_rev = self._normalise(kind, raw, region)
                        if value or value_rev:
                            rows.append((partner_id, kind, name, raw, value, value_rev))
            cr.execute(
                SQL(
                    "DELETE FROM crm_partner_identifier WHERE partner_id IN %s AND kind IN %s",
                    chunk,
                    tuple(kinds),
                )
            )
        self._insert_rows(rows)
        self.invalidate_model()
        return len(rows)

    @api.model
    def _insert_rows(self, rows):
        """rows: (partner_id, kind, source_field, raw_value, value, value_rev)"""
        if not rows:
            return
        execute_values(
            self.env.cr,
            "INSERT INTO crm_partner_identifier"
            " (partner_id, company_id, kind, source_field, raw_value, value, value_rev)"
            " SELECT v.partner_id, p.company_id, v.kind, v.source_field, v.raw_value, v.value,"
            " v.value_rev FROM (VALUES %s) AS v(partner_id, kind, source_field, raw_value,"
            " value, value_rev) JOIN res_partner p ON p.id = v.partner_id",
            rows,
            template="(%s::int, %s, %s, %s, %s, %s)",
            page_size=5000,
        )

    @api.model
    def _sync_missing_kinds(self):
        """Fill the kinds that have no row at all yet for every partner (a database that
        had the table before these kinds existed); called on each install and update, one
        quick query when nothing is missing."""
        for kind, _label in KINDS:
            self.env.cr.execute(
                SQL("SELECT 1 FROM crm_partner_identifier WHERE kind = %s LIMIT 1", kind)
            )
            if self.env.cr.fetchone():
                continue
            self.env.cr.execute("SELECT id FROM res_partner ORDER BY id")
            ids = [row[0] for row in self.env.cr.fetchall()]
            for start in range(0, len(ids), 20000):
                self._sync_partners(ids[start : start + 20000], kinds=[kind])

    @api.model
    def _rebuild_all(self, batch_size=20000):
        """Fill the table for every partner (install hook, repair)."""
        self.env.cr.execute("SELECT id FROM res_partner ORDER BY id")
        ids = [row[0] for row in self.env.cr.fetchall()]
        total = 0
        for start in range(0, len(ids), batch_size):
            total += self._sync_partners(ids[start : start + batch_size])
        return total

    # ------------------------------------------------------------------------------------------
    # Lookup
    # ------------------------------------------------------------------------------------------
    @api.model
    def _lookup_phone_query(self, number, region="DE", limit=20):
        """The SQL of a phone lookup and the wanted reversed digits; (None, '') when the
        number has too few digits. One statement, two index-only scans: the exact E.164 match
        (btree on value) and the reversed-digits prefix (text_pattern_ops on value_rev), so a
        lookup is one round trip whether the number is found exactly, by suffix, or not at
        all. Parses the number once. Shared by _lookup_phone and the benchmark."""
        e164, national = phone_tools.e164_and_national(number, region)
        if len(national) < phone_tools.MIN_MATCH_DIGITS:
            return None, ""
        wanted = national[::-1]
        suffix = SQL(
            "(SELECT partner_id, value_rev, false FROM crm_partner_identifier"
            " WHERE kind = 'phone' AND value_rev LIKE %s LIMIT 200)",
            wanted[: phone_tools.SUFFIX_DIGITS] + "%",
        )
        if not e164:
            return suffix, wanted
        exact = SQL(
            "(SELECT partner_id, NULL, true FROM crm_partner_identifier"
            " WHERE kind = 'phone' AND value = %s LIMIT %s)",
            e164,
            limit * 2,
        )
        return SQL("%s UNION ALL %s", exact, suffix), wanted

    @api.model
    def _lookup_phone(self, number, region="DE", limit=20):
        """Partner ids whose numbers denote `number` (any format), best first: exact E.164
        matches when there are any; otherwise the numbers whose reversed digits share a
        prefix with it (numbers stored without area code, or unparsable ones), longest
        common part first. No access rules: callers filter the partners they may show."""
        query, wanted = self._lookup_phone_query(number, region, limit)
        if query is None:
            return []
        self.flush_model()
        cr = self.env.cr
        cr.execute(query)
        exact, scored = set(), {}
        for partner_id, value_rev, is_exact in cr.fetchall():
            if is_exact:
                exact.add(partner_id)
            elif not exact and phone_tools.suffix_matches(wanted, value_rev):
                score = min(len(wanted), len(value_rev))
                scored[partner_id] = max(score, scored.get(partner_id, 0))
        if exact:
            return sorted(exact)[:limit]
        return sorted(scored, key=lambda pid: (-scored[pid], pid))[:limit]


def normalise_vat(value):
    """A VAT id as compared: letters and digits in upper case ("de 123.456.789" ->
    "DE123456789"), without labels such as "USt-IdNr.:" or "DIČ"."""
    value = sanitize.typed(value, sanitize.LABELS["vat"])
    return "".join(char for char in value.upper() if char.isascii() and char.isalnum())
