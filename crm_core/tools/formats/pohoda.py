"""POHODA (Stormware) XML: the address book (adresář), without the ORM.

POHODA exchanges data as XML in Windows-1250 with the namespaces of Stormware's schemas
(www.stormware.cz/schema/version_2/...): a `dat:dataPack` of `dat:dataPackItem`s for what
POHODA imports (here `adb:addressbook`), a `rsp:responsePack` with
`lAdb:listAddressBook` for what POHODA exports. `write_addressbook` writes a dataPack that is
valid against Stormware's `data.xsd`/`addressbook.xsd`; `read_addressbook` reads both.

An entry has an identity (`typ:address`: company, name = the contact person or the person,
street, city, zip, IČO, DIČ, country), phone, mobile, e-mail, web, a number ("číslo
adresy"), a note, and bank accounts (`adb:accountItem`: account number and bank code; a
Czech IBAN is written the Czech way, prefix-number/bank code, others as IBAN with the BIC
as bank code).
"""

import io

from lxml import etree

from .. import iban as iban_tools
from .. import sanitize
from . import Contact, FormatError, Problem, full_name, split_name

SCHEMA = "http://www.stormware.cz/schema/version_2/"
NS = {
    "dat": SCHEMA + "data.xsd",
    "adb": SCHEMA + "addressbook.xsd",
    "typ": SCHEMA + "type.xsd",
    "rsp": SCHEMA + "response.xsd",
    "lAdb": SCHEMA + "list_addBook.xsd",
    "inv": SCHEMA + "invoice.xsd",
}
ENCODING = "Windows-1250"
# the lengths of Stormware's types (type.xsd)
LENGTHS = {
    "company": 255,
    "division": 32,
    "name": 64,
    "city": 45,
    "street": 64,
    "zip": 15,
    "ico": 15,
    "dic": 18,
    "phone": 40,
    "mobil": 24,
    "email": 98,
    "web": 96,
    "function": 32,
    "number": 20,
    "accountNumber": 34,
    "bankCode": 11,
}


def _q(prefix, name):
    return f"{{{NS[prefix]}}}{name}"


def sub(parent, prefix, name, value=None, length=None, multiline=False):
    """A child element; with `value`, its text through sanitize.pohoda (None: no element)."""
    if value is not None:
        value = sanitize.pohoda(value, max_len=length or LENGTHS.get(name), multiline=multiline)
        if not value:
            return None
    element = etree.SubElement(parent, _q(prefix, name))
    if value is not None:
        element.text = value
    return element


def data_pack(pack_id, ico, note, application="Odoo CRM Suite"):
    """An empty dataPack (root element) with the attributes data.xsd requires."""
    root = etree.Element(_q("dat", "dataPack"), nsmap=dict(NS))
    root.set("version", "2.0")
    root.set("id", sanitize.pohoda(pack_id, 64) or "odoo")
    if ico:
        root.set("ico", sanitize.pohoda(ico, 15))
    root.set("application", sanitize.pohoda(application, 100))
    root.set("note", sanitize.pohoda(note, 200))
    return root


def pack_item(root, item_id):
    item = etree.SubElement(root, _q("dat", "dataPackItem"))
    item.set("version", "2.0")
    item.set("id", sanitize.pohoda(item_id, 64))
    return item


def to_bytes(root):
    return etree.tostring(root, xml_declaration=True, encoding=ENCODING, pretty_print=True)


def identity(parent, prefix, contact, name="identity"):
    """`<prefix>:<name>/typ:address` of a contact (the address book's identity, an
    invoice's partnerIdentity)."""
    holder = sub(parent, prefix, name)
    address = sub(holder, "typ", "address")
    if contact.is_company:
        sub(address, "typ", "company", contact.name)
        sub(address, "typ", "name", contact.contact_person)
    else:
        sub(address, "typ", "company", contact.company_name)
        sub(
            address, "typ", "name", contact.name or full_name(contact.first_name, contact.last_name)
        )
    sub(address, "typ", "city", contact.city)
    sub(address, "typ", "street", " ".join(p for p in (contact.street, contact.street2) if p))
    sub(address, "typ", "zip", contact.zip)
    sub(address, "typ", "ico", contact.company_registry)
    sub(address, "typ", "dic", contact.vat)
    if contact.country:
        country = sub(address, "typ", "country")
        sub(country, "typ", "ids", contact.country.upper(), length=2)
    return holder


def account_fields(bank):
    """(accountNumber, bankCode) of a bank account {"iban", "bic"}: Czech accounts the
    Czech way (19-2000145399, 0800), others as IBAN with the BIC."""
    number = iban_tools.normalise(bank.get("iban"))
    if number.startswith("CZ") and len(number) == 24 and number[2:].isalnum():
        bank_code, prefix, account = number[4:8], number[8:14].lstrip("0"), number[14:].lstrip("0")
        return (f"{prefix}-{account}" if prefix else account or "0"), bank_code
    return number, (bank.get("bic") or "").replace(" ", "").upper()


