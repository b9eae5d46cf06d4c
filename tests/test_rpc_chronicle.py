"""crm_chronicle through JSON-2 and XML-RPC, as an integration (PBX, scanner, shop) logs
into a customer's chronicle."""

import random
import threading
import time
import urllib.error

import pytest


def test_json2_crm_log_roundtrip(json2):
    [partner_id] = json2(
        "res.partner", "create", vals_list=[{"name": "RPC Chronik GmbH", "is_company": True}]
    )
    entry_ids = json2(
        "crm.chronicle.entry",
        "crm_log",
        partner=partner_id,
        type_code="call",
        subject="Incoming call from the PBX",
        body="<p>caller-ID matched</p>",
        duration=0.1,
        source=f"res.partner,{partner_id}",
        resubmission_date="2030-01-02",
    )
    entry_id = entry_ids[0] if isinstance(entry_ids, list) else entry_ids
    [entry] = json2(
        "crm.chronicle.entry",
        "read",
        ids=[entry_id],
        fields=["partner_id", "type_code", "name", "state", "resubmission_date", "source_name"],
    )
    assert entry["partner_id"][0] == partner_id
    assert entry["type_code"] == "call"
    assert entry["name"] == "Incoming call from the PBX"
    assert entry["state"] == "open"
    assert entry["resubmission_date"].startswith("2030-01-0")
    assert entry["source_name"] == "RPC Chronik GmbH"


def test_json2_crm_log_bad_type_is_a_clear_error(json2):
    [partner_id] = json2("res.partner", "create", vals_list=[{"name": "RPC Fehler GmbH"}])
    with pytest.raises(urllib.error.HTTPError) as error:
        json2("crm.chronicle.entry", "crm_log", partner=partner_id, type_code="fax", subject="x")
    body = error.value.read().decode()
    assert "no chronicle entry type with the code 'fax'" in body
    count = json2("crm.chronicle.entry", "search_count", domain=[("partner_id", "=", partner_id)])
    assert count == 0


def test_json2_crm_log_batch(json2):
    partner_ids = json2(
        "res.partner",
        "create",
        vals_list=[{"name": f"RPC Stapel {i} GmbH", "is_company": True} for i in range(3)],
    )
    entry_ids = json2(
        "crm.chronicle.entry",
        "crm_log_batch",
        entries=[
            {"partner": pid, "type_code": "letter", "subject": f"Rundschreiben {i}"}
            for i, pid in enumerate(partner_ids)
        ],
    )
    assert len(entry_ids) == 3
    entries = json2(
        "crm.chronicle.entry", "read", ids=entry_ids, fields=["partner_id", "name", "type_code"]
    )
    assert [e["partner_id"][0] for e in entries] == partner_ids
    assert [e["name"] for e in entries] == [f"Rundschreiben {i}" for i in range(3)]
    # one bad entry: a clear error, nothing written
    with pytest.raises(urllib.error.HTTPError) as error:
        json2(
            "crm.chronicle.entry",
            "crm_log_batch",
            entries=[
                {"partner": partner_ids[0], "type_code": "letter", "subject": "ok"},
                {"partner": partner_ids[1], "type_code": "letter", "subject": " "},
            ],
        )
    assert "entries[1].subject must be" in error.value.read().decode()
    count = json2("crm.chronicle.entry", "search_count", domain=[("partner_id", "in", partner_ids)])
    assert count == 3


def test_xmlrpc_crm_log(xmlrpc_env):
    partner_id = xmlrpc_env("res.partner", "create", {"name": "XML-RPC Chronik"})
    result = xmlrpc_env("crm.chronicle.entry", "crm_log", partner_id, "letter", "Letter sent")
    entry_id = result[0] if isinstance(result, list) else result
    [entry] = xmlrpc_env("crm.chronicle.entry", "read", [entry_id], fields=["type_code"])
    assert entry["type_code"] == "letter"


def _parallel_run(json2, clients, seconds, tag):
    """`clients` threads log entries (with a resubmission) and close resubmissions of a
    shared pool for `seconds`; return what they did and the errors they saw."""
    [partner_id] = json2(
        "res.partner", "create", vals_list=[{"name": f"Parallel {tag}", "is_company": True}]
    )
    pool = []
    for i in range(clients * 5):
        result = json2(
            "crm.chronicle.entry",
            "crm_log",
            partner=partner_id,
            type_code="note",
            subject=f"{tag}-pool-{i}",
            resubmission_date="2030-01-01 08:00:00",
        )
        entry_id = result[0] if isinstance(result, list) else result
        [entry] = json2("crm.chronicle.entry", "read", ids=[entry_id], fields=["resubmission_ids"])
        pool.extend(entry["resubmission_ids"])
    stats = {"logged": 0, "closed": 0, "already_closed": 0}
    errors = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number):
        rng = random.Random(number)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            try:
                if rng.random() < 0.5:
                    result = json2(
                        "crm.chronicle.entry",
                        "crm_log",
                        partner=partner_id,
                        type_code="call",
                        subject=f"{tag}-c{number}-{n}",
                        resubmission_date="2030-02-01",
                    )
                    with lock:
                        stats["logged"] += 1
                    entry_id = result[0] if isinstance(result, list) else result
                    [entry] = json2(
                        "crm.chronicle.entry", "read", ids=[entry_id], fields=["resubmission_ids"]
                    )
                    with lock:
                        # the new resubmission joins the pool the clients close from
                        pool.extend(entry["resubmission_ids"])
                else:
                    with lock:
                        target = rng.choice(pool)
                    json2("crm.chronicle.resubmission", "action_done", ids=[target])
                    with lock:
                        stats["closed"] += 1
            except urllib.error.HTTPError as error:
                body = error.read().decode(errors="replace")
                with lock:
                    if "already closed" in body or "just closed" in body:
                        stats["already_closed"] += 1
                    else:
                        errors.append(f"{error.code}: {body[:300]}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return partner_id, pool, stats, errors


def test_parallel_clients_lose_nothing(json2):
    """20 clients for 15 s (bench/crm_chronicle_parallel.py runs it for 2 minutes)."""
    partner_id, pool, stats, errors = _parallel_run(json2, clients=20, seconds=15, tag="Par")
    assert not errors, errors[:5]
    assert stats["logged"] > 20 and stats["closed"] > 20, stats
    logged = json2(
        "crm.chronicle.entry",
        "search_count",
        domain=[("partner_id", "=", partner_id), ("name", "=like", "Par-c%")],
    )
    assert logged == stats["logged"]
    closed = json2(
        "crm.chronicle.resubmission",
        "search_count",
        domain=[("id", "in", pool), ("state", "=", "done")],
    )
    assert closed == stats["closed"]
    still_open = json2(
        "crm.chronicle.resubmission",
        "search_count",
        domain=[("partner_id", "=", partner_id), ("state", "=", "open")],
    )
    assert still_open == len(pool) - closed
