"""Shared set-up of the benchmarks: an Odoo 19.0 database with crm_core installed (without
demo data), opened in-process. Either a throwaway database the script creates in a
project-local PostgreSQL cluster (.local/bench-pgdata, or the server named by the PG*
variables) and drops afterwards, or an existing database passed with --db."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import suite  # noqa: E402  (the project's set-up driver)


def reexec_in_venv():
    if Path(sys.prefix).resolve() != suite.VENV.resolve() and suite.VENV_PY.exists():
        os.execv(str(suite.VENV_PY), [str(suite.VENV_PY), *sys.argv])


@contextlib.contextmanager
def odoo_env(dbname=None, addons="crm_core"):
    """Yield (env, registry) of a database with crm_core; create/drop it if none given."""
    odoo_src = suite.find_odoo()
    suite.link_odoo_into_venv(odoo_src)
    suite.LOCAL.mkdir(exist_ok=True)
    pg = suite.make_pg(suite.LOCAL / "bench-pgdata", fast=True)
    pg.start()
    throwaway = dbname is None
    dbname = dbname or f"crm_bench_{os.getpid()}"
    try:
        if throwaway:
            started = time.monotonic()
            print(f"creating database {dbname} with {addons} ...", flush=True)
            subprocess.run(
                suite.odoo_cmd(
                    odoo_src,
                    pg,
                    "-d",
                    dbname,
                    "-i",
                    addons,
                    "--stop-after-init",
                    "--no-http",
                    "--log-level=warn",
                ),
                check=True,
            )
            print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
        import odoo  # noqa: PLC0415
        from odoo import api  # noqa: PLC0415
        from odoo.modules.registry import Registry  # noqa: PLC0415

        addons_path = ",".join(
            [str(odoo_src / "odoo" / "addons"), str(odoo_src / "addons"), str(ROOT)]
        )
        odoo.tools.config.parse_config(
            [
                f"--addons-path={addons_path}",
                f"--data-dir={suite.LOCAL / 'data'}",
                *pg.odoo_args(),
                "-d",
                dbname,
                "--log-level=warn",
            ]
        )
        registry = Registry(dbname)
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            yield env, registry
    finally:
        if throwaway:
            with contextlib.suppress(Exception):
                from odoo.sql_db import close_all  # noqa: PLC0415

                close_all()
            suite.db_drop(pg, dbname)
        pg.stop()


def bulk_env(env):
    """The environment of a bulk run: no tracking, no creation messages."""
    return env(
        context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    )


def _backend_cpu(cr):
    """CPU seconds (user + system) the PostgreSQL backend of `cr` used so far, from
    /proc (the database runs on this machine); None if it cannot be read."""
    try:
        cr.execute("SELECT pg_backend_pid()")
        pid = cr.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _run_queue_wait(pid):
    """Seconds the process `pid` (its main thread) waited for a CPU while runnable, from
    /proc/<pid>/schedstat; None if it cannot be read."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def _backend_pid(cr):
    cr.execute("SELECT pg_backend_pid()")
    return cr.fetchone()[0]


class Timer:
    """Wall time, SQL statements, CPU time of this (Odoo) process and of the PostgreSQL
    backend (the machine is shared: CPU time tells the work apart from the waiting)."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.pids = (os.getpid(), _backend_pid(self.cr))
        self.waited_start = [_run_queue_wait(pid) for pid in self.pids]
        self.db_cpu_start = _backend_cpu(self.cr)
        self.queries = self.cr.sql_log_count
        self.cpu_start = time.process_time()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.cpu = time.process_time() - self.cpu_start
        self.queries = self.cr.sql_log_count - self.queries
        end = _backend_cpu(self.cr) if self.db_cpu_start is not None else None
        self.db_cpu = end - self.db_cpu_start if end is not None else float("nan")
        # waiting for a CPU (other processes ran): Odoo + the PostgreSQL backend
        waited = [_run_queue_wait(pid) for pid in self.pids]
        self.waited = (
            sum(b - a for a, b in zip(self.waited_start, waited, strict=True))
            if None not in waited + self.waited_start
            else float("nan")
        )

    def __str__(self):
        return (
            f"wall {self.seconds:.2f} s, CPU Odoo {self.cpu:.2f} s + PostgreSQL "
            f"{self.db_cpu:.2f} s, {self.queries:,} SQL statements"
        )
