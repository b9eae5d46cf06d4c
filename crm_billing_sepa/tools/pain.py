"""SEPA payment files: pain.008 (direct debit) and pain.001 (credit transfer).

The files are written with sepaxml, then post-processed with lxml for what sepaxml does not
write (message and payment-information ids of our own, the batch booking flag, mandate
amendments) and validated against the official XSD bundled with sepaxml before anyone gets
them. Amounts are integer cents from end to end.

Mandate amendments follow the EPC implementation guidelines (rulebook 2016 onwards): when
the debtor's IBAN changed, the next debit carries ``AmdmntInd = true`` and in
``AmdmntInfDtls/OrgnlDbtrAcct`` either the original IBAN (the account moved within the same
bank) or ``Othr/Id = SMNDA`` ("same mandate, new debtor account": the account moved to
another bank). Since rulebook 9 (2016) the sequence type stays as it is (no forced FRST).

Free text (names, remittance information) passes crm_core's EPC sanitising layer
(``sanitize.epc``: transliterated to the SEPA character set, no control characters, no line
breaks, no ``& < > "``), identifiers its ``sanitize.identifier``. A payment that still cannot
be written (a name with no character of the SEPA set left, an amount out of range, a missing
mandate date, a transaction the XSD refuses) is left out of the file and returned with its
reason (``Skipped``): one bad record never stops the others.
"""

import datetime
import os
import re
from typing import NamedTuple

import sepaxml
from lxml import etree

from odoo.addons.crm_core.tools import sanitize

SCHEMA_DIR = os.path.join(os.path.dirname(sepaxml.__file__), "schemas")
DD_VERSIONS = ("pain.008.001.08", "pain.008.001.02")
CT_VERSIONS = ("pain.001.001.09", "pain.001.001.03")
SEQUENCE_TYPES = ("FRST", "RCUR", "FNAL", "OOFF")
_SCHEMAS = {}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# files from outside (camt): no DTD, no entities, no network, libxml2's size limits kept
_CAMT_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
MAX_CAMT_BYTES = 20 * 1024 * 1024
# the largest amount of one SEPA payment: 999,999,999.99 EUR (EPC implementation guidelines)
MAX_CENTS = 99_999_999_999
NAME_LEN = 70  # EPC: names of parties, at most 70 characters
REMITTANCE_LEN = 140  # unstructured remittance information
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$")
_BIC = re.compile(r"^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$")
_TRANSACTIONS = ("DrctDbtTxInf", "CdtTrfTxInf")


class SepaFileError(ValueError):
    """A payment file that cannot be written or does not validate against its XSD."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


class Skipped(NamedTuple):
    """A payment left out of a file: `reason` names what is wrong ("name", "iban",
    "amount", "end_to_end_id", "mandate_ref", "mandate_date", "sequence_type", "date",
    "xsd"), `detail` says it in English (for logs; callers translate `reason`)."""

    payment: dict
    reason: str
    detail: str


def clean_bic(value):
    """A BIC as the XSD wants it (8 or 11 characters, upper case), or None when `value` is
    no BIC (then the file says "not provided", as IBAN-only SEPA allows)."""
    bic = re.sub(r"\s+", "", value or "").upper()
    return bic if _BIC.match(bic) else None


def cents_to_str(cents):
    """Integer cents to the decimal text of ISO 20022 (no float on the way)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{euros}.{rest:02d}"


def str_to_cents(text):
    """Decimal text ("12.3", "12.30", "12") to integer cents (no float on the way)."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    euros, _sep, rest = text.lstrip("+-").partition(".")
    if len(rest) > 2 or not (euros or "0").isdigit() or (rest and not rest.isdigit()):
        raise ValueError(f"not an amount in cents: {text!r}")
    return sign * (int(euros or "0") * 100 + int((rest + "00")[:2]))


def _schema(version):
    if version not in _SCHEMAS:
        path = os.path.join(SCHEMA_DIR, f"{version}.xsd")
        if not os.path.exists(path):
            raise SepaFileError(f"no XSD for {version}")
        _SCHEMAS[version] = etree.XMLSchema(etree.parse(path, _PARSER))
    return _SCHEMAS[version]


def detect_version(xml_bytes):
    """The pain version named by the document's namespace."""
    root = etree.fromstring(xml_bytes, _PARSER)
    return etree.QName(root).namespace.rsplit(":", 1)[-1]


