"""Fast path: draft invoices made in bulk, as account.move.create(vals_list) makes them.

Entry: ``create_draft_invoices(Move, vals_list)``; its ORM path is ``Move.create(vals_list)``
(taken when the switch of ``crm_core.tools.fastpath`` is off).

Odoo's create synchronises the dynamic lines (taxes, receivable) line by line: each product
line is written once more, each tax line created and rewritten, which costs about 40 ms an
invoice. Here the invoice headers are created by the ORM (all their defaults and computed
fields), then every line of all invoices at once, taxes and receivable lines included, with
Odoo's own computations (the tax engine of account.tax and the payment term's
_compute_terms, as _sync_tax_lines and _compute_needed_terms use them for a draft): in one
INSERT (``_insert_lines``) or, where that does not apply, in one create with
``skip_invoice_sync``, the key Odoo's own reversal uses when it creates complete moves. Odoo
still checks that every move balances and runs the lines' constraints.

It steps aside for invoices it does not cover (cash rounding, early payment discount, line
commands other than create, explicit taxes other than clear/set: Odoo's ordinary path per
invoice) and writes the lines through the ORM (not the INSERT) when a module added a stored
field to the journal items or overrides their creation (``insert_blockers``), for a storno
company and for analytic distributions. The tests compare the raw rows of both paths on the
generic chart, SKR03 and the Czech chart (``tests/test_fastpath.py``; column by column with
Odoo's create on tricky invoices: ``tests/test_billing_bulk_invoice.py``).
"""

from datetime import date

from odoo import fields
from odoo.fields import Command, Domain
from odoo.tools import SQL, float_is_zero, float_round
from odoo.tools.translate import LazyGettext

from odoo.addons.crm_core.tools import fastpath

from . import fastpath_rows

_inherit = "account.move"

# the stored fields of account.move.line that _insert_lines writes; the others
# stay empty, as on a line Odoo creates for a draft invoice
LINE_COLUMNS = (
    "account_id",
    "amount_currency",
    "amount_residual",
    "amount_residual_currency",
    "analytic_distribution",
    "balance",
    "company_currency_id",
    "company_id",
    "credit",
    "currency_id",
    "date",
    "date_maturity",
    "debit",
    "deductible_amount",
    "discount",
    "discount_amount_currency",
    "discount_balance",
    "discount_date",
    "display_type",
    "group_tax_id",
    "invoice_date",
    "is_storno",
    "journal_id",
    "move_id",
    "move_name",
    "name",
    "no_followup",
    "parent_state",
    "partner_id",
    "payment_id",
    "price_subtotal",
    "price_total",
    "price_unit",
    "product_id",
    "product_uom_id",
    "quantity",
    "reconciled",
    "ref",
    "sequence",
    "statement_id",
    "statement_line_id",
    "tax_base_amount",
    "tax_group_id",
    "tax_line_id",
    "tax_repartition_line_id",
)

LINE_SEQUENCE = {"tax": 10000, "payment_term": 12000}

# the Python constraints of account.move.line (all of the account module) and what they
# read beyond the line's invoice type
LINE_CONSTRAINTS = {
    "_check_caba_non_caba_shared_tags": ("tax_ids", "tax_repartition_line_id"),
    "_check_off_balance": ("account_id", "tax_ids", "tax_line_id", "reconciled"),
    "_check_payable_receivable": ("account_id", "display_type"),
    "_constrains_deductible_amount": ("deductible_amount",),
    "_constrains_matching_number": ("matching_number",),
}


