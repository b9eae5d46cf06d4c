"""Score partner candidates from recognised evidence: pure Python, no ORM.

Each piece of evidence says "this value on the page belongs to partner P" with a weight
that depends on what it is and where it stands (``letter.py`` says which zones speak for
the other party of the letter): exact identifiers (our debtor/creditor number the writer
calls its own, IBAN, VAT id, register number) weigh most, then e-mail, web domain and
phone, then the name (a similarity that knows legal forms: "Müller Bau KG" is not
"Müller Bau GmbH") and the address (postcodes compared per country). A partner's score
combines its evidence as independent clues (1 - prod(1 - w)), with two rules:

- evidence that only confirms (a number after a plain "Kundennummer", which on a
  supplier's invoice is *our* number with the supplier; a number anywhere on the page; a
  name in the text) counts only for a partner the letter's party zones name by another
  piece of evidence;
- when the letter names its writer ("Müller Bau KG" in the letterhead, the return line or
  the signature) and that name is not the partner's, the partner's score stays below any
  filing threshold: a look-alike with the same street and postcode, or a stranger
  quoting a customer's number, goes to review, never into the customer's record.

The confidence of the best partner is lowered when a runner-up also has a good score, so
that a page that names two customers goes to review instead of being filed to the wrong
one.
"""

import difflib
import re

from .recognition import normalize

WEIGHTS = {
    "number_labelled": 0.97,
    "iban": 0.95,
    "vat": 0.95,
    "registration": 0.85,
    "email": 0.85,
    "domain": 0.7,
    "phone": 0.75,
    "number": 0.9,  # confirms only (see the module's docstring)
    "number_token": 0.35,  # confirms only
    "invoice": 0.9,
    "own_document": 0.95,  # our own document that came back, with its number
    "mandate": 0.95,
    "name": 0.75,  # times the name similarity
    "name_text": 0.3,  # a name in the text, times the similarity; confirms only
    "address": 0.6,  # times the address similarity
}
# how much an identifier found in the text of the letter counts, against one in the zones
# of its party (an IBAN to pay to is the writer's; an e-mail address or a phone number in
# the text may be anybody's)
BODY_FACTORS = {"iban": 0.9, "vat": 0.75, "registration": 0.7, "email": 0.6, "phone": 0.5,
                "domain": 0.5}  # fmt: skip
# evidence that counts only for a partner named by other evidence of the letter's party
CONFIRMING = frozenset({"number", "number_token", "name_text"})
RUNNER_UP_FREE = 0.3  # a runner-up below this score does not lower the confidence
RUNNER_UP_FACTOR = 0.6
CONFLICT_CAP = 0.5  # the most a partner scores whose name is not the writer's
ELSEWHERE_CAP = 0.7  # the most a partner scores that the letter places at another address
# evidence that identifies a partner even at another address (a company moves)
MOVES_WITH = frozenset(
    {"number_labelled", "iban", "vat", "registration", "email", "phone", "invoice",
     "own_document", "mandate"}
)  # fmt: skip
NAME_MATCH = 0.8  # a name similarity from which a name is the partner's
# evidence that names one partner, unlike a name that many partners may share
EXACT_KINDS = frozenset(
    {
        "number_labelled",
        "iban",
        "vat",
        "registration",
        "email",
        "phone",
        "invoice",
        "own_document",
        "mandate",
    }
)
EXACT_ENOUGH = 0.7
# legal forms, normalised (lower case, no accents, no dots or spaces)
LEGAL_FORMS = {
    "gmbh": "gmbh", "mbh": "gmbh", "ggmbh": "gmbh", "ag": "ag", "kg": "kg", "gmbhcokg": "gmbhcokg",
    "cokg": "gmbhcokg", "ohg": "ohg", "ug": "ug", "ughaftungsbeschrankt": "ug", "gbr": "gbr",
    "ek": "ek", "ekfr": "ek", "ekfm": "ek", "ev": "ev", "se": "se", "kgaa": "kgaa",
    "partg": "partg",
    "sro": "sro", "spolsro": "sro", "as": "as", "vos": "vos", "ks": "ks", "zs": "zs",
    "sp": "sp", "gesmbh": "gmbh", "ltd": "ltd", "inc": "inc", "llc": "llc", "sa": "sa",
    "bv": "bv", "nv": "nv", "spzoo": "spzoo",
}  # fmt: skip
_LEGAL_RE = re.compile(
    r"(?:^|\s)(gmbh\s*&\s*co\.?\s*kg|co\.?\s*kg|spol\.?\s*s\s*r\.?\s*o\.?|s\.?\s*r\.?\s*o\.?|"
    r"g?gmbh|mbh|ges\.?m\.?b\.?h\.?|ag|kgaa|kg|ohg|ug(?:\s*\(haftungsbeschr[aä]nkt\))?|gbr|"
    r"e\.?\s*k(?:fr|fm)?\.?|e\.?\s*v\.?|se|partg|a\.?\s*s\.?|v\.?\s*o\.?\s*s\.?|k\.?\s*s\.?|"
    r"z\.?\s*s\.?|ltd\.?|inc\.?|llc|s\.?\s*a\.?|b\.?\s*v\.?|n\.?\s*v\.?|sp\.?\s*z\s*o\.?\s*o\.?)"
    r"(?=$|\s|[,.;:)])",
    re.IGNORECASE,
)
_STREET_WORDS = [
    (re.compile(r"stra(ss|ß)e\b|str\.(?=\s|$)|str\b"), "str"),
    (re.compile(r"\bplatz\b|\bpl\.(?=\s|$)"), "pl"),
    (re.compile(r"\bnam\.(?=\s|$)|\bnamesti\b"), "namesti"),
    (re.compile(r"\btr\.(?=\s|$)|\btrida\b"), "trida"),
]
# postcodes: DE 5 digits; CZ and SK 3 + 2 digits (written "110 00" or "11000"); AT, CH 4
_POSTCODE_FORMS = {
    "DE": re.compile(r"(?<!\d)(\d{5})(?!\d)"),
    "CZ": re.compile(r"(?<!\d)(\d{3}) ?(\d{2})(?!\d)"),
    "SK": re.compile(r"(?<!\d)(\d{3}) ?(\d{2})(?!\d)"),
    "AT": re.compile(r"(?<![\d-])(?:a-)?(\d{4})(?!\d)"),
    "CH": re.compile(r"(?<![\d-])(?:ch-)?(\d{4})(?!\d)"),
}


