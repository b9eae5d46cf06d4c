"""The ops tests' harness: real Odoo servers in prefork mode (HTTP workers, cron workers, the
gevent websocket process), `odoo-bin crm_callmonitor` listeners and the PostgreSQL cluster they
share, driven from outside the way production runs them (issue #23).

`make test` (step 4) starts the cluster, installs the addons with demo data into a
template database and runs `pytest tests/ops` with these variables:

    OPS_TEMPLATE_DB   the database each test copies (CREATE DATABASE ... TEMPLATE, with its
                      filestore)
    OPS_PG_DATA       the data folder of the embedded cluster (empty: the server named by the
                      PG* variables)
    OPS_LOG_DIR       where the servers' logs go (.local/log/ops-*.log)
"""

import datetime
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import psutil
import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import suite  # noqa: E402 - the project's set-up helpers (PostgreSQL, odoo-bin, nginx)

ADMIN = ("admin", "admin")
MASTER_PASSWORD = "admin"  # Odoo's default admin_passwd (database manager), local servers only
LOG_LINE = suite.LOG_LINE


class RpcError(Exception):
    """An error answered by Odoo: `name` is the exception class (odoo.exceptions.UserError...)."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def routing_peers():
    """crm_routing's test peers (nominatim_peer): its folder is a package named `peers`, like
    crm_telephony's, so it is loaded under another name."""
    if "routing_peers.nominatim_peer" not in sys.modules:
        folder = ROOT / "crm_routing" / "tests" / "peers"
        spec = importlib.util.spec_from_file_location(
            "routing_peers", folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["routing_peers"] = module
        spec.loader.exec_module(module)
    return importlib.import_module("routing_peers.nominatim_peer")


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
class Cluster:
    """The PostgreSQL the ops tests run on, and the Odoo tree and data dir they use."""

    def __init__(self):
        data = os.environ.get("OPS_PG_DATA")
        if data:
            self.pg = suite.EmbeddedPostgres(Path(data), fast=True)
            self.pg.started = True  # suite.py started it
        else:
            self.pg = suite.ExternalPostgres()
        self.embedded = bool(data)
        self.odoo_src = suite.find_odoo()
        self.data_dir = suite.LOCAL / "data"
        self.log_dir = Path(os.environ.get("OPS_LOG_DIR") or suite.LOCAL / "log")
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def connect(self, dbname="postgres"):
        conn = psycopg2.connect(dbname=dbname, **self.pg.connect_kwargs())
        conn.autocommit = True
        return conn

    def query(self, dbname, sql, params=None):
        conn = self.connect(dbname)
        try:
            with conn.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else []
        finally:
            conn.close()

    def filestore(self, dbname):
        return self.data_dir / "filestore" / dbname

    def clone(self, template, name):
        """A copy of the template database and its filestore (Odoo's own "duplicate")."""
        self.drop(name)
        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        finally:
            conn.close()
        if self.filestore(template).exists():
            shutil.copytree(self.filestore(template), self.filestore(name))
        return name

    def drop(self, name):
        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()
        shutil.rmtree(self.filestore(name), ignore_errors=True)

    def restart(self):
        """Restart PostgreSQL (embedded: pg_ctl restart -m fast, every session ends); on an
        outside server, end every session of our role instead, which is what the clients
        see of a restart."""
        if self.embedded:
            self.pg.stop()
            self.pg.start()
            return
        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE usename = current_user AND pid <> pg_backend_pid()"
                )
        finally:
            conn.close()

    def odoo_cmd(self, *args, subcommand=None):
        return suite.odoo_cmd(self.odoo_src, self.pg, *args, subcommand=subcommand)

    def pg_bin(self):
        """Folder of pg_dump/psql matching the server (Odoo's --pg_path)."""
        return suite.pg_bin_dir() if self.embedded else None


# ---------------------------------------------------------------------------------------------
# Odoo processes
# ---------------------------------------------------------------------------------------------
def _server_env(extra=None):
    env = dict(os.environ)
    env.update(
        {
            "OMP_THREAD_LIMIT": "1",  # tesseract: one thread per OCR, as the platform notes say
            "ODOO_NOTIFY_CRON_CHANGES": "1",  # a cron rescheduled "as soon as possible" wakes
            # the cron workers of every server at once (PostgreSQL NOTIFY)
        }
    )
    env.update(extra or {})
    return env


