"""Score partner candidates from recognised evidence: pure Python, no ORM.

Each piece of evidence says "this value on the page belongs to partner P" with a weight:
exact identifiers (our debtor/creditor number after its label, IBAN, VAT id, register
number) weigh most, then e-mail and phone, then the fuzzy name and address. A partner's
score combines its evidence as independent clues (1 - prod(1 - w)); the confidence of the
best partner is lowered when a runner-up also has a good score, so that a page that names
two customers goes to review instead of being filed to the wrong one.
"""

import re

from .recognition import normalize

WEIGHTS = {
    "number_labelled": 0.97,
    "iban": 0.95,
    "vat": 0.95,
    "registration": 0.85,
    "email": 0.85,
    "phone": 0.75,
    "number": 0.35,
    "invoice": 0.9,
    "mandate": 0.95,
    "name": 0.75,  # times the trigram similarity
    "address": 0.6,  # times the address similarity
}
RUNNER_UP_FREE = 0.3  # a runner-up below this score does not lower the confidence
RUNNER_UP_FACTOR = 0.6
# evidence that names one partner, unlike a name that many partners may share
EXACT_KINDS = {
    "number_labelled",
    "iban",
    "vat",
    "registration",
    "email",
    "phone",
    "invoice",
    "mandate",
}
EXACT_ENOUGH = 0.7


def evidence(partner_id, kind, value, similarity=1.0):
    """One piece of evidence; ``similarity`` scales the weight of fuzzy kinds."""
    weight = WEIGHTS[kind] * (similarity if kind in ("name", "address") else 1.0)
    return {
        "partner_id": partner_id,
        "kind": kind,
        "value": value,
        "weight": round(max(0.0, min(weight, 0.999)), 4),
    }


def address_similarity(norm_text, street, zip_code, city):
    """How well a partner's address shows on the page (0..1): the ZIP code as a token,
    the city and the street (without house number) as substrings of the normalised text."""
    score = 0.0
    if zip_code and re.search(r"\b" + re.escape(zip_code.replace(" ", "")) + r"\b", norm_text):
        score += 0.4
    if city and normalize(city) in norm_text:
        score += 0.25
    if street:
        street_name = re.sub(r"[\d/\s-]+[a-z]?$", "", normalize(street)).strip()
        if len(street_name) >= 4 and street_name in norm_text:
            score += 0.35
    return round(min(score, 1.0), 4)


def rank(items):
    """Combine evidence per partner.

    :param items: evidence dicts (see ``evidence``)
    :return: list of {"partner_id", "score", "evidence": [...]} best first; for each kind
        only the strongest piece of a partner counts
    """
    by_partner = {}
    for item in items:
        best = by_partner.setdefault(item["partner_id"], {})
        current = best.get(item["kind"])
        if current is None or item["weight"] > current["weight"]:
            best[item["kind"]] = item
    ranked = []
    for partner_id, kinds in by_partner.items():
        miss = 1.0
        for item in kinds.values():
            miss *= 1.0 - item["weight"]
        ranked.append(
            {
                "partner_id": partner_id,
                "score": round(1.0 - miss, 4),
                "evidence": sorted(kinds.values(), key=lambda i: -i["weight"]),
            }
        )
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

    A runner-up lowers it by how much it is itself supported; when the first partner has
    exact identifiers on the page, only the runner-up's exact identifiers count against it
    (namesakes, same town), otherwise its whole score does."""
    if not ranked:
        return 0.0
    top = ranked[0]
    best_other = 0.0
    exact = exact_score(top) >= EXACT_ENOUGH
    for other in ranked[1:]:
        best_other = max(best_other, exact_score(other) if exact else other["score"])
    penalty = max(0.0, best_other - RUNNER_UP_FREE) * RUNNER_UP_FACTOR
    return round(max(0.0, top["score"] - penalty), 4)