def evidence(partner_id, kind, value, similarity=1.0, zone=None):
    """One piece of evidence; ``similarity`` scales the weight of fuzzy kinds; ``zone``
    says where on the page it stands (shown with it)."""
    fuzzy = kind in ("name", "name_text", "address")
    weight = WEIGHTS[kind] * (similarity if fuzzy else 1.0)
    if zone == "body":
        weight *= BODY_FACTORS.get(kind, 1.0)
    item = {
        "partner_id": partner_id,
        "kind": kind,
        "value": value,
        "weight": round(max(0.0, min(weight, 0.999)), 4),
    }
    if zone:
        item["zone"] = zone
    return item


# ------------------------------------------------------------------ names
def split_legal_form(name):
    """(the name without its legal form, the legal form normalised or None), both
    normalised: "Müller Bau GmbH & Co. KG" -> ("muller bau", "gmbhcokg"); OCR's "GrnbH"
    is a GmbH."""
    text = re.sub(r"\bgrnbh\b", "gmbh", normalize(name))
    forms = list(_LEGAL_RE.finditer(text))
    if not forms:
        return _clean(text), None
    last = forms[-1]
    key = re.sub(r"[^a-z]", "", last.group(1))
    form = LEGAL_FORMS.get(key, key)
    core = text[: forms[0].start()] + " " + text[last.end() :]
    return _clean(core), form


def _clean(text):
    return " ".join(re.sub(r"[^\w&]+", " ", text).split())


def is_company_name(text):
    """Whether a string names a company: it carries a legal form."""
    return bool(_LEGAL_RE.search(normalize(text)))


# letters OCR confuses, read as one before names are compared (rn/m, 1/l/I, 0/o...)
_CONFUSABLE = [("rn", "m"), ("vv", "w"), ("ii", "u"), ("0", "o"), ("1", "l"), ("i", "l"),
               ("5", "s"), ("8", "b"), ("6", "b"), ("c", "e")]  # fmt: skip
TOKEN_MATCH = 0.9  # how alike two words must be to be the same word (OCR slips)


def _canonical(token):
    for confused, canonical in _CONFUSABLE:
        token = token.replace(confused, canonical)
    return token


