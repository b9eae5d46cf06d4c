"""ISDOC 6.0.2, the Czech e-invoice standard (isdoc.cz): writing an invoice or credit note
from plain values and reading one back into plain values. No ORM.

Written as the standard asks: the namespace http://isdoc.cz/namespace/2013, amounts with
two decimals, a credit note (DocumentType 2) in positive amounts with the invoice it
corrects (OriginalDocumentReferences), amounts in the local currency (CZK) and, for an
invoice in another currency, also in that one (the *Curr elements, CurrRate local units
per RefCurrRate foreign units). Free text passes crm_core's sanitising layer (no control
characters, which XML cannot carry). The XSD itself is not shipped: the tests validate
every file against it (tools/einvoice_rules.py).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from odoo.addons.crm_core.tools import sanitize

NAMESPACE = "http://isdoc.cz/namespace/2013"
VERSION = "6.0.2"
INVOICE = 1
CREDIT_NOTE = 2
PAYMENT_BANK_TRANSFER = 42
MAX_BYTES = 10 * 1024 * 1024
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


class IsdocError(ValueError):
    """A file that is not an ISDOC invoice this reader understands."""


def _amount(value, places=2):
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(str(value or 0)).quantize(quantum, rounding=ROUND_HALF_UP))


def _number(value):
    """A decimal without needless zeros (quantities, rates, unit prices)."""
    text = format(Decimal(str(value or 0)).normalize(), "f")
    return text if text not in ("-0", "") else "0"


def _text(value):
    return sanitize.text(value)


class _Writer:
    def __init__(self):
        self.root = etree.Element(f"{{{NAMESPACE}}}Invoice", nsmap={None: NAMESPACE})
        self.root.set("version", VERSION)

    @staticmethod
    def add(parent, tag, text=None, **attrs):
        node = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attrs)
        if text is not None:
            node.text = text
        return node


def _party(writer, parent, tag, party):
    node = writer.add(writer.add(parent, tag), "Party")
    identification = writer.add(node, "PartyIdentification")
    writer.add(identification, "ID", sanitize.text(party.get("id")))
    writer.add(writer.add(node, "PartyName"), "Name", _text(party["name"]))
    address = writer.add(node, "PostalAddress")
    writer.add(address, "StreetName", _text(party.get("street")))
    writer.add(address, "BuildingNumber", _text(party.get("building_number")))
    writer.add(address, "CityName", _text(party.get("city")))
    writer.add(address, "PostalZone", _text(party.get("zip")))
    country = writer.add(address, "Country")
    writer.add(country, "IdentificationCode", _text(party.get("country_code")))
    writer.add(country, "Name", _text(party.get("country_name")))
    if party.get("vat"):
        scheme = writer.add(node, "PartyTaxScheme")
        writer.add(scheme, "CompanyID", _text(party["vat"]).replace(" ", ""))
        writer.add(scheme, "TaxScheme", "VAT")
    contact = party.get("contact") or {}
    if any(contact.get(key) for key in ("name", "phone", "email")):
        node_contact = writer.add(node, "Contact")
        for key, tag in (("name", "Name"), ("phone", "Telephone"), ("email", "ElectronicMail")):
            if contact.get(key):
                writer.add(node_contact, tag, _text(contact[key]))


def write(doc):
    """The ISDOC 6.0.2 XML (bytes, UTF-8) of `doc`, a dict:

    document_type (1 invoice, 2 credit note), id, uuid, issue_date, tax_point_date,
    vat_applicable, note, local_currency, foreign_currency (None in the local currency),
    rate (local units for one foreign unit), supplier and customer (dicts: id (IČO), name,
    street, building_number, city, zip, country_code, country_name, vat (DIČ), contact),
    order_reference, original_document ({id, issue_date}), lines (dicts: quantity,
    unit_code, description, seller_item_id, percent, vat_applicable, amount,
    amount_tax_inclusive, tax_amount, unit_price, unit_price_tax_inclusive and the
    foreign-currency amount_curr, amount_tax_inclusive_curr), tax_subtotals (dicts:
    percent, vat_applicable, taxable, tax, taxable_curr, tax_curr), totals (exclusive,
    inclusive, payable and their *_curr), payment (amount, due_date, account, bank_code,
    bank_name, iban, bic, variable_symbol) or None."""
    writer = _Writer()
    _header(writer, doc)
    _lines(writer, doc)
    _tax_total(writer, doc)
    _monetary_total(writer, doc)
    _payment(writer, doc)
    return etree.tostring(writer.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(writer, doc):
    root, add, foreign = writer.root, writer.add, doc.get("foreign_currency")
    add(root, "DocumentType", str(doc["document_type"]))
    add(root, "ID", _text(doc["id"]))
    add(root, "UUID", doc["uuid"])
    add(root, "IssuingSystem", _text(doc.get("issuing_system") or "Odoo"))
    add(root, "IssueDate", doc["issue_date"].isoformat())
    if doc.get("tax_point_date") and doc["document_type"] == INVOICE:
        add(root, "TaxPointDate", doc["tax_point_date"].isoformat())
    add(root, "VATApplicable", "true" if doc.get("vat_applicable", True) else "false")
    add(root, "ElectronicPossibilityAgreementReference", "")
    if doc.get("note"):
        add(root, "Note", sanitize.text(doc["note"], multiline=True))
    add(root, "LocalCurrencyCode", doc["local_currency"])
    if foreign:
        add(root, "ForeignCurrencyCode", foreign)
    add(root, "CurrRate", _number(doc.get("rate") or 1) if foreign else "1")
    add(root, "RefCurrRate", "1")
    _party(writer, root, "AccountingSupplierParty", doc["supplier"])
    _party(writer, root, "AccountingCustomerParty", doc["customer"])
    if doc.get("order_reference"):
        reference = add(add(root, "OrderReferences"), "OrderReference", id="order1")
        add(reference, "SalesOrderID", _text(doc["order_reference"]))
    if doc.get("original_document"):
        reference = add(add(root, "OriginalDocumentReferences"), "OriginalDocumentReference")
        add(reference, "ID", _text(doc["original_document"]["id"]))
        if doc["original_document"].get("issue_date"):
            add(reference, "IssueDate", doc["original_document"]["issue_date"].isoformat())


def _lines(writer, doc):
    add, foreign = writer.add, doc.get("foreign_currency")
    lines = add(writer.root, "InvoiceLines")
    for index, line in enumerate(doc["lines"], start=1):
        node = add(lines, "InvoiceLine")
        add(node, "ID", str(index))
        attrs = {"unitCode": line["unit_code"]} if line.get("unit_code") else {}
        add(node, "InvoicedQuantity", _number(line["quantity"]), **attrs)
        if foreign:
            add(node, "LineExtensionAmountCurr", _amount(line["amount_curr"]))
        add(node, "LineExtensionAmount", _amount(line["amount"]))
        if foreign:
            add(
                node,
                "LineExtensionAmountTaxInclusiveCurr",
                _amount(line["amount_tax_inclusive_curr"]),
            )
        add(node, "LineExtensionAmountTaxInclusive", _amount(line["amount_tax_inclusive"]))
        add(node, "LineExtensionTaxAmount", _amount(line["tax_amount"]))
        add(node, "UnitPrice", _number(line["unit_price"]))
        add(node, "UnitPriceTaxInclusive", _number(line["unit_price_tax_inclusive"]))
        category = add(node, "ClassifiedTaxCategory")
        add(category, "Percent", _number(line["percent"]))
        add(category, "VATCalculationMethod", "0")  # from the prices without VAT
        add(category, "VATApplicable", "true" if line.get("vat_applicable", True) else "false")
        item = add(node, "Item")
        add(item, "Description", _text(line["description"]))
        if line.get("seller_item_id"):
            add(add(item, "SellersItemIdentification"), "ID", _text(line["seller_item_id"]))


def _tax_total(writer, doc):
    add, foreign = writer.add, doc.get("foreign_currency")
    total = add(writer.root, "TaxTotal")
    tax_total = tax_total_curr = Decimal(0)
    for subtotal in doc["tax_subtotals"]:
        node = add(total, "TaxSubTotal")
        taxable, tax = Decimal(str(subtotal["taxable"])), Decimal(str(subtotal["tax"]))
        tax_total += tax
        if foreign:
            taxable_curr = Decimal(str(subtotal["taxable_curr"]))
            tax_curr = Decimal(str(subtotal["tax_curr"]))
            tax_total_curr += tax_curr
            add(node, "TaxableAmountCurr", _amount(taxable_curr))
        add(node, "TaxableAmount", _amount(taxable))
        if foreign:
            add(node, "TaxAmountCurr", _amount(tax_curr))
        add(node, "TaxAmount", _amount(tax))
        if foreign:
            add(node, "TaxInclusiveAmountCurr", _amount(taxable_curr + tax_curr))
        add(node, "TaxInclusiveAmount", _amount(taxable + tax))
        for name in ("Taxable", "Tax", "TaxInclusive"):
            add(node, f"AlreadyClaimed{name}Amount", "0.00")
        add(node, "DifferenceTaxableAmount", _amount(taxable))
        add(node, "DifferenceTaxAmount", _amount(tax))
        add(node, "DifferenceTaxInclusiveAmount", _amount(taxable + tax))
        category = add(node, "TaxCategory")
        add(category, "Percent", _number(subtotal["percent"]))
        add(category, "VATApplicable", "true" if subtotal.get("vat_applicable", True) else "false")
    if foreign:
        add(total, "TaxAmountCurr", _amount(tax_total_curr))
    add(total, "TaxAmount", _amount(tax_total))


def _monetary_total(writer, doc):
    add, foreign, totals = writer.add, doc.get("foreign_currency"), doc["totals"]
    monetary = add(writer.root, "LegalMonetaryTotal")
    pairs = (("TaxExclusiveAmount", "exclusive"), ("TaxInclusiveAmount", "inclusive"))
    for tag, key in pairs:
        add(monetary, tag, _amount(totals[key]))
        if foreign:
            add(monetary, f"{tag}Curr", _amount(totals[f"{key}_curr"]))
    for tag, _key in pairs:
        add(monetary, f"AlreadyClaimed{tag}", "0.00")
    for tag, key in pairs:
        add(monetary, f"Difference{tag}", _amount(totals[key]))
    add(monetary, "PaidDepositsAmount", "0.00")
    add(monetary, "PayableAmount", _amount(totals["payable"]))
    if foreign:
        add(monetary, "PayableAmountCurr", _amount(totals["payable_curr"]))


def _payment(writer, doc):
    add, payment = writer.add, doc.get("payment")
    if not payment:
        return
    means = add(add(writer.root, "PaymentMeans"), "Payment")
    add(means, "PaidAmount", _amount(payment["amount"]))
    add(means, "PaymentMeansCode", str(PAYMENT_BANK_TRANSFER))
    details = add(means, "Details")
    add(details, "PaymentDueDate", payment["due_date"].isoformat())
    add(details, "ID", _text(payment.get("account")))
    add(details, "BankCode", _text(payment.get("bank_code")))
    add(details, "Name", _text(payment.get("bank_name")))
    add(details, "IBAN", _text(payment.get("iban")).replace(" ", ""))
    add(details, "BIC", _text(payment.get("bic")))
    if payment.get("variable_symbol"):
        add(details, "VariableSymbol", payment["variable_symbol"])


def czech_account(iban):
    """(account number, bank code) of a Czech IBAN, as Czech banks write them
    ("19-2000145399", "0800"); ("", "") for another country's IBAN."""
    iban = (iban or "").replace(" ", "").upper()
    if len(iban) != 24 or not iban.startswith("CZ"):
        return "", ""
    bank, prefix, number = iban[4:8], iban[8:14].lstrip("0"), iban[14:].lstrip("0") or "0"
    return (f"{prefix}-{number}" if prefix else number), bank


