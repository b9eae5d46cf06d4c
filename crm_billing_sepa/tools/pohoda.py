"""Invoices as POHODA XML (Stormware's invoice.xsd in a dataPack), without the ORM.

`write_invoices` writes issued and received invoices and credit notes of the Czech company
as one dataPack in Windows-1250: header (document type, number, variable symbol, the
supplier's own number for received invoices, dates of issue, taxable supply, accounting and
due, text, the partner's identity with IČO/DIČ, payment by bank transfer with the bank
account), one item per invoice line (text, quantity, VAT rate as POHODA names it - high,
low, third, none - with the percentage, unit price, price, VAT and total in CZK, and in the
invoice's currency for foreign currency invoices) and the summary per VAT rate. The
address part is crm_core's (formats/pohoda.py).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.crm_core.tools.formats import pohoda as base
from odoo.addons.crm_core.tools.formats.pohoda import sub

KINDS = {
    "out_invoice": "issuedInvoice",
    "out_refund": "issuedCreditNotice",
    "in_invoice": "receivedInvoice",
    "in_refund": "receivedCreditNotice",
}
# Czech VAT rates and POHODA's names for them: 21 % basic, 12 % reduced (since 2024; 15 %
# before), 10 % second reduced (until 2023), 0 % none
RATES = {Decimal(21): "high", Decimal(12): "low", Decimal(15): "low", Decimal(10): "third"}


def rate_name(percent):
    """POHODA's name of a VAT rate in percent."""
    return (
        RATES.get(Decimal(percent).normalize(), "high" if percent else "none")
        if percent
        else "none"
    )


@dataclass
class Line:
    text: str
    quantity: Decimal
    unit: str
    percent: Decimal  # VAT rate
    net: Decimal  # in CZK
    vat: Decimal
    foreign_net: Decimal = Decimal(0)
    foreign_vat: Decimal = Decimal(0)


@dataclass
class Invoice:
    move_type: str
    number: str
    symbol: str  # variable symbol (digits)
    date: object
    date_tax: object
    date_accounting: object
    date_due: object
    partner: object  # formats.Contact
    text: str = ""
    original_number: str = ""  # the supplier's number of a received invoice
    account_number: str = ""  # bank account to pay to (issued: ours, received: theirs)
    bank_code: str = ""
    currency: str = ""  # '' for CZK
    rate: Decimal = Decimal(1)
    note: str = ""
    lines: list = field(default_factory=list)


def _amount(value):
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def write_invoices(invoices, ico, pack_id, note):
    """The invoices as one dataPack (bytes, Windows-1250), valid against data.xsd."""
    root = base.data_pack(pack_id, ico, note)
    for n, invoice in enumerate(invoices, 1):
        item = base.pack_item(root, f"INV{n:06d}")
        element = sub(item, "inv", "invoice")
        element.set("version", "2.0")
        _header(element, invoice)
        detail = sub(element, "inv", "invoiceDetail")
        for line in invoice.lines:
            _item(detail, line, invoice)
        _summary(element, invoice)
    return base.to_bytes(root)


def _header(element, invoice):
    header = sub(element, "inv", "invoiceHeader")
    sub(header, "inv", "invoiceType", KINDS[invoice.move_type])
    number = sub(header, "inv", "number")
    sub(number, "typ", "numberRequested", invoice.number, length=32)
    sub(header, "inv", "symVar", invoice.symbol, length=20)
    if invoice.original_number:
        sub(header, "inv", "originalDocument", invoice.original_number, length=32)
    for name, value in (
        ("date", invoice.date),
        ("dateTax", invoice.date_tax),
        ("dateAccounting", invoice.date_accounting),
        ("dateDue", invoice.date_due),
    ):
        if value:
            sub(header, "inv", name, value.isoformat())
    sub(header, "inv", "text", invoice.text, length=240)
    base.identity(header, "inv", invoice.partner, name="partnerIdentity")
    payment = sub(header, "inv", "paymentType")
    sub(payment, "typ", "paymentType", "draft")
    if invoice.account_number:
        account = sub(header, "inv", "account")
        sub(account, "typ", "accountNo", invoice.account_number, length=34)
        sub(account, "typ", "bankCode", invoice.bank_code, length=11)
    sub(header, "inv", "note", invoice.note, length=10000, multiline=True)


def _item(detail, line, invoice):
    element = sub(detail, "inv", "invoiceItem")
    sub(element, "inv", "text", line.text, length=90)
    sub(element, "inv", "quantity", _amount(line.quantity))
    sub(element, "inv", "unit", line.unit, length=10)
    sub(element, "inv", "payVAT", "false")
    sub(element, "inv", "rateVAT", rate_name(line.percent))
    if line.percent:
        sub(element, "inv", "percentVAT", f"{Decimal(line.percent).normalize()}")
    home = sub(element, "inv", "homeCurrency")
    unit_price = line.net / line.quantity if line.quantity else line.net
    sub(home, "typ", "unitPrice", _amount(unit_price))
    sub(home, "typ", "price", _amount(line.net))
    sub(home, "typ", "priceVAT", _amount(line.vat))
    sub(home, "typ", "priceSum", _amount(line.net + line.vat))
    if invoice.currency:
        foreign = sub(element, "inv", "foreignCurrency")
        unit_price = line.foreign_net / line.quantity if line.quantity else line.foreign_net
        sub(foreign, "typ", "unitPrice", _amount(unit_price))
        sub(foreign, "typ", "price", _amount(line.foreign_net))
        sub(foreign, "typ", "priceVAT", _amount(line.foreign_vat))
        sub(foreign, "typ", "priceSum", _amount(line.foreign_net + line.foreign_vat))


def summary_by_rate(lines):
    """{rate name: [net, vat]} of the lines in CZK."""
    totals = {}
    for line in lines:
        entry = totals.setdefault(rate_name(line.percent), [Decimal(0), Decimal(0)])
        entry[0] += line.net
        entry[1] += line.vat
    return totals


def _summary(element, invoice):
    summary = sub(element, "inv", "invoiceSummary")
    sub(summary, "inv", "roundingDocument", "none")
    home = sub(summary, "inv", "homeCurrency")
    totals = summary_by_rate(invoice.lines)
    if "none" in totals:
        sub(home, "typ", "priceNone", _amount(totals["none"][0]))
    for rate, prefix in (("low", "priceLow"), ("high", "priceHigh"), ("third", "price3")):
        if rate in totals:
            net, vat = totals[rate]
            sub(home, "typ", prefix, _amount(net))
            sub(home, "typ", prefix + "VAT", _amount(vat))
            sub(home, "typ", prefix + "Sum", _amount(net + vat))
    if invoice.currency:
        foreign = sub(summary, "inv", "foreignCurrency")
        currency = sub(foreign, "typ", "currency")
        sub(currency, "typ", "ids", invoice.currency, length=3)
        sub(foreign, "typ", "rate", f"{invoice.rate}")
        sub(foreign, "typ", "amount", "1")
        total = sum((line.foreign_net + line.foreign_vat for line in invoice.lines), Decimal(0))
        sub(foreign, "typ", "priceSum", _amount(total))