def _token_similarity(token, other):
    if token == other:
        return 1.0
    a, b = _canonical(token), _canonical(other)
    if a == b:
        return 0.97
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def name_similarity(partner_name, text):
    """How much ``text`` names the partner (0..1). The names without legal form are
    compared word by word: a word counts as found when it is the same word but for an OCR
    slip (a letter dropped or read wrong, "rn" for "m"); the share of the partner's name
    found and the share of the text that is the name make the similarity (F1, weighted by
    word length), so that "Müller Haustechnik" is not "Müller Bau", nor "Schmitt"
    "Schmidt". Two different legal forms (GmbH against KG, s.r.o. against a.s.) make
    another company."""
    core, form = split_legal_form(partner_name)
    other_core, other_form = split_legal_form(text)
    tokens, other_tokens = core.split(), other_core.split()
    if not tokens or not other_tokens:
        return 0.0
    found = sum(
        len(t) for t in tokens if max(_token_similarity(t, o) for o in other_tokens) >= TOKEN_MATCH
    )
    used = sum(
        len(o) for o in other_tokens if max(_token_similarity(t, o) for t in tokens) >= TOKEN_MATCH
    )
    recall = found / sum(len(t) for t in tokens)
    precision = used / sum(len(o) for o in other_tokens)
    if not recall or not precision:
        return 0.0
    similarity = 2 * recall * precision / (recall + precision)
    if form and other_form and form != other_form:
        similarity *= 0.55
    elif bool(form) != bool(other_form):
        similarity *= 0.92
    return round(similarity, 4)


def _word_key(word):
    return re.sub(r"[^\w&]", "", normalize(word))


def without_names(text, names):
    """``text`` without the words of each of ``names`` that stands in it whole (every word
    of the name, OCR slips allowed): "Sabine Krause Hans Weber" without our employee
    Sabine Krause is "Hans Weber"."""
    words = text.split()
    keys = [_word_key(word) for word in words]
    dropped = set()
    for name in names:
        tokens = [key for key in map(_word_key, name.split()) if key]
        hits = []
        for token in tokens:
            index = next(
                (
                    i
                    for i, key in enumerate(keys)
                    if key and i not in dropped and i not in hits
                    and _token_similarity(token, key) >= TOKEN_MATCH
                ),
                None,
            )  # fmt: skip
            if index is None:
                break
            hits.append(index)
        else:
            dropped.update(hits)
    return " ".join(word for i, word in enumerate(words) if i not in dropped)


def company_prefix(text):
    """The start of a string up to and with its legal form ("Müller Bau GmbH Lindenweg 12
    80331 München" -> "Müller Bau GmbH"), or None."""
    match = _LEGAL_RE.search(text)
    if not match or match.start() == 0:
        return None
    return text[: match.end()].strip(" ,;")


# ------------------------------------------------------------------ addresses
def postcodes(text, country=None):
    """The postcodes in a normalised text, as digits: for ``country`` its own form, else
    every form."""
    patterns = (
        [_POSTCODE_FORMS[country]] if country in _POSTCODE_FORMS else _POSTCODE_FORMS.values()
    )
    found = set()
    for pattern in patterns:
        for match in pattern.finditer(text):
            found.add("".join(match.groups()))
    return found


def _street_name(street):
    text = normalize(street)
    for pattern, short in _STREET_WORDS:
        text = pattern.sub(short, text)
    # the house number and what follows it ("12a", "1234/5")
    return re.sub(r"\s*\d+\s*[a-z]?(?:\s*[/-]\s*\d+\s*[a-z]?)?\s*$", "", text).strip()


def normalize_address_text(text):
    """The text prepared for ``address_similarity``: normalised, street words shortened."""
    text = normalize(text)
    for pattern, short in _STREET_WORDS:
        text = pattern.sub(short, text)
    return text


def address_parts(norm_text, street, zip_code, city, country=None):
    """Which parts of a partner's address show in a text prepared by
    ``normalize_address_text``: {"zip", "street", "number", "city"} (booleans). The
    postcode is compared in its country's form ("110 00" is 11000); the house number
    counts only right after the street."""
    digits = re.sub(r"\D", "", zip_code or "")
    parts = {"zip": bool(digits) and digits in postcodes(norm_text, country)}
    street_name = _street_name(street) if street else ""
    parts["street"] = len(street_name) >= 4 and street_name in norm_text
    number = normalize_address_text(street)[len(street_name) :].strip().replace(" ", "")
    parts["number"] = bool(
        parts["street"]
        and number
        and re.search(
            re.escape(street_name)
            + r"\.?\s*"
            + re.escape(number).replace("/", r"\s*/\s*")
            + r"(?![\d])",
            norm_text,
        )
    )
    parts["city"] = bool(city) and normalize(city).split(" ")[0] in norm_text
    return parts


