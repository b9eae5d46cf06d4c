"""vCard reading (2.1, 3.0, 4.0) and writing (3.0), without the ORM.

Reading is forgiving in the ways real address books need: UTF-8 (with or without BOM), UTF-16
with BOM, or Windows-1252 files; CRLF, LF or CR line ends; RFC folding; quoted-printable values
with soft line breaks and a CHARSET parameter (as Outlook writes them); 2.1 style bare
parameters (`TEL;WORK;VOICE:`). A card that cannot be read is reported with its position and
the others are still returned.

Writing follows RFC 2426 (vCard 3.0): CRLF line ends, lines folded at 75 octets without
splitting a UTF-8 sequence, text values escaped. Every value passes sanitize.text first (no
control characters, no lone surrogates, line breaks only in NOTE), so any name or note gives
a card that address books read.

Control characters in a file read (a NUL byte, an escape) are dropped from the values.
"""

import datetime
import quopri
import re
from dataclasses import dataclass, field

from . import sanitize

SUPPORTED_VERSIONS = ("2.1", "3.0", "4.0")


class VCardFileError(ValueError):
    """The file as a whole cannot be read (not a vCard file at all)."""


@dataclass
class CardError:
    """A card that could not be read: its 1-based position in the file, the line of its
    BEGIN:VCARD, and what is wrong."""

    index: int
    line: int
    message: str
    name: str = ""


