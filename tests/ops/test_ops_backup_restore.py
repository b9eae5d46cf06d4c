"""A bad night, part one: the database is lost and comes back from a backup made with Odoo's
own database manager (issue #23).

An application server in prefork mode, with a master password of its own (a configuration
file with `admin_passwd`, as production has), dumps a copy of the test database through
`/web/database/backup` (zip: `dump.sql`, `manifest.json` and the filestore) and restores the
zip under a new name through `/web/database/restore`. Then every scan original and every SEPA
file is compared with what was there before: the same attachment rows, the same bytes
(SHA-256 of the files in the restored filestore; attachments kept in the database, without
`store_fname`, come back inside dump.sql and are read from the restored database), the scans'
own checksums still matching, the SEPA files still well-formed pain.008.
"""

import hashlib
import os
import xml.etree.ElementTree as ET
import zipfile

import pytest
import requests
from ops_harness import OdooServer, bad_log_lines

MASTER = "ops-Master-1"  # the database manager's master password of this server

# the attachments that must survive: scan originals and SEPA files (and what Odoo itself
# recorded about each: the store_fname and its SHA-1 checksum)
ATTACHMENTS = """
    SELECT a.id, 'scan' AS kind, a.name, a.store_fname, a.checksum, a.db_datas,
           d.original_checksum, a.file_size
      FROM crm_scan_document d JOIN ir_attachment a ON a.id = d.attachment_id
    UNION ALL
    SELECT a.id, 'sepa', a.name, a.store_fname, a.checksum, a.db_datas, NULL, a.file_size
      FROM ir_attachment a
     WHERE a.res_model = 'crm.sepa.batch' AND a.res_field = 'file'
     ORDER BY 1
"""


def _snapshot(cluster, dbname):
    """{attachment id: (kind, name, store_fname, sha1 recorded, scan's sha256, content)} with
    the content read from the filestore (or from the database when it is kept there). An
    empty upload - a scan the trust tests feed - has neither, and Odoo keeps no size and no
    checksum for it (or size 0): its content is no bytes."""
    snapshot = {}
    for att_id, kind, name, fname, checksum, db_datas, original, size in cluster.query(
        dbname, ATTACHMENTS
    ):
        if fname:
            path = cluster.filestore(dbname) / fname
            content = path.read_bytes() if path.exists() else None
        elif db_datas is not None:
            content = bytes(db_datas)
        else:
            content = b"" if not size else None
        snapshot[att_id] = (kind, name, fname, checksum, original, content)
    return snapshot


@pytest.fixture
def server(cluster, template_db, tmp_path):
    db = cluster.clone(template_db, f"ops_backup_{os.getpid()}")
    restored = f"ops_restored_{os.getpid()}"
    cluster.drop(restored)
    # no job is due while the backup runs: the test compares what it saw before (a cron's
    # pending triggers make it run whatever its nextcall says)
    cluster.query(db, "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '1 day'")
    cluster.query(db, "DELETE FROM ir_cron_trigger")
    conf = tmp_path / "odoo.conf"
    conf.write_text(f"[options]\nadmin_passwd = {MASTER}\n")
    pg_path = cluster.pg_bin()
    odoo = OdooServer(
        cluster,
        db,
        "backup",
        workers=2,
        cron_workers=1,
        options=[
            f"--config={conf}",
            *([f"--pg_path={pg_path}"] if pg_path else []),
            # a dump or restore of a large database runs longer than an ordinary request
            "--limit-time-real=900",
            "--limit-time-cpu=900",
        ],
    ).start()
    try:
        odoo.wait_ready()
        odoo.restored = restored
        yield odoo
    finally:
        odoo.stop()
        if not os.environ.get("OPS_KEEP"):
            cluster.drop(db)
            cluster.drop(restored)