def address_similarity(norm_text, street, zip_code, city, country=None):
    """How well a partner's address shows in a text prepared by
    ``normalize_address_text`` (0..1): the postcode 0.4, the street without house number
    0.25, the house number right after it 0.15, the town 0.2. A town alone (thousands
    share it) counts for nothing."""
    parts = address_parts(norm_text, street, zip_code, city, country)
    if not parts["zip"] and not parts["street"]:
        return 0.0
    score = 0.4 * parts["zip"] + 0.25 * parts["street"] + 0.15 * parts["number"]
    return round(min(score + 0.2 * parts["city"], 1.0), 4)


# ------------------------------------------------------------------ ranking
def rank(items, writers=None, elsewhere=()):
    """Combine evidence per partner.

    :param items: evidence dicts (see ``evidence``)
    :param writers: None when the letter does not name its writer; else the set of the
        ids of the partners whose name is the writer's: any other partner is capped
        (``CONFLICT_CAP``), unless our own document names it
    :param elsewhere: ids of partners whose address is not the one the letter gives for
        its writer: capped (``ELSEWHERE_CAP``) unless an identifier that moves with a
        company names them (a namesake in another town is not the customer)
    :return: list of {"partner_id", "score", "evidence": [...], "conflict", "elsewhere"}
        best first;
        for each kind only the strongest piece of a partner counts
    """
    by_partner = {}
    for item in items:
        best = by_partner.setdefault(item["partner_id"], {})
        current = best.get(item["kind"])
        if current is None or item["weight"] > current["weight"]:
            best[item["kind"]] = item
    ranked = []
    for partner_id, kinds in by_partner.items():
        named = any(kind not in CONFIRMING for kind in kinds)
        if "name" in kinds:
            kinds.pop("name_text", None)  # the same name once more, in the text
        counted = [i for i in kinds.values() if named or i["kind"] not in CONFIRMING]
        miss = 1.0
        for item in counted:
            miss *= 1.0 - item["weight"]
        score = 1.0 - miss
        # our own document that came back names its customer by our invoice number:
        # an addressee's name misread by OCR is no other writer
        conflict = writers is not None and partner_id not in writers and "own_document" not in kinds
        if conflict:
            score = min(score, CONFLICT_CAP)
        placed_elsewhere = partner_id in elsewhere and not MOVES_WITH & set(kinds)
        if placed_elsewhere:
            score = min(score, ELSEWHERE_CAP)
        ranked.append(
            {
                "partner_id": partner_id,
                "score": round(score, 4),
                "evidence": sorted(counted, key=lambda i: -i["weight"]),
                "conflict": conflict,
                "elsewhere": placed_elsewhere,
            }
        )
    ranked = [r for r in ranked if r["evidence"]]
    ranked.sort(key=lambda r: (-r["score"], r["partner_id"]))
    return ranked


def exact_score(candidate):
    """The score of a ranked candidate from its exact identifiers only."""
    miss = 1.0
    for item in candidate["evidence"]:
        if item["kind"] in EXACT_KINDS:
            miss *= 1.0 - item["weight"]
    return 1.0 - miss


def confidence(ranked):
    """Confidence that the first partner of ``rank()`` is the right one (0..1).

    A runner-up lowers it by how much it is supported by evidence stronger than the first
    partner's of the same kind (a namesake shares the name: only what it has more of
    speaks against the first); when the first partner has exact identifiers on the page,
    only the runner-up's exact identifiers count (namesakes, same town). A runner-up whose
    name is not the writer's does not count against a first partner whose name is."""
    if not ranked:
        return 0.0
    top = ranked[0]
    top_weights = {item["kind"]: item["weight"] for item in top["evidence"]}
    exact = exact_score(top) >= EXACT_ENOUGH
    best_other = 0.0
    for other in ranked[1:]:
        if other.get("conflict") and not top.get("conflict"):
            continue
        miss = 1.0
        for item in other["evidence"]:
            if exact and item["kind"] not in EXACT_KINDS:
                continue
            if item["weight"] > top_weights.get(item["kind"], 0.0):
                miss *= 1.0 - item["weight"]
        best_other = max(best_other, 1.0 - miss)
    penalty = max(0.0, best_other - RUNNER_UP_FREE) * RUNNER_UP_FACTOR
    return round(max(0.0, top["score"] - penalty), 4)