def validate(xml_bytes, version=None):
    """Validate a payment file against the official XSD of its version.

    Raises SepaFileError listing the first errors (line and message) when it does not
    validate, including when it is not well-formed XML at all."""
    try:
        doc = etree.fromstring(xml_bytes, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SepaFileError(f"not well-formed XML: {exc}", [str(exc)]) from exc
    version = version or etree.QName(doc).namespace.rsplit(":", 1)[-1]
    schema = _schema(version)
    if not schema.validate(doc):
        errors = [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5]]
        raise SepaFileError(f"the file does not validate against {version}.xsd", errors)
    return True


def _local(tag):
    return etree.QName(tag).localname


def _children(node, name):
    return [child for child in node if _local(child.tag) == name]


def _child(node, *path):
    for name in path:
        found = _children(node, name)
        if not found:
            return None
        node = found[0]
    return node


def _text(node, *path):
    found = _child(node, *path)
    return found.text if found is not None else None


def _to_lxml(document):
    """Copy sepaxml's finished ElementTree document into lxml (namespaced) and fill the
    group header's totals. ElementTree's pure-Python serializer takes seconds for 10,000
    debits; this copy takes a fraction of that, and lxml writes and validates in C."""
    document._finalize_batch()
    ns = f"urn:iso:std:iso:20022:tech:xsd:{document.schema}"
    root = etree.Element(f"{{{ns}}}Document", nsmap={None: ns})
    sub = etree.SubElement

    def copy(src, dst):
        for child in src:
            node = sub(dst, f"{{{ns}}}{child.tag}", child.attrib)
            node.text = child.text
            if len(child):
                copy(child, node)

    copy(document._xml, root)
    return root


def _postprocess(root, msg_id, batch_booking):
    ns = etree.QName(root).namespace
    initiation = root[0]
    count = total = 0
    for pmt_inf in _children(initiation, "PmtInf"):
        count += int(_text(pmt_inf, "NbOfTxs"))
        total += str_to_cents(_text(pmt_inf, "CtrlSum"))
    _child(initiation, "GrpHdr", "NbOfTxs").text = str(count)
    _child(initiation, "GrpHdr", "CtrlSum").text = cents_to_str(total)
    _child(initiation, "GrpHdr", "MsgId").text = msg_id
    for index, pmt_inf in enumerate(_children(initiation, "PmtInf"), start=1):
        _child(pmt_inf, "PmtInfId").text = f"{msg_id[:30]}-{index}"
        _child(pmt_inf, "BtchBookg").text = "true" if batch_booking else "false"
    return root, ns


def _add_amendments(root, ns, amendments):
    """amendments: {end_to_end_id: (original_iban, smnda)}"""
    if not amendments:
        return

    def el(tag, parent=None, text=None):
        node = (
            etree.Element(f"{{{ns}}}{tag}")
            if parent is None
            else etree.SubElement(parent, f"{{{ns}}}{tag}")
        )
        if text is not None:
            node.text = text
        return node

    for tx in root.iter(f"{{{ns}}}DrctDbtTxInf"):
        e2e = _text(tx, "PmtId", "EndToEndId")
        if e2e not in amendments:
            continue
        original_iban, smnda = amendments[e2e]
        mandate_info = _child(tx, "DrctDbtTx", "MndtRltdInf")
        signature = _child(mandate_info, "DtOfSgntr")
        position = mandate_info.index(signature) + 1
        indicator = el("AmdmntInd", text="true")
        details = el("AmdmntInfDtls")
        account_id = el("Id", el("OrgnlDbtrAcct", details))
        if smnda:
            el("Id", el("Othr", account_id), "SMNDA")
        else:
            el("IBAN", account_id, original_iban)
        mandate_info.insert(position, indicator)
        mandate_info.insert(position + 1, details)


def _config(party, **extra):
    """sepaxml's configuration of our side of the file (BIC only when known)."""
    name = sanitize.epc(party["name"], NAME_LEN)
    if not name:
        raise SepaFileError(
            f"the name {party['name']!r} of the file's own party has no character of the SEPA "
            "character set"
        )
    if not _IBAN.match(party.get("iban") or ""):
        raise SepaFileError(f"{party.get('iban')!r} is not an IBAN")
    config = {"name": name, "IBAN": party["iban"], "batch": True, "currency": "EUR"}
    if clean_bic(party.get("bic")):
        config["BIC"] = clean_bic(party["bic"])
    return config | extra