@dataclass
class Card:
    index: int = 0
    line: int = 0
    version: str = "3.0"
    kind: str = "individual"  # or "org"
    fn: str = ""
    family: str = ""
    given: str = ""
    additional: str = ""
    prefix: str = ""
    suffix: str = ""
    org: str = ""
    department: str = ""
    title: str = ""
    emails: list = field(default_factory=list)  # [(value, {types})]
    phones: list = field(default_factory=list)  # [(value, {types})]
    addresses: list = field(default_factory=list)  # [dict(types=..., street=..., ...)]
    urls: list = field(default_factory=list)
    bday: datetime.date | None = None
    note: str = ""
    categories: list = field(default_factory=list)
    uid: str = ""
    extra: list = field(default_factory=list)  # [(name, value)] of X-CRM-* properties

    @property
    def person_name(self):
        """The person's name, or '' for a card of an organisation."""
        if self.kind == "org":
            return ""
        parts = [self.prefix, self.given, self.additional, self.family, self.suffix]
        structured = " ".join(p for p in parts if p).strip()
        name = self.fn or structured
        if self.org and name == self.org and not (self.given or self.family):
            return ""
        return name

    @property
    def display_name(self):
        return self.person_name or self.org or self.fn


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
_SPLIT_BYTES = re.compile(rb"\r\n|\r|\n")
_SPLIT_LINES = re.compile(r"\r\n|\r|\n")
# control characters other than tab: no vCard value carries them (a NUL byte would stop the
# database, which stores no NUL in text)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def decode_lines(data):
    """Return the lines of a vCard file as text. UTF-16 needs its BOM; otherwise each line is
    read as UTF-8, or as Windows-1252 when it is not UTF-8 (what Outlook writes on Western
    European Windows), so a file mixing both still reads."""
    if isinstance(data, str):
        return [_CONTROL.sub("", line) for line in _SPLIT_LINES.split(data)]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return [_CONTROL.sub("", line) for line in _SPLIT_LINES.split(text)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = []
    for raw in _SPLIT_BYTES.split(data):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
        lines.append(_CONTROL.sub("", line))
    return lines


def _split_unquoted(text, sep):
    """Split text at sep outside double quotes."""
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _split_escaped(text, sep):
    """Split text at sep not preceded by a backslash (keeps escapes for unescape())."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def unescape(text):
    out, escaped = [], False
    for char in text:
        if escaped:
            out.append("\n" if char in "nN" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


@dataclass
class _Property:
    name: str
    params: dict
    value: str
    line: int


def _parse_property(line, number):
    name_part, sep, value = line.partition(":")
    if not sep:
        raise ValueError(f"line {number}: no ':' separates the property name from its value")
    # a ':' inside a quoted parameter value: re-split outside quotes
    if '"' in name_part:
        pieces = _split_unquoted(line, ":")
        name_part, value = pieces[0], ":".join(pieces[1:])
    items = _split_unquoted(name_part, ";")
    name = items[0].strip()
    if "." in name:  # group prefix (item1.TEL)
        name = name.rsplit(".", 1)[1]
    if not name or not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ValueError(f"line {number}: invalid property name {items[0]!r}")
    params = {}
    for item in items[1:]:
        if not item:
            continue
        key, eq, val = item.partition("=")
        if not eq:  # vCard 2.1: TEL;WORK;VOICE, or ;QUOTED-PRINTABLE
            key, val = (
                ("ENCODING", item)
                if item.upper() in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT")
                else ("TYPE", item)
            )
        values = [v.strip('"') for v in _split_unquoted(val, ",")]
        params.setdefault(key.strip().upper(), []).extend(values)
    return _Property(name.upper(), params, value, number)


def _logical_lines(lines, first_number):
    """Unfold physical lines into (line number, text): RFC folding (a line starting with a
    space or tab continues the previous one) and quoted-printable soft line breaks."""
    result = []
    qp_open = False
    for offset, raw in enumerate(lines):
        number = first_number + offset
        if result and raw[:1] in (" ", "\t") and not qp_open:
            result[-1][1] += raw[1:]
            continue
        if qp_open and result:
            result[-1][1] = result[-1][1][:-1] + raw
        elif raw.strip():
            result.append([number, raw])
        else:
            continue
        text = result[-1][1]
        head = text.split(":", 1)[0].upper()
        qp_open = "QUOTED-PRINTABLE" in head and text.endswith("=")
    return result


def _decode_value(prop):
    encoding = [v.upper() for v in prop.params.get("ENCODING", [])]
    charset = (prop.params.get("CHARSET") or [""])[0] or "utf-8"
    if "QUOTED-PRINTABLE" in encoding or "QP" in encoding:
        raw = quopri.decodestring(prop.value.encode("utf-8"))
        try:
            text = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")
        # (a quoted-printable =00 or =0B brings control characters back)
        return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return prop.value


def _types(prop):
    types = set()
    for value in prop.params.get("TYPE", []):
        types.update(v.strip().lower() for v in value.split(",") if v.strip())
    if "PREF" in prop.params:  # vCard 4.0: PREF=1
        types.add("pref")
    return types


def _parse_date(text):
    """Date of a BDAY value: 1980-04-02, 19800402, 1980-04-02T00:00:00Z; None for a
    vCard 4.0 date without year (--0402)."""
    text = text.strip()
    match = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?:$|T)", text)
    if match:
        try:
            return datetime.date(*map(int, match.groups()))
        except ValueError:
            pass
    elif re.match(r"^--\d{2}-?\d{2}$", text):
        return None
    raise ValueError(f"the birthday {text!r} is not a date")


def _set_n(card, prop, value):
    parts = [unescape(p).strip() for p in _split_escaped(value, ";")] + [""] * 5
    card.family, card.given, card.additional, card.prefix, card.suffix = parts[:5]


def _set_org(card, prop, value):
    parts = [unescape(p).strip() for p in _split_escaped(value, ";")]
    card.org = parts[0]
    card.department = "; ".join(p for p in parts[1:] if p)


def _add_tel(card, prop, value):
    tel = unescape(value).strip()
    if tel.lower().startswith("tel:"):
        tel = tel[4:]
    if tel:
        card.phones.append((tel, _types(prop)))


def _add_email(card, prop, value):
    email = unescape(value).strip()
    if email:
        card.emails.append((email, _types(prop)))


def _add_adr(card, prop, value):
    parts = [unescape(p) for p in _split_escaped(value, ";")] + [""] * 7
    pobox, extended, street, city, region, zip_code, country = (p.strip() for p in parts[:7])
    street_lines = [s.strip() for s in street.split("\n") if s.strip()]
    street2 = ([extended] if extended else []) + street_lines[1:] + ([pobox] if pobox else [])
    if any((street_lines, street2, city, zip_code, country, region)):
        card.addresses.append(
            {
                "types": _types(prop),
                "street": street_lines[0] if street_lines else "",
                "street2": ", ".join(street2),
                "city": city,
                "region": region,
                "zip": zip_code,
                "country": country,
            }
        )


def _add_url(card, prop, value):
    if value.strip():
        card.urls.append(unescape(value).strip())


def _set_bday(card, prop, value):
    if value.strip():
        card.bday = _parse_date(unescape(value))


def _set_categories(card, prop, value):
    card.categories = [unescape(c).strip() for c in _split_escaped(value, ",") if c.strip()]


def _set_kind(card, prop, value):
    if value.strip().lower() in ("org", "organization", "company"):
        card.kind = "org"


def _setter(attribute):
    def set_text(card, prop, value):
        setattr(card, attribute, unescape(value).strip())

    return set_text


_HANDLERS = {
    "FN": _setter("fn"),
    "N": _set_n,
    "ORG": _set_org,
    "TITLE": _setter("title"),
    "NOTE": _setter("note"),
    "UID": _setter("uid"),
    "EMAIL": _add_email,
    "TEL": _add_tel,
    "ADR": _add_adr,
    "URL": _add_url,
    "BDAY": _set_bday,
    "CATEGORIES": _set_categories,
    "KIND": _set_kind,
    "X-ABSHOWAS": _set_kind,
}


def _card_from_properties(props, index, line):
    card = Card(index=index, line=line)
    versions = [prop.value.strip() for prop in props if prop.name == "VERSION"]
    version = versions[0] if versions else None
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(
            f"unsupported vCard version {version!r} (supported: {', '.join(SUPPORTED_VERSIONS)})"
            if version
            else "the card has no VERSION line"
        )
    card.version = version
    for prop in props:
        handler = _HANDLERS.get(prop.name)
        if handler:
            handler(card, prop, _decode_value(prop))
        elif prop.name.startswith("X-CRM-"):
            card.extra.append((prop.name, unescape(_decode_value(prop)).strip()))
    if not (card.fn or card.org or card.family or card.given):
        raise ValueError("the card has no name (FN, N or ORG)")
    if card.kind != "org" and not (card.given or card.family) and card.fn in ("", card.org):
        card.kind = "org"
    return card


def parse_vcards(data):
    """Read every card of a vCard file.

    :param data: bytes (or str) of the file
    :return: (cards, errors): the cards read and a CardError per card that could not be read
    :raise VCardFileError: the file contains no vCard at all
    """
    lines = decode_lines(data)
    cards, errors = [], []
    index = 0
    position = 0
    found = False
    while position < len(lines):
        if lines[position].strip().upper() != "BEGIN:VCARD":
            position += 1
            continue
        found = True
        index += 1
        begin = position
        end = None
        for cursor in range(position + 1, len(lines)):
            marker = lines[cursor].strip().upper()
            if marker == "END:VCARD":
                end = cursor
                break
            if marker == "BEGIN:VCARD":
                break
        if end is None:
            stop = cursor if lines[cursor].strip().upper() == "BEGIN:VCARD" else len(lines)
            errors.append(
                CardError(
                    index,
                    begin + 1,
                    "the card has no END:VCARD line",
                    _guess_name(lines[begin + 1 : stop]),
                )
            )
            position = stop
            continue
        body = lines[begin + 1 : end]
        try:
            props = [_parse_property(t, n) for n, t in _logical_lines(body, begin + 2)]
            cards.append(_card_from_properties(props, index, begin + 1))
        except ValueError as error:
            errors.append(CardError(index, begin + 1, str(error), _guess_name(body)))
        position = end + 1
    if not found:
        raise VCardFileError("the file contains no vCard (no BEGIN:VCARD line)")
    return cards, errors


def _guess_name(lines):
    for line in lines:
        if line.upper().startswith(("FN:", "FN;")):
            return line.split(":", 1)[1].strip()
    return ""


# ---------------------------------------------------------------------------------------------
# Writing (vCard 3.0, RFC 2426)
# ---------------------------------------------------------------------------------------------
def escape(text, multiline=False):
    """A text value as vCard 3.0 writes it: sanitized (sanitize.text), then backslash,
    semicolon, comma and line breaks escaped."""
    return (
        sanitize.text(text, multiline=multiline)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line, limit=75):
    """Fold a content line at `limit` octets (UTF-8), never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= limit:
        return line
    chunks, current, size, budget = [], [], 0, limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > budget:
            chunks.append("".join(current))
            current, size, budget = [], 0, limit - 1  # continuation lines start with a space
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def _line(name, value, params=None):
    head = name
    for key, values in (params or {}).items():
        if values:
            head += f";{key}={','.join(values)}"
    return fold(f"{head}:{value}") + "\r\n"


def card_to_vcard(card):
    """Serialise one Card as a vCard 3.0 string (CRLF line ends)."""
    out = ["BEGIN:VCARD\r\n", "VERSION:3.0\r\n"]
    is_org = card.kind == "org"
    fn = card.fn or (card.org if is_org else " ".join(p for p in (card.given, card.family) if p))
    if not sanitize.text(fn):  # FN is required: a card without a readable name says so
        fn = "-"
    if is_org:
        out.append(_line("N", ";;;;"))
    else:
        out.append(
            _line(
                "N",
                ";".join(
                    escape(p)
                    for p in (card.family, card.given, card.additional, card.prefix, card.suffix)
                ),
            )
        )
    out.append(_line("FN", escape(fn)))
    if card.org:
        org = escape(card.org) + (";" + escape(card.department) if card.department else "")
        out.append(_line("ORG", org))
    if is_org:
        out.append(_line("X-ABSHOWAS", "COMPANY"))
    if card.title:
        out.append(_line("TITLE", escape(card.title)))
    for address in card.addresses:
        parts = [
            "",
            address.get("street2", ""),
            address.get("street", ""),
            address.get("city", ""),
            address.get("region", ""),
            address.get("zip", ""),
            address.get("country", ""),
        ]
        out.append(
            _line(
                "ADR",
                ";".join(escape(p) for p in parts),
                {"TYPE": sorted(address.get("types") or [])},
            )
        )
    for value, types in card.phones:
        out.append(_line("TEL", escape(value), {"TYPE": sorted(types)}))
    for value, types in card.emails:
        out.append(_line("EMAIL", escape(value), {"TYPE": sorted(types)}))
    for url in card.urls:
        out.append(_line("URL", sanitize.text(url).replace(" ", "%20")))
    if card.bday:
        out.append(_line("BDAY", card.bday.isoformat()))
    if card.categories:
        out.append(_line("CATEGORIES", ",".join(escape(c) for c in card.categories)))
    if card.note:
        out.append(_line("NOTE", escape(card.note, multiline=True)))
    for name, value in card.extra:
        out.append(_line(name, escape(value)))
    if card.uid:
        out.append(_line("UID", escape(card.uid)))
    out.append("END:VCARD\r\n")
    return "".join(out)


def write_vcards(cards):
    return "".join(card_to_vcard(card) for card in cards)
