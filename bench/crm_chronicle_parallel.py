"""Reliability run: N parallel JSON-2 clients log chronicle entries and close resubmissions
of a shared pool for S seconds; afterwards the database counts must match what the clients
were told, and no client may have seen any error but the clear "already closed" one.

Run against a running server (for instance `PORT=8075 make run`, database `crm`) with an API
key of a CRM user (Preferences > Account Security > New API Key):

    .venv/bin/python bench/crm_chronicle_parallel.py --url http://127.0.0.1:8075 --db crm \\
        --api-key KEY [--clients 20] [--seconds 120]

The same scenario runs for 15 s in tests/test_rpc_chronicle.py (`make test`). There is no
anchor for this claim: it is a correctness run; it prints throughput for information.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import Json2  # noqa: E402
from test_rpc_chronicle import _parallel_run  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    json2 = Json2({"url": args.url.rstrip("/"), "db": args.db, "api_key": args.api_key})
    tag = f"Bench{int(time.time())}"
    start = time.monotonic()
    partner_id, pool, stats, errors = _parallel_run(json2, args.clients, args.seconds, tag)
    elapsed = time.monotonic() - start
    logged = json2(
        "crm.chronicle.entry",
        "search_count",
        domain=[("partner_id", "=", partner_id), ("name", "=like", f"{tag}-c%")],
    )
    closed = json2(
        "crm.chronicle.resubmission",
        "search_count",
        domain=[("id", "in", pool), ("state", "=", "done")],
    )
    print(f"{args.clients} clients, {args.seconds} s ({elapsed:.0f} s with set-up)")
    print(f"entries logged: told {stats['logged']}, in the database {logged}")
    print(f"resubmissions closed: told {stats['closed']}, in the database {closed}")
    print(f"clear 'already closed' answers: {stats['already_closed']}")
    print(f"other errors: {len(errors)}")
    for error in errors[:5]:
        print("  ", error)
    ops = stats["logged"] + stats["closed"] + stats["already_closed"]
    print(f"throughput: {ops / args.seconds:.1f} requests/s")
    ok = not errors and logged == stats["logged"] and closed == stats["closed"]
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