def create_draft_invoices(Move, vals_list):
    """Create these draft invoices (values as account.move.create takes them) and return
    them, as Odoo's create makes them (see the module's docstring): with the fast paths
    off, by Odoo's create itself."""
    if not fastpath.enabled(Move.env):
        return Move.create(vals_list)
    heads, lines_list = [], []
    for vals in vals_list:
        vals = dict(vals)
        commands = list(vals.pop("invoice_line_ids", []) or []) + list(
            vals.pop("line_ids", []) or []
        )
        heads.append(vals)
        lines_list.append(commands)
    _default_journals(Move, heads)
    moves = Move.with_context(skip_invoice_sync=True).create(heads).with_env(Move.env)
    # the headers' computed fields (payment state of an empty invoice: no query) now
    Move.env.flush_all()
    slow = []
    fast_vals = []
    cache = {}
    for move, commands in zip(moves, lines_list, strict=True):
        prepared = _prepare_lines(move, commands, cache)
        if prepared is None:
            slow.append((move, commands))
        else:
            fast_vals.extend(prepared)
    if fast_vals:
        # a new draft invoice has no reconciled line: its payment state is "not paid"
        # (already computed on the header). Odoo's recomputation would run its
        # reconciliation query once more for all these moves: on tables whose statistics
        # predate a bulk run the planner turns it into nested full scans (minutes for a
        # few thousand invoices).
        fast = Move.browse({vals["move_id"] for vals in fast_vals})
        if not Move.env["account.analytic.distribution.model"].search_count(
            Domain("company_id", "in", [*fast.company_id.ids, False]), limit=1
        ):
            # no distribution model: Odoo's per-line model search finds none either
            for vals in fast_vals:
                if vals["display_type"] == "product":
                    vals.setdefault("analytic_distribution", False)
        with Move.env.protecting([Move._fields["payment_state"]], fast):
            if not _insert_lines(fast, fast_vals):
                # skip_analytic_sync: draft lines have no analytic lines to re-create
                Line = Move.env["account.move.line"].with_context(
                    skip_invoice_sync=True, skip_analytic_sync=True
                )
                Line.create(
                    [
                        {key: val for key, val in vals.items() if not key.startswith("_")}
                        for vals in fast_vals
                    ]
                )
            Move.env.flush_all()
    for move, commands in slow:
        move.write({"invoice_line_ids": commands})
    # as Odoo's create leaves it: made by the program, not modified by hand. One UPDATE:
    # the ORM's write would run the whole dynamic-line synchronisation and balance check
    # of every invoice again for this plain flag (a seventh of the bulk path's time)
    Move.env.flush_all()
    Move.env.cr.execute(
        SQL(
            """UPDATE account_move SET is_manually_modified = FALSE
                WHERE id = ANY(%s) AND is_manually_modified""",
            moves.ids,
        )
    )
    moves.invalidate_recordset(["is_manually_modified"])
    return moves


def insert_blockers(Move):
    """What keeps _insert_lines from writing lines itself: stored fields of
    account.move.line with a default or a computation it does not write, and
    overrides of the line's creation by modules other than account and analytic (their
    logic would be skipped). While there is one, the lines go through the ORM."""
    Line = Move.env["account.move.line"]
    return fastpath_rows.unhandled_fields(
        Line, {*LINE_COLUMNS, "tax_ids", "tax_tag_ids"}
    ) + fastpath_rows.overridden(
        Line,
        ("create", "_create", "_prepare_create_values", "_sanitize_vals"),
        known={None, "account", "analytic"},
    )


def _insert_lines(moves, vals_list):
    """Write the lines of these new draft invoices (values of _prepare_lines)
    with one INSERT, every stored field as Odoo's create and the recomputation after it
    leave it, then let the ORM recompute what depends on them (the invoices' totals, due
    dates) and run the lines' constraints and Odoo's balance check. Odoo's create costs
    about 1 ms a line in Python (precomputations on new records, company checks, the
    invoice synchronisation it is told to skip). Return False, writing nothing, for lines
    beyond it (a storno company, analytic distributions, a product line without label,
    fields or creation overrides of other modules): those take the ORM.
    test_bulk_invoice compares every column with Odoo's."""
    if (
        insert_blockers(moves)
        or any(moves.company_id.mapped("account_storno"))
        or any(
            vals["display_type"] == "product"
            # an analytic distribution given or left to Odoo's distribution models
            and (vals.get("analytic_distribution", True) or not vals.get("name"))
            for vals in vals_list
        )
    ):
        return False
    Line = moves.env["account.move.line"]
    Line.check_access("create")
    rows = _line_rows(moves, vals_list)
    ids = fastpath_rows.insert(Line, rows)
    for fname in ("tax_ids", "tax_tag_ids"):
        field = Line._fields[fname]
        pairs = [
            (line_id, rel_id)
            for line_id, vals in zip(ids, vals_list, strict=True)
            for rel_id in _command_ids(vals.get(fname))
        ]
        if pairs:
            moves.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[])",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    [pair[0] for pair in pairs],
                    [pair[1] for pair in pairs],
                )
            )
    lines = Line.browse(ids)
    # what depends on the new lines: the invoices' totals, due dates, payment states
    # (the lines' own fields are written above: protected against recomputation)
    Line.invalidate_model()
    moves.invalidate_recordset(["line_ids", "invoice_line_ids"])
    stored = [name for name, field in Line._fields.items() if field.store]
    with moves.env.protecting([Line._fields[name] for name in stored], lines):
        lines.modified(stored, create=True)
    _validate_lines(moves, lines, rows, vals_list, stored)
    lines.check_access("create")
    lines._check_constrains_account_id_journal_id()
    with moves._check_balanced({"records": moves}):
        pass
    return True