def variable_symbol(reference):
    """The variable symbol of a payment: the digits of the invoice number, at most ten
    (the last ones), as Czech banks carry it; None without digits."""
    digits = "".join(char for char in reference or "" if char.isascii() and char.isdigit())
    return digits[-10:].lstrip("0") or None


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------
def _find(node, path):
    return node.find("/".join(f"{{{NAMESPACE}}}{part}" for part in path.split("/")))


def _findtext(node, path, default=""):
    found = _find(node, path)
    return (found.text or "").strip() if found is not None and found.text else default


def _decimal(node, path):
    text = _findtext(node, path)
    try:
        return Decimal(text) if text else Decimal(0)
    except ArithmeticError as exc:
        raise IsdocError(f"{path}: {text!r} is not a number") from exc


def _date(node, path):
    text = _findtext(node, path)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise IsdocError(f"{path}: {text!r} is not a date") from exc


def is_isdoc(root):
    return root is not None and root.tag == f"{{{NAMESPACE}}}Invoice"


def parse(content):
    """The lxml root of an ISDOC file (bytes); IsdocError when it is none."""
    if not content or len(content) > MAX_BYTES:
        raise IsdocError("empty or larger than 10 MB")
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise IsdocError(f"not well-formed XML: {exc}") from exc
    if not is_isdoc(root):
        raise IsdocError(f"the root element is {root.tag}, not an ISDOC Invoice")
    return root