def test_backup_and_restore_keep_every_scan_and_sepa_file(server, tmp_path):
    cluster, db = server.cluster, server.dbname
    before = _snapshot(cluster, db)
    kinds = [value[0] for value in before.values()]
    assert kinds.count("scan") >= 2, "the test database has no scan originals to compare"
    assert kinds.count("sepa") >= 1, "the test database has no SEPA file to compare"
    for att_id, (_kind, name, fname, checksum, original, content) in before.items():
        assert content is not None, f"attachment {att_id} {name}: no content before the backup"
        if content or checksum:
            assert hashlib.sha1(content).hexdigest() == checksum, (att_id, name, fname)
        if original:
            assert hashlib.sha256(content).hexdigest() == original, (att_id, name)

    # the wrong master password is refused, nothing is dumped
    refused = requests.post(
        f"{server.url}/web/database/backup",
        data={"master_pwd": "wrong", "name": db, "backup_format": "zip"},
        timeout=120,
    )
    assert not zipfile.is_zipfile(_save(refused, tmp_path / "refused.zip"))
    assert "Access Denied" in refused.text

    # backup: a zip with the dump and the filestore
    response = requests.post(
        f"{server.url}/web/database/backup",
        data={"master_pwd": MASTER, "name": db, "backup_format": "zip"},
        stream=True,
        timeout=900,
    )
    response.raise_for_status()
    dump = _save(response, tmp_path / "backup.zip")
    assert zipfile.is_zipfile(dump), response.headers
    with zipfile.ZipFile(dump) as archive:
        members = set(archive.namelist())
    assert {"dump.sql", "manifest.json"} <= members
    stored = {value[2] for value in before.values() if value[2]}
    assert {f"filestore/{fname}" for fname in stored} <= members, "files missing in the zip"

    # restore under a new name, as a copy (a new database uuid)
    with open(dump, "rb") as handle:
        response = requests.post(
            f"{server.url}/web/database/restore",
            data={"master_pwd": MASTER, "name": server.restored, "copy": "true"},
            files={"backup_file": ("backup.zip", handle, "application/zip")},
            timeout=900,
        )
    response.raise_for_status()
    assert "restore error" not in response.text, response.text[:2000]
    assert cluster.query(
        "postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [server.restored]
    ), "the restored database is not there"

    after = _snapshot(cluster, server.restored)
    assert sorted(after) == sorted(before), "attachments lost or added by the restore"
    for att_id, (kind, name, fname, checksum, original, content) in before.items():
        restored = after[att_id]
        assert restored[:5] == (kind, name, fname, checksum, original), (att_id, name)
        assert restored[5] is not None, f"{kind} {name}: the file is missing after the restore"
        assert hashlib.sha256(restored[5]).hexdigest() == hashlib.sha256(content).hexdigest(), (
            f"{kind} {name}: the restored file differs from the original"
        )
        if original:  # the scan's own record of its original still holds
            assert hashlib.sha256(restored[5]).hexdigest() == original, name
        if kind == "sepa":
            root = ET.fromstring(restored[5])
            assert root.tag.endswith("Document") and "pain.008" in root.tag, root.tag
    # the copy got its own database uuid; everything else of the data is the same
    uuids = [
        cluster.query(name, "SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'")
        for name in (db, server.restored)
    ]
    assert uuids[0] != uuids[1]
    counts = (
        "SELECT (SELECT count(*) FROM res_partner), (SELECT count(*) FROM crm_chronicle_entry),"
        " (SELECT count(*) FROM crm_sepa_mandate), (SELECT count(*) FROM account_move)"
    )
    assert cluster.query(db, counts) == cluster.query(server.restored, counts)
    bad = bad_log_lines(
        [server.log],
        # the refused backup above: Odoo logs the AccessDenied of a wrong master password
        extra_rules=[r"odoo\.addons\.web\.controllers\.database: Database\.backup\s*$"],
    )
    assert not bad, "\n".join(bad[:30])


def _save(response, path):
    with open(path, "wb") as handle:
        for chunk in response.iter_content(1 << 20):
            handle.write(chunk)
    return path
