"""Full-text search over scans: crm_scan's stored tsvector with its GIN index (the "Full Text"
filter, `text_search`) against Odoo's own best for the same need, the anchor: `ilike` on the
OCR text with `index='trigram'` (a GIN trigram index on the column, as Odoo creates it for
such a field, which PostgreSQL uses for ILIKE '%word%').

Run from the repository root of a clone with .venv (the bench sets up the rest itself:
Odoo linked into .venv, its own PostgreSQL cluster in .local, a throwaway database with
crm_scan, dropped afterwards):

    .venv/bin/python bench/scan_fulltext.py                     # 100,000 scans
    .venv/bin/python bench/scan_fulltext.py --scans 20000       # quicker
    .venv/bin/python bench/scan_fulltext.py --db NAME           # an existing database with
                                                                # crm_scan (bench rows removed)

Data (SQL, not timed): N scan documents, each with an OCR text of 150-450 words drawn from
a vocabulary of 20,000 words with Zipf-like frequencies (German business words first, then
generated ones), so some words are on most pages, some on a few hundred, some on a handful.
Measured per word (the median of --repeat runs, warm cache), through the ORM as the list
view asks: the first page (search, limit 80, the list's order) and the count (search_count):
  ours    crm.scan.document search [('text_search', 'ilike', word)]   (tsvector @@ query)
  anchor  crm.scan.document search [('ocr_text', 'ilike', word)]      (ILIKE, trigram GIN)
Both count their matches (ILIKE also matches the word inside longer words). Prints wall
time, SQL time and matches per word class, the ratio anchor / ours, and the load average.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

_odoo.reexec_in_venv()

WORDS = [
    "Rechnung", "Lieferung", "Betrag", "Kunde", "Datum", "Dresden", "GmbH", "Zahlung",
    "Auftrag", "Bestellung", "Mahnung", "Gutschrift", "Angebot", "Vertrag", "Konto",
    "Steuer", "Umsatzsteuer", "Netto", "Brutto", "Summe", "Menge", "Preis", "Artikel",
    "Leistung", "Wartung", "Montage", "Service", "Termin", "Adresse", "Telefon",
]  # fmt: skip
VOCABULARY = 20000
INDEX = "crm_scan_document__ocr_text_trgm_bench"


def vocabulary():
    """The business words, then generated words of 6-11 letters (the same every run),
    each letter drawn from the whole alphabet with German umlauts: words made of few
    letters (alternating a few consonants and vowels) share most of their trigrams, which
    makes a trigram index useless and the anchor unfairly slow (a first run did that)."""
    words = list(WORDS)
    letters = "abcdefghijklmnopqrstuvwxyzäöüß"
    rnd = random.Random(23)
    seen = {w.lower() for w in words}
    while len(words) < VOCABULARY:
        length = rnd.randint(6, 11)
        word = "".join(rnd.choice(letters) for _ in range(length)).capitalize()
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return words


def generate(env, scans):
    """Insert `scans` documents with OCR text (one attachment shared by all: the search
    reads no file). Returns their ids."""
    cr = env.cr
    attachment = env["ir.attachment"].create({"name": "bench.pdf", "raw": b"%PDF-1.4 bench"})
    # Zipf-like: word rank = floor(V ** random()) gives P(rank ~ r) ~ 1/r
    cr.execute(
        """
        INSERT INTO crm_scan_document (name, company_id, source, state, attachment_id,
                                       page_count, pages_done, ocr_text, create_uid,
                                       create_date, write_uid, write_date)
        SELECT 'Bench ' || d, %(company)s, 'upload', 'done', %(attachment)s, 1, 1,
               (SELECT string_agg((%(vocab)s::text[])[floor(power(%(size)s, random()))::int],
                                  ' ')
                  FROM generate_series(1, 150 + (d * 37) %% 300) k),
               %(uid)s, now(), %(uid)s, now()
          FROM generate_series(1, %(scans)s) d
        RETURNING id
        """,
        {
            "company": env.company.id,
            "attachment": attachment.id,
            "vocab": vocabulary(),
            "size": VOCABULARY,
            "uid": env.uid,
            "scans": scans,
        },
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute("ANALYZE crm_scan_document")
    return ids


def pick_words(env, ids):
    """A rare, a medium and a frequent word, by the number of documents holding them
    (counted in the tsvector's statistics)."""
    cr = env.cr
    cr.execute(
        """SELECT word, ndoc FROM ts_stat(
               'SELECT ocr_tsv FROM crm_scan_document WHERE id >= %s')
            WHERE length(word) >= 6 ORDER BY ndoc DESC""",
        [min(ids)],
    )
    stats = cr.fetchall()
    total = len(ids)

    def near(share):
        return min(stats, key=lambda row: abs(row[1] - share * total))

    return {
        "rare": near(5 / total),
        "medium": near(0.01),
        "frequent": near(0.3),
    }


def _measure(cr, fn, repeat):
    walls, sqls = [], []
    result = None
    for _ in range(repeat):
        sql = _SqlTimer()
        with sql:
            started = time.perf_counter()
            result = fn()
            walls.append(time.perf_counter() - started)
        sqls.append(sql.seconds)
    return statistics.median(walls), statistics.median(sqls), result


class _SqlTimer:
    """Time spent in SQL statements (Cursor.execute) while active."""

    def __enter__(self):
        from odoo.sql_db import Cursor  # noqa: PLC0415

        self.seconds = 0.0
        self.original = Cursor.execute
        timer = self

        def timed(cursor, query, params=None, log_exceptions=True):
            started = time.perf_counter()
            try:
                return timer.original(cursor, query, params, log_exceptions)
            finally:
                timer.seconds += time.perf_counter() - started

        Cursor.execute = timed
        return self

    def __exit__(self, *exc):
        from odoo.sql_db import Cursor  # noqa: PLC0415

        Cursor.execute = self.original


def run(env, scans, repeat):
    cr = env.cr
    started = time.perf_counter()
    ids = generate(env, scans)
    print(f"generated {len(ids):,} scans in {time.perf_counter() - started:.1f} s", flush=True)
    # the anchor's index, as Odoo creates it for a field with index='trigram'
    started = time.perf_counter()
    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cr.execute(f"CREATE INDEX {INDEX} ON crm_scan_document USING gin (ocr_text gin_trgm_ops)")
    cr.execute("ANALYZE crm_scan_document")
    print(f"trigram index built in {time.perf_counter() - started:.1f} s", flush=True)
    words = pick_words(env, ids)
    Docs = env["crm.scan.document"]
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'word':>22} {'docs':>6}  {'ours page ms':>12} {'count ms':>8} {'hits':>6}  "
        f"{'anchor page ms':>14} {'count ms':>8} {'hits':>6}  {'page x':>6} {'count x':>7}"
    )
    rows = []
    for kind, (word, ndoc) in words.items():
        figures = {}
        for who, domain in (
            ("ours", [("text_search", "ilike", word)]),
            ("anchor", [("ocr_text", "ilike", word)]),
        ):
            Docs.search(domain, limit=80)  # warm
            page = _measure(cr, lambda d=domain: Docs.search(d, limit=80).ids, repeat)
            count = _measure(cr, lambda d=domain: Docs.search_count(d), repeat)
            figures[who] = (page[0], count[0], count[2])
        ours, anchor = figures["ours"], figures["anchor"]
        rows.append((kind, word, ndoc, ours, anchor))
        print(
            f"{kind + ' ' + word:>22} {ndoc:>6}  {ours[0] * 1000:>12.1f} {ours[1] * 1000:>8.1f} "
            f"{ours[2]:>6}  {anchor[0] * 1000:>14.1f} {anchor[1] * 1000:>8.1f} {anchor[2]:>6}  "
            f"{anchor[0] / ours[0]:>6.1f} {anchor[1] / ours[1]:>7.1f}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an existing database with crm_scan")
    parser.add_argument("--scans", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with _odoo.odoo_env(args.db, addons="crm_scan") as (env, _registry):
        env = _odoo.bulk_env(env)
        try:
            run(env, args.scans, args.repeat)
        finally:
            env.cr.rollback()  # the bench rows and the anchor's index go again


if __name__ == "__main__":
    main()