def _is_date(value):
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _entry(pay, kind):
    """sepaxml's payment entry for one of our payments, its free text sanitised: (entry,
    None), or (None, Skipped) when the payment cannot be written."""

    def skip(reason, detail):
        return None, Skipped(pay, reason, detail)

    # identifiers are matched by the bank and in its returns: checked, never changed
    e2e = pay.get("end_to_end_id")
    if not e2e or not isinstance(e2e, str) or sanitize.identifier(e2e) != e2e:
        return skip("end_to_end_id", f"{e2e!r} is not an end-to-end id of the SEPA set")
    amount = pay.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_CENTS:
        return skip("amount", f"{e2e}: the amount {amount!r} is not 1 to {MAX_CENTS} cents")
    if not _IBAN.match(pay.get("iban") or ""):
        return skip("iban", f"{e2e}: {pay.get('iban')!r} is not an IBAN")
    name = sanitize.epc(pay.get("name"), NAME_LEN)
    if not name:
        return skip("name", f"{e2e}: the name {pay.get('name')!r} has no SEPA character")
    entry = {
        "name": name,
        "IBAN": pay["iban"],
        "amount": amount,
        "description": sanitize.epc(pay.get("description"), REMITTANCE_LEN) or e2e,
        "endtoend_id": e2e,
    }
    if clean_bic(pay.get("bic")):
        entry["BIC"] = clean_bic(pay["bic"])
    if kind == "transfer":
        if not _is_date(pay.get("execution_date")):
            return skip("date", f"{e2e}: no execution date")
        return entry | {"execution_date": pay["execution_date"]}, None
    if pay.get("sequence_type") not in SEQUENCE_TYPES:
        return skip("sequence_type", f"{e2e}: bad sequence type {pay.get('sequence_type')!r}")
    if not _is_date(pay.get("collection_date")):
        return skip("date", f"{e2e}: no collection date")
    mandate_ref = pay.get("mandate_ref")
    if not mandate_ref or sanitize.identifier(mandate_ref, spaces=True) != mandate_ref:
        return skip("mandate_ref", f"{e2e}: {mandate_ref!r} is not a mandate reference")
    mandate_date = pay.get("mandate_date")
    if not _is_date(mandate_date) or mandate_date > pay["collection_date"]:
        return skip("mandate_date", f"{e2e}: the mandate's signature date {mandate_date!r}")
    original = pay.get("original_iban")
    if original and not _IBAN.match(original):
        return skip("iban", f"{e2e}: the amended IBAN {original!r} is not an IBAN")
    entry |= {
        "type": pay["sequence_type"],
        "collection_date": pay["collection_date"],
        "mandate_id": mandate_ref,
        "mandate_date": mandate_date,
    }
    return entry, None


def _tx_errors(root, schema):
    """The XSD's complaints about single transactions: {end-to-end id: message}, and the
    complaints that concern the file as a whole."""
    tree = root.getroottree()
    by_tx, general = {}, []
    for error in schema.error_log:
        nodes = tree.xpath(error.path) if error.path else []
        tx = nodes[0] if nodes and isinstance(nodes[0], etree._Element) else None
        while tx is not None and _local(tx.tag) not in _TRANSACTIONS:
            tx = tx.getparent()
        e2e = _text(tx, "PmtId", "EndToEndId") if tx is not None else None
        if e2e:
            by_tx.setdefault(e2e, error.message)
        else:
            general.append(f"line {error.line}: {error.message}")
    return by_tx, general


def _write(kind, make_document, payments, version, msg_id, batch_booking):
    """Write the payments that can be written into one validated file: (content, skipped).
    A transaction the XSD refuses is left out with the XSD's message and the file written
    again without it; content is None when no payment is left."""
    schema = _schema(version)
    skipped, entries = [], []
    for pay in payments:
        entry, problem = _entry(pay, kind)
        if problem:
            skipped.append(problem)
        else:
            entries.append((pay, entry))
    while entries:
        document = make_document()
        for _pay, entry in entries:
            document.add_payment(dict(entry))
        own_id = sanitize.identifier(msg_id) or document.msg_id
        root, ns = _postprocess(_to_lxml(document), own_id, batch_booking)
        if kind == "debit":
            _add_amendments(
                root,
                ns,
                {
                    entry["endtoend_id"]: (pay.get("original_iban"), pay.get("smnda"))
                    for pay, entry in entries
                    if pay.get("original_iban") or pay.get("smnda")
                },
            )
        if schema.validate(root):
            return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), skipped
        by_tx, general = _tx_errors(root, schema)
        if general or not by_tx:
            raise SepaFileError(f"the file does not validate against {version}.xsd", general)
        kept = []
        for pay, entry in entries:
            if entry["endtoend_id"] in by_tx:
                skipped.append(Skipped(pay, "xsd", by_tx[entry["endtoend_id"]]))
            else:
                kept.append((pay, entry))
        entries = kept
    return None, skipped


