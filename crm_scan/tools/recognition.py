"""Recognise identifiers in OCR text: pure Python, no ORM.

``extract(text)`` returns a dict of lists; each found value is normalised so that it can be
compared with what the database stores (IBAN compact upper case, VAT with country prefix,
phone numbers in E.164, e-mails lower case...).
"""

import datetime
import re
import unicodedata

import phonenumbers
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.cz import dic as cz_dic
from stdnum.eu import vat as eu_vat

# An IBAN as printed: country, check digits, then groups; OCR may put spaces anywhere.
_IBAN_RE = re.compile(r"\b([A-Z]{2}[\s:.]?\d{2}(?:[\s:.,]?[A-Z0-9]){10,30})")
_VAT_RE = re.compile(
    r"\b(AT\s?U|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)"
    r"[\s.]?([0-9A-Z][0-9A-Z\s.]{6,14}[0-9A-Z])\b"
)
_HRB_RE = re.compile(r"\b(HR[AB])\s?(\d{1,6}(?:\s?[A-Z]{1,2})?)\b")
_ICO_RE = re.compile(r"\b(?:IČO?|ICO|I[ČC]:)\s*[:.]?\s*(\d{8})\b", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_NUMBER_WORDS = (
    r"Kunden[\s-]?(?:nummer|nr\.?)|Kd\.?[\s-]?Nr\.?|Debitor(?:en)?(?:[\s-]?(?:nummer|nr\.?))?|"
    r"Kreditor(?:en)?(?:[\s-]?(?:nummer|nr\.?))?|Lieferanten[\s-]?(?:nummer|nr\.?)|"
    r"Customer\s(?:No\.?|number)|Supplier\s(?:No\.?|number)|"
    r"[ČC][ií]slo\s(?:z[aá]kazn[ií]ka|dodavatele|odb[eě]ratele)|Z[aá]kaznick[eé]\s[čc][ií]slo|"
    r"Z[aá]k\.\s?[čc]\."
)
# whose number it is, from the writer's point of view: "Unsere Kundennummer" is the
# writer's number with the reader, "Ihre Kundennummer" the reader's number with the writer
_OWN = r"Unser[e]?|Meine?|Our|My|Na[šs]e|Moje"
_YOURS = r"Ihre?|Your|Va[šs]e"
_LABELLED_NUMBER_RE = re.compile(
    rf"(?:\b(?:(?P<own>{_OWN})|(?P<yours>{_YOURS}))\s+)?(?:{_NUMBER_WORDS})\s*[:.#]?\s*"
    r"(?P<value>[A-Z0-9][A-Z0-9/-]{2,19})",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"\b([A-Z]{0,4}[-/]?\d[\d/-]{2,14}\d)\b")
_INVOICE_RE = re.compile(
    r"(?:\b(?P<yours>Ihre[rn]?|Your|Va[šs]e|Va[šs][ií])\s+)?"
    r"(?:Rechnung(?:s)?[\s-]?(?:nummer|nr\.?)?|Rg\.?[\s-]?Nr\.?|Invoice(?:\s(?:No\.?|number))?|"
    r"Faktur[auy](?:\s[čc][ií]slo|\s[čc]\.)?|Da[nň]ov[ýy]\sdoklad(?:\s[čc]\.)?|Beleg[\s-]?nr\.?)"
    r"\s*[:.#]?\s*(?:vom\s+\S+\s+)?(?:Nr\.?\s*|[čc]\.\s*)?(?P<value>[A-Z0-9][A-Z0-9/-]{2,29})",
    re.IGNORECASE,
)
_ODOO_MOVE_RE = re.compile(r"\b([A-Z]{2,6}/\d{4}/\d{2,6}(?:/\d{2,6})?)\b")
_MANDATE_RE = re.compile(
    r"(?:Mandats[\s-]?referenz|Mandate\sreference|Reference\smand[aá]tu|"
    r"Referen[cč]n[ií]\s[čc][ií]slo\smand[aá]tu)\s*[:.#]?\s*([A-Za-z0-9+?/:().,' -]{3,35}?)"
    r"(?=\s{2,}|\n|$)",
    re.IGNORECASE,
)
_DATE_NUM_RE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_DATE_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = {
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5,
    "juni": 6, "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11,
    "dezember": 12,
    # Czech (genitive, as in dates)
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6,
    "července": 7, "srpna": 8, "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "december": 12,
}  # fmt: skip
_DATE_WORD_RE = re.compile(r"\b(\d{1,2})\.?\s+([A-Za-zÀ-ž]{3,10})\s+(\d{4})\b")
_AMOUNT_RE = re.compile(
    r"(?:(EUR|CZK|Kč|€)\s*)?(-?\d{1,3}(?:[.\s\u00a0]\d{3})*|-?\d+),(\d{2})\b\s*(EUR|CZK|Kč|€)?"
)
_CURRENCIES = {"€": "EUR", "EUR": "EUR", "Kč": "CZK", "CZK": "CZK"}
_DOMAIN_RE = re.compile(
    r"(?:\bwww\.|https?://(?:www\.)?|@)((?:[a-z0-9-]+\.)+(?:de|cz|at|ch|sk|pl|com|eu|net|org|info))\b",
    re.IGNORECASE,
)
# domains that name no company (free mail)
FREE_MAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "gmx.de", "gmx.net", "gmx.at", "web.de", "t-online.de",
        "outlook.com", "hotmail.com", "yahoo.com", "yahoo.de", "icloud.com", "freenet.de",
        "posteo.de", "mail.de", "seznam.cz", "email.cz", "centrum.cz", "atlas.cz", "volny.cz",
        "post.cz", "tiscali.cz", "aol.com", "protonmail.com", "proton.me",
    }
)  # fmt: skip

