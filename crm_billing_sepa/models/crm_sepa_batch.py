import base64
import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.orm.registry import TriggerTree
from odoo.tools import SQL

from odoo.addons.crm_core.tools import iban as iban_tools

from ..tools import bulk, pain, target2

_logger = logging.getLogger(__name__)

BATCH_STATES = [
    ("generated", "File Generated"),
    ("sent", "Sent and Booked"),
    ("done", "Settled"),
    ("cancelled", "Cancelled"),
]
MANAGER_GROUP = "crm_billing_sepa.group_sepa_manager"


def to_cents(amount):
    """A monetary float (already rounded to cents by Odoo) to integer cents, exactly."""
    return int(Decimal(repr(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)


class CrmSepaBatch(models.Model):
    """A SEPA payment file: direct debits (pain.008) or credit transfers (pain.001), with
    its lines, the validated file and the one journal entry that books it."""

    _name = "crm.sepa.batch"
    _description = "SEPA Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    kind = fields.Selection(
        [("debit", "Direct Debit"), ("transfer", "Credit Transfer")],
        required=True,
        readonly=True,
        default="debit",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(
        "res.currency", readonly=True, default=lambda s: s.env.ref("base.EUR")
    )
    scheme = fields.Selection([("CORE", "CORE"), ("B2B", "B2B")], readonly=True)
    version = fields.Char("File Version", readonly=True)
    batch_booking = fields.Boolean(readonly=True)
    state = fields.Selection(
        BATCH_STATES, default="generated", required=True, readonly=True, tracking=True, index=True
    )
    line_ids = fields.One2many("crm.sepa.batch.line", "batch_id", "Payments", readonly=True)
    line_count = fields.Integer(readonly=True)
    total_cents = fields.Integer(readonly=True, help="Sum of the payments in euro cents.")
    amount_total = fields.Monetary("Total", compute="_compute_amount_total")
    collection_date = fields.Date(
        readonly=True, help="The earliest collection (or execution) date in the file."
    )
    file = fields.Binary(readonly=True, attachment=True, copy=False)
    filename = fields.Char(readonly=True)
    journal_id = fields.Many2one("account.journal", "Bank Journal", readonly=True)
    move_id = fields.Many2one("account.move", "Booking Entry", readonly=True, copy=False)
    returned_count = fields.Integer(compute="_compute_returned_count")

    @api.depends("total_cents")
    def _compute_amount_total(self):
        for batch in self:
            batch.amount_total = batch.total_cents / 100

    def _compute_returned_count(self):
        counts = dict(
            self.env["crm.sepa.batch.line"]._read_group(
                [("batch_id", "in", self.ids), ("state", "=", "returned")],
                ["batch_id"],
                ["__count"],
            )
        )
        for batch in self:
            batch.returned_count = counts.get(batch, 0)

    # ------------------------------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------------------------------
    def _crm_check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only SEPA managers create, confirm and cancel SEPA batches.")
            )

    # ------------------------------------------------------------------------------------------
    # Creating direct debit batches
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_debit_domain(
        self,
        company,
        invoice_ids=None,
        partner_ids=None,
        due_date_from=None,
        due_date_to=None,
        category_ids=None,
        class_ids=None,
    ):
        domain = Domain(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("crm_sepa_direct_debit", "=", True),
            ]
        )
        if invoice_ids:
            domain &= Domain("id", "in", list(invoice_ids))
        if partner_ids:
            domain &= Domain("commercial_partner_id", "child_of", list(partner_ids))
        if category_ids:
            domain &= Domain("commercial_partner_id.category_id", "in", list(category_ids))
        if class_ids:
            # the class is per company (crm_core): the caller searches in the batch's company
            domain &= Domain("commercial_partner_id.crm_class_id", "in", list(class_ids))
        if due_date_from:
            domain &= Domain("invoice_date_due", ">=", due_date_from)
        if due_date_to:
            domain &= Domain("invoice_date_due", "<=", due_date_to)
        return domain

    @api.model
    def _crm_lock_free(self, moves):
        """Lock the invoices for this transaction, skipping those another transaction holds,
        and drop those already in an open batch. Two batch runs at the same time therefore
        never take the same invoice (and the unique index on open lines backs this up)."""
        if not moves:
            return moves
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED",
                tuple(moves.ids),
            )
        )
        locked = [row[0] for row in rows]
        if not locked:
            return moves.browse()
        self.env["crm.sepa.batch.line"].flush_model(["move_id", "state"])
        taken = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT move_id FROM crm_sepa_batch_line WHERE move_id IN %s"
                    " AND state IN ('open', 'collected')",
                    tuple(locked),
                )
            )
        }
        free = set(locked) - taken
        return moves.browse([mid for mid in moves.ids if mid in free])

    @api.model
    def create_debit_batches(
        self,
        invoice_ids=None,
        partner_ids=None,
        due_date_from=None,
        due_date_to=None,
        company_id=None,
        category_ids=None,
        class_ids=None,
    ):
        """Collect due customer invoices by SEPA direct debit (public, RPC).

        Selects the posted, unpaid customer invoices marked "Pay by SEPA direct debit" of
        the company (optionally only `invoice_ids`, the customers `partner_ids`, due between
        `due_date_from` and `due_date_to`, of customers tagged `category_ids` or in the
        customer classes `class_ids` of crm_core), writes one
        validated pain.008 file per scheme (CORE/B2B), grouped inside by sequence type and
        collection date, and marks the
        invoices "in payment". Invoices that cannot be collected are reported, the others
        proceed.

        Returns {"batch_ids": [...], "errors": [{"invoice_id", "invoice", "message"}]}.
        """
        self._crm_check_manager()
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        moves = (
            self.env["account.move"]
            .with_company(company)
            .search(
                self._crm_debit_domain(
                    company,
                    invoice_ids,
                    partner_ids,
                    due_date_from,
                    due_date_to,
                    category_ids,
                    class_ids,
                ),
                order="invoice_date_due, id",
            )
            .with_env(self.env)
        )
        moves = self._crm_lock_free(moves)
        batches, errors = self._crm_create_debit_batches(company, moves)
        return {"batch_ids": batches.ids, "errors": errors}

    @api.model
    def _crm_create_debit_batches(self, company, moves):
        errors = []

        def error(move, message):
            errors.append(self._crm_error(move, message))

        if not moves:
            return self.browse(), errors
        moves.fetch(
            [
                "name",
                "commercial_partner_id",
                "currency_id",
                "amount_residual",
                "invoice_date_due",
                "payment_reference",
            ]
        )
        creditor_id = company.crm_sepa_creditor_identifier
        journal = company._crm_sepa_journal()
        own_iban = journal.bank_account_id.sanitized_acc_number
        message = self._crm_own_account_problem(company, own_iban)
        if not creditor_id or message:
            message = message or self.env._(
                "The company %(c)s has no SEPA creditor identifier.", c=company.name
            )
            for move in moves:
                error(move, message)
            return self.browse(), errors

        Mandate = self.env["crm.sepa.mandate"]
        mandates = Mandate.search_fetch(
            [
                ("commercial_partner_id", "in", moves.commercial_partner_id.ids),
                ("company_id", "=", company.id),
            ],
            [
                "name",
                "state",
                "commercial_partner_id",
                "bank_account_id",
                "signature_date",
                "scheme",
                "sequence_type",
                "original_iban",
                "amendment_smnda",
            ],
            order="id desc",
        )
        active, other = {}, {}
        for mandate in mandates:
            target = active if mandate.state == "active" else other
            target.setdefault(mandate.commercial_partner_id.id, mandate)
        mandates.bank_account_id.fetch(["sanitized_acc_number", "bank_id"])
        previous = self._crm_previous_attempts(moves)

        today = fields.Date.context_today(self)
        lead_days = company.crm_sepa_lead_days
        eur = self.env.ref("base.EUR")
        by_scheme = defaultdict(list)
        bic_cache = {}
        for move in moves:
            partner = move.commercial_partner_id
            mandate = active.get(partner.id)
            iban = mandate.bank_account_id.sanitized_acc_number if mandate else False
            missing = None if mandate else self._crm_no_mandate(partner, other.get(partner.id))
            cents, problem = self._crm_payment_cents(move, eur, "debit", iban, missing, mandate)
            if problem:
                error(move, problem)
                continue
            if iban not in bic_cache:
                bic_cache[iban] = mandate.bank_account_id.bank_id.bic or iban_tools.bic(iban)
            e2e = self._crm_end_to_end_id(move, previous[move.id] + 1)
            by_scheme[mandate.scheme].append(
                {
                    "move_id": move.id,
                    "partner_id": partner.id,
                    "mandate_id": mandate.id,
                    "iban": iban,
                    "bic": bic_cache[iban],
                    "amount_cents": cents,
                    "sequence_type": mandate.sequence_type,
                    "collection_date": target2.collection_date(
                        move.invoice_date_due, today, lead_days
                    ),
                    "end_to_end_id": e2e,
                    "original_iban": mandate.original_iban,
                    "amendment_smnda": mandate.amendment_smnda,
                    # for the file only
                    "_name": partner.name,
                    "_mandate_ref": mandate.name,
                    "_mandate_date": mandate.signature_date,
                    "_description": move.payment_reference or move.name,
                }
            )

        batches = self.browse()
        for scheme, lines in sorted(by_scheme.items()):
            batches |= self._crm_create_batch(company, "debit", lines, scheme=scheme)
        return batches, errors

    # ------------------------------------------------------------------------------------------
    # Checks shared by direct debits and credit transfers
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_error(self, move, message):
        """One entry of the "errors" list the public methods return."""
        return {"invoice_id": move.id, "invoice": move.name, "message": message}

    @api.model
    def _crm_previous_attempts(self, moves):
        """{invoice id: number of SEPA payments it had before} (for unique end-to-end ids)."""
        return defaultdict(
            int,
            {
                move.id: count
                for move, count in self.env["crm.sepa.batch.line"]._read_group(
                    [("move_id", "in", moves.ids)], ["move_id"], ["__count"]
                )
            },
        )

    @api.model
    def _crm_end_to_end_id(self, move, attempt):
        """The invoice number in the SEPA character set, at most 35 characters, with the
        attempt number from the second attempt on."""
        reference = "".join(
            ch if ch.isascii() and (ch.isalnum() or ch in "/-?:().,'+") else "-" for ch in move.name
        )
        return reference[:30] if attempt == 1 else f"{reference[:30]}-{attempt}"

    @api.model
    def _crm_no_mandate(self, partner, old):
        """Why a customer cannot be debited: no mandate, or `old` is not active."""
        if not old:
            return self.env._("%(partner)s has no SEPA mandate.", partner=partner.name)
        return self.env._(
            "%(partner)s has no active SEPA mandate (mandate %(ref)s is %(state)s).",
            partner=partner.name,
            ref=old.name,
            state=dict(old._fields["state"]._description_selection(self.env))[old.state],
        )

    @api.model
    def _crm_payment_cents(self, move, eur, kind, iban, missing=None, mandate=None):
        """(cents, None) when the open amount of `move` can be debited from (kind "debit",
        with `mandate`) or credited to ("transfer") `iban`; otherwise (0, why not): not in
        euros, `missing` (no mandate, no bank account), an IBAN outside SEPA, nothing open."""
        problem = self._crm_currency_problem(move, eur, kind) or missing
        if not problem and (iban_problem := iban_tools.sepa_problem(iban)):
            problem = (
                self.env._(
                    "%(inv)s: the debtor IBAN %(iban)s of mandate %(ref)s cannot be "
                    "debited: %(problem)s.",
                    inv=move.name,
                    iban=iban,
                    ref=mandate.name,
                    problem=iban_problem,
                )
                if kind == "debit"
                else self.env._(
                    "%(inv)s: the IBAN %(iban)s cannot be credited: %(problem)s.",
                    inv=move.name,
                    iban=iban,
                    problem=iban_problem,
                )
            )
        if problem:
            return 0, problem
        return self._crm_cents(move, kind)

    @api.model
    def _crm_currency_problem(self, move, eur, kind):
        if move.currency_id == eur:
            return None
        if kind == "debit":
            return self.env._(
                "%(inv)s is in %(cur)s: SEPA collects euros only.",
                inv=move.name,
                cur=move.currency_id.name,
            )
        return self.env._(
            "%(inv)s is in %(cur)s: SEPA transfers euros only.",
            inv=move.name,
            cur=move.currency_id.name,
        )

    @api.model
    def _crm_cents(self, move, kind):
        """(the open amount in cents, None), or (0, why nothing can be paid)."""
        cents = to_cents(move.amount_residual)
        if cents > 0:
            return cents, None
        if kind == "debit":
            return 0, self.env._("%(inv)s has nothing left to collect.", inv=move.name)
        return 0, self.env._("%(inv)s has nothing left to pay.", inv=move.name)

    @api.model
    def _crm_own_account_problem(self, company, own_iban):
        if not own_iban:
            return self.env._(
                "The company %(c)s has no bank journal with an IBAN for SEPA (settings: SEPA "
                "Bank Journal).",
                c=company.name,
            )
        problem = iban_tools.sepa_problem(own_iban)
        if problem:
            return self.env._(
                "The account %(iban)s of the SEPA bank journal of %(c)s cannot be used: "
                "%(problem)s.",
                iban=own_iban,
                c=company.name,
                problem=problem,
            )
        return None

    @api.model
    def _crm_create_batch(self, company, kind, lines, scheme=False):
        code = "crm.sepa.batch.debit" if kind == "debit" else "crm.sepa.batch.transfer"
        journal = company._crm_sepa_journal()
        batch = self.create(
            {
                "name": self.env["ir.sequence"].with_company(company).next_by_code(code) or "/",
                "kind": kind,
                "company_id": company.id,
                "scheme": scheme,
                "version": company.crm_sepa_dd_version
                if kind == "debit"
                else company.crm_sepa_ct_version,
                "batch_booking": company.crm_sepa_batch_booking,
                "journal_id": journal.id,
                "line_count": len(lines),
                "total_cents": sum(line["amount_cents"] for line in lines),
                "collection_date": min(line["collection_date"] for line in lines),
            }
        )
        file_data = [{k[1:]: v for k, v in line.items() if k.startswith("_")} for line in lines]
        batch._crm_insert_lines(lines)
        batch._crm_write_file(lines, file_data)
        batch._crm_log_chronicle(lines)
        return batch

    LINE_COLUMNS = (
        "move_id",
        "partner_id",
        "mandate_id",
        "iban",
        "bic",
        "amount_cents",
        "sequence_type",
        "collection_date",
        "end_to_end_id",
        "original_iban",
        "amendment_smnda",
    )

    def _crm_insert_lines(self, lines):
        """Write the batch's payments (dicts of LINE_COLUMNS) in one INSERT and tell the ORM
        what depends on them (the invoices' payment states): the ORM's create costs about
        0.3 ms per line in Python for nothing a new line needs (no defaults beyond the
        state, no constraint in Python; the unique index on open lines is PostgreSQL's)."""
        self.ensure_one()
        Line = self.env["crm.sepa.batch.line"]
        Line.check_access("create")
        constants = {
            "batch_id": self.id,
            "kind": self.kind,
            "company_id": self.company_id.id,
            "state": "open",
        }
        if bulk.unhandled_fields(Line, {*self.LINE_COLUMNS, *constants}):
            # a field with a default or a computation was added: let the ORM do it
            Line.create(
                [
                    {k: v for k, v in line.items() if not k.startswith("_")} | {"batch_id": self.id}
                    for line in lines
                ]
            )
            return
        rows = [
            {
                name: bool(line.get(name))
                if Line._fields[name].type == "boolean"
                else line.get(name) or None
                for name in self.LINE_COLUMNS
            }
            | constants
            for line in lines
        ]
        ids = bulk.insert_rows(Line, rows)
        self.invalidate_recordset(["line_ids"])
        self._crm_created(Line, ids)

    @api.model
    def _crm_created(self, model, ids):
        """Tell the ORM that these rows were inserted (what depends on them, caches)."""
        model.invalidate_model()
        records = model.browse(ids)
        self._crm_modified(
            records, [name for name, field in model._fields.items() if field.store], create=True
        )
        return records

    @api.model
    def _crm_modified(self, records, fnames, create=False):
        """records.modified(fnames, create) as Odoo does it, except for one branch: the
        search of the payments reconciled with the invoices (reconciled_invoice_ids, which
        computes every invoice's reconciled payments: about 3 s for 10,000 invoices). That
        branch only serves account.payment.state, which changes when all its invoices
        become "paid"; a SEPA batch only ever moves invoices to "in payment" or keeps them
        there (crm_billing_sepa's payment state), which never changes a payment's state."""
        skip = self.env["account.payment"]._fields["reconciled_invoice_ids"]

        def select(field):
            return (field.compute and field.store) or bool(field._get_all_cache_ids(self.env))

        def prune(tree):
            return TriggerTree(tree.root, {k: prune(v) for k, v in tree.items() if k != skip})

        tree = self.env.registry.get_trigger_tree(
            [records._fields[name] for name in fnames], select=select
        )
        if not tree:
            return
        triggers = (
            records.sudo().with_context(active_test=False)._modified_triggers(prune(tree), create)
        )
        for field, found, _create in triggers:
            target = self.env[field.model_name].browse(found._ids) - self.env.protected(field)
            if not target:
                continue
            if field.recursive:
                target.modified([field.name])
            if field.compute and field.store:
                self.env.add_to_compute(field, target)
            else:
                field._invalidate_cache(self.env, target._ids)

    def _crm_log_chronicle(self, lines):
        """One chronicle entry per customer of the batch: what will be debited or paid, when,
        from or to which account. The entries are written in one INSERT with the values
        crm.chronicle.entry.crm_log() writes (crm_log takes one partner per call, and even
        the ORM's batch create costs about 0.5 ms per entry: tracking, HTML sanitizing,
        the related commercial partner written in a second UPDATE); single events such as
        returns go through crm_log itself. The test test_chronicle_batch_entries_as_orm
        compares such an entry with one made by the ORM, field by field."""
        self.ensure_one()
        Entry = self.env["crm.chronicle.entry"]
        Entry.check_access("create")
        chronicle_type = self.env.ref("crm_billing_sepa.crm_chronicle_type_sepa")
        debit = self.kind == "debit"
        subject_text = (
            self.env._("Direct debit of EUR %(amount)s on %(date)s for %(inv)s")
            if debit
            else self.env._("Transfer of EUR %(amount)s on %(date)s for %(inv)s")
        )
        body_text = (
            self.env._("Batch %(batch)s, mandate %(ref)s (%(seq)s), IBAN %(iban)s")
            if debit
            else self.env._("Batch %(batch)s to IBAN %(iban)s")
        )
        names = dict(
            zip(
                [line["move_id"] for line in lines],
                self.env["account.move"].browse([line["move_id"] for line in lines]).mapped("name"),
                strict=True,
            )
        )
        handled = {"partner_id", "commercial_partner_id", "name", "description", "source_id"}
        handled |= {"source_model", "type_id", "date", "user_id", "company_id"}
        orm = bool(bulk.unhandled_fields(Entry, handled | {"state"}))
        rows = []
        for line in lines:
            subject = subject_text % {
                "amount": f"{line['amount_cents'] / 100:,.2f}",
                "date": fields.Date.to_string(line["collection_date"]),
                "inv": names[line["move_id"]],
            }
            body = body_text % {
                "batch": self.name,
                "ref": line.get("_mandate_ref"),
                "seq": line.get("sequence_type"),
                "iban": iban_tools.mask(line["iban"]),
            }
            if orm:  # a field with a default or a computation was added: the ORM does it
                rows.append(
                    {
                        "partner_id": line["partner_id"],
                        "type_id": chronicle_type.id,
                        "name": subject,
                        "description": body,
                        "user_id": self.env.uid,
                        "company_id": self.company_id.id,
                        "source_model": "account.move",
                        "source_id": line["move_id"],
                    }
                )
                continue
            # what Odoo's HTML sanitizer makes of one line of text
            body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            rows.append((line["partner_id"], subject, f"<p>{body}</p>", line["move_id"]))
        # no tracking and no follower per entry: the entries are new, and the user running
        # the batch does not follow 10,000 customers' entries because of it
        if orm:
            Entry.with_context(tracking_disable=True, mail_create_nosubscribe=True).create(rows)
            return
        created = self.env.execute_query(
            SQL(
                """INSERT INTO crm_chronicle_entry (partner_id, commercial_partner_id, name,
                       description, source_id, source_model, type_id, date, user_id, company_id,
                       state, create_uid, write_uid, create_date, write_date)
                   SELECT v.partner, p.commercial_partner_id, v.subject, v.body, v.move,
                          'account.move', %(type)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                          %(company)s, 'done', %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC',
                          NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%(partners)s::int4[], %(subjects)s::varchar[], %(bodies)s::text[],
                                 %(moves)s::int4[]) AS v(partner, subject, body, move)
                     JOIN res_partner p ON p.id = v.partner
                RETURNING id""",
                partners=[row[0] for row in rows],
                subjects=[row[1] for row in rows],
                bodies=[row[2] for row in rows],
                moves=[row[3] for row in rows],
                type=chronicle_type.id,
                uid=self.env.uid,
                company=self.company_id.id,
            )
        )
        self._crm_created(Entry, [row[0] for row in created])

    def _crm_write_file(self, lines, file_data):
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
            raise self._crm_file_error(exc) from exc
        self.write(
            {
                "file": base64.b64encode(content),
                "filename": f"{self.name.replace('/', '-')}.xml",
            }
        )

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------
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
                raise batch._crm_file_error(exc) from exc
        return True

    def _crm_file_error(self, exc):
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

    def action_cancel(self):
        """Cancel generated batches that were not sent: their invoices are free again."""
        self._crm_check_manager()
        for batch in self:
            if batch.state != "generated":
                raise UserError(
                    self.env._(
                        "Batch %(name)s was already sent: register returns instead.",
                        name=batch.name,
                    )
                )
        self.line_ids.write({"state": "cancelled"})
        self.write({"state": "cancelled"})
        return True

    def action_confirm(self):
        """Confirm that the file was sent to the bank (button and RPC): books ONE journal
        entry per batch (receivables of all invoices against the transfer account, one
        transfer line per payment group as the bank books it) and reconciles the invoices."""
        self._crm_check_manager()
        for batch in self:
            if batch.state != "generated":
                raise UserError(
                    self.env._("Batch %(name)s is not waiting to be sent.", name=batch.name)
                )
            batch._crm_book()
        return True

    def _crm_general_journal(self):
        return self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1
        )

    def _crm_book(self):
        self.ensure_one()
        company = self.company_id
        transfer_account = company._crm_sepa_transfer_account()
        if not transfer_account:
            raise UserError(
                self.env._("Set a SEPA transfer account in the settings of %(c)s.", c=company.name)
            )
        lines = self.line_ids.filtered(lambda line: line.state == "open")
        lines.fetch(["move_id", "partner_id", "amount_cents", "sequence_type", "collection_date"])
        moves = lines.move_id
        counterpart_type = {
            "out_invoice": "asset_receivable",
            "out_refund": "asset_receivable",
            "in_invoice": "liability_payable",
            "in_refund": "liability_payable",
        }
        # the invoices' open receivable (payable) lines, found in SQL: reading all lines of
        # 10,000 invoices into the ORM's cache to filter them costs seconds
        AML = self.env["account.move.line"]
        AML.flush_model(["move_id", "account_id", "reconciled"])
        moves.flush_recordset(["move_type"])
        found = defaultdict(list)
        if moves:
            for aml_id, move_id, move_type, account_type in self.env.execute_query(
                SQL(
                    """SELECT l.id, l.move_id, m.move_type, a.account_type
                         FROM account_move_line l
                         JOIN account_move m ON m.id = l.move_id
                         JOIN account_account a ON a.id = l.account_id
                        WHERE l.move_id IN %s AND l.reconciled IS NOT TRUE
                          AND a.account_type IN ('asset_receivable', 'liability_payable')
                        ORDER BY l.id""",
                    tuple(moves.ids),
                )
            ):
                if counterpart_type.get(move_type) == account_type:
                    found[move_id].append(aml_id)
        open_lines = AML.browse([aml_id for ids in found.values() for aml_id in ids])
        open_lines.fetch(["move_id", "account_id", "amount_residual"])
        by_move = defaultdict(lambda: AML)
        by_move.update((move_id, AML.browse(ids)) for move_id, ids in found.items())
        sign = 1 if self.kind == "debit" else -1  # debit: money comes in
        date = fields.Date.context_today(self)
        line_vals = []
        groups = defaultdict(int)
        for line in lines:
            amls = by_move[line.move_id.id]
            if not amls:
                raise UserError(
                    self.env._(
                        "Batch %(b)s: invoice %(inv)s has no open receivable or payable left.",
                        b=self.name,
                        inv=line.move_id.name,
                    )
                )
            balance = sign * line.amount_cents / 100
            line_vals.append(
                {
                    "name": line.end_to_end_id,
                    "account_id": amls[0].account_id.id,
                    "partner_id": line.partner_id.id,
                    "debit": balance < 0 and -balance or 0.0,
                    "credit": balance > 0 and balance or 0.0,
                }
            )
            # batch booking: the bank books one amount per payment group; without it, one
            # per payment, which the statement line then matches by its end-to-end id
            key = (line.collection_date, line.sequence_type or "")
            groups[key if self.batch_booking else (*key, line.end_to_end_id)] += line.amount_cents
        group_lines = []
        for key, cents in sorted(groups.items()):
            balance = sign * cents / 100
            group_lines.append(
                {
                    "name": " ".join(filter(None, [self.name, key[1], str(key[0]), *key[2:]])),
                    "account_id": transfer_account.id,
                    "debit": balance > 0 and balance or 0.0,
                    "credit": balance < 0 and -balance or 0.0,
                }
            )
        journal = self._crm_general_journal()
        open_lines.fetch(["amount_residual"])
        touched = set()
        if open_lines:
            self.env["account.partial.reconcile"].flush_model()
            for debit_id, credit_id in self.env.execute_query(
                SQL(
                    "SELECT debit_move_id, credit_move_id FROM account_partial_reconcile"
                    " WHERE debit_move_id IN %(ids)s OR credit_move_id IN %(ids)s",
                    ids=tuple(open_lines.ids),
                )
            ):
                touched.update((debit_id, credit_id))
        fast = self.currency_id == company.currency_id and all(
            len(by_move[line.move_id.id]) == 1
            and by_move[line.move_id.id].id not in touched
            and to_cents(abs(by_move[line.move_id.id].amount_residual)) == line.amount_cents
            for line in lines
        )
        in_payment = moves.filtered(lambda move: move.payment_state == "in_payment")
        if fast:
            entry = self._crm_book_fast(journal, date, group_lines, line_vals, lines, by_move)
            lines = lines.browse(lines.ids)  # the caches were dropped
        else:
            entry = self._crm_post_entry(journal, date, group_lines + line_vals)
            booked = entry.line_ids[len(group_lines) :]
            plan = []
            for line, aml in zip(lines, booked, strict=True):
                line.booking_line_id = aml
                plan.append(by_move[line.move_id.id] | aml)
            self.env["account.move.line"]._reconcile_plan(plan)
            lines.write({"state": "collected"})
        if fast:
            # the ORM's write would look for payments reconciled with the 10,000 invoices
            # (see _crm_modified); the chatter still tracks the state
            self.check_access("write")
            self._track_prepare(["state", "move_id"])
            self.flush_recordset()
            self.env.execute_query(
                SQL(
                    """UPDATE crm_sepa_batch SET state = 'sent', move_id = %s, write_uid = %s,
                              write_date = NOW() AT TIME ZONE 'UTC'
                        WHERE id = %s""",
                    entry.id,
                    self.env.uid,
                    self.id,
                )
            )
            self.invalidate_recordset()
            self._crm_modified(self, ["state", "move_id"])
        else:
            self.write({"state": "sent", "move_id": entry.id})
        if fast:
            # The invoices were "in payment" (their debit in a generated batch) and stay so:
            # the batch is sent, and crm_billing_sepa's _compute_payment_state gives "in
            # payment" for a posted invoice with a pending debit. Recomputing would only
            # write the same 10,000 values.
            for field in self.env.registry.field_computed[moves._fields["payment_state"]]:
                self.env.remove_to_compute(field, in_payment.browse(in_payment.ids))
        if self.kind == "debit":
            dates = {line.mandate_id.id: line.collection_date for line in lines}
            lines.mandate_id._crm_debit_sent(dates)
        return entry

    def _crm_post_entry(self, journal, date, line_vals):
        """The batch's journal entry with these lines, posted."""
        entry = (
            self.env["account.move"]
            .with_context(skip_invoice_sync=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": self.name,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        entry.action_post()
        return entry

    def _crm_book_fast(self, journal, date, group_lines, line_vals, lines, by_move):
        """Book a large batch in a bounded number of queries.

        The ORM creates the entry with the payment-group lines and ONE counterpart line per
        receivable/payable account (so the entry, its name and its posting are Odoo's own),
        then SQL splits each counterpart line into one line per invoice (copying every stored
        column of the ORM-made line, only partner, label and amounts differ) and reconciles
        each with its invoice: one partial and one full reconcile per pair, as Odoo writes
        them. Caches are invalidated and the ORM is told what changed (modified), so the
        invoices' residuals and payment states are recomputed by Odoo in batch.

        Only used when every invoice has exactly one open, untouched counterpart line whose
        residual is the debited amount, in the company currency; otherwise the ORM path
        (_reconcile_plan) books the batch."""
        AML = self.env["account.move.line"]
        by_account = defaultdict(list)
        for vals, line in zip(line_vals, lines, strict=True):
            by_account[vals["account_id"]].append((vals, line))
        templates = []
        for account_id, pairs in by_account.items():
            debit = sum(round(v["debit"] * 100) for v, _l in pairs) / 100
            credit = sum(round(v["credit"] * 100) for v, _l in pairs) / 100
            templates.append(
                {
                    "name": self.name,
                    "account_id": account_id,
                    "debit": max(debit - credit, 0.0),
                    "credit": max(credit - debit, 0.0),
                }
            )
        entry = self._crm_post_entry(journal, date, group_lines + templates)
        self.env.flush_all()
        template_lines = entry.line_ids.filtered(lambda aml: aml.name == self.name)
        by_template = {aml.account_id.id: aml for aml in template_lines}
        overridden = {
            "id",
            "partner_id",
            "name",
            "debit",
            "credit",
            "balance",
            "amount_currency",
            "amount_residual",
            "amount_residual_currency",
            "reconciled",
            "full_reconcile_id",
            "matching_number",
            "create_date",
            "write_date",
        }
        copied = [
            name
            for name, field in AML._fields.items()
            if field.store and field.column_type and name not in overridden
        ]
        columns = SQL(", ").join(SQL.identifier(name) for name in copied)
        template_columns = SQL(", ").join(SQL.identifier("t", name) for name in copied)
        # one full reconcile per (invoice line, batch line), made first so that the new lines
        # and the partials are written with it at once (no second write of 20 indexed columns)
        uid = self.env.uid
        full_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """INSERT INTO account_full_reconcile (create_uid, write_uid, create_date,
                           write_date)
                       SELECT %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                         FROM generate_series(1, %(n)s)
                    RETURNING id""",
                    uid=uid,
                    n=len(lines),
                )
            )
        ]
        full_of = dict(zip(lines.ids, full_ids, strict=True))
        pairs = []  # (invoice line id, new line id, batch line, full reconcile id)
        for account_id, items in by_account.items():
            # one array per column (unnest): cheaper to pass than 10,000 rows of VALUES
            rows = SQL(
                "%s::int4[], %s::varchar[], %s::numeric[], %s::numeric[], %s::int4[]",
                [line.partner_id.id for _v, line in items],
                [vals["name"] for vals, _l in items],
                [vals["debit"] for vals, _l in items],
                [vals["credit"] for vals, _l in items],
                [full_of[line.id] for _v, line in items],
            )
            created = self.env.execute_query(
                SQL(
                    """INSERT INTO account_move_line (%(columns)s, partner_id, name, debit, credit,
                           balance, amount_currency, amount_residual, amount_residual_currency,
                           reconciled, full_reconcile_id, matching_number, create_date,
                           write_date)
                       SELECT %(template_columns)s, v.partner_id, v.name, v.debit, v.credit,
                              v.debit - v.credit, v.debit - v.credit, 0, 0, TRUE, v.f, v.f::text,
                              NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                         FROM account_move_line t
                         JOIN unnest(%(rows)s) AS v(partner_id, name, debit, credit, f) ON TRUE
                        WHERE t.id = %(template)s
                    RETURNING id, name""",
                    columns=columns,
                    template_columns=template_columns,
                    rows=rows,
                    template=by_template[account_id].id,
                )
            )
            new_by_name = dict((name, line_id) for line_id, name in created)
            for _vals, line in items:
                pairs.append(
                    (
                        by_move[line.move_id.id].id,
                        new_by_name[line.end_to_end_id],
                        line,
                        full_of[line.id],
                    )
                )
        self.env.execute_query(
            SQL("DELETE FROM account_move_line WHERE id IN %s", tuple(template_lines.ids))
        )
        # one partial per pair, in its full reconcile
        debit_side = self.kind == "debit"  # the invoice's receivable line is the debit
        partial_rows = SQL(
            "%s::int4[], %s::int4[], %s::numeric[], %s::int4[]",
            [inv_id if debit_side else new_id for inv_id, new_id, _l, _f in pairs],
            [new_id if debit_side else inv_id for inv_id, new_id, _l, _f in pairs],
            [line.amount_cents / 100 for _i, _n, line, _f in pairs],
            [full_id for _i, _n, _l, full_id in pairs],
        )
        self.env.execute_query(
            SQL(
                """INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount,
                       debit_amount_currency, credit_amount_currency, debit_currency_id,
                       credit_currency_id, company_id, max_date, full_reconcile_id, create_uid,
                       write_uid, create_date, write_date)
                   SELECT d.id, c.id, v.amount, v.amount, v.amount, d.currency_id, c.currency_id,
                          d.company_id, GREATEST(d.date, c.date), v.f, %(uid)s, %(uid)s,
                          NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%(rows)s) AS v(d, c, amount, f)
                     JOIN account_move_line d ON d.id = v.d
                     JOIN account_move_line c ON c.id = v.c""",
                uid=uid,
                rows=partial_rows,
            )
        )
        # the invoices' lines: settled
        self.env.execute_query(
            SQL(
                """UPDATE account_move_line l
                      SET full_reconcile_id = v.f, matching_number = v.f::text, reconciled = TRUE,
                          amount_residual = 0, amount_residual_currency = 0
                     FROM unnest(%s::int4[], %s::int4[]) AS v(l, f) WHERE l.id = v.l""",
                [inv_id for inv_id, _n, _l, _f in pairs],
                [f for _i, _n, _l, f in pairs],
            )
        )
        self.env.execute_query(
            SQL(
                """UPDATE crm_sepa_batch_line b
                      SET booking_line_id = v.aml, state = 'collected', write_uid = %s,
                          write_date = NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%s::int4[], %s::int4[]) AS v(line, aml)
                    WHERE b.id = v.line""",
                uid,
                [line.id for _i, _n, line, _f in pairs],
                [new_id for _i, new_id, _l, _f in pairs],
            )
        )
        # Every invoice had one open receivable (payable) line, with the debited amount as
        # residual, now fully reconciled: the invoice's residual is 0. Its other amounts
        # (untaxed, tax, total) do not depend on reconciliation.
        Move = self.env["account.move"]
        move_ids = tuple({line.move_id.id for _i, _n, line, _f in pairs})
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET amount_residual = 0, amount_residual_signed = 0"
                " WHERE id IN %s",
                move_ids,
            )
        )
        # tell the ORM what changed under its feet: drop its caches and mark what depends on
        # the invoices' lines and the batch lines (payment states, ...) for recomputation.
        # The invoices' amounts were written above: recomputing them (Odoo's _compute_amount
        # reads every line of every invoice) would only find the same values again. The new
        # lines' own stored values were copied or written above.
        self.env.invalidate_all()
        invoice_lines = AML.browse([inv_id for inv_id, _n, _l, _f in pairs])
        self._crm_modified(
            invoice_lines,
            [
                "amount_residual",
                "amount_residual_currency",
                "reconciled",
                "full_reconcile_id",
                "matching_number",
                "matched_debit_ids",
                "matched_credit_ids",
            ],
        )
        moves = Move.browse(move_ids)
        self._crm_modified(moves, ["amount_residual", "amount_residual_signed"])
        self._crm_modified(lines.browse(lines.ids), ["state", "booking_line_id"])
        # What the SQL above wrote exactly, Odoo need not compute again: the invoices' amounts
        # (only the residual changed, to 0), their lines' residuals and reconciled flags (fully
        # reconciled: 0 and True) and the invoices' due dates (from payment terms, dates and
        # totals, none of which changed).
        for field in self.env.registry.field_computed[Move._fields["amount_residual"]]:
            self.env.remove_to_compute(field, moves)
        for field in self.env.registry.field_computed[AML._fields["amount_residual"]]:
            self.env.remove_to_compute(field, invoice_lines)
        self.env.remove_to_compute(Move._fields["invoice_date_due"], moves)
        # the entry's own residual: its split lines are all reconciled
        for field in self.env.registry.field_computed[Move._fields["amount_residual"]]:
            self.env.add_to_compute(field, entry)
        return entry

    # ------------------------------------------------------------------------------------------
    # Bank statement
    # ------------------------------------------------------------------------------------------
    def _crm_open_transfer_lines(self):
        account = self.company_id._crm_sepa_transfer_account()
        return self.move_id.line_ids.filtered(
            lambda aml: aml.account_id == account and not aml.reconciled
        )

    def _crm_update_settled(self):
        for batch in self.filtered(lambda b: b.state == "sent"):
            if not batch._crm_open_transfer_lines():
                batch.state = "done"

    # ------------------------------------------------------------------------------------------
    # Credit transfers
    # ------------------------------------------------------------------------------------------
    @api.model
    def create_transfer_batches(
        self, move_ids=None, partner_ids=None, due_date_to=None, company_id=None
    ):
        """Pay supplier bills and refund customer credit notes by SEPA credit transfer
        (public, RPC): one validated pain.001 file for the open bills and credit notes of
        the company (optionally only `move_ids`, the partners `partner_ids`, due until
        `due_date_to`). Returns {"batch_ids", "errors"} as create_debit_batches."""
        self._crm_check_manager()
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        domain = Domain(
            [
                ("company_id", "=", company.id),
                ("move_type", "in", ("in_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )
        if move_ids:
            domain &= Domain("id", "in", list(move_ids))
        if partner_ids:
            domain &= Domain("commercial_partner_id", "child_of", list(partner_ids))
        if due_date_to:
            domain &= Domain("invoice_date_due", "<=", due_date_to)
        moves = self._crm_lock_free(
            self.env["account.move"].search(domain, order="invoice_date_due, id")
        )
        errors = []

        def error(move, message):
            errors.append(self._crm_error(move, message))

        if not moves:
            return {"batch_ids": [], "errors": errors}
        journal = company._crm_sepa_journal()
        message = self._crm_own_account_problem(
            company, journal.bank_account_id.sanitized_acc_number
        )
        if message:
            for move in moves:
                error(move, message)
            return {"batch_ids": [], "errors": errors}
        eur = self.env.ref("base.EUR")
        today = fields.Date.context_today(self)
        previous = self._crm_previous_attempts(moves)
        lines = []
        for move in moves:
            partner = move.commercial_partner_id
            bank = move.partner_bank_id or partner.bank_ids[:1]
            iban = bank.sanitized_acc_number
            missing = (
                None
                if bank
                else self.env._("%(partner)s has no bank account.", partner=partner.name)
            )
            cents, problem = self._crm_payment_cents(move, eur, "transfer", iban, missing)
            if problem:
                error(move, problem)
                continue
            lines.append(
                {
                    "move_id": move.id,
                    "partner_id": partner.id,
                    "iban": iban,
                    "bic": bank.bank_id.bic or iban_tools.bic(iban),
                    "amount_cents": cents,
                    "collection_date": target2.next_business_day(
                        max(move.invoice_date_due or today, today)
                    ),
                    "end_to_end_id": self._crm_end_to_end_id(move, previous[move.id] + 1),
                    "_name": bank.acc_holder_name or partner.name,
                    "_description": move.ref or move.payment_reference or move.name,
                }
            )
        batches = self.browse()
        if lines:
            batches = self._crm_create_batch(company, "transfer", lines)
        return {"batch_ids": batches.ids, "errors": errors}