def _strict(result):
    content, skipped = result
    if skipped:
        raise SepaFileError(
            "some payments cannot be written", [problem.detail for problem in skipped]
        )
    return content


def direct_debit_file(
    creditor, payments, version="pain.008.001.08", scheme="CORE", batch_booking=True, msg_id=None
):
    """Write and validate a pain.008 file of the payments that can be written.

    creditor: {name, iban, bic (optional for .08), creditor_id}
    payments: [{end_to_end_id, amount (int cents), iban, bic (optional), name, mandate_ref,
               mandate_date (date), sequence_type, collection_date (date), description,
               original_iban (optional), smnda (optional bool)}]
    Returns (the file's bytes (UTF-8) or None when no payment could be written, [Skipped]).
    Raises SepaFileError for what concerns the whole file (our own side, the version)."""
    if version not in DD_VERSIONS:
        raise SepaFileError(f"unsupported direct debit version {version}")
    if version == "pain.008.001.02" and not clean_bic(creditor.get("bic")):
        raise SepaFileError("pain.008.001.02 needs the creditor's BIC")
    if not creditor.get("creditor_id"):
        raise SepaFileError("a direct debit file needs the creditor identifier")
    config = _config(creditor, creditor_id=creditor["creditor_id"], instrument=scheme)
    return _write(
        "debit",
        lambda: sepaxml.SepaDD(dict(config), schema=version, clean=True),
        payments,
        version,
        msg_id,
        batch_booking,
    )


def credit_transfer_file(
    debtor, payments, version="pain.001.001.09", batch_booking=True, msg_id=None
):
    """Write and validate a pain.001 file of the payments that can be written.

    debtor: {name, iban, bic (optional)}
    payments: [{end_to_end_id, amount (int cents), iban, bic (optional), name, description,
               execution_date (date)}]
    Returns (bytes or None, [Skipped]) as direct_debit_file."""
    if version not in CT_VERSIONS:
        raise SepaFileError(f"unsupported credit transfer version {version}")
    config = _config(debtor)
    return _write(
        "transfer",
        lambda: sepaxml.SepaTransfer(dict(config), schema=version, clean=True),
        payments,
        version,
        msg_id,
        batch_booking,
    )


def build_direct_debit(
    creditor, payments, version="pain.008.001.08", scheme="CORE", batch_booking=True, msg_id=None
):
    """direct_debit_file(), all or nothing: the file's bytes, or SepaFileError when any
    payment cannot be written."""
    if not payments:
        raise SepaFileError("a direct debit file needs at least one payment")
    return _strict(direct_debit_file(creditor, payments, version, scheme, batch_booking, msg_id))


def build_credit_transfer(
    debtor, payments, version="pain.001.001.09", batch_booking=True, msg_id=None
):
    """credit_transfer_file(), all or nothing."""
    if not payments:
        raise SepaFileError("a credit transfer file needs at least one payment")
    return _strict(credit_transfer_file(debtor, payments, version, batch_booking, msg_id))


def _account(node):
    if node is None:
        return None
    return _text(node, "Id", "IBAN") or _text(node, "Id", "Othr", "Id")


def _date(text):
    return datetime.date.fromisoformat(text[:10]) if text else None


