"""Free text as customers and users type, paste or import it, for the property tests
(hypothesis) of every addon of the suite: one set of hostile pieces, one strategy.

``text()`` builds strings of random Unicode characters (lone surrogates included) mixed with
``PIECES``: what real data brings - Word's soft line break, NUL, C0 and C1 controls, line and
paragraph separators, zero-width and bidirectional characters, byte order marks and
noncharacters, combining marks, emoji (also joined), right-to-left scripts, CJK, the special
characters and separators of XML, iCalendar, vCard and CSV. ``text(storable=True)`` is what
PostgreSQL and the ORM store: the same without NUL and lone surrogates.

    from odoo.addons.crm_core.tests import hostile

    @given(name=hostile.text(), note=hostile.text(storable=True))
"""

from hypothesis import strategies as st

# C0 and C1 controls (NUL, Word's soft line break \x0b, escape, delete, NEL \x85, ...)
_CONTROLS = [chr(c) for c in range(0x00, 0x20)] + [chr(c) for c in range(0x7F, 0xA1)]
PIECES = _CONTROLS + [
    "\x7f\x85\x9f C1",
    "Word\x0bsoft break",
    # white space and line breaks
    "\r\n",
    "tab\tand\r\nnewline",
    " ",
    "\u2028",
    "\u2029",
    # invisible and bidirectional characters, byte order mark, noncharacters
    "\u200b",
    "\u200d",
    "\u00ad",
    "zero\u200bwidth\u00adsoft",
    "\u202e",
    "\u202eevil RTL override\u202c",
    "\u2066",
    "\ufeff",
    "\ufeffBOM",
    "\ufffe",
    "\uffff",
    # lone surrogates (no UTF-8 for them)
    "\ud800",
    "\udfff",
    # combining marks, alone and on a letter
    "\u0301",
    "\u0308",
    "\u030c",
    "e\u0301 combining, \u0308 alone",
    # emoji, joined and flags
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "👩‍👩‍👧 family 🚚",
    "🇩🇪",
    # other scripts
    "שלום",
    "שלום עליכם",
    "مرحبا",
    "王小明",
    "ß",
    "ẞ",
    "Ø",
    "Œ",
    "ř",
    "Ä",
    "Dvořák",
    "Müller",
    "\u20ac",
    # markup and the separators of the formats (XML, iCalendar, vCard, CSV)
    "&",
    "<",
    ">",
    '"',
    "'",
    '&<>"',
    "&amp;",
    "]]>",
    "]]><!-- -->",
    'Müller & Söhne <GmbH> "Zentrale"',
    ";",
    ",",
    ":",
    "\\",
    ";,\\:",
    "",
]
# what PostgreSQL stores: no NUL, no lone surrogates
_STORABLE_PIECES = [
    piece
    for piece in PIECES
    if "\x00" not in piece and not any(0xD800 <= ord(c) <= 0xDFFF for c in piece)
]


def text(max_size=60, storable=False):
    """Strings of up to `max_size` random characters and hostile pieces; with `storable`,
    without NUL and lone surrogates (what the database stores)."""
    if storable:
        characters = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
        pieces = _STORABLE_PIECES
    else:
        characters = st.characters(exclude_categories=())
        pieces = PIECES
    return st.lists(st.one_of(characters, st.sampled_from(pieces)), max_size=max_size).map("".join)
