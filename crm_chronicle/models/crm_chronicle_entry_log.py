import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import split_every

from odoo.addons.crm_core.tools.boundary import (
    Any,
    ArgumentError,
    Datetime,
    Dict,
    Float,
    ListOf,
    Record,
    Records,
    Str,
    check_records,
    public,
)

from ..tools import fastpath
from ..tools.dates import local_midnight_utc

SUBJECT_MAX = 512
BODY_MAX = 1_000_000
BATCH_MAX = 100_000
# entries the ORM creates at once (the fast path takes a whole batch)
ORM_CHUNK = 5000
ENTRY = Dict(
    {
        # records or ids: checked for all entries together (existence, read access)
        "partner": Any(),
        "type_code": Str(max_len=64),
        "subject": Str(max_len=SUBJECT_MAX),
        "body": Str(max_len=BODY_MAX, multiline=True, required=False),
        "source": Any(),
        "date": Datetime(required=False),
        "user": Any(),
        "duration": Float(minimum=0, required=False),
        "resubmission_date": Any(),
        "resubmission_user": Any(),
        "attachment_ids": Any(),
    },
    required_keys=("partner", "type_code", "subject"),
)


class CrmChronicleEntry(models.Model):
    """The one logging API of the suite: crm_log (one entry) and crm_log_batch (many), for
    the other addons and for integrations (JSON-2, XML-RPC). Both check their arguments at
    the boundary (crm_core.tools.boundary) and create the entries through ``_log_rows``,
    which writes large batches logged without tracking through the fast path
    (tools/fastpath.py) and everything else through create."""

    _inherit = "crm.chronicle.entry"

    # ------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(
        partner=Record("res.partner"),
        type_code=Str(max_len=64),
        subject=Str(max_len=SUBJECT_MAX),
        body=Str(max_len=BODY_MAX, multiline=True, required=False),
        source=Any(),
        date=Datetime(required=False),
        user=Record("res.users", required=False),
        duration=Float(minimum=0, required=False),
        resubmission_date=Any(),
        resubmission_user=Record("res.users", required=False),
        attachment_ids=Records("ir.attachment", required=False, allow_empty=True),
    )
    def crm_log(
        self,
        partner,
        type_code,
        subject,
        body=False,
        source=False,
        date=False,
        user=False,
        duration=False,
        resubmission_date=False,
        resubmission_user=False,
        attachment_ids=False,
    ):
        """Log an entry into a customer's chronicle and return it.

        :param partner: res.partner record or id (person or company) the user may read
        :param type_code: code of a crm.chronicle.type ("call", "visit", "letter", ...)
        :param subject: subject line (one line, no control characters, at most 512
            characters: pass free text through crm_core's sanitize.text first)
        :param body: HTML description
        :param source: a record the user may read, or "model,id": the entry links to it
        :param date: datetime of the contact (default: now)
        :param user: responsible res.users record or id (default: the current user)
        :param duration: hours (not negative)
        :param resubmission_date: date or datetime: puts the entry on resubmission
        :param resubmission_user: res.users record or id the resubmission goes to
            (default: the responsible user)
        :param attachment_ids: ir.attachment records or ids the user may read
        :return: the new crm.chronicle.entry

        Runs with the caller's access rights; it never writes on the partner, so logging
        does not need write access to it. To log many entries at once, use crm_log_batch."""
        entry = {
            "partner": partner,
            "type_code": type_code,
            "subject": subject,
            "body": body,
            "source": source,
            "date": date,
            "user": user,
            "duration": duration,
            "resubmission_date": resubmission_date,
            "resubmission_user": resubmission_user,
            "attachment_ids": attachment_ids,
        }
        return self._log_entries([entry], "crm_log")

    @api.model
    @public(entries=ListOf(ENTRY, max_items=BATCH_MAX, allow_empty=True))
    def crm_log_batch(self, entries):
        """Log many entries (for as many partners) at once and return them, in the order
        given: one dictionary per entry with the arguments of crm_log as keys (``partner``,
        ``type_code`` and ``subject`` required), at most 100,000. The arguments are checked
        together (one query per model) and the entries created together, so the number of
        queries does not grow with the number of entries. Bad input raises a
        ValidationError naming the entry or the records, and nothing is written.

        Batches of 100 entries and more logged without tracking (context
        ``tracking_disable=True``, as automatic jobs log) are written by the fast path of
        tools/fastpath.py: the same rows as create, set-based."""
        return self._log_entries(entries, "crm_log_batch")

    # ------------------------------------------------------------------------------------------
    # Arguments of the logging API, checked for all entries together
    # ------------------------------------------------------------------------------------------
    @api.model
    def _log_entries(self, entries, where):
        """The rows of `entries` (crm_log's arguments, already checked one by one at the
        boundary) checked together, then created by _log_rows. crm_chronicle's own
        automatic entries come here directly, with clean subjects and optionally a
        ``company`` (the document's)."""
        if not entries:
            return self.browse()
        partners = self._log_records(
            where, "res.partner", [e["partner"] for e in entries], "partner", readable=True
        )
        users = self._log_records(where, "res.users", [e.get("user") for e in entries], "user")
        resubmission_users = self._log_records(
            where, "res.users", [e.get("resubmission_user") for e in entries], "resubmission_user"
        )
        attachments = self._log_records(
            where,
            "ir.attachment",
            [e.get("attachment_ids") for e in entries],
            "attachment_ids",
            many=True,
            readable=True,
        )
        sources = self._log_sources(where, [e.get("source") for e in entries])
        types = self._log_types(where, {e["type_code"] for e in entries})
        now = fields.Datetime.now()
        rows = []
        for entry, partner, user, resubmission_user, attachment, source in zip(
            entries, partners, users, resubmission_users, attachments, sources, strict=True
        ):
            user = user or self.env.user
            row = {
                "partner_id": partner.id,
                "type_id": types[entry["type_code"]].id,
                "name": entry["subject"],
                "description": entry.get("body") or False,
                "date": entry.get("date") or now,
                "user_id": user.id,
                "duration": entry.get("duration") or 0.0,
                "state": "done",
                "source_model": source[0] if source else False,
                "source_id": source[1] if source else False,
                "company_id": entry["company"].id if entry.get("company") else False,
                "attachment_ids": attachment.ids,
            }
            if entry.get("resubmission_date"):
                resubmission_user = resubmission_user or user
                when, all_day = self._log_resubmission_date(
                    where, entry["resubmission_date"], resubmission_user
                )
                row["resubmission"] = {
                    "date": when,
                    "all_day": all_day,
                    "user_id": resubmission_user.id,
                }
                row["state"] = "open"
            rows.append(row)
        return self._log_rows(rows)

    @api.model
    def _log_records(self, where, model, values, argument, many=False, readable=False):
        """The records given as `values` (records, ids or lists of ids; one value per
        entry), as a list of recordsets, checked to exist with one query for all and, when
        `readable`, to be readable by the user."""
        per_entry = []
        for value in values:
            if not value:
                per_entry.append(())
                continue
            if isinstance(value, models.BaseModel):
                if value._name != model:
                    raise ArgumentError(
                        self.env._(
                            "%(where)s: %(argument)s must be a %(model)s record, not %(given)s.",
                            where=where,
                            argument=argument,
                            model=model,
                            given=value._name,
                        )
                    )
                ids = value.ids
            else:
                ids = value if isinstance(value, list | tuple) else [value]
                if not all(
                    isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in ids
                ):
                    raise ArgumentError(
                        self.env._(
                            "%(where)s: %(argument)s must be a %(model)s record or id, "
                            "not %(given)s.",
                            where=where,
                            argument=argument,
                            model=model,
                            given=repr(value)[:60],
                        )
                    )
            if not many and len(ids) > 1:
                raise ArgumentError(
                    self.env._(
                        "%(where)s: %(argument)s must be one record, got %(count)s.",
                        where=where,
                        argument=argument,
                        count=len(ids),
                    )
                )
            per_entry.append(tuple(ids))
        all_ids = list(dict.fromkeys(i for ids in per_entry for i in ids))
        if all_ids:
            check_records(self.env[model].browse(all_ids), where, argument, readable=readable)
        return [self.env[model].browse(ids).with_prefetch(all_ids) for ids in per_entry]

    @api.model
    def _log_types(self, where, codes):
        """{code: type} for these codes, in one query; a clear error for an unknown one."""
        found = {
            chronicle_type.code: chronicle_type
            for chronicle_type in self.env["crm.chronicle.type"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(codes))])
        }
        for code in sorted(codes, key=str):
            if code not in found:
                raise ArgumentError(
                    self.env._(
                        "%(where)s: there is no chronicle entry type with the code %(code)r.",
                        where=where,
                        code=code,
                    )
                )
        return found

    @api.model
    def _log_sources(self, where, values):
        """(model, id) of each source (a record or "model,id"; falsy: none), checked to
        exist and, unless as superuser, to be readable by the user: one query per model."""
        sources = []
        for value in values:
            if not value:
                sources.append(None)
                continue
            if isinstance(value, models.BaseModel):
                if len(value) != 1:
                    raise ArgumentError(
                        self.env._(
                            "%(where)s: the source must be one record, got %(count)s.",
                            where=where,
                            count=len(value),
                        )
                    )
                sources.append((value._name, value.id))
                continue
            model, _sep, res_id = str(value).partition(",")
            res_id = res_id.strip()
            if (
                not isinstance(value, str)
                or model not in self.env
                or not res_id.isdecimal()
                or not 0 < int(res_id) < 2**31
            ):
                raise ArgumentError(
                    self.env._(
                        "%(where)s: the source %(value)s is neither a record nor 'model,id'.",
                        where=where,
                        value=repr(value)[:60],
                    )
                )
            sources.append((model, int(res_id)))
        by_model = defaultdict(set)
        for source in filter(None, sources):
            by_model[source[0]].add(source[1])
        for model, ids in by_model.items():
            check_records(self.env[model].browse(ids), where, "source", readable=True)
        return sources

    @api.model
    def _log_resubmission_date(self, where, value, user):
        """(UTC datetime, all day) of a resubmission date: a date (or "YYYY-MM-DD") is due
        all day, from midnight in the user's time zone; a datetime at that moment."""
        if isinstance(value, datetime.datetime):
            return value, False
        if isinstance(value, datetime.date):
            return local_midnight_utc(value, user.tz or self.env.user.tz), True
        if isinstance(value, str) and len(value) <= 32:
            try:
                if len(value) == 10:
                    day = fields.Date.to_date(value)
                    return local_midnight_utc(day, user.tz or self.env.user.tz), True
                return fields.Datetime.to_datetime(value), False
            except ValueError:
                pass
        raise ArgumentError(
            self.env._(
                "%(where)s: the argument resubmission_date must be a date (YYYY-MM-DD) or a "
                "date and time (YYYY-MM-DD HH:MM:SS, UTC), not %(value)s.",
                where=where,
                value=repr(value)[:60],
            )
        )

    # ------------------------------------------------------------------------------------------
    # Creating the entries: the fast path or the ORM
    # ------------------------------------------------------------------------------------------
    @api.model
    def _log_rows(self, rows):
        """Create one entry per row and return them in the rows' order. A row holds the
        fields of tools/fastpath.ROW_FIELDS (ids for relations), ``company_id`` (False: the
        partner's company when it is one of the user's, else the current company) and
        optionally ``resubmission`` ({date, all_day, user_id}) and ``attachment_ids``.

        Plain entries of a large batch logged without tracking take the fast path (see
        tools/fastpath.py); entries with a resubmission, attachments or a calendar event
        (appointments), and every entry when the fast path steps aside, go through create.
        Both write the same rows."""
        if not rows:
            return self.browse()
        appointments = set(
            self.env["crm.chronicle.type"]
            .sudo()
            .browse({row["type_id"] for row in rows})
            .filtered("is_appointment")
            .ids
        )
        plain = [
            index
            for index, row in enumerate(rows)
            if not row.get("resubmission")
            and not row.get("attachment_ids")
            and row["type_id"] not in appointments
        ]
        ids = [None] * len(rows)
        columns = {
            name: [rows[index].get(name, False) for index in plain]
            for name in (*fastpath.ROW_FIELDS, "company_id")
        }
        fast = self._log_fast(columns, len(plain))
        if fast is not None:
            for index, entry_id in zip(plain, fast.ids, strict=True):
                ids[index] = entry_id
        rest = [index for index, entry_id in enumerate(ids) if entry_id is None]
        if rest:
            companies = self._log_companies([rows[index] for index in rest])
            for chunk in split_every(ORM_CHUNK, rest):
                created = self.create([self._log_vals(rows[index], companies) for index in chunk])
                for index, entry_id in zip(chunk, created.ids, strict=True):
                    ids[index] = entry_id
        # the partners' chronicle counts and tabs were computed without these entries
        self.env["res.partner"].invalidate_model(["crm_chronicle_count", "crm_chronicle_entry_ids"])
        return self.browse(ids)

    @api.model
    def _log_fast(self, columns, count):
        """`count` plain entries (no resubmission, attachment or calendar event) given as
        columns ({field: one value per entry or one for all}, see tools/fastpath.insert),
        written by the fast path and returned in order; None when it steps aside (then the
        caller creates them)."""
        if not fastpath.enabled(self.env, count) or fastpath.blockers(self):
            return None
        type_ids = columns["type_id"]
        types = (
            self.env["crm.chronicle.type"]
            .sudo()
            .browse(set(type_ids) if isinstance(type_ids, list) else {type_ids})
        )
        if any(types.mapped("is_appointment")):
            return None
        entries = fastpath.insert(self, columns, count)
        # the partners' chronicle counts and tabs were computed without these entries
        self.env["res.partner"].invalidate_model(["crm_chronicle_count", "crm_chronicle_entry_ids"])
        return entries

    @api.model
    def _log_companies(self, rows):
        """{partner id: company id} of the entries of `rows` that take theirs from the
        partner: the partner's company when it is one of the user's, else the current one."""
        allowed = self.env.user.company_ids
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse({row["partner_id"] for row in rows if not row.get("company_id")})
        )
        return {
            partner.id: (
                partner.company_id if partner.company_id in allowed else self.env.company
            ).id
            for partner in partners
        }

    @api.model
    def _log_vals(self, row, companies):
        """The create values of one row of _log_rows (empty optional fields left out: NULL
        in the database, as the fast path writes them)."""
        vals = {
            name: row[name]
            for name in fastpath.ROW_FIELDS
            if row[name] or name not in fastpath.OPTIONAL_FIELDS
        }
        vals["company_id"] = row.get("company_id") or companies[row["partner_id"]]
        if row.get("attachment_ids"):
            vals["attachment_ids"] = [Command.set(row["attachment_ids"])]
        if row.get("resubmission"):
            vals["resubmission_ids"] = [Command.create(row["resubmission"])]
        return vals