def account_iban(number, bank_code):
    """The IBAN of a POHODA account: an IBAN as it is, a Czech account number (prefix-
    number) with its bank code as Czech IBAN; '' when neither."""
    number = (number or "").replace(" ", "")
    if iban_tools.looks_like_iban(number):
        return iban_tools.normalise(number)
    prefix, _sep, account = number.rpartition("-")
    if not (account.isdigit() and (not prefix or prefix.isdigit()) and bank_code.isdigit()):
        return ""
    if len(bank_code) > 4 or len(prefix) > 6 or len(account) > 10:
        return ""
    bban = bank_code.zfill(4) + prefix.zfill(6) + account.zfill(10)
    check = 98 - int(bban + "123500") % 97  # C = 12, Z = 35
    return f"CZ{check:02d}{bban}"


def write_addressbook(contacts, ico="", pack_id="adresar", note="Adresář z Odoo"):
    """The contacts as a POHODA dataPack of adb:addressbook items (bytes, Windows-1250)."""
    root = data_pack(pack_id, ico, note)
    for n, contact in enumerate(contacts, 1):
        item = pack_item(root, f"ADB{n:06d}")
        book = sub(item, "adb", "addressbook")
        book.set("version", "2.0")
        header = sub(book, "adb", "addressbookHeader")
        identity(header, "adb", contact)
        sub(header, "adb", "phone", contact.phone)
        sub(header, "adb", "mobil", contact.mobile)
        sub(header, "adb", "email", contact.email)
        sub(header, "adb", "web", contact.website)
        if contact.ref:
            number = sub(header, "adb", "number")
            sub(number, "typ", "numberRequested", contact.ref, length=20)
        sub(header, "adb", "function", contact.function)
        sub(header, "adb", "note", contact.note, length=10000, multiline=True)
        banks = [bank for bank in contact.bank_accounts if bank.get("iban")]
        if banks:
            accounts = sub(book, "adb", "addressbookAccount")
            for index, bank in enumerate(banks):
                account_number, bank_code = account_fields(bank)
                item_element = sub(accounts, "adb", "accountItem")
                sub(item_element, "adb", "accountNumber", account_number)
                sub(item_element, "adb", "bankCode", bank_code)
                if index == 0:
                    sub(item_element, "adb", "defaultAccount", "true")
    return to_bytes(root)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    remove_comments=True,
    dtd_validation=False,
    load_dtd=False,
)


def parse(data):
    """The root of an XML file (bytes), without DTDs, entities or network; FormatError when
    it is no XML."""
    try:
        return etree.parse(io.BytesIO(data), _PARSER).getroot()
    except etree.XMLSyntaxError as error:
        raise FormatError(f"The file is no readable XML: {error}") from error


def _text(element, path):
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else ""


def looks_like(data):
    head = data[:2000]
    return b"stormware.cz/schema" in head and (b"addressbook" in data[:20000] or b"addBook" in head)


def read_addressbook(data):
    """(contacts, problems) of a POHODA address book: a dataPack of adb:addressbook (what
    POHODA imports) or a responsePack with lAdb:listAddressBook (what POHODA exports)."""
    root = parse(data)
    if not root.tag.startswith("{" + SCHEMA):
        raise FormatError("The file is no POHODA XML (no Stormware namespace).")
    books = root.findall(".//adb:addressbook", NS) + root.findall(".//lAdb:addressbook", NS)
    if not books:
        raise FormatError("The POHODA file holds no address book entries.")
    contacts, problems = [], []
    for position, book in enumerate(books, 1):
        line = book.sourceline or 0
        header = book.find("adb:addressbookHeader", NS)
        if header is None:
            problems.append(Problem(position, line, "name"))
            continue
        address = header.find("adb:identity/typ:address", NS)
        get = (
            (lambda name, a=address: _text(a, f"typ:{name}"))
            if address is not None
            else (lambda name: "")
        )
        company, name = get("company"), get("name")
        contact = Contact(row=position, line=line)
        if company:
            contact.is_company = True
            contact.name = company
            contact.contact_person = name
        else:
            contact.name = name
            contact.first_name, contact.last_name = split_name(name)
        if not contact.name:
            problems.append(Problem(position, line, "name"))
            continue
        contact.street, contact.city, contact.zip = get("street"), get("city"), get("zip")
        contact.company_registry, contact.vat = get("ico"), get("dic")
        contact.country = _text(address, "typ:country/typ:ids") if address is not None else ""
        contact.phone = _text(header, "adb:phone") or (get("phone"))
        contact.mobile = _text(header, "adb:mobil") or get("mobilPhone")
        contact.email = _text(header, "adb:email") or get("email")
        contact.website = _text(header, "adb:web")
        contact.function = _text(header, "adb:function")
        contact.note = _text(header, "adb:note")
        contact.ref = _text(header, "adb:number/typ:numberRequested") or _text(
            header, "adb:number/typ:ids"
        )
        contact.external_id = _text(header, "adb:id")
        for account in book.findall("adb:addressbookAccount/adb:accountItem", NS):
            number, code = _text(account, "adb:accountNumber"), _text(account, "adb:bankCode")
            iban = account_iban(number, code)
            if iban:
                bic = code if not code.isdigit() else ""
                contact.bank_accounts.append({"iban": iban, "bic": bic})
        contacts.append(contact)
    return contacts, problems