def _validate_lines(moves, lines, rows, vals_list, fnames):
    """Odoo's checks of new lines, as its create runs them: the Python constraints and
    the company checks of what callers may give (the other values come from the invoice
    itself). They read only the values in LINE_CONSTRAINTS, the company, product and
    invoice type: they run on one line per distinct combination of those. Constraints
    of other modules, or an off-balance account (its check reads the whole invoice), run
    on every line."""
    Line = moves.env["account.move.line"]
    accounts = moves.env["account.account"].browse(
        {row["account_id"] for row in rows if row.get("account_id")}
    )
    known = all(
        method.__name__ in LINE_CONSTRAINTS
        and method.__module__ == "odoo.addons.account.models.account_move_line"
        for method in Line._constraint_methods
    )
    if not known or "off_balance" in accounts.mapped("account_type"):
        lines._validate_fields(fnames)
        lines._check_company(["account_id", "product_id", "tax_ids"])
        return
    read = sorted({name for names in LINE_CONSTRAINTS.values() for name in names})
    move_types = {move.id: move.move_type for move in moves}
    samples = {}
    for line_id, vals, row in zip(lines.ids, vals_list, rows, strict=True):
        key = (
            move_types[vals["move_id"]],
            row["company_id"],
            row.get("product_id"),
            tuple(_command_ids(vals.get("tax_ids"))),
            *(row.get(name) for name in read if name != "tax_ids"),
        )
        samples.setdefault(key, line_id)
    sample = Line.browse(samples.values())
    sample._validate_fields(fnames)
    sample._check_company(["account_id", "product_id", "tax_ids"])


def _line_rows(moves, vals_list):
    """The complete rows (CRM_LINE_COLUMNS) of these line values of these invoices."""
    Line = moves.env["account.move.line"]
    heads = {
        move.id: {
            "company_id": move.company_id.id,
            "company_currency_id": move.company_id.currency_id.id,
            "journal_id": move.journal_id.id,
            "date": move.date,
            "invoice_date": move.invoice_date,
            "move_name": move.name,
            "parent_state": move.state,
            "ref": move.ref,
            "payment_id": move.origin_payment_id.id,
            "statement_line_id": move.statement_line_id.id,
            "statement_id": move.statement_line_id.statement_id.id,
            "currency_id": move.currency_id.id,
            "partner_id": move.commercial_partner_id.id,
            "no_followup": move.is_entry() and not move.origin_payment_id,
            "is_storno": False,
        }
        for move in moves
    }
    products = moves.env["product.product"].browse(
        {vals["product_id"] for vals in vals_list if vals.get("product_id")}
    )
    uoms = {product.id: product.uom_id.id for product in products}
    cache = {}
    rows, terms = [], {}
    for vals in vals_list:
        display_type = vals["display_type"]
        row = {
            **heads[vals["move_id"]],
            **{k: v for k, v in vals.items() if k in LINE_COLUMNS},
        }
        row.setdefault("sequence", LINE_SEQUENCE.get(display_type, 100))
        row.setdefault("deductible_amount", 100.0)
        row.setdefault("discount", 0.0)
        if display_type == "product":
            row.setdefault("quantity", 1.0)
            row.setdefault("product_uom_id", uoms.get(row.get("product_id")))
            row["price_subtotal"], row["price_total"] = vals["_totals"]
        else:
            row.setdefault("quantity", 0.0)
            row.setdefault("price_unit", 0.0)
            row["price_subtotal"] = row["price_total"] = 0.0
        if display_type in ("line_section", "line_subsection", "line_note"):
            row.pop("account_id", None)
            row["balance"] = row["amount_currency"] = 0.0
        _line_amounts(moves, row, cache)
        for name in ("quantity", "price_unit", "discount", "deductible_amount"):
            row[name] = Line._fields[name].convert_to_column(row[name], Line)
        if display_type == "payment_term":
            terms.setdefault(vals["move_id"], []).append(row)
        rows.append(row)
    for move in moves:
        if move.id in terms:
            _term_names(move, terms[move.id])
    return rows