class OdooServer:
    """One application server: `odoo-bin` in prefork mode on a database, its own ports and log."""

    def __init__(self, cluster, dbname, name, workers=2, cron_workers=1, options=(), env=None):
        self.cluster = cluster
        self.dbname = dbname
        self.name = name
        self.workers = workers
        self.cron_workers = cron_workers
        self.options = list(options)
        self.env = env
        self.http_port = suite.free_port()
        self.gevent_port = suite.free_port()
        self.log = cluster.log_dir / f"ops-{name}.log"
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.http_port}"

    def command(self):
        return self.cluster.odoo_cmd(
            "-d",
            self.dbname,
            f"--db-filter=^{self.dbname}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.http_port}",
            f"--gevent-port={self.gevent_port}",
            f"--workers={self.workers}",
            f"--max-cron-threads={self.cron_workers}",
            # Odoo's watchdog spans every job a cron worker runs in one round (all of them are
            # due on a fresh copy): production sets this above the longest round, see README
            "--limit-time-real-cron=900",
            f"--logfile={self.log}",
            *self.options,
        )

    def start(self):
        self.log.unlink(missing_ok=True)
        self.proc = subprocess.Popen(self.command(), env=_server_env(self.env))
        return self

    def wait_ready(self, timeout=240):
        """Until the HTTP workers and the websocket process answer."""
        deadline = time.monotonic() + timeout
        for port in (self.http_port, self.gevent_port):
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server {self.name} exited, see {self.log}")
                try:
                    if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=5).ok:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server {self.name} did not answer on port {port}")
                time.sleep(0.5)
        return self

    def children(self):
        try:
            return psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return []

    def stop(self, timeout=90):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self):
        """kill -9 the whole server (master and workers): a machine that vanishes."""
        if self.proc is None:
            return
        for child in self.children():
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def log_lines(self, since=0):
        if not self.log.exists():
            return []
        return self.log.read_text(errors="replace").splitlines()[since:]

    def client(self, login=ADMIN[0], password=ADMIN[1]):
        return Client(self.url, self.dbname, login, password)


class Listener:
    """`odoo-bin crm_callmonitor` (the Fritz!Box call monitor listener) of one server."""

    def __init__(self, cluster, dbname, name, reload_seconds=2):
        self.cluster = cluster
        self.dbname = dbname
        self.name = name
        self.reload = reload_seconds
        self.log = cluster.log_dir / f"ops-{name}.log"
        self.proc = None

    def start(self):
        self.log.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            self.cluster.odoo_cmd(
                "-d",
                self.dbname,
                f"--logfile={self.log}",
                f"--reload={self.reload}",
                "--http-interface=127.0.0.1",  # not used; Odoo warns without it
                subcommand="crm_callmonitor",
            ),
            env=_server_env(),
        )
        return self

    def serving(self):
        """Box ids this listener serves now (from its log)."""
        boxes = set()
        for line in self.log_lines():
            found = re.search(r"call monitor: serving box (\d+)", line)
            if found:
                boxes.add(int(found.group(1)))
            lost = re.search(r"lost the database session that held boxes \[([\d, ]*)\]", line)
            if lost:
                boxes -= {int(b) for b in lost.group(1).split(",") if b.strip()}
        return boxes

    def log_lines(self):
        return self.log.read_text(errors="replace").splitlines() if self.log.exists() else []

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------------------------------
# The web client's RPC (what the browser sends; not deprecated like /xmlrpc and /jsonrpc)
# ---------------------------------------------------------------------------------------------
class Client:
    def __init__(self, url, dbname, login, password):
        self.url = url
        self.dbname = dbname
        self.session = requests.Session()
        response = self.session.post(
            f"{url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": dbname, "login": login, "password": password}},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error") or not body.get("result", {}).get("uid"):
            raise RpcError("authenticate", json.dumps(body.get("error"))[:500])
        self.uid = body["result"]["uid"]

    def __call__(self, model, method, *args, **kwargs):
        response = self.session.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            raise RpcError(data.get("name", "?"), data.get("message", json.dumps(body["error"])))
        return body["result"]

    @property
    def session_id(self):
        return self.session.cookies["session_id"]