def _read_party(node):
    if node is None:
        return {}
    party = _find(node, "Party")
    if party is None:
        return {}
    return {
        "id": _findtext(party, "PartyIdentification/ID"),
        "name": _findtext(party, "PartyName/Name"),
        "street": " ".join(
            filter(
                None,
                [
                    _findtext(party, "PostalAddress/StreetName"),
                    _findtext(party, "PostalAddress/BuildingNumber"),
                ],
            )
        ),
        "city": _findtext(party, "PostalAddress/CityName"),
        "zip": _findtext(party, "PostalAddress/PostalZone"),
        "country_code": _findtext(party, "PostalAddress/Country/IdentificationCode"),
        "vat": _findtext(party, "PartyTaxScheme/CompanyID"),
        "email": _findtext(party, "Contact/ElectronicMail"),
        "phone": _findtext(party, "Contact/Telephone"),
    }


def read(content):
    """The values of an ISDOC invoice (bytes) as a dict: document_type, id, issue_date,
    tax_point_date, due_date, currency (the foreign one, else the local), supplier and
    customer (dicts as written), order_reference, original_document, iban,
    variable_symbol, lines (description, quantity, unit_code, unit_price (in the
    invoice's currency), percent, seller_item_id), totals (exclusive, tax, inclusive, in
    the invoice's currency). Raises IsdocError on what is not an ISDOC invoice."""
    root = parse(content)
    foreign = _findtext(root, "ForeignCurrencyCode")
    suffix = "Curr" if foreign else ""
    try:
        document_type = int(_findtext(root, "DocumentType") or INVOICE)
    except ValueError as exc:
        raise IsdocError("DocumentType is not a number") from exc
    lines = []
    for line in root.iterfind(f"{{{NAMESPACE}}}InvoiceLines/{{{NAMESPACE}}}InvoiceLine"):
        quantity_node = _find(line, "InvoicedQuantity")
        quantity = _decimal(line, "InvoicedQuantity") if quantity_node is not None else Decimal(1)
        amount = _decimal(line, f"LineExtensionAmount{suffix}")
        if foreign or not _findtext(line, "UnitPrice"):
            unit_price = amount / quantity if quantity else amount
        else:
            unit_price = _decimal(line, "UnitPrice")
        lines.append(
            {
                "description": _findtext(line, "Item/Description")
                or _findtext(line, "Note")
                or _findtext(line, "ID"),
                "quantity": quantity,
                "unit_code": quantity_node.get("unitCode") if quantity_node is not None else None,
                "unit_price": unit_price,
                "amount": amount,
                "percent": _decimal(line, "ClassifiedTaxCategory/Percent"),
                "seller_item_id": _findtext(line, "Item/SellersItemIdentification/ID"),
            }
        )
    if not lines:
        raise IsdocError("the invoice has no lines")
    return {
        "document_type": document_type,
        "id": _findtext(root, "ID"),
        "uuid": _findtext(root, "UUID"),
        "issue_date": _date(root, "IssueDate"),
        "tax_point_date": _date(root, "TaxPointDate"),
        "due_date": _date(root, "PaymentMeans/Payment/Details/PaymentDueDate"),
        "currency": foreign or _findtext(root, "LocalCurrencyCode"),
        "supplier": _read_party(_find(root, "AccountingSupplierParty")),
        "customer": _read_party(_find(root, "AccountingCustomerParty")),
        "order_reference": _findtext(root, "OrderReferences/OrderReference/SalesOrderID"),
        "original_document": _findtext(
            root, "OriginalDocumentReferences/OriginalDocumentReference/ID"
        ),
        "iban": _findtext(root, "PaymentMeans/Payment/Details/IBAN"),
        "variable_symbol": _findtext(root, "PaymentMeans/Payment/Details/VariableSymbol"),
        "note": _findtext(root, "Note"),
        "lines": lines,
        "totals": {
            "exclusive": _decimal(root, f"LegalMonetaryTotal/TaxExclusiveAmount{suffix}"),
            "inclusive": _decimal(root, f"LegalMonetaryTotal/TaxInclusiveAmount{suffix}"),
            "payable": _decimal(root, f"LegalMonetaryTotal/PayableAmount{suffix}"),
        },
    }
