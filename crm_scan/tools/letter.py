"""Whose a letter is: which side of it speaks for the other party, and what it says there.
Pure Python, no ORM.

``analyse`` reads the zones of the pages (``layout.classify``) and our own identity (the
names, addresses and identifiers of the database's companies and staff, see
``crm.scan.document._own_identity``):

- *incoming* (the normal case): our company is in the address field or nowhere; the
  letterhead, the return line, the signature and the footer speak for the writer, the
  party the letter is filed to;
- *outgoing*: our own letterhead or footer (our name, or two of our identifiers) and
  another party in the address field: our own document come back (an invoice, an order
  confirmation, a delivery note signed by the customer); the address field is the party.

What is ours is never evidence for a partner: our names, addresses, IBANs, phone numbers,
VAT ids, register numbers, e-mail domains and staff are taken out, wherever they stand.
Labels say whose a number is: in an incoming letter "Ihre Kundennummer" is our number
with the writer (a supplier) and "Unsere Kundennummer" the writer's with us; in our own
document it is the other way round. A plain "Kundennummer" only confirms a partner
named otherwise, and so does an invoice number after a plain "Rechnung Nr." (the writer's
invoice, numbered like ours or not) - unless the document is ours.
"""

from . import layout, matching, recognition

INCOMING, OUTGOING = "incoming", "outgoing"
# for a letter without layout (a text given as such): all of it is the party
NO_LAYOUT = "text"


def _own_in(text, own, zone_candidates, address=False):
    """Whether a zone shows us: one of our names, two of our identifiers or, with
    ``address``, our address or one of our staff (the address field: "z. Hd. Frau
    Krause", our street, our postcode and town: two parts of our address are enough, OCR
    garbles the others)."""
    for candidate in zone_candidates:
        if any(matching.name_similarity(name, candidate) >= 0.85 for name in own["names"]):
            return True
        if address and any(
            matching.name_similarity(name, candidate) >= 0.85 for name in own["staff"]
        ):
            return True
    if address:
        norm = matching.normalize_address_text(text)
        for street, zip_code, city in own.get("addresses", ()):
            if matching.address_similarity(norm, street, zip_code, city) >= 0.6:
                return True
    found = recognition.extract(text)
    hits = (
        len(set(found["ibans"]) & own["ibans"])
        + len(set(found["vats"]) & own["vats"])
        + len(set(found["phones"]) & own["phones"])
        + len(set(found["emails"]) & own["emails"])
        + len(set(found["domains"]) & own["domains"])
    )
    return hits >= 2


def _without_ours(found, own):
    """The found values that are not ours; and what was ours, as (kind, value)."""
    ours = []
    for key, own_key in (
        ("ibans", "ibans"),
        ("vats", "vats"),
        ("registrations", "registrations"),
        ("emails", "emails"),
        ("domains", "domains"),
        ("phones", "phones"),
    ):
        kept = []
        for value in found[key]:
            if value in own[own_key] or (
                key == "emails" and value.split("@")[-1] in own["domains"]
            ):
                ours.append((key, value))
            else:
                kept.append(value)
        found[key] = kept
    return found, ours


def _names(candidates, own):
    """Name candidates that are neither our names nor our staff (nor a line that starts
    with our name: "Elbtal Handel GmbH Großhandel für Bau"); our names and staff standing
    within a candidate are taken out of it ("Ihr Zeichen: Sabine Krause" read together
    with the contact person under it)."""
    kept = []
    people = own["names"] + own["staff"]

    def ours(text):
        return any(matching.name_similarity(name, text) >= 0.85 for name in people)

    for candidate in candidates:
        prefix = matching.company_prefix(candidate)
        if ours(candidate) or (prefix and ours(prefix)):
            continue
        candidate = matching.without_names(candidate, people)
        if sum(c.isalpha() for c in candidate) < 4:
            continue
        prefix = matching.company_prefix(candidate)
        for text in (candidate, prefix):
            if text and text not in kept:
                kept.append(text)
    return kept