def _line_amounts(Move, row, cache):
    """Rounded amounts, debit and credit, residual amounts (as _compute_amount_residual
    leaves them on a line without reconciliation) and the tax of a line row."""
    for currency_id in (row["currency_id"], row["company_currency_id"]):
        if ("currency", currency_id) not in cache:
            currency = Move.env["res.currency"].browse(currency_id)
            cache["currency", currency_id] = currency.rounding
    currency_rounding = cache["currency", row["currency_id"]]
    company_rounding = cache["currency", row["company_currency_id"]]
    balance = row["balance"] = float_round(row["balance"], precision_rounding=company_rounding)
    amount = row["amount_currency"] = float_round(
        row["amount_currency"], precision_rounding=currency_rounding
    )
    # monetary columns as the ORM writes them: rounded to their currency
    for name in ("price_subtotal", "price_total"):
        row[name] = float_round(row[name], precision_rounding=currency_rounding)
    row["debit"] = balance if balance > 0.0 else 0.0
    row["credit"] = -balance if balance < 0.0 else 0.0
    account_id = row.get("account_id")
    if ("account", account_id) not in cache:
        account = Move.env["account.account"].browse(account_id)
        cache["account", account_id] = account.reconcile or account.account_type in (
            "asset_cash",
            "liability_credit_card",
        )
    if cache["account", account_id]:
        row["amount_residual"] = balance
        row["amount_residual_currency"] = amount
        row["reconciled"] = float_is_zero(
            balance, precision_rounding=company_rounding
        ) and float_is_zero(amount, precision_rounding=currency_rounding)
    else:
        row["amount_residual"] = row["amount_residual_currency"] = 0.0
        row["reconciled"] = False
    if rep_id := row.get("tax_repartition_line_id"):
        if ("tax", rep_id) not in cache:
            tax = Move.env["account.tax.repartition.line"].browse(rep_id).tax_id
            cache["tax", rep_id] = (tax.id, tax.tax_group_id.id)
        row["tax_line_id"], row["tax_group_id"] = cache["tax", rep_id]


def _command_ids(commands):
    """The ids a list of clear/set commands leaves; None for other commands."""
    ids = []
    for command in commands or []:
        if command[0] == Command.CLEAR:
            ids = []
        elif command[0] == Command.SET:
            ids = list(command[2])
        else:
            return None
    return ids


def _term_names(move, rows):
    """The labels Odoo's _compute_name gives the receivable lines of a new invoice."""
    if move.payment_reference and move.ref and move.payment_reference != move.ref:
        name = f"{move.ref} - {move.payment_reference}"
    else:
        name = move.payment_reference or False
    installments = len(move.invoice_payment_term_id.line_ids) > 1
    ordered = sorted(rows, key=lambda row: row.get("date_maturity") or date.max)
    for index, row in enumerate(ordered, start=1):
        if installments:
            # Odoo's own wording, translated by the account module
            row["name"] = (
                LazyGettext(
                    "%(name)s installment #%(number)s",
                    name=name or "",
                    number=index,
                    _module="account",
                )
                ._translate(move.env.lang or "en_US")
                .lstrip()
            )
        else:
            row["name"] = name