# ---------------------------------------------------------------------------------------------
# Running things at the same time
# ---------------------------------------------------------------------------------------------
def at_once(*calls, timeout=600):
    """Run the callables in threads that start together; return their results in order.
    An exception in one is returned as the exception object (the caller asserts)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=60)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - handed to the caller
            results[index] = exc

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


def wait_until(predicate, timeout, interval=0.5, what="the condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def bad_log_lines(paths, extra_rules=()):
    """WARNING/ERROR lines of these logs that tests/log_allowlist.txt does not allow."""
    rules = suite.load_allowlist() + [re.compile(r) for r in extra_rules]
    bad = []
    for path in paths:
        if Path(path).exists():
            bad += [f"{Path(path).name}: {line}" for line in suite.checklog(path, rules)]
    return bad


def xmlid(client, name):
    """Database id of the record with this XML id."""
    module, name = name.split(".")
    rows = client(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return rows[0]["res_id"]


def kick(cluster, client, *xmlids):
    """Make these crons run now, the way Odoo's own `_trigger()` does: a trigger for each and
    a NOTIFY that wakes the cron workers of every server (a cron that is running just now
    runs again afterwards)."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    client(
        "ir.cron.trigger",
        "create",
        [{"cron_id": xmlid(client, name), "call_at": now} for name in xmlids],
    )
    cluster.query("postgres", "SELECT pg_notify('cron_trigger', %s)", [client.dbname])


# ---------------------------------------------------------------------------------------------
# The previous release (test_ops_upgrade.py)
# ---------------------------------------------------------------------------------------------
# The last commit of the suite's previous round of work (2026-11-27): see test_ops_upgrade.py
PREVIOUS_RELEASE = "6e4ebc09498789bf20e9eb91d8cd0ce9b9f03b42"


def odoo_bin(cluster, addons_root, *args):
    """odoo-bin with `addons_root` (our addons of some commit) on the addons path, no HTTP,
    one process, ending after its work (install, update)."""
    odoo = cluster.odoo_src
    addons_path = ",".join([str(odoo / "odoo" / "addons"), str(odoo / "addons"), str(addons_root)])
    return [
        str(suite.VENV_PY),
        str(odoo / "odoo-bin"),
        f"--addons-path={addons_path}",
        f"--data-dir={cluster.data_dir}",
        *cluster.pg.odoo_args(),
        "--stop-after-init",
        "--no-http",
        "--workers=0",
        "--max-cron-threads=0",
        *args,
    ]


class PreviousRelease:
    """A database of the previous release: its addons taken out of the repository's history
    (`git archive`, no working tree touched) and installed with demo data in the background
    while the other ops tests run (most of their time they wait for peers and servers)."""

    def __init__(self, cluster, folder):
        self.cluster = cluster
        self.folder = Path(folder)
        self.db = f"ops_upgrade_{os.getpid()}"
        self.log = cluster.log_dir / "ops-upgrade-install.log"
        self.proc = None
        self.error = None

    def start(self):
        known = subprocess.run(
            ["git", "-C", str(ROOT), "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"],
            check=False,
            capture_output=True,
        )
        if known.returncode:
            self.error = (
                f"the previous release {PREVIOUS_RELEASE[:12]} is not in this clone's history "
                "(a shallow clone?): `git fetch --unshallow` makes the upgrade test possible"
            )
            return self
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE]
            + suite.our_addons(),
            check=True,
            capture_output=True,
        ).stdout
        self.folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(self.folder, filter="data")
        self.cluster.drop(self.db)
        with open(self.log, "w") as handle:
            self.proc = subprocess.Popen(
                odoo_bin(
                    self.cluster,
                    self.folder,
                    "-d",
                    self.db,
                    "-i",
                    ",".join(suite.our_addons()),
                    "--with-demo",
                ),
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=_server_env(),
            )
        return self

    def settle(self, timeout=1800):
        """Until the installation ended (a test that restarts PostgreSQL waits for it)."""
        if self.proc is not None:
            self.proc.wait(timeout)

    def wait(self, timeout=1800):
        """The database, once installed (or the reason it is not)."""
        if self.error:
            raise AssertionError(self.error)
        rc = self.proc.wait(timeout)
        if rc:
            raise AssertionError(f"installing the previous release failed, see {self.log}")
        return self.db

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not os.environ.get("OPS_KEEP"):
            self.cluster.drop(self.db)
