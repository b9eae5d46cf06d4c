"""Fixtures for the suite-level tests: they drive a running Odoo from outside, the way
integrations do. `make test` starts the server and sets the ODOO_* variables."""

import json
import os
import re
import threading
import urllib.error
import urllib.request
import xmlrpc.client
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def odoo():
    url = os.environ.get("ODOO_URL")
    if not url:
        pytest.fail("ODOO_URL is not set: run the suite with `make test`")
    return {
        "url": url,
        "db": os.environ["ODOO_DB"],
        "login": os.environ["ODOO_LOGIN"],
        "password": os.environ["ODOO_PASSWORD"],
        "api_key": os.environ["ODOO_API_KEY"],
    }


class XmlRpc:
    def __init__(self, odoo):
        self.odoo = odoo
        common = xmlrpc.client.ServerProxy(f"{odoo['url']}/xmlrpc/2/common")
        self.uid = common.authenticate(odoo["db"], odoo["login"], odoo["password"], {})
        assert self.uid, "XML-RPC authentication failed"
        self.models = xmlrpc.client.ServerProxy(f"{odoo['url']}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.odoo["db"], self.uid, self.odoo["password"], model, method, list(args), kwargs
        )


class Json2:
    """JSON-2 calls with the API key odoo["api_key"] (the administrator's, or a user's:
    ``Json2(dict(odoo, api_key=key))``)."""

    def __init__(self, odoo):
        self.odoo = odoo

    def _request(self, model, method, params):
        return urllib.request.Request(
            f"{self.odoo['url']}/json/2/{model}/{method}",
            data=json.dumps(params).encode(),
            headers={
                "Authorization": f"bearer {self.odoo['api_key']}",
                "X-Odoo-Database": self.odoo["db"],
                "Content-Type": "application/json; charset=utf-8",
            },
            method="POST",
        )

    def __call__(self, model, method, **params):
        with urllib.request.urlopen(self._request(model, method, params), timeout=60) as response:
            return json.load(response)

    def answer(self, model, method, **params):
        """(HTTP status, decoded body) of a call that may fail: Odoo's error body, or the
        start of a body that is no JSON as {"message": ...}."""
        try:
            with urllib.request.urlopen(
                self._request(model, method, params), timeout=120
            ) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, {"message": body.decode(errors="replace")[:300]}

    def xmlid(self, name):
        """The id of the record of the external id `name` ("module.name")."""
        module, _dot, record = name.partition(".")
        [found] = self(
            "ir.model.data",
            "search_read",
            domain=[("module", "=", module), ("name", "=", record)],
            fields=["res_id"],
        )
        return found["res_id"]


def concurrently(odoo, model, method, timeout=180, **params):
    """Call model.method(**params) from two JSON-2 clients at the same moment (two
    threads, two HTTP requests); return both results, fail on any error."""
    barrier = threading.Barrier(2)
    results, failures = [], []

    def run(client):
        try:
            barrier.wait(timeout=30)
            results.append(client(model, method, **params))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=run, args=(Json2(odoo),)) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not failures, failures
    assert len(results) == 2
    return results


@pytest.fixture(scope="session")
def xmlrpc_env(odoo):
    return XmlRpc(odoo)


@pytest.fixture(scope="session")
def json2(odoo):
    return Json2(odoo)


@pytest.fixture(scope="session")
def json2_refused(odoo):
    """Call a JSON-2 method that must fail: returns (HTTP status, error body)."""

    def call(model, method, **params):
        request = urllib.request.Request(
            f"{odoo['url']}/json/2/{model}/{method}",
            data=json.dumps(params).encode(),
            headers={
                "Authorization": f"bearer {odoo['api_key']}",
                "X-Odoo-Database": odoo["db"],
                "Content-Type": "application/json; charset=utf-8",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    return call


class ServerLog:
    """The running server's log file (ODOO_SERVER_LOG, set by `make test`): what it wrote
    since a mark, and its lines at WARNING or above that tests/log_allowlist.txt does not
    allow, so a test can name the call that made Odoo warn."""

    LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")

    def __init__(self, path):
        self.path = Path(path)
        self.rules = []
        allowlist = Path(__file__).with_name("log_allowlist.txt")
        for line in allowlist.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                self.rules.append(re.compile(line.partition("  # ")[0].strip()))

    def mark(self):
        return self.path.stat().st_size if self.path.exists() else 0

    def since(self, mark):
        with open(self.path, "rb") as log:
            log.seek(mark)
            return log.read().decode(errors="replace")

    def bad_lines(self, mark):
        """Lines at WARNING or above written since mark that the allow-list does not
        allow (with the traceback lines that follow them)."""
        bad, keep = [], False
        for line in self.since(mark).splitlines():
            if self.LEVEL.match(line):
                keep = not any(rule.search(line) for rule in self.rules)
                if keep:
                    bad.append(line)
            elif keep and not re.match(r"^\d{4}-\d\d-\d\d ", line):
                bad.append(line)
        return bad


@pytest.fixture(scope="session")
def server_log():
    """ServerLog of the server under test, or None when its log file is unknown."""
    path = os.environ.get("ODOO_SERVER_LOG")
    return ServerLog(path) if path else None