def _default_journals(Move, heads):
    """Set the journal Odoo would compute (_compute_journal_id searches it once per
    invoice: a sixth of the headers' creation) on these invoice values, computed once
    per move type, company and currency on a new record as Odoo does it."""
    journals = {}
    for vals in heads:
        move_type = vals.get("move_type") or Move.env.context.get("default_move_type")
        if "journal_id" in vals or not (
            move_type and vals.get("company_id") and vals.get("currency_id")
        ):
            continue
        key = (move_type, vals["company_id"], vals["currency_id"])
        if key not in journals:
            probe = Move.new(
                {
                    "move_type": move_type,
                    "company_id": vals["company_id"],
                    "currency_id": vals["currency_id"],
                }
            )
            journals[key] = probe.journal_id.id
        vals["journal_id"] = journals[key]


def _line_taxes(move, line_vals, cache):
    """(account, taxes) of a new product line of this invoice as Odoo computes them
    (a new line record of this move), or explicit taxes given as clear/set commands;
    None when the values are beyond the bulk path."""
    product_id = line_vals.get("product_id")
    key = (
        move.company_id.id,
        move.journal_id.id,
        move.fiscal_position_id.id,
        move.move_type,
        move.commercial_partner_id.id if not product_id else False,
        product_id,
        line_vals.get("account_id"),
    )
    if key not in cache:
        probe = move.env["account.move.line"].new(
            {
                "move_id": move.id,
                "display_type": "product",
                "product_id": product_id,
                "partner_id": move.commercial_partner_id.id,
                **({"account_id": line_vals["account_id"]} if "account_id" in line_vals else {}),
            }
        )
        cache[key] = (probe.account_id._origin, probe.tax_ids._origin)
    account, taxes = cache[key]
    if "tax_ids" in line_vals:
        tax_ids = _command_ids(line_vals["tax_ids"])
        if tax_ids is None:
            return None
        taxes = move.env["account.tax"].browse(tax_ids)
    return account, taxes


def _prepare_lines(move, commands, cache):
    """All line values (products, taxes, payment terms) of this new draft invoice, or
    None when it must take Odoo's ordinary path."""
    move.ensure_one()
    if (
        move.state != "draft"
        or not move.is_invoice(include_receipts=True)
        or move.invoice_cash_rounding_id
        or move.invoice_payment_term_id.early_discount
        or any(command[0] != Command.CREATE for command in commands)
    ):
        return None
    AccountTax = move.env["account.tax"]
    company = move.company_id
    sign = move.direction_sign
    partner = move.commercial_partner_id
    result, base_lines = [], []
    for _command, _id, line_vals in commands:
        vals = dict(line_vals, move_id=move.id)
        display_type = vals.setdefault("display_type", "product")
        if display_type in ("line_section", "line_subsection", "line_note"):
            result.append(vals)
            continue
        if (
            display_type != "product"
            or "price_unit" not in vals
            or {"balance", "amount_currency", "debit", "credit"} & set(vals)
        ):
            return None
        computed = _line_taxes(move, vals, cache)
        if computed is None:
            return None
        account, taxes = computed
        vals.setdefault("account_id", account.id)
        vals["tax_ids"] = [Command.set(taxes.ids)]
        base_line = {
            "product_id": move.env["product.product"].browse(vals.get("product_id")),
            "product_uom_id": move.env["uom.uom"].browse(vals.get("product_uom_id")),
            "tax_ids": taxes,
            "price_unit": vals.get("price_unit", 0.0),
            "quantity": vals.get("quantity", 1.0),
            "discount": vals.get("discount", 0.0),
            "currency_id": move.currency_id,
            "rate": move.invoice_currency_rate,
            "sign": sign,
            "is_refund": move.move_type in ("out_refund", "in_refund"),
            "partner_id": partner,
            "account_id": move.env["account.account"].browse(vals["account_id"]),
            "analytic_distribution": vals.get("analytic_distribution"),
        }
        base_lines.append(
            AccountTax._prepare_base_line_for_taxes_computation(None, _vals=vals, **base_line)
        )
        vals["_totals"] = _line_totals(move, base_line, cache)
        result.append(vals)
    _add_tax_details(move, base_lines, cache)
    AccountTax._round_base_lines_tax_details(base_lines, company)
    _add_accounting_data(move, base_lines, cache)
    tax_results = AccountTax._prepare_tax_lines(base_lines, company)
    untaxed = untaxed_currency = tax = tax_currency = 0.0
    for base_line, to_update in tax_results["base_lines_to_update"]:
        base_line["_vals"].update(to_update)
        untaxed_currency += sign * to_update["amount_currency"]
        untaxed += sign * to_update["balance"]
    for tax_vals in tax_results["tax_lines_to_add"]:
        tax_currency += sign * tax_vals["amount_currency"]
        tax += sign * tax_vals["balance"]
        result.append({**tax_vals, "display_type": "tax", "move_id": move.id})
    if not base_lines:
        return result
    account = _term_account(
        move,
    )
    if not account:
        return None
    for term_vals in _payment_term_lines(move, tax, tax_currency, untaxed, untaxed_currency, sign):
        result.append({**term_vals, "account_id": account.id})
    return result


