"""Journal entries as DATEV bookings (Buchungsstapel), without the ORM.

DATEV books every amount from one account ("Konto") to another ("Gegenkonto"); a tax key
("BU-Schlüssel") on the Gegenkonto, or an automatic account (a revenue or expense account
with a fixed tax, such as 8400 "Erlöse 19 % USt" in SKR03), makes DATEV take the tax out of
the gross amount and book it on the tax account itself. Odoo's journal entries have any
number of items; `bookings` turns the items of one entry into DATEV bookings:

- the anchor: the personal account of the entry's partner when all its receivable/payable
  items belong to one partner (invoices, credit notes, payments), else the bank or
  clearing account (SEPA batches), else the largest account; every other item is booked
  from or to the anchor, items on the same account and tax put together;
- taxes: where DATEV can compute a tax itself (a percentage tax with a tax key on an
  ordinary account, or the account's own tax on an automatic account), the tax is added to
  the gross amount and the tax items are left out; DATEV computes each booking's tax from
  its gross amount, so each share is the rounded tax of its net amount and what Odoo
  rounded differently over the whole entry is booked on the tax account by itself (a cent,
  "tax rounding"). Any other tax (reverse charge, several taxes on one item, no key) is
  booked as it is in Odoo, item by item, and an automatic account then gets the key 40
  (DATEV's "no automatic tax").

So the totals DATEV posts per account (`account_totals`, which books a file as DATEV does)
equal Odoo's trial balance for the period.
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from odoo.addons.crm_core.tools.formats import datev as extf

NO_AUTOMATIC = "40"  # BU-Schlüssel: "Aufhebung der Automatik"


@dataclass(frozen=True)
class Tax:
    """What DATEV needs to know of a tax: its key (BU-Schlüssel, '' when none) and rate in
    percent; `simple` when it is one percentage with its tax on one account (DATEV can
    compute it)."""

    key: str
    rate: Decimal
    simple: bool


@dataclass
class Item:
    """One journal item. `account` is the DATEV account number (the G/L account's code, or
    the partner's personal account for receivable/payable items); `balance` in cents, debit
    positive; `automatic`: the taxes of an automatic account (the account's own taxes)."""

    move: int
    document: str
    date: object
    account: str
    kind: str  # "partner", "liquidity" or "other"
    balance: int
    text: str = ""
    tax_line: int = 0
    taxes: tuple = ()
    automatic: frozenset = frozenset()
    due: object = None
    vat: str = ""  # the partner's EU VAT id (for "EU-Land u. UStID")


@dataclass
class Booking:
    amount: int  # cents, > 0
    side: str  # "S": Konto is debited; "H": Konto is credited
    account: str  # Konto
    contra: str  # Gegenkonto
    key: str
    date: object
    document: str  # Belegfeld 1 as written (see document_number)
    text: str
    due: object = None
    vat: str = ""
    guid: str = ""
    tax_rounding: bool = field(default=False)


def _cents(value):
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tax_share(net, rate):
    """The tax in cents of a net amount in cents, rounded half up (as DATEV computes it
    from a gross amount: the same cent for any net amount)."""
    sign = -1 if net < 0 else 1
    return sign * _cents(Decimal(abs(net)) * rate / 100)


def _mergeable_taxes(items, taxes, anchor):
    """The taxes of this entry whose tax DATEV can compute from gross amounts."""
    tax_accounts = {}
    for item in items:
        if item.tax_line:
            tax_accounts.setdefault(item.tax_line, set()).add(item.account)
    result = set()
    for tax_id, accounts in tax_accounts.items():
        tax = taxes.get(tax_id)
        if not tax or not tax.simple or len(accounts) != 1:
            continue
        bases = [item for item in items if tax_id in item.taxes]
        if (
            bases
            and all(
                len(item.taxes) == 1
                and item.account != anchor
                and (tax_id in item.automatic or (tax.key and not item.automatic))
                for item in bases
            )
            and anchor not in accounts
        ):
            result.add(tax_id)
    return result


def _anchor(items):
    partners = {item.account for item in items if item.kind == "partner"}
    if len(partners) == 1:
        return partners.pop()
    liquidity = {item.account for item in items if item.kind == "liquidity"}
    if len(liquidity) == 1:
        return liquidity.pop()
    totals = {}
    for item in items:
        totals[item.account] = totals.get(item.account, 0) + abs(item.balance)
    return max(sorted(totals), key=lambda account: totals[account])


def bookings(items, taxes, guid_seed=""):
    """The DATEV bookings of the items of one journal entry (see the module's docstring).
    `taxes`: {tax id: Tax}."""
    if not items:
        return []
    anchor = _anchor(items)
    merged = _mergeable_taxes(items, taxes, anchor)
    groups = {}  # (account, key, merged tax) -> [net balance, first item]
    roundings = {}  # merged tax -> its tax account
    tax_totals = {}  # merged tax -> tax in Odoo minus the shares DATEV computes
    first = items[0]
    for item in items:
        if item.account == anchor:
            continue
        if item.tax_line in merged:
            tax_totals[item.tax_line] = tax_totals.get(item.tax_line, 0) + item.balance
            roundings.setdefault(item.tax_line, item.account)
            continue
        tax_id = item.taxes[0] if len(item.taxes) == 1 else 0
        if tax_id in merged:
            key = "" if item.automatic else taxes[tax_id].key
        else:
            key, tax_id = _unmerged_key(item, taxes), 0
        group = groups.setdefault((item.account, key, tax_id), [0, item])
        group[0] += item.balance
    due = first.due if any(i.kind == "partner" and i.account == anchor for i in items) else None
    result = []
    for (account, key, tax_id), (balance, item) in groups.items():
        if tax_id:
            # DATEV computes the tax of each booking from its gross amount
            share = tax_share(balance, taxes[tax_id].rate)
            tax_totals[tax_id] = tax_totals.get(tax_id, 0) - share
            balance += share
        if balance:
            result.append(_booking(anchor, account, key, balance, item, first, due))
    for tax_id, rest in tax_totals.items():
        if rest:
            booking = _booking(anchor, roundings[tax_id], "", rest, first, first, due)
            booking.tax_rounding = True
            result.append(booking)
    document = document_number(first.document)
    for n, booking in enumerate(result):
        booking.guid = guid(f"{guid_seed}:{first.move}:{n}")
        booking.document = document
    return result


def _unmerged_key(item, taxes):
    """The key of an item booked as it is in Odoo (net, its tax booked by itself): 40 on an
    automatic account, so that DATEV does not take a tax out of it - unless the item's one
    tax is the account's own and has no rate (DATEV computes nothing then)."""
    if not item.automatic:
        return ""
    if len(item.taxes) == 1 and item.taxes[0] in item.automatic:
        tax = taxes.get(item.taxes[0])
        if tax and not tax.rate:
            return ""
    return NO_AUTOMATIC


def _booking(anchor, contra, key, balance, item, first, due):
    """Book `balance` (debit positive, on the Gegenkonto `contra`) against the anchor."""
    return Booking(
        amount=abs(balance),
        side="H" if balance > 0 else "S",
        account=anchor,
        contra=contra,
        key=key,
        date=first.date,
        document=first.document,
        text=first.text or item.text,
        due=due,
        vat=first.vat,
    )


# ---------------------------------------------------------------------------------------------
# Rows of the Buchungsstapel
# ---------------------------------------------------------------------------------------------
_I = extf.BOOKING_INDEX
_TEXT_COLUMNS = [
    i
    for name, i in _I.items()
    if extf.BOOKING_RULES.get(name, extf.Rule("text")).kind == "text" and name != "Leerfeld"
]
_EMPTY_ROW = [""] * len(extf.BOOKING_COLUMNS)
for _i in _TEXT_COLUMNS:
    _EMPTY_ROW[_i] = '""'


def valid_eu_vat(vat):
    """Whether `vat` fits DATEV's field "EU-Land u. UStID" (country code and number)."""
    rule = extf.BOOKING_RULES["EU-Land u. UStID (Bestimmung)"]
    return bool(vat) and len(vat) <= rule.length and bool(re.fullmatch(rule.pattern, vat))


_NOT_IN_DOCUMENT = re.compile(r"[^A-Za-z0-9$&%*+\-/]")


def document_number(value):
    """Belegfeld 1: the characters DATEV allows (letters, digits, $ & % * + - /), the last 36
    (the end of a number tells documents apart)."""
    return _NOT_IN_DOCUMENT.sub("", value)[-36:]


def guid(seed):
    """A deterministic GUID (8-4-4-4-12 hex digits) of `seed`."""
    digest = hashlib.sha1(seed.encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{digest[16:20]}-{digest[20:32]}"


def row(booking, currency):
    """The fields of one booking in the Buchungsstapel."""
    fields = list(_EMPTY_ROW)
    fields[_I["Umsatz (ohne Soll/Haben-Kz)"]] = extf.amount(booking.amount)
    fields[_I["Soll/Haben-Kennzeichen"]] = f'"{booking.side}"'
    fields[_I["WKZ Umsatz"]] = f'"{currency}"'
    fields[_I["Konto"]] = booking.account
    fields[_I["Gegenkonto (ohne BU-Schlüssel)"]] = booking.contra
    fields[_I["BU-Schlüssel"]] = f'"{booking.key}"'
    date = booking.date
    fields[_I["Belegdatum"]] = f"{date.day:02d}{date.month:02d}"
    fields[_I["Belegfeld 1"]] = f'"{booking.document}"'
    fields[_I["Buchungstext"]] = extf.text(booking.text, 60)
    fields[_I["Buchungs GUID"]] = f'"{booking.guid}"'
    if booking.due:
        due = booking.due
        fields[_I["Fälligkeit"]] = f"{due.day:02d}{due.month:02d}{due.year:04d}"
    if booking.vat:
        fields[_I["EU-Land u. UStID (Bestimmung)"]] = f'"{booking.vat}"'
    return fields


# ---------------------------------------------------------------------------------------------
# Reading a Buchungsstapel as DATEV books it (for checks)
# ---------------------------------------------------------------------------------------------
def account_totals(data, key_taxes, automatic_taxes):
    """{account: balance in cents, debit positive} that DATEV posts when it imports the
    Buchungsstapel `data` (bytes): each booking debits one account and credits the other;
    a tax key (`key_taxes`: {key: (rate, tax account)}) or an automatic Gegenkonto
    (`automatic_taxes`: {account: (rate, tax account)}) without key 40 takes the tax out of
    the gross amount onto the tax account."""
    _header, _fmt, headings, rows = extf.read(data)
    index = {name: i for i, name in enumerate(headings)}
    totals = {}

    def post(account, cents):
        totals[account] = totals.get(account, 0) + cents

    for _line, fields in rows:
        value = [f.value for f in fields]
        gross = int(value[index["Umsatz (ohne Soll/Haben-Kz)"]].replace(",", ""))
        sign = 1 if value[index["Soll/Haben-Kennzeichen"]] == "S" else -1
        account = value[index["Konto"]]
        contra = value[index["Gegenkonto (ohne BU-Schlüssel)"]]
        key = value[index["BU-Schlüssel"]]
        post(account, sign * gross)
        tax = key_taxes.get(key) if key else automatic_taxes.get(contra)
        if tax and key != NO_AUTOMATIC:
            rate, tax_account = tax
            share = _cents(Decimal(gross) * rate / (100 + rate))
            post(tax_account, -sign * share)
            gross -= share
        post(contra, -sign * gross)
    return {account: cents for account, cents in totals.items() if cents}
