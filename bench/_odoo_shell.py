"""Shared plumbing of the benchmarks: a project-local PostgreSQL cluster (the one `make test`
would create, in .local/pgdata-bench), a database with crm_core installed, and running a
function inside `odoo shell` with an `env`.

Used by the bench/*.py scripts; not a benchmark itself.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import suite  # noqa: E402


def ensure_env():
    """Re-run the calling script inside .venv (where Odoo's requirements are)."""
    if not suite.in_venv():
        suite.ensure_venv()
        os.execv(str(suite.VENV_PY), [str(suite.VENV_PY), *sys.argv])


class BenchDatabase:
    """A throwaway database with crm_core (or the database given), on the embedded cluster
    or on the server named by the PG* variables."""

    def __init__(self, name=None, addons=("crm_core",), default="crm_bench"):
        self.given = bool(name)
        self.name = name or default
        self.addons = addons
        self.odoo_src = suite.find_odoo()
        suite.link_odoo_into_venv(self.odoo_src)
        self.pg = suite.make_pg(suite.LOCAL / "pgdata-bench", fast=True)

    def __enter__(self):
        self.pg.start()
        if not self.given:
            suite.db_drop(self.pg, self.name)
            print(f"[bench] creating database {self.name} with {', '.join(self.addons)} ...")
            subprocess.run(
                suite.odoo_cmd(
                    self.odoo_src,
                    self.pg,
                    "-d",
                    self.name,
                    "-i",
                    ",".join(self.addons),
                    "--stop-after-init",
                    "--no-http",
                    "--log-level=warn",
                    "--max-cron-threads=0",
                ),
                check=True,
            )
        return self

    def __exit__(self, *exc):
        if not self.given:
            suite.db_drop(self.pg, self.name)
        self.pg.stop()

    def run(self, script, function, **kwargs):
        """Run function(env, **kwargs) of the given script file inside `odoo shell`; return
        what it returns (JSON)."""
        code = (
            "import json, runpy\n"
            f"ns = runpy.run_path({str(script)!r}, run_name='bench_inside')\n"
            f"result = ns[{function!r}](env, **json.loads({json.dumps(json.dumps(kwargs))}))\n"
            "print('BENCH_RESULT=' + json.dumps(result))\n"
        )
        proc = subprocess.run(
            suite.odoo_cmd(
                self.odoo_src,
                self.pg,
                "-d",
                self.name,
                "--no-http",
                "--log-level=warn",
                "--max-cron-threads=0",
                subcommand="shell",
            ),
            input=code,
            capture_output=True,
            text=True,
        )
        for line in proc.stdout.splitlines():
            if line.startswith("BENCH_RESULT="):
                return json.loads(line.split("=", 1)[1])
        raise RuntimeError(f"the benchmark failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