def analyse(text, pages, own):
    """What the letter says about its other party.

    :param text: the OCR text of all pages
    :param pages: tesseract's layout of the first pages (``ocr.ocr_pages``: page, size,
        words), or nothing
    :param own: our identity: {"names", "staff": [...], "ibans", "vats", "registrations",
        "phones", "emails", "domains": set}
    :return: dict: ``direction``; ``party`` (``found`` by ``recognition.extract`` in the
        zones of the other party, ``names`` there, ``writers``: company names in the
        places where a letter names its writer, ``text`` for the address); ``body``
        (``found`` and ``names`` in the text of the letter); ``numbers`` as [value,
        "party" | "confirm"] and ``invoices`` as [value, "party" | "own_document"];
        ``mandates``; ``ours``: our identifiers found, as [kind, value]
    """
    cells = layout.classify(pages or [])
    if cells:
        zones = layout.zone_texts(cells)
        candidates = {
            zone: layout.name_candidates(cells, {zone})
            for zone in (layout.WINDOW, layout.HEAD, layout.RETURN, layout.FOOT, layout.SIGNATURE)
        }
        sender_text = "\n".join(zones.get(z, "") for z in layout.SENDER_ZONES)
        sender_names = [c for z in layout.SENDER_ZONES for c in candidates.get(z, [])]
        ours_outside = _own_in(sender_text, own, sender_names)
        ours_in_window = _own_in(
            zones.get(layout.WINDOW, ""), own, candidates[layout.WINDOW], address=True
        )
        window = zones.get(layout.WINDOW)
        # our own document: our letterhead or footer, another party in the address field,
        # and no other company's name in the head (a letter to us whose address field OCR
        # read badly shows our name in the head too, beside the writer's letterhead)
        others_in_head = [
            name for name in _names(candidates[layout.HEAD], own) if matching.is_company_name(name)
        ]
        direction = (
            OUTGOING
            if window and ours_outside and not ours_in_window and not others_in_head
            else INCOMING
        )
        if direction == OUTGOING:
            party_zones = {layout.WINDOW}
        elif ours_in_window:
            party_zones = set(layout.SENDER_ZONES)
        else:
            # we are nowhere: what looks like an address field is the writer's own
            # address block (a plain letter, a form) - it speaks for the writer too
            party_zones = set(layout.SENDER_ZONES) | {layout.WINDOW}
        party_text = "\n".join(zones.get(z, "") for z in sorted(party_zones))
        party_names = layout.name_candidates(cells, party_zones)
        # where a letter names its writer: the head, the return line, the signature (and
        # the address field of our own document)
        identity_zones = (
            {layout.WINDOW}
            if direction == OUTGOING
            else {layout.HEAD, layout.RETURN, layout.SIGNATURE}
        )
        identity_names = layout.name_candidates(cells, identity_zones)
        body_text = zones.get(layout.BODY, "")
        body_names = layout.name_candidates(cells, {layout.BODY}, max_words=5)
        # labels and their values side by side (the information block), row by row
        labelled_text = "\n".join(zones.values())
    else:
        direction = INCOMING
        party_text = text or ""
        party_names = layout.name_candidates(
            [
                layout.Cell(1, [(0, i, 1, i + 1, line)], 1)
                for i, line in enumerate((text or "").splitlines())
                if line.strip()
            ],
            {layout.BODY},
        )
        identity_names = []
        body_text = ""
        body_names = []
        labelled_text = text or ""

    party_found, _ours = _without_ours(
        recognition.extract(party_text, bare_phones=BARE_PHONES), own
    )
    body_found, _ours = _without_ours(recognition.extract(body_text), own)
    all_found = recognition.extract(labelled_text)
    # ours, wherever they stand: shown on the document as left out
    _found, ours = _without_ours(recognition.extract(labelled_text), own)

    numbers = []
    for value, role in all_found["numbers_labelled"]:
        if direction == INCOMING:
            use = {"own": "party", "plain": "confirm"}.get(role)  # "yours": ours with them
        else:
            use = {"yours": "party", "plain": "party"}.get(role)  # "own": ours
        if use:
            numbers.append([value, use])
    labelled = {value for value, _use in numbers}
    numbers += [[value, "token"] for value in all_found["numbers"] if value not in labelled]
    invoices = []
    for value, role in all_found["invoices"]:
        if direction == OUTGOING:
            invoices.append([value, "own_document"])
        elif role == "yours":
            invoices.append([value, "party"])
    writers = [name for name in _names(identity_names, own) if matching.is_company_name(name)]
    return {
        "direction": direction,
        "party": {
            "found": party_found,
            "names": _names(party_names, own),
            "writers": writers,
            "text": party_text,
        },
        "body": {"found": body_found, "names": _names(body_names, own)},
        "numbers": numbers,
        "invoices": invoices,
        "mandates": all_found["mandates"],
        "ours": [list(item) for item in ours],
    }


# whether a phone number without a label ("0351 4567890") in the letterhead or footer
# counts (decided with bench/scan_recognition.py, see the readme)
BARE_PHONES = True
