"""The set-up (scripts/suite.py) explains a bad environment instead of failing obscurely."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "scripts" / "suite.py"


def run_suite(*args, env=None, cwd=ROOT):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return subprocess.run(
        [sys.executable, str(SUITE), *args],
        env={**clean, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_no_odoo_tree_offline(tmp_path):
    """No ODOO_SRC, an empty cache folder and no way to download: a message says how."""
    result = run_suite(
        "odoo",
        env={
            "ODOO_SRC": "",
            "HOME": str(tmp_path),
            "CRM_ODOO_CACHE": str(tmp_path / "cache" / "odoo-19.0"),
            # an address that refuses at once, so the test does not depend on the network
            "CRM_ODOO_TARBALL": "http://127.0.0.1:9/odoo_19.0.latest.tar.gz",
        },
    )
    assert result.returncode == 2
    assert "Odoo 19.0 was not found and could not be downloaded" in result.stderr
    assert "export ODOO_SRC=" in result.stderr
    assert str(tmp_path / "cache" / "odoo-19.0") in result.stderr


def test_odoo_src_not_odoo(tmp_path):
    result = run_suite("odoo", env={"ODOO_SRC": str(tmp_path)})
    assert result.returncode == 2
    assert "is not an Odoo 19.0 source tree" in result.stderr


def test_port_taken():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_suite("run", env={"PORT": str(port)})
    assert result.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "make run PORT=" in result.stderr


def test_pg_data_of_another_major_version(tmp_path):
    data = tmp_path / "pgdata"
    data.mkdir()
    (data / "PG_VERSION").write_text("12\n")
    sys.path.insert(0, str(SUITE.parent))
    import suite

    with pytest.raises(suite.SetupError) as error:
        suite.EmbeddedPostgres(data).start()
    message = str(error.value)
    assert "was created by PostgreSQL 12" in message
    assert "pg_upgrade" in message
    assert not (data / "postmaster.pid").exists()