def _line_totals(move, base_line, cache):
    """(subtotal, total) of a product line, computed and rounded alone as
    _compute_totals does it; the same for every line of the same product, unit, taxes,
    price, quantity, discount and currency (the label, customer and account do not
    enter the tax engine's amounts)."""
    key = (
        "totals",
        move.company_id.id,
        base_line["product_id"].id,
        base_line["product_uom_id"].id,
        tuple(base_line["tax_ids"].ids),
        base_line["price_unit"],
        base_line["quantity"],
        base_line["discount"],
        base_line["currency_id"].id,
        base_line["rate"],
        base_line["sign"],
        base_line["is_refund"],
    )
    if key not in cache:
        AccountTax = move.env["account.tax"]
        alone = AccountTax._prepare_base_line_for_taxes_computation(None, **base_line)
        _add_tax_details(move, [alone], cache)
        AccountTax._round_base_lines_tax_details([alone], move.company_id)
        cache[key] = (
            alone["tax_details"]["total_excluded_currency"],
            alone["tax_details"]["total_included_currency"],
        )
    return cache[key]


def _tax_step_is_odoos(move, method, cache):
    """Whether only the account module defines this step of the tax engine: then its
    result for a line depends on the inputs _add_tax_details and
    _add_accounting_data key it by, and can be reused. Looked up once per run."""
    key = ("odoos", method)
    if key not in cache:
        cache[key] = all(
            method not in vars(cls) or getattr(cls, "_module", None) == "account"
            for cls in type(move.env["account.tax"]).__mro__
        )
    return cache[key]


def _add_tax_details(move, base_lines, cache):
    """Odoo's _add_tax_details_in_base_lines on these base lines of this invoice, each
    distinct line computed once per run (the same product, taxes, price, quantity,
    discount, currency and rate give the same details) and copied: invoices of services
    repeat their lines (the same rates, quarter hours)."""
    AccountTax = move.env["account.tax"]
    company = move.company_id
    cacheable = _tax_step_is_odoos(move, "_add_tax_details_in_base_line", cache)
    for base_line in base_lines:
        if not cacheable or base_line["special_mode"] or base_line["filter_tax_function"]:
            AccountTax._add_tax_details_in_base_line(base_line, company)
            continue
        key = (
            "tax_details",
            company.id,
            company.tax_calculation_rounding_method,
            tuple(base_line["tax_ids"].ids),
            base_line["product_id"].id,
            base_line["price_unit"],
            base_line["quantity"],
            base_line["discount"],
            base_line["currency_id"].id,
            base_line["rate"],
        )
        if key not in cache:
            AccountTax._add_tax_details_in_base_line(base_line, company)
            cache[key] = _copy_tax_details(base_line["tax_details"])
        else:
            base_line["tax_details"] = _copy_tax_details(cache[key])


def _copy_tax_details(tax_details):
    """A copy the rounding step can change without changing the original."""
    return {
        **tax_details,
        "taxes_data": [dict(tax_data) for tax_data in tax_details["taxes_data"]],
    }