# OCR confusions inside digit runs
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8"})


def normalize(text):
    """Lower case, accents removed, whitespace collapsed: for comparing names and streets."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().lower()


def compact(value):
    return re.sub(r"[\s.,:\-/]", "", value or "").upper()


def _valid_iban(value):
    try:
        return IBAN(value).compact
    except (SchwiftyException, ValueError):
        return None


def find_ibans(text):
    found = []
    for match in _IBAN_RE.finditer(text.upper()):
        raw = compact(match.group(1))
        # OCR glues the next word on: try the longest valid prefix first, then the same
        # with digit look-alikes (O, I, S...) read as digits
        for end in range(min(len(raw), 34), 14, -1):
            value = _valid_iban(raw[:end]) or _valid_iban(
                raw[:2] + raw[2:end].translate(_DIGIT_FIX)
            )
            if value:
                if value not in found:
                    found.append(value)
                break
    return found


def find_vat_numbers(text):
    found = []
    # not inside an IBAN (DE47 3704 0044... reads as a valid German VAT id by chance)
    text = _IBAN_LIKE_RE.sub(" ", text.upper())
    for match in _VAT_RE.finditer(text):
        prefix = match.group(1).replace(" ", "")
        body = compact(match.group(2))
        for end in range(len(body), 7, -1):
            value = prefix + body[:end]
            if eu_vat.is_valid(value):
                value = eu_vat.compact(value)
                if value not in found:
                    found.append(value)
                break
    return found


def find_registrations(text):
    """German commercial register numbers ("HRB 12345") and Czech IČO (8 digits with a
    valid check digit)."""
    found = []
    for match in _HRB_RE.finditer(text):
        value = f"{match.group(1)} {match.group(2).replace(' ', '')}"
        if value not in found:
            found.append(value)
    for match in _ICO_RE.finditer(text):
        value = match.group(1)
        if is_valid_ico(value) and value not in found:
            found.append(value)
    return found


def is_valid_ico(value):
    """A Czech company id (IČO): 8 digits with the mod-11 check digit, checked with
    python-stdnum (a legal entity's DIČ is CZ + its IČO)."""
    return bool(re.fullmatch(r"\d{8}", value or "")) and cz_dic.is_valid(value)


def find_emails(text):
    found = []
    for match in _EMAIL_RE.finditer(text):
        value = match.group(0).strip(".").lower()
        if value not in found:
            found.append(value)
    return found


_PHONE_LABEL = r"(?:Tel(?:efon)?|Fon|Fax|Mobil|Handy|Phone|Mob|tel)\.?\s*[.:]?\s*"
_PHONE_DIGITS = r"(\+?\(?\d[\d /().-]{5,22}\d)"
_LABELLED_PHONE_RE = re.compile(_PHONE_LABEL + _PHONE_DIGITS, re.IGNORECASE)
_INTERNATIONAL_PHONE_RE = re.compile(r"(?<![\w/])((?:\+|00)[1-9][\d /().-]{6,20}\d)")
_IBAN_LIKE_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,4})?\b")
# Czech numbers have nine digits and no trunk prefix: 602 111 222
_BARE_CZ_PHONE_RE = re.compile(r"(?<![\w/.,-])([2-9]\d{2} \d{3} \d{3})(?![\w/]| \d)")
_BARE_PHONE_RE = re.compile(r"(?<![\w/.,-])(0[1-9]\d{1,4}(?:(?: ?[/-] ?| )\d{2,8}){1,3})(?![\w/])")


