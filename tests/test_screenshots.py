"""The main screens of the suite, opened in headless Chromium as the administrator sees them
after `make run` (demo data): each must load without an error dialog and show records.

The browser is driven over the DevTools protocol (websocket-client, which Odoo's own browser
tests need as well). `make screenshots` runs only this file on a fresh database with demo data
and sets SAVE_SCREENSHOTS=1: the PNGs are then written to <addon>/static/description/
screenshot_<n>_<name>.png, where README.md, README.rst and the Apps page (index.html) show
them (regenerate those with `.venv/bin/python scripts/readme.py`). Under `make test` the
pictures go to a temporary folder and are only checked.

The main screens are also taken at a phone's size (390x844) and an iPad's (1024x768), with
touch, as Odoo's small-screen layout shows them (SMALL_SCREENS, files ending in _phone and
_ipad); the top-level README shows one of each.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from websession import WebSession  # tests/websession.py

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1440, 900

# addon, file name, action xmlid, the record to open in a form (xmlid, or (model, domain): the
# first match) or None,
# CSS selector of what must be on the screen (records of the demo data; RECORDS: rows, cards or
# groups of a list or kanban view)
RECORDS = ".o_data_row, .o_kanban_record:not(.o_kanban_ghost), .o_group_header"
SCREENS = [
    ("crm_core", "1_customers", "crm_core.res_partner_action_customers", None, RECORDS),
    (
        "crm_core",
        "2_customer",
        "crm_core.res_partner_action_customers",
        "crm_core.res_partner_demo_01",
        ".o_form_view .o_field_widget",
    ),
    (
        "crm_chronicle",
        "1_my_resubmissions",
        "crm_chronicle.crm_chronicle_resubmission_action_my?view_type=kanban",
        None,
        RECORDS,
    ),
    (
        "crm_chronicle",
        "2_chronicle",
        "crm_chronicle.crm_chronicle_entry_action",
        None,
        RECORDS,
    ),
    (
        "crm_billing_sepa",
        "1_mandates",
        "crm_billing_sepa.crm_sepa_mandate_action",
        None,
        RECORDS,
    ),
    (
        "crm_billing_sepa",
        "2_debit_batch",
        "crm_billing_sepa.crm_sepa_batch_action",
        ("crm.sepa.batch", []),
        ".o_form_view .o_field_widget",
    ),
    (
        "crm_routing",
        "1_route",
        "crm_routing.crm_route_action",
        ("crm.route", []),
        ".o_form_view .o_field_widget",
    ),
    (
        "crm_telephony",
        "1_calls",
        "crm_telephony.crm_phone_call_action",
        None,
        RECORDS,
    ),
    (
        "crm_scan",
        "1_documents",
        "crm_scan.crm_scan_document_action",
        None,
        RECORDS,
    ),
]


# name: width, height, touch (a phone upright and an iPad on its side, as the tours of issue 20)
SIZES = {"desktop": (WIDTH, HEIGHT, False), "phone": (390, 844, True), "ipad": (1024, 768, True)}

# the same columns as SCREENS, then the size; few of them, to keep the repository small
SMALL_SCREENS = [
    ("crm_core", "3_customers_phone", "crm_core.res_partner_action_customers", None, RECORDS),
    (
        "crm_core",
        "4_customer_phone",
        "crm_core.res_partner_action_customers",
        "crm_core.res_partner_demo_01",
        ".o_form_view .o_field_widget",
    ),
    (
        "crm_core",
        "5_customers_ipad",
        "crm_core.res_partner_action_customers?view_type=list",
        None,
        RECORDS,
    ),
    (
        "crm_core",
        "6_customer_ipad",
        "crm_core.res_partner_action_customers",
        "crm_core.res_partner_demo_01",
        ".o_form_view .o_field_widget",
    ),
    (
        "crm_chronicle",
        "3_my_resubmissions_phone",
        "crm_chronicle.crm_chronicle_resubmission_action_my?view_type=kanban",
        None,
        RECORDS,
    ),
    (
        "crm_routing",
        "2_route_ipad",
        "crm_routing.crm_route_action",
        ("crm.route", []),
        ".o_form_view .o_field_widget",
    ),
]


class Chrome:
    """Headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self):
        import websocket  # noqa: PLC0415 - websocket-client, required by Odoo's tours

        binary = next(
            (
                shutil.which(b)
                for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)
            ),
            None,
        )
        if not binary:
            pytest.fail("no Chromium found (Debian package chromium)")
        self.profile = tempfile.mkdtemp(prefix="crm-shots-")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                pytest.fail("Chromium did not start its DevTools endpoint")
            time.sleep(0.2)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            page = next(t for t in json.load(resp) if t["type"] == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.last_id = 0
        self.resize("desktop")

    def resize(self, size):
        """The viewport of a desktop, a phone or an iPad (SIZES), with touch on the last two;
        the web client picks its layout when a page loads: call this before navigating."""
        width, height, touch = SIZES[size]
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=touch,
        )
        self.send("Emulation.setTouchEmulationEnabled", enabled=touch, maxTouchPoints=5)

    def send(self, method, **params):
        self.last_id += 1
        self.ws.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message["result"]

    def eval(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def chrome(odoo):
    browser = Chrome()
    browser.send(
        "Network.setCookie", name="session_id", value=WebSession(odoo).session_id, url=odoo["url"]
    )
    yield browser
    browser.close()


READY = """(() => {
    const sel = %s;
    if (document.querySelector('.o_error_dialog')) {
        return 'error: ' + document.querySelector('.o_error_dialog').innerText.slice(0, 500);
    }
    const busy = document.querySelector('.o_loading_indicator, .o_blockUI');
    return !busy && document.querySelectorAll(sel).length ? 'ready' : 'waiting';
})()"""


@pytest.mark.parametrize(
    "addon,name,action,record,selector",
    SCREENS + SMALL_SCREENS,
    ids=[s[1] for s in SCREENS + SMALL_SCREENS],
)
def test_main_screen(odoo, xmlrpc_env, chrome, addon, name, action, record, selector):
    size = name.rsplit("_", 1)[-1]
    chrome.resize(size if size in SIZES else "desktop")
    action, _sep, query = action.partition("?")  # e.g. ?view_type=kanban
    url = f"{odoo['url']}/odoo/action-{action}"
    if isinstance(record, str):
        module, xmlid = record.split(".")
        data = xmlrpc_env(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", xmlid)],
            ["res_id"],
        )
        assert data, f"the demo data has no {record} for the {name} screen"
        url += f"/{data[0]['res_id']}"
    elif record:
        model, domain = record
        ids = xmlrpc_env(model, "search", domain, limit=1, order="id")
        assert ids, f"the demo data has no {model} matching {domain} for the {name} screen"
        url += f"/{ids[0]}"
    if query:
        url += f"?{query}"
    chrome.send("Page.enable")
    chrome.send("Page.navigate", url=url)
    deadline = time.time() + 90
    state = "waiting"
    while time.time() < deadline:
        state = chrome.eval(READY % json.dumps(selector)) or "waiting"
        if state != "waiting":
            break
        time.sleep(0.5)
    assert state == "ready", f"{name} ({url}): {state}, nothing matching {selector}"
    time.sleep(1.5)  # let fonts, images and the chatter settle before the picture
    shot = base64.b64decode(chrome.send("Page.captureScreenshot", format="png")["data"])
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000, f"{name}: an empty screenshot"
    assert len(shot) < 300_000, f"{name}: {len(shot):,} bytes, too big for the repository"
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        target = ROOT / addon / "static" / "description" / f"screenshot_{name}.png"
    else:
        target = Path(tempfile.gettempdir()) / f"crm-screenshot-{addon}-{name}.png"
    target.write_bytes(shot)
