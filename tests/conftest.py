"""Fixtures for the suite-level tests: they drive a running Odoo from outside, the way
integrations do. `make test` starts the server and sets the ODOO_* variables."""

import json
import os
import urllib.request
import xmlrpc.client

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
    def __init__(self, odoo):
        self.odoo = odoo

    def __call__(self, model, method, **params):
        request = urllib.request.Request(
            f"{self.odoo['url']}/json/2/{model}/{method}",
            data=json.dumps(params).encode(),
            headers={
                "Authorization": f"bearer {self.odoo['api_key']}",
                "X-Odoo-Database": self.odoo["db"],
                "Content-Type": "application/json; charset=utf-8",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)


@pytest.fixture(scope="session")
def xmlrpc_env(odoo):
    return XmlRpc(odoo)


@pytest.fixture(scope="session")
def json2(odoo):
    return Json2(odoo)