def _phone(raw, regions):
    """The E.164 form of the longest valid phone number at the start of ``raw`` (OCR and
    merged columns put the next number right behind it), or None."""
    groups = raw.split()
    # a group starting with 0 or + after the first starts the next number
    for index, group in enumerate(groups[1:], start=1):
        if group.startswith(("0", "+")):
            groups = groups[:index]
            break
    # a national number without a leading 0 is not German (Czech numbers have no prefix)
    if groups and not groups[0].lstrip("(").startswith(("0", "+")) and "CZ" in regions:
        regions = ("CZ", *(r for r in regions if r != "CZ"))
    for end in range(len(groups), 0, -1):
        candidate = " ".join(groups[:end])
        if sum(c.isdigit() for c in candidate) < 6:
            break
        for region in regions:
            try:
                number = phonenumbers.parse(candidate, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def find_phones(text, regions=("DE", "CZ"), bare=False):
    """Valid phone numbers in E.164: written internationally (+49..., 0049...) or after a
    label such as "Tel." (national numbers are read with each region in turn); with
    ``bare``, national numbers without a label too (the sender's block of a letter)."""
    found = []
    text = text or ""
    patterns = [(_LABELLED_PHONE_RE, text, regions), (_INTERNATIONAL_PHONE_RE, text, regions)]
    if bare:  # not inside IBANs and account numbers
        searched = _IBAN_LIKE_RE.sub(" ", text)
        patterns += [(_BARE_PHONE_RE, searched, regions)]
        if "CZ" in regions:
            patterns.append((_BARE_CZ_PHONE_RE, searched, ("CZ",)))
    for pattern, searched, pattern_regions in patterns:
        for match in pattern.finditer(searched):
            value = _phone(match.group(1), pattern_regions)
            if value and value not in found:
                found.append(value)
    return found


def find_partner_numbers(text):
    """Numbers that may be our debtor/creditor numbers: (labelled, others). Labelled ones
    follow a label such as "Kundennummer", as [value, role]: role "own" when the writer
    says it is its number ("Unsere Kundennummer", "Naše zákaznické číslo"), "yours" when
    it is the reader's ("Ihre Kundennummer", "Vaše číslo zákazníka"), else "plain".
    Others are any number-like tokens."""
    labelled = []
    for match in _LABELLED_NUMBER_RE.finditer(text):
        value = match.group("value").strip("-/").upper()
        role = "own" if match.group("own") else "yours" if match.group("yours") else "plain"
        if any(c.isdigit() for c in value) and [value, role] not in labelled:
            labelled.append([value, role])
    values = {value for value, _role in labelled}
    others = [t for t in dict.fromkeys(m.group(1) for m in _TOKEN_RE.finditer(text))]
    return labelled, [t for t in others if t not in values]


def find_invoice_refs(text):
    """Invoice references as [value, role]: "yours" when the writer names the reader's
    invoice ("Ihre Rechnung", "Vaše faktura"), "plain" after a plain label ("Rechnung Nr.",
    "Faktura č."), "pattern" for an unlabelled number in the form of Odoo's sequences
    (INV/2026/00012)."""
    found = []
    seen = set()
    for match in _INVOICE_RE.finditer(text):
        value = match.group("value").strip("-/").upper()
        if any(c.isdigit() for c in value) and value not in seen:
            seen.add(value)
            found.append([value, "yours" if match.group("yours") else "plain"])
    for match in _ODOO_MOVE_RE.finditer(text):
        if match.group(1) not in seen:
            seen.add(match.group(1))
            found.append([match.group(1), "pattern"])
    return found


def find_mandate_refs(text):
    found = []
    for match in _MANDATE_RE.finditer(text):
        value = match.group(1).strip()
        if value and value not in found:
            found.append(value)
    return found


def _date(year, month, day):
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1900 < value.year < 2200 else None


def find_dates(text):
    found = []
    for match in _DATE_NUM_RE.finditer(text):
        found.append(_date(match.group(3), match.group(2), match.group(1)))
    for match in _DATE_ISO_RE.finditer(text):
        found.append(_date(match.group(1), match.group(2), match.group(3)))
    for match in _DATE_WORD_RE.finditer(text):
        month = _MONTHS.get(match.group(2).lower())
        if month:
            found.append(_date(match.group(3), month, match.group(1)))
    return list(dict.fromkeys(d for d in found if d))


def parse_amount(integer, cents):
    integer = re.sub(r"[.\s\u00a0]", "", integer)
    return float(f"{integer}.{cents}")


def find_amounts(text):
    """Amounts written the German/Czech way (1.234,56 / 1 234,56) with an optional
    currency before or after: list of (amount, currency code or False)."""
    found = []
    for match in _AMOUNT_RE.finditer(text):
        currency = _CURRENCIES.get(match.group(1) or match.group(4) or "", False)
        value = (parse_amount(match.group(2), match.group(3)), currency)
        if value not in found:
            found.append(value)
    return found


def find_domains(text):
    """Internet domains of web addresses and e-mail addresses (www.mueller-bau.de,
    info@mueller-bau.de -> mueller-bau.de), lower case, without free mail providers."""
    found = []
    for match in _DOMAIN_RE.finditer(text or ""):
        value = match.group(1).lower().strip(".")
        if value not in FREE_MAIL and value not in found:
            found.append(value)
    return found


def extract(text, bare_phones=False):
    """Everything recognisable in an OCR text, as a dict of lists."""
    text = text or ""
    labelled, others = find_partner_numbers(text)
    return {
        "ibans": find_ibans(text),
        "vats": find_vat_numbers(text),
        "registrations": find_registrations(text),
        "emails": find_emails(text),
        "domains": find_domains(text),
        "phones": find_phones(text, bare=bare_phones),
        "numbers_labelled": labelled,
        "numbers": others,
        "invoices": find_invoice_refs(text),
        "mandates": find_mandate_refs(text),
        "dates": find_dates(text),
        "amounts": find_amounts(text),
    }


def classify(text, keywords):
    """Pick a document type by keywords.

    :param keywords: {type_key: [keyword, ...]}
    :return: (type_key or None, hits) — the type whose keywords occur most often
        (ties: the first in ``keywords`` order)
    """
    norm = normalize(text)
    best, best_hits = None, 0
    for key, words in keywords.items():
        hits = sum(norm.count(normalize(w)) for w in words if w and w.strip())
        if hits > best_hits:
            best, best_hits = key, hits
    return best, best_hits