def read_payment_file(xml_bytes):
    """Read a pain.008 or pain.001 file back: header and payment groups with their
    transactions (amounts in cents). Used to check what we wrote."""
    root = etree.fromstring(xml_bytes, _PARSER)
    initiation = root[0]
    debit = _local(initiation.tag) == "CstmrDrctDbtInitn"
    result = {
        "version": etree.QName(root).namespace.rsplit(":", 1)[-1],
        "msg_id": _text(initiation, "GrpHdr", "MsgId"),
        "count": int(_text(initiation, "GrpHdr", "NbOfTxs")),
        "total": str_to_cents(_text(initiation, "GrpHdr", "CtrlSum")),
        "groups": [],
    }
    for pmt_inf in _children(initiation, "PmtInf"):
        date = (
            _text(pmt_inf, "ReqdColltnDt")
            if debit
            else (_text(pmt_inf, "ReqdExctnDt", "Dt") or _text(pmt_inf, "ReqdExctnDt"))
        )
        group = {
            "id": _text(pmt_inf, "PmtInfId"),
            "batch_booking": _text(pmt_inf, "BtchBookg") == "true",
            "count": int(_text(pmt_inf, "NbOfTxs")),
            "total": str_to_cents(_text(pmt_inf, "CtrlSum")),
            "date": _date(date),
            "sequence_type": _text(pmt_inf, "PmtTpInf", "SeqTp"),
            "scheme": _text(pmt_inf, "PmtTpInf", "LclInstrm", "Cd"),
            "own_iban": _account(_child(pmt_inf, "CdtrAcct" if debit else "DbtrAcct")),
            "creditor_id": _text(pmt_inf, "CdtrSchmeId", "Id", "PrvtId", "Othr", "Id"),
            "transactions": [],
        }
        for tx in _children(pmt_inf, "DrctDbtTxInf" if debit else "CdtTrfTxInf"):
            amount = _child(tx, "InstdAmt") if debit else _child(tx, "Amt", "InstdAmt")
            item = {
                "end_to_end_id": _text(tx, "PmtId", "EndToEndId"),
                "amount": str_to_cents(amount.text),
                "currency": amount.get("Ccy"),
                "iban": _account(_child(tx, "DbtrAcct" if debit else "CdtrAcct")),
                "name": _text(tx, "Dbtr" if debit else "Cdtr", "Nm"),
                "description": _text(tx, "RmtInf", "Ustrd"),
            }
            if debit:
                mandate = _child(tx, "DrctDbtTx", "MndtRltdInf")
                item["mandate_ref"] = _text(mandate, "MndtId")
                item["mandate_date"] = _date(_text(mandate, "DtOfSgntr"))
                item["amendment"] = _text(mandate, "AmdmntInd") == "true"
                item["original_account"] = _account(
                    _child(mandate, "AmdmntInfDtls", "OrgnlDbtrAcct")
                )
            group["transactions"].append(item)
        result["groups"].append(group)
    return result


def read_camt054_returns(xml_bytes):
    """The returned direct debits in a camt.054 (or camt.053) file: one dict per returned
    transaction {end_to_end_id, amount (cents), reason, date, info}.

    The file comes from outside: it is parsed without DTD, entities or network (no XXE, no
    entity expansion), with libxml2's limits on depth and size kept, and refused when it
    is larger than MAX_CAMT_BYTES, has a DOCTYPE, is not XML or not camt.053/054, or holds
    an amount or date that is not one. Raises SepaFileError saying which."""
    if not isinstance(xml_bytes, bytes):
        raise SepaFileError("a camt file is bytes")
    if len(xml_bytes) > MAX_CAMT_BYTES:
        raise SepaFileError(f"larger than {MAX_CAMT_BYTES // 1024 // 1024} MB")
    try:
        tree = etree.ElementTree(etree.fromstring(xml_bytes, _CAMT_PARSER))
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SepaFileError(f"not well-formed XML: {exc}", [str(exc)]) from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SepaFileError("a camt file has no DOCTYPE (DTD or entities)")
    root = tree.getroot()
    namespace = etree.QName(root).namespace or ""
    if "camt.05" not in namespace:
        raise SepaFileError("not a camt.053/camt.054 file")
    returns = []
    for entry in root.iter("{*}Ntry"):
        for tx in entry.iter("{*}TxDtls"):
            reason = _child(tx, "RtrInf", "Rsn", "Cd")
            if reason is None:
                continue
            amount = _child(tx, "AmtDtls", "TxAmt", "Amt")
            if amount is None:
                amount = _child(tx, "Amt")
            if amount is None:
                amount = _child(entry, "Amt")
            e2e = _text(tx, "Refs", "EndToEndId")
            try:
                booking = _date(_text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm"))
                cents = str_to_cents(amount.text or "") if amount is not None else None
            except ValueError as exc:
                raise SepaFileError(
                    f"the return {e2e!r} has a wrong amount or date: {exc}"
                ) from exc
            if cents is None:
                raise SepaFileError(f"the return {e2e!r} has no amount")
            returns.append(
                {
                    "end_to_end_id": e2e,
                    "amount": cents,
                    "reason": (reason.text or "").strip(),
                    "date": booking,
                    "info": _text(tx, "RtrInf", "AddtlInf"),
                }
            )
    return returns