def _add_accounting_data(move, base_lines, cache):
    """Odoo's _add_accounting_data_in_base_lines_tax_details on these base lines (tax
    details rounded) of this invoice. What it computes per line (tax tags, repartition
    amounts, accounts) depends on the line's taxes and their rounded amounts, product,
    account, currency and refund flag: it is computed once per run for each distinct
    combination and copied. The grouping keys of the tax lines (customer, analytic
    distribution) are made for each line by Odoo's own methods."""
    AccountTax = move.env["account.tax"]
    company = move.company_id
    caba = move.always_tax_exigible
    if not _tax_step_is_odoos(
        move, "_add_accounting_data_to_base_line_tax_details", cache
    ) or move.env.context.get("compute_all_use_raw_base_lines"):
        AccountTax._add_accounting_data_in_base_lines_tax_details(
            base_lines, company, include_caba_tags=caba
        )
        return
    for base_line in base_lines:
        taxes_data = base_line["tax_details"]["taxes_data"]
        key = (
            "accounting_data",
            company.id,
            caba,
            base_line["is_refund"],
            base_line["currency_id"].id,
            base_line["product_id"].id,
            base_line["account_id"].id,
            tuple(base_line["tax_ids"].ids),
            tuple(
                (
                    tax_data["tax"].id,
                    tax_data["is_reverse_charge"],
                    tax_data["tax_amount"],
                    tax_data["tax_amount_currency"],
                )
                for tax_data in taxes_data
            ),
        )
        if key not in cache:
            AccountTax._add_accounting_data_to_base_line_tax_details(
                base_line, company, include_caba_tags=caba
            )
            cache[key] = (
                base_line["tax_tag_ids"],
                [
                    [
                        {name: val for name, val in rep.items() if name != "grouping_key"}
                        for rep in tax_data["tax_reps_data"]
                    ]
                    for tax_data in taxes_data
                ],
            )
            continue
        tags, reps_per_tax = cache[key]
        base_line["tax_tag_ids"] = tags
        line_key = AccountTax._prepare_base_line_grouping_key(base_line)
        for tax_data, reps in zip(taxes_data, reps_per_tax, strict=True):
            tax_data["tax_reps_data"] = [dict(rep) for rep in reps]
            for rep in tax_data["tax_reps_data"]:
                rep["grouping_key"] = AccountTax._prepare_base_line_tax_repartition_grouping_key(
                    base_line, line_key, tax_data, rep
                )


def _term_account(move):
    """The receivable (payable) account Odoo's _compute_account_id gives the payment term
    lines of this new invoice: the customer's, else the company's, mapped by the fiscal
    position."""
    field = (
        "property_account_receivable_id"
        if move.is_sale_document(include_receipts=True)
        else "property_account_payable_id"
    )
    move = move.with_company(move.company_id)
    account = move.commercial_partner_id[field] or move.company_id.partner_id[field]
    if account and move.fiscal_position_id:
        account = move.fiscal_position_id.map_account(account)
    return account


def _payment_term_lines(move, tax, tax_currency, untaxed, untaxed_currency, sign):
    """The receivable lines of this draft invoice, as _compute_needed_terms and
    _sync_dynamic_line make them."""
    if not move.invoice_payment_term_id:
        return [
            {
                "move_id": move.id,
                "display_type": "payment_term",
                "date_maturity": move.invoice_date_due,
                "discount_date": False,
                "discount_balance": 0.0,
                "discount_amount_currency": 0.0,
                "balance": sign * -(tax + untaxed),
                "amount_currency": sign * -(tax_currency + untaxed_currency),
            }
        ]
    terms = move.invoice_payment_term_id._compute_terms(
        date_ref=move.invoice_date or move.date or fields.Date.context_today(move),
        currency=move.currency_id,
        tax_amount_currency=tax_currency,
        tax_amount=tax,
        untaxed_amount_currency=untaxed_currency,
        untaxed_amount=untaxed,
        company=move.company_id,
        cash_rounding=move.invoice_cash_rounding_id,
        sign=sign,
    )
    needed = {}
    for term_line in terms["line_ids"]:
        key = (fields.Date.to_date(term_line.get("date")), terms.get("discount_date"))
        if key in needed:
            needed[key]["balance"] += term_line["company_amount"]
            needed[key]["amount_currency"] += term_line["foreign_amount"]
            continue
        needed[key] = {
            "move_id": move.id,
            "display_type": "payment_term",
            "date_maturity": key[0],
            "discount_date": key[1],
            "balance": term_line["company_amount"],
            "amount_currency": term_line["foreign_amount"],
            "discount_balance": terms.get("discount_balance") or 0.0,
            "discount_amount_currency": terms.get("discount_amount_currency") or 0.0,
        }
    return list(needed.values())
