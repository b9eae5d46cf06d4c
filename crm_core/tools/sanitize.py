"""Text at the suite's borders. No ORM.

On its way out, free text going into a regulated or exchange format passes one function
per format family, used by every writer of the suite (pain.008/pain.001, vCard, iCalendar,
GPX, CSV, labels, e-invoices, DATEV, POHODA): `text`, `epc`, `identifier`, `csv_cell`,
`charset` (with `datev` and `pohoda`).
On its way in, an identifier a person typed or pasted (IBAN, VAT id, phone number, e-mail,
debtor number) passes `typed` before it is validated or stored.

Each function takes any str (or a falsy value) and returns a str: it never raises, so one
odd customer name never stops a run. What a function removes or replaces is named in its
docstring.
"""

import re
import unicodedata

# Characters XML 1.0 cannot carry at all (lxml refuses them), and C1 controls.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Everything that breaks a line, for single-line fields.
_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x85\u2028\u2029]+")
# Invisible characters that only confuse: zero-width space/joiners, soft hyphen, BOM,
# bidirectional controls.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# The EPC "SEPA basic Latin" character set (EPC217-08): a-z A-Z 0-9 / - ? : ( ) . , ' + space.
_EPC_ALLOWED = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_EPC_FIRST = {
    # letters the Unicode decomposition does not bring down to basic Latin
    "ß": "ss",
    "ẞ": "SS",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Æ": "AE",
    "æ": "ae",
    "Ø": "O",
    "ø": "o",
    "Œ": "OE",
    "œ": "oe",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ð": "D",
    "ð": "d",
    "ı": "i",
    "Þ": "Th",
    "þ": "th",
    "&": "+",
    "@": "(at)",
    "_": "-",
    '"': "'",
    "„": "'",
    "“": "'",
    "”": "'",
    "‚": "'",
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "€": "EUR",
    ";": ",",
}


def text(value, multiline=False):
    """Text any XML or text format can carry: no control characters (tab and line breaks
    only when `multiline`), no invisible formatting characters, no lone surrogates, runs of
    spaces collapsed, stripped."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    value = _INVISIBLE.sub("", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = re.sub("[\x0b\x0c\x85\u2028\u2029]", "\n", value)
        value = _NOT_XML.sub("", value)
        lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
        return "\n".join(lines).strip()
    value = _BREAKS.sub(" ", value)
    value = _NOT_XML.sub("", value)
    return _SPACES.sub(" ", value).strip()


def epc(value, max_len=None):
    """Text in the EPC SEPA character set, for pain.008 and pain.001: umlauts and ß spelled
    out (Müller -> Mueller), other accents dropped (Dvořák -> Dvorak), & as +, anything
    else outside the set removed; one line, cut to `max_len` characters."""
    value = text(value)
    value = "".join(_EPC_FIRST.get(char, char) for char in value)
    value = unicodedata.normalize("NFKD", value)
    value = "".join(char for char in value if not unicodedata.combining(char))
    value = _EPC_ALLOWED.sub("", value)
    value = _SPACES.sub(" ", value).strip()
    if max_len:
        value = value[:max_len].rstrip()
    return value


def identifier(value, max_len=35, spaces=False):
    """An identifier in pain files (end-to-end id, message id, mandate reference): the EPC
    set, without spaces unless `spaces` (mandate references may have them), cut to
    `max_len`; as the EPC guidelines ask of identifiers, it neither starts nor ends with "/"
    and holds no "//"."""
    value = epc(value)
    if not spaces:
        value = value.replace(" ", "")
    value = re.sub("/{2,}", "/", value).strip("/ ")
    return value[:max_len].rstrip("/ ")


def csv_cell(value, multiline=False):
    """A CSV cell that a spreadsheet opens as text: control characters removed and a
    leading = + - @ (a formula to Excel and LibreOffice) escaped with an apostrophe."""
    value = text(value, multiline=multiline)
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    return value


# Letters that neither Windows-1252 nor Windows-1250 has and that the Unicode decomposition
# does not bring down to one they have.
_CHARSET_FALLBACK = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ø": "O",
    "ø": "o",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Þ": "Th",
    "þ": "th",
    "ẞ": "SS",
    "€": "EUR",
    "„": '"',
    "“": '"',
    "”": '"',
    "‚": "'",
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
}


def charset(value, encoding, max_len=None, multiline=False):
    """Text (see `text`) that the single-byte `encoding` can carry: a character it lacks is
    written without its accents when that brings it into the character set (Dvořák ->
    Dvorak in Windows-1252), else by a close ASCII spelling (Łódź -> Lodz, € -> EUR), else
    left out (emoji, CJK); cut to `max_len` characters."""
    value = text(value, multiline=multiline)
    out = []
    for char in value:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            pass
        else:
            out.append(char)
            continue
        for candidate in (
            "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)),
            _CHARSET_FALLBACK.get(char, ""),
        ):
            try:
                candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            if candidate:
                out.append(candidate)
                break
    value = _SPACES.sub(" ", "".join(out)).strip()
    if max_len:
        value = value[:max_len].rstrip()
    return value


def datev(value, max_len=None):
    """A text field of a DATEV file (EXTF): one line in Windows-1252, the character set DATEV
    reads (see `charset`), cut to the field's length."""
    return charset(value, "cp1252", max_len=max_len)


def pohoda(value, max_len=None, multiline=False):
    """A text of a POHODA XML file: Windows-1250, the character set POHODA reads and writes
    (see `charset`; Czech, Slovak, German and Polish letters stay), cut to `max_len`."""
    return charset(value, "cp1250", max_len=max_len, multiline=multiline)


# What people write before an identifier they paste, per kind of identifier (regular
# expressions for `typed`, matched case-insensitively at the start).
LABELS = {
    "iban": r"iban(?:[ -]?(?:nr|no|nummer|number|číslo))?|konto(?:nummer)?\b|kto\b"
    r"|account(?: number)?\b|acct\b|bankverbindung\b|(?:číslo )?účtu\b|účet\b",
    "vat": r"vat(?:[ -]?(?:id|no|number|reg\.? no))?\b|ust\.?-?id(?:\.?[ -]?nr)?\b"
    r"|umsatzsteuer-?id(?:entifikationsnummer)?\b|uid\b|di[čc]\b|ič dph\b",
    "phone": r"tel\b|telefon\b|phone\b|mobil(?:e|nummer)?\b|handy\b|fax\b",
    "email": r"mailto|e-?mail\b",
}


def typed(value, labels=None):
    """An identifier as a person typed or pasted it (IBAN, VAT id, phone number, e-mail,
    customer number), ready to be validated: compatibility characters folded (NFKC:
    full-width letters and digits, ligatures), every invisible formatting character
    (Unicode category Cf: zero-width space and joiners, soft hyphen, byte order mark,
    bidirectional marks, word joiner) and lone surrogates removed, control characters and
    line breaks made blanks, runs of blanks of any width one blank, stripped; then a
    leading label matched by the regular expression `labels` (see LABELS: "IBAN:", "Tel.",
    "mailto:"; case-insensitive, with the colon or dot after it) removed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", str(value))
    value = "".join(
        " " if category in ("Cc", "Zl", "Zp", "Zs") else char
        for char, category in ((char, unicodedata.category(char)) for char in value)
        if category not in ("Cf", "Cs")
    )
    value = _SPACES.sub(" ", value).strip()
    if labels:
        stripped = re.sub(rf"^(?:{labels})\s*[:.#]*\s*", "", value, flags=re.IGNORECASE)
        value = stripped or value
    return value
