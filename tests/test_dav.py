"""CardDAV and CalDAV (issue 21), driven from outside with independent clients from PyPI:
the caldav client library, vdirsyncer (a real two-way sync tool) and caldav-server-tester.

The clients live in their own virtualenv (.local/dav-tools, created here when missing), never
in Odoo's: caldav 2+ pulls urllib3-future and icalendar 6+, which would replace Odoo's pins.
Users, companies and API keys are made through JSON-2 and the web session as a person would.
"""

import base64
import datetime
import json
import os
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".local" / "dav-tools"
TOOL_PACKAGES = [
    "caldav==3.6.0",
    "caldav-server-tester==1.7.0",
    "vdirsyncer==0.21.0",
    "vobject==0.9.9",  # the tester loads events with it
]
# what caldav-server-tester must find fully supported: the features the readme claims (the
# tester reports deviations from full support; a feature it does not list is fully supported)
CLAIMED = (
    "get-current-user-principal",
    "get-current-user-principal.has-calendar",
    "save-load.event",
    "save-load.event.timezone",
    "save-load.event.recurrences",
    "save-load.todo",
    "save-load.todo.mixed-calendar",
    "save-load.get-by-url",
    "save.no-uid-conflict",
    "search.time-range.event",
    "search.time-range.event.old-dates",
    "search.time-range.todo",
    "search.time-range.todo.old-dates",
    "search.time-range.alarm",
    "search.text.category",
    "search.unlimited-time-range",
    "sync-token",
    "synchronous-write",
    "auth.www-authenticate",
)


# ---------------------------------------------------------------------------------------------
# Tools, users, HTTP
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def dav_python():
    """The Python of the DAV client tools' own virtualenv (created when missing)."""
    python = TOOLS / "bin" / "python"
    stamp = TOOLS / ".packages"
    if not (python.exists() and stamp.exists() and stamp.read_text() == " ".join(TOOL_PACKAGES)):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(TOOLS)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
            + TOOL_PACKAGES,
            check=True,
            timeout=900,
            capture_output=True,
        )
        stamp.write_text(" ".join(TOOL_PACKAGES))
    return python


def http(url, method="GET", body=None, headers=None, auth=None, timeout=60):
    """(status, headers, body) of one request; never raises for an HTTP status."""
    headers = dict(headers or {})
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    if isinstance(body, str):
        body = body.encode()
    request = urllib.request.Request(url, data=body, headers=headers, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class WebSession:
    """A browser-like session (cookie) for what only the web client does: making an API key
    (Odoo asks for the password again, as it does a person)."""

    def __init__(self, odoo, login, password):
        self.odoo, self.cookie = odoo, None
        self.call("/web/session/authenticate", db=odoo["db"], login=login, password=password)
        self.password = password

    def call(self, path, **params):
        request = urllib.request.Request(
            self.odoo["url"] + path,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
            headers={"Content-Type": "application/json", **({"Cookie": self.cookie} or {})}
            if self.cookie
            else {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            cookie = response.headers.get("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            data = json.load(response)
        assert "error" not in data, data.get("error")
        return data["result"]

    def call_kw(self, model, method, args, kwargs=None):
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=args,
            kwargs=kwargs or {},
        )

    def make_api_key(self):
        expiration = (datetime.datetime.utcnow() + datetime.timedelta(hours=20)).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        description = self.call_kw(
            "res.users.apikeys.description",
            "create",
            [{"name": "DAV test", "expiration_date": expiration}],
        )
        action = self.call_kw("res.users.apikeys.description", "make_key", [[description]])
        if action.get("res_model") == "res.users.identitycheck":
            check = action["res_id"]
            self.call_kw(
                "res.users.identitycheck",
                "write",
                [[check], {"password": self.password}],
            )
            action = self.call_kw(
                "res.users.identitycheck",
                "run_check",
                [[check]],
                {"context": {"password": self.password}},
            )
        return action["context"]["default_key"]


@pytest.fixture(scope="session")
def dav(odoo, json2):
    """Two CRM users in two companies with their API keys, and customers of each company.

    user_a works in company 1 and sees company 1's customers; user_b works only in the
    second company."""
    tag = uuid.uuid4().hex[:6]
    [company_b] = json2("res.company", "create", vals_list=[{"name": f"DAV Zweitfirma {tag}"}])
    admin = json2("res.users", "search_read", domain=[("login", "=", odoo["login"])], fields=[])[0]
    company_a = admin["company_id"][0]
    group_user = xmlid(json2, "crm_core.group_user")
    users = {}
    for name, company in (("a", company_a), ("b", company_b)):
        login = f"dav_{name}_{tag}"
        [uid] = json2(
            "res.users",
            "create",
            vals_list=[
                {
                    "name": f"DAV User {name.upper()} {tag}",
                    "login": login,
                    "password": f"pw-{login}-secret",
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "group_ids": [(4, group_user)],
                    "tz": "Europe/Berlin",
                }
            ],
        )
        key = WebSession(odoo, login, f"pw-{login}-secret").make_api_key()
        users[name] = {"uid": uid, "login": login, "key": key, "company": company}
    customer_role = xmlid(json2, "crm_core.crm_partner_role_customer")
    [customer_a, customer_b] = json2(
        "res.partner",
        "create",
        vals_list=[
            {
                "name": f"DAV Kunde A {tag} GmbH",
                "is_company": True,
                "company_id": company_a,
                "crm_role_ids": [(6, 0, [customer_role])],
                "city": "Dresden",
                "phone": "+49 351 4445566",
            },
            {
                "name": f"DAV Kunde B {tag} s.r.o.",
                "is_company": True,
                "company_id": company_b,
                "crm_role_ids": [(6, 0, [customer_role])],
                "city": "Praha",
            },
        ],
    )
    [contact_a] = json2(
        "res.partner",
        "create",
        vals_list=[
            {
                "name": f"Anna Ansprech {tag}",
                "parent_id": customer_a,
                "email": f"anna.{tag}@example.com",
            }
        ],
    )
    return {
        "url": odoo["url"],
        "tag": tag,
        "users": users,
        "customer_a": customer_a,
        "customer_b": customer_b,
        "contact_a": contact_a,
        "company_a": company_a,
        "company_b": company_b,
    }


def xmlid(json2, name):
    module, _dot, record = name.partition(".")
    [found] = json2(
        "ir.model.data",
        "search_read",
        domain=[("module", "=", module), ("name", "=", record)],
        fields=["res_id"],
    )
    return found["res_id"]


def auth(dav, name):
    user = dav["users"][name]
    return user["login"], user["key"]


def home(dav, name):
    return f"{dav['url']}/dav/{dav['users'][name]['uid']}/"


PROPFIND_ETAGS = (
    '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/>'
    "<d:resourcetype/></d:prop></d:propfind>"
)


def list_hrefs(dav, name, collection):
    status, _headers, body = http(
        home(dav, name) + collection + "/",
        "PROPFIND",
        PROPFIND_ETAGS,
        {"Depth": "1", "Content-Type": "application/xml"},
        auth(dav, name),
    )
    assert status == 207, (status, body[:500])
    text = body.decode()
    return text


def run_tool(dav_python, script, timeout=600, **env):
    result = subprocess.run(
        [str(dav_python), "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **{k: str(v) for k, v in env.items()}},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None


# ---------------------------------------------------------------------------------------------
# Discovery and authentication
# ---------------------------------------------------------------------------------------------
def test_well_known_redirects_to_the_dav_root(dav):
    for name in ("carddav", "caldav"):
        status, headers, _body = http(f"{dav['url']}/.well-known/{name}", "PROPFIND")
        assert status == 301
        assert headers["Location"].endswith("/dav/")


def test_discovery_principal_and_home_sets(dav):
    body = (
        '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" '
        'xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cr="urn:ietf:params:xml:ns:carddav">'
        "<d:prop><d:current-user-principal/><c:calendar-home-set/><cr:addressbook-home-set/>"
        "</d:prop></d:propfind>"
    )
    status, _headers, answer = http(
        f"{dav['url']}/dav/", "PROPFIND", body, {"Depth": "0"}, auth(dav, "a")
    )
    assert status == 207
    principal = f"/dav/{dav['users']['a']['uid']}/"
    assert principal in answer.decode()
    status, _headers, answer = http(
        dav["url"] + principal, "PROPFIND", body, {"Depth": "1"}, auth(dav, "a")
    )
    text = answer.decode()
    assert status == 207
    assert "calendar-home-set" in text and "addressbook-home-set" in text
    assert principal + "contacts/" in text and principal + "calendar/" in text


def test_wrong_credentials_get_401(dav):
    login, key = auth(dav, "a")
    for credentials in ((login, "wrong-key"), (dav["users"]["b"]["login"], key), ("", "")):
        status, headers, _body = http(home(dav, "a"), "PROPFIND", auth=credentials)
        assert status == 401
        assert headers["WWW-Authenticate"].startswith("Basic")
    status, _headers, _body = http(home(dav, "a"), "PROPFIND")
    assert status == 401
    # a user's API key opens only that user's principal
    status, _headers, _body = http(home(dav, "a"), "PROPFIND", auth=auth(dav, "b"))
    assert status in (403, 404)


# ---------------------------------------------------------------------------------------------
# The caldav client library: full and incremental sync, edits on both sides, conflict, delete
# ---------------------------------------------------------------------------------------------
CALDAV_SCRIPT = """
import datetime, json, os, caldav
url, login, key = os.environ["DAV_URL"], os.environ["DAV_LOGIN"], os.environ["DAV_KEY"]
client = caldav.DAVClient(url=url, username=login, password=key)
principal = client.principal()
[calendar] = [c for c in principal.calendars() if c.get_display_name() == "CRM Appointments"]
step = os.environ["DAV_STEP"]
out = {}
if step == "full":
    objects = calendar.objects_by_sync_token(load_objects=True)
    out["token"] = objects.sync_token
    out["uids"] = sorted(str(o.icalendar_component["uid"]) for o in objects)
    event = calendar.save_event(
        dtstart=datetime.datetime(2031, 3, 4, 9, 0, tzinfo=datetime.timezone.utc),
        dtend=datetime.datetime(2031, 3, 4, 10, 30, tzinfo=datetime.timezone.utc),
        summary="Besuch vom Telefon " + os.environ["DAV_TAG"],
        uid="phone-" + os.environ["DAV_TAG"],
    )
    out["event_url"] = str(event.url)
    todo = calendar.save_todo(summary="Rückruf vom Telefon " + os.environ["DAV_TAG"],
                              uid="todo-" + os.environ["DAV_TAG"],
                              due=datetime.datetime(2031, 3, 5, 8, 0, tzinfo=datetime.timezone.utc))
    out["todo_url"] = str(todo.url)
elif step == "incremental":
    objects = calendar.objects_by_sync_token(sync_token=os.environ["DAV_TOKEN"], load_objects=True)
    out["token"] = objects.sync_token
    out["changed"] = sorted(str(o.icalendar_component["uid"]) for o in objects if o.data)
    found = calendar.search(start=datetime.datetime(2031, 3, 1), end=datetime.datetime(2031, 3, 31),
                            event=True, expand=False)
    out["march"] = sorted(str(o.icalendar_component["summary"]) for o in found)
elif step == "edit":
    event = calendar.event_by_uid("phone-" + os.environ["DAV_TAG"])
    component = event.icalendar_component
    component["dtstart"].dt = datetime.datetime(2031, 3, 4, 14, 0, tzinfo=datetime.timezone.utc)
    component["dtend"].dt = datetime.datetime(2031, 3, 4, 15, 0, tzinfo=datetime.timezone.utc)
    event.save()
    todo = calendar.todo_by_uid("todo-" + os.environ["DAV_TAG"])
    todo.complete()
elif step == "unchanged":
    objects = calendar.objects_by_sync_token(sync_token=os.environ["DAV_TOKEN"], load_objects=False)
    out["token"] = objects.sync_token
    out["count"] = len(list(objects))
print(json.dumps(out))
"""


def caldav_step(dav_python, dav, step, **env):
    login, key = auth(dav, "a")
    return run_tool(
        dav_python,
        CALDAV_SCRIPT,
        DAV_URL=home(dav, "a"),
        DAV_LOGIN=login,
        DAV_KEY=key,
        DAV_STEP=step,
        DAV_TAG=dav["tag"],
        **env,
    )


def as_user(json2, dav, name):
    """A JSON-2 client authenticated with the user's API key."""

    class Client(type(json2)):
        pass

    client = Client(dict(json2.odoo, api_key=dav["users"][name]["key"]))
    return client


def test_caldav_client_sync_edit_conflict_delete(dav_python, dav, json2):
    user = as_user(json2, dav, "a")
    uid_a = dav["users"]["a"]["uid"]
    [entry_id] = user(
        "crm.chronicle.entry",
        "create",
        vals_list=[
            {
                "name": f"Termin im CRM {dav['tag']}",
                "partner_id": dav["customer_a"],
                "type_id": xmlid(json2, "crm_chronicle.crm_chronicle_type_visit"),
                "date": "2031-03-10 09:00:00",
                "duration": 1.0,
                "user_id": uid_a,
                "state": "open",
            }
        ],
    )
    # full sync: the appointment made in Odoo arrives; the client adds an event and a todo
    full = caldav_step(dav_python, dav, "full")
    assert any(str(entry_id) in uid for uid in full["uids"])
    [phone_entry] = user(
        "crm.chronicle.entry",
        "search_read",
        domain=[("name", "=", f"Besuch vom Telefon {dav['tag']}")],
        fields=["date", "duration", "user_id", "partner_id", "dav_removed"],
    )
    assert phone_entry["date"] == "2031-03-04 09:00:00"
    assert phone_entry["duration"] == 1.5
    assert phone_entry["user_id"][0] == uid_a
    [resubmission] = user(
        "crm.chronicle.resubmission",
        "search_read",
        domain=[("entry_id.name", "=", f"Rückruf vom Telefon {dav['tag']}")],
        fields=["date", "state"],
    )
    assert resubmission["state"] == "open"

    # an edit in Odoo; the incremental sync brings it (and only what changed)
    user("crm.chronicle.entry", "write", ids=[entry_id], vals={"date": "2031-03-11 07:30:00"})
    incremental = caldav_step(dav_python, dav, "incremental", DAV_TOKEN=full["token"])
    assert any(str(entry_id) in uid for uid in incremental["changed"])
    assert f"Termin im CRM {dav['tag']}" in incremental["march"]
    unchanged = caldav_step(dav_python, dav, "unchanged", DAV_TOKEN=incremental["token"])
    assert unchanged["count"] == 0
    assert unchanged["token"] == incremental["token"]

    # an edit on the client: the appointment moves, the completed todo closes the resubmission
    caldav_step(dav_python, dav, "edit")
    [moved] = user(
        "crm.chronicle.entry", "read", ids=[phone_entry["id"]], fields=["date", "duration"]
    )
    assert moved["date"] == "2031-03-04 14:00:00"
    assert moved["duration"] == 1.0
    [closed] = user(
        "crm.chronicle.resubmission",
        "read",
        ids=[resubmission["id"]],
        fields=["state", "done_user_id"],
    )
    assert closed["state"] == "done"
    assert closed["done_user_id"][0] == uid_a

    # a conflict: the client's copy is stale (Odoo changed the appointment): 412, nothing lost
    href = f"{home(dav, 'a')}calendar/appointment-{entry_id}.ics"
    status, headers, body = http(href, auth=auth(dav, "a"))
    assert status == 200
    stale_etag = headers["ETag"]
    user(
        "crm.chronicle.entry",
        "write",
        ids=[entry_id],
        vals={"name": f"Im CRM geändert {dav['tag']}"},
    )
    changed_on_phone = body.decode().replace("20310311T073000Z", "20310311T120000Z")
    status, _headers, _body = http(
        href,
        "PUT",
        changed_on_phone,
        {"If-Match": stale_etag, "Content-Type": "text/calendar"},
        auth(dav, "a"),
    )
    assert status == 412
    [kept] = user("crm.chronicle.entry", "read", ids=[entry_id], fields=["name", "date"])
    assert kept == {
        "id": entry_id,
        "name": f"Im CRM geändert {dav['tag']}",
        "date": "2031-03-11 07:30:00",
    }

    # delete on the client: the appointment stays in the chronicle, out of the calendar
    status, _headers, _body = http(href, "DELETE", auth=auth(dav, "a"))
    assert status in (200, 204)
    [removed] = user("crm.chronicle.entry", "read", ids=[entry_id], fields=["dav_removed"])
    assert removed["dav_removed"] is True
    status, _headers, _body = http(href, auth=auth(dav, "a"))
    assert status == 404


# ---------------------------------------------------------------------------------------------
# vdirsyncer: two-way sync of the address book and the calendar with local folders
# ---------------------------------------------------------------------------------------------
def vdirsyncer(dav_python, config, *args):
    binary = Path(dav_python).parent / "vdirsyncer"
    return subprocess.run(
        [str(binary), "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=600,
        input="",
    )


def write_config(tmp_path, dav, name):
    login, key = auth(dav, name)
    sections = [f'[general]\nstatus_path = "{tmp_path}/status/"\n']
    for collection, kind, extension in (
        ("contacts", "carddav", ".vcf"),
        ("calendar", "caldav", ".ics"),
    ):
        (tmp_path / collection).mkdir(exist_ok=True)
        sections.append(
            f"""
[pair {collection}]
a = "{collection}_local"
b = "{collection}_remote"
collections = null

[storage {collection}_local]
type = "filesystem"
path = "{tmp_path}/{collection}/"
fileext = "{extension}"

[storage {collection}_remote]
type = "{kind}"
url = "{home(dav, name)}{collection}/"
username = "{login}"
password = "{key}"
"""
        )
    config = tmp_path / "config"
    config.write_text("\n".join(sections))
    return config


def local_card(folder, text):
    [found] = [p for p in folder.glob("*.vcf") if f"FN:{text}" in p.read_text().splitlines()]
    return found


def test_vdirsyncer_two_way_sync(dav_python, dav, json2, tmp_path):
    user = as_user(json2, dav, "a")
    config = write_config(tmp_path, dav, "a")
    result = vdirsyncer(dav_python, config, "discover")
    assert result.returncode == 0, result.stderr
    # full sync: every customer and contact person user a may read, and only those
    result = vdirsyncer(dav_python, config, "sync")
    assert result.returncode == 0, result.stderr
    contacts = tmp_path / "contacts"
    visible = user(
        "res.partner",
        "search_count",
        domain=[
            ("type", "=", "contact"),
            "|",
            ("crm_role_ids", "!=", False),
            ("parent_id.crm_role_ids", "!=", False),
        ],
    )
    assert len(list(contacts.glob("*.vcf"))) == visible
    card = local_card(contacts, f"DAV Kunde A {dav['tag']} GmbH")
    assert "TEL;TYPE=voice,work:+49 351 4445566" in card.read_text()
    assert not [p for p in contacts.glob("*.vcf") if f"DAV Kunde B {dav['tag']}" in p.read_text()]
    assert "ORG:DAV Kunde A" in local_card(contacts, f"Anna Ansprech {dav['tag']}").read_text()

    # an edit on the device side reaches the partner through the ORM
    card.write_text(card.read_text().replace("+49 351 4445566", "+49 351 9998877"))
    result = vdirsyncer(dav_python, config, "sync")
    assert result.returncode == 0, result.stderr
    [partner] = user("res.partner", "read", ids=[dav["customer_a"]], fields=["phone", "city"])
    assert partner["phone"] == "+49 351 9998877"

    # an edit in Odoo reaches the device (incremental: the other cards are not rewritten)
    # (its contact person follows the company's address in Odoo, so its card changes too)
    others = {
        p: p.stat().st_mtime_ns for p in contacts.glob("*.vcf") if dav["tag"] not in p.read_text()
    }
    user("res.partner", "write", ids=[dav["customer_a"]], vals={"city": "Meißen"})
    result = vdirsyncer(dav_python, config, "sync")
    assert result.returncode == 0, result.stderr
    card = local_card(contacts, f"DAV Kunde A {dav['tag']} GmbH")
    assert "Meißen" in card.read_text()
    assert {p: p.stat().st_mtime_ns for p in others} == others

    # a conflict: both sides changed the card; vdirsyncer refuses, neither side is overwritten
    user("res.partner", "write", ids=[dav["customer_a"]], vals={"street": "Neue Straße 1"})
    local = card.read_text().replace("Meißen", "Radebeul")
    card.write_text(local)
    result = vdirsyncer(dav_python, config, "sync")
    assert result.returncode != 0
    assert "conflict" in (result.stdout + result.stderr).lower()
    [partner] = user("res.partner", "read", ids=[dav["customer_a"]], fields=["street", "city"])
    assert partner["street"] == "Neue Straße 1" and partner["city"] == "Meißen"
    assert card.read_text() == local

    # a delete on the device archives the contact person (nothing destroyed)
    person = local_card(contacts, f"Anna Ansprech {dav['tag']}")
    person.unlink()
    result = vdirsyncer(dav_python, config, "sync", "contacts")
    [anna] = user(
        "res.partner",
        "search_read",
        domain=[("id", "=", dav["contact_a"]), ("active", "in", [True, False])],
        fields=["active"],
    )
    assert anna["active"] is False

    # the calendar syncs too, both ways
    assert vdirsyncer(dav_python, config, "sync", "calendar").returncode == 0
    [entry_id] = user(
        "crm.chronicle.entry",
        "create",
        vals_list=[
            {
                "name": f"vdirsyncer Termin {dav['tag']}",
                "partner_id": dav["customer_a"],
                "type_id": xmlid(json2, "crm_chronicle.crm_chronicle_type_meeting"),
                "date": "2031-05-06 10:00:00",
                "duration": 2.0,
                "user_id": dav["users"]["a"]["uid"],
            }
        ],
    )
    assert vdirsyncer(dav_python, config, "sync", "calendar").returncode == 0
    [event] = [
        p
        for p in (tmp_path / "calendar").glob("*.ics")
        if f"appointment-{entry_id}@" in p.read_text()
    ]
    event.write_text(
        event.read_text().replace("DTSTART:20310506T100000Z", "DTSTART:20310506T080000Z")
    )
    assert vdirsyncer(dav_python, config, "sync", "calendar").returncode == 0
    [moved] = user("crm.chronicle.entry", "read", ids=[entry_id], fields=["date", "duration"])
    assert moved["date"] == "2031-05-06 08:00:00"
    assert moved["duration"] == 4.0


# ---------------------------------------------------------------------------------------------
# The ORM's checks answer with a DAV error the client shows
# ---------------------------------------------------------------------------------------------
def test_bad_phone_and_bad_iban_are_refused_with_a_dav_error(dav, json2):
    href = f"{home(dav, 'a')}contacts/partner-{dav['customer_a']}.vcf"
    status, headers, body = http(href, auth=auth(dav, "a"))
    assert status == 200
    card = body.decode()
    cases = [
        (
            card.replace("TEL;TYPE=voice,work:", "TEL;TYPE=voice,work:call me maybe "),
            "not a phone number",
        ),
        (card.replace("END:VCARD", "X-CRM-IBAN:DE00 1234 5678 9012 3456 78\r\nEND:VCARD"), "IBAN"),
        (
            card.replace("END:VCARD", "EMAIL;TYPE=work:no mail address\r\nEND:VCARD"),
            "not an e-mail",
        ),
    ]
    for changed, reason in cases:
        status, _headers, answer = http(
            href,
            "PUT",
            changed,
            {"If-Match": headers["ETag"], "Content-Type": "text/vcard"},
            auth(dav, "a"),
        )
        assert status == 403, answer
        assert b"valid-address-data" in answer and reason.encode() in answer, answer
    [partner] = json2("res.partner", "read", ids=[dav["customer_a"]], fields=["phone", "bank_ids"])
    assert "maybe" not in (partner["phone"] or "")
    assert not partner["bank_ids"]
    # a valid IBAN is added as a bank account of the customer
    valid = card.replace("END:VCARD", "X-CRM-IBAN:DE89 3704 0044 0532 0130 00\r\nEND:VCARD")
    status, _headers, answer = http(
        href, "PUT", valid, {"Content-Type": "text/vcard"}, auth(dav, "a")
    )
    assert status in (201, 204), answer
    [partner] = json2("res.partner", "read", ids=[dav["customer_a"]], fields=["bank_ids"])
    assert len(partner["bank_ids"]) == 1


# ---------------------------------------------------------------------------------------------
# Access: two users, two companies, private entries - nothing leaks through DAV
# ---------------------------------------------------------------------------------------------
MULTIGET = (
    '<?xml version="1.0"?><cr:addressbook-multiget xmlns:d="DAV:" '
    'xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><cr:address-data/></d:prop>'
    "{hrefs}</cr:addressbook-multiget>"
)


def test_no_leak_across_users_companies_and_private_entries(dav, json2):
    uid_a, uid_b = dav["users"]["a"]["uid"], dav["users"]["b"]["uid"]
    user_a, user_b = as_user(json2, dav, "a"), as_user(json2, dav, "b")
    # user b's address book holds the second company's customer, not the first company's
    listing_b = list_hrefs(dav, "b", "contacts")
    assert f"partner-{dav['customer_b']}.vcf" in listing_b
    assert f"partner-{dav['customer_a']}.vcf" not in listing_b
    listing_a = list_hrefs(dav, "a", "contacts")
    assert f"partner-{dav['customer_b']}.vcf" not in listing_a
    # asking for it by name (GET, multiget) gives nothing either
    foreign = f"/dav/{uid_b}/contacts/partner-{dav['customer_a']}.vcf"
    status, _headers, body = http(dav["url"] + foreign, auth=auth(dav, "b"))
    assert status == 404 and b"DAV Kunde A" not in body
    status, _headers, body = http(
        f"{home(dav, 'b')}contacts/",
        "REPORT",
        MULTIGET.format(hrefs=f"<d:href>{foreign}</d:href>"),
        {"Depth": "1", "Content-Type": "application/xml"},
        auth(dav, "b"),
    )
    assert status == 207 and b"404" in body and b"DAV Kunde A" not in body
    # another user's principal and collections are closed
    for path in ("", "contacts/", "calendar/", f"contacts/partner-{dav['customer_a']}.vcf"):
        status, _headers, body = http(
            f"{home(dav, 'a')}{path}", "PROPFIND", PROPFIND_ETAGS, {"Depth": "1"}, auth(dav, "b")
        )
        assert status in (403, 404), (path, status)
        assert b"DAV Kunde A" not in body
    status, _headers, _body = http(
        f"{home(dav, 'a')}contacts/partner-{dav['customer_a']}.vcf", "DELETE", auth=auth(dav, "b")
    )
    assert status in (403, 404)
    # a PUT at the name of a partner user b may not see creates nothing of it and changes nothing
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Übernahme\r\nN:;Übernahme;;;\r\nUID:x\r\nEND:VCARD\r\n"
    status, _headers, _body = http(
        dav["url"] + foreign, "PUT", card, {"Content-Type": "text/vcard"}, auth(dav, "b")
    )
    assert status in (403, 404, 409)
    [kept] = json2("res.partner", "read", ids=[dav["customer_a"]], fields=["name"])
    assert kept["name"] == f"DAV Kunde A {dav['tag']} GmbH"

    # private appointments: only in their responsible user's calendar; a colleague in the same
    # company who is responsible for none of them sees nothing of it
    visit = xmlid(json2, "crm_chronicle.crm_chronicle_type_visit")
    [private_id] = user_a(
        "crm.chronicle.entry",
        "create",
        vals_list=[
            {
                "name": f"Vertraulich {dav['tag']}",
                "partner_id": dav["customer_a"],
                "type_id": visit,
                "date": "2031-06-01 09:00:00",
                "user_id": uid_a,
                "private": True,
            }
        ],
    )
    status, _headers, body = http(
        f"{home(dav, 'a')}calendar/appointment-{private_id}.ics", auth=auth(dav, "a")
    )
    assert status == 200 and b"CLASS:PRIVATE" in body
    for name in ("b",):
        status, _headers, body = http(f"{home(dav, name)}calendar/", auth=auth(dav, name))
        assert f"Vertraulich {dav['tag']}".encode() not in body
        status, _headers, body = http(
            f"{home(dav, name)}calendar/appointment-{private_id}.ics", auth=auth(dav, name)
        )
        assert status == 404
    # user b's search through the calendar-query report finds nothing of user a
    query = (
        '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" '
        'xmlns:c="urn:ietf:params:xml:ns:caldav">'
        '<d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR">'
        '<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match>Vertraulich'
        "</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"
    )
    status, _headers, body = http(
        f"{home(dav, 'b')}calendar/",
        "REPORT",
        query,
        {"Depth": "1", "Content-Type": "application/xml"},
        auth(dav, "b"),
    )
    assert status == 207 and b"Vertraulich" not in body
    assert user_b("crm.chronicle.entry", "search_count", domain=[("id", "=", private_id)]) == 0
    assert user_a("crm.chronicle.entry", "search_count", domain=[("id", "=", private_id)]) == 1


# ---------------------------------------------------------------------------------------------
# Hostile requests: every answer is a 4xx, never a 500
# ---------------------------------------------------------------------------------------------
XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&x;</d:displayname></d:prop></d:propfind>'
)
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&c;</d:displayname></d:prop></d:propfind>'
)


def test_hostile_requests_get_4xx(dav):
    base = home(dav, "a")
    xml = {"Content-Type": "application/xml"}
    cases = [
        ("PROPFIND", "contacts/", "<d:propfind", {**xml, "Depth": "1"}),
        ("PROPFIND", "contacts/", XXE, {**xml, "Depth": "0"}),
        ("PROPFIND", "contacts/", BOMB, {**xml, "Depth": "0"}),
        ("REPORT", "calendar/", "<not-xml", xml),
        ("REPORT", "calendar/", XXE, xml),
        ("REPORT", "calendar/", '<?xml version="1.0"?><x:unknown xmlns:x="urn:x"/>', xml),
        ("PROPFIND", "contacts/", PROPFIND_ETAGS, {**xml, "Depth": "5"}),
        ("PROPFIND", "contacts/", PROPFIND_ETAGS, {**xml, "Depth": "-1"}),
        ("GET", "nowhere/", None, {}),
        ("GET", "contacts/partner-999999999.vcf", None, {}),
        ("GET", "contacts/../../etc/passwd", None, {}),
        ("PUT", "contacts/x.vcf", "no vcard at all", {"Content-Type": "text/vcard"}),
        (
            "PUT",
            "contacts/x.vcf",
            "BEGIN:VCARD\r\nVERSION:9.9\r\nEND:VCARD\r\n",
            {"Content-Type": "text/vcard"},
        ),
        (
            "PUT",
            "calendar/x.ics",
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            {"Content-Type": "text/calendar"},
        ),
        (
            "PUT",
            "calendar/y.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:y\r\n"
            "SUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            {"Content-Type": "text/calendar"},
        ),
        (
            "PUT",
            "calendar/z.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:z\r\n"
            "DTSTART:20310101T100000Z\r\nRRULE:FREQ=DAILY\r\nSUMMARY:every day\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:z\r\nRECURRENCE-ID:20310102T100000Z\r\n"
            "DTSTART:20310102T120000Z\r\nSUMMARY:moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            {"Content-Type": "text/calendar"},
        ),
        ("PUT", "contacts/", "BEGIN:VCARD\r\nEND:VCARD\r\n", {"Content-Type": "text/vcard"}),
        ("MKCALENDAR", "another/", None, {}),
        ("MKCOL", "another/", None, {}),
        ("DELETE", "contacts/", None, {}),
        ("DELETE", "", None, {}),
        (
            "MOVE",
            f"contacts/partner-{dav['customer_a']}.vcf",
            None,
            {"Destination": base + "contacts/moved.vcf"},
        ),
        ("PROPPATCH", "contacts/", "<broken", xml),
        ("LOCK", "contacts/", None, {}),
        ("POST", "contacts/", "x=1", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("PUT", "contacts/big.vcf", "X" * (3 * 1024 * 1024), {"Content-Type": "text/vcard"}),
    ]
    for method, path, body, headers in cases:
        status, _headers, answer = http(base + path, method, body, headers, auth(dav, "a"))
        assert 400 <= status < 500, (method, path, status, answer[:300])
        assert b"root:" not in answer and b"Traceback" not in answer
    for header in (
        "Basic",
        "Basic !!!",
        "Basic " + base64.b64encode(b"nocolon").decode(),
        "Digest x",
        "Bearer " + "k" * 500,
    ):
        status, _headers, _answer = http(base, "PROPFIND", headers={"Authorization": header})
        assert status == 401, header


def test_what_no_field_holds_is_kept_as_sent(dav, json2):
    """A photo, a second phone number, an alarm, the device's own categories: no field of
    Odoo holds them, the object keeps them; the fields take what they hold."""
    tag = dav["tag"]
    card = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kept-{tag}\r\nFN:Karl Kept {tag}\r\n"
        f"N:Kept {tag};Karl;;;\r\nTEL;TYPE=work:+49 351 1112233\r\n"
        "TEL;TYPE=cell:+49 171 4455667\r\n"
        "NICKNAME:Kalle\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4GZha2VqcGVn\r\nEND:VCARD\r\n"
    )
    href = f"{home(dav, 'a')}contacts/kept-{tag}.vcf"
    status, _headers, body = http(href, "PUT", card, {"Content-Type": "text/vcard"}, auth(dav, "a"))
    assert status == 201, body
    status, _headers, body = http(href, auth=auth(dav, "a"))
    text = body.decode()
    assert status == 200
    for line in ("TEL;TYPE=cell:+49 171 4455667", "NICKNAME:Kalle", "PHOTO;ENCODING=b;TYPE=JPEG:"):
        assert line in text, text
    assert f"UID:kept-{tag}" in text
    [partner] = json2(
        "res.partner", "search_read", domain=[("name", "=", f"Karl Kept {tag}")], fields=["phone"]
    )
    assert partner["phone"] == "+49 351 1112233"
    event = (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:alarm-{tag}\r\n"
        "DTSTAMP:20310101T000000Z\r\nDTSTART:20310707T080000Z\r\nDTEND:20310707T090000Z\r\n"
        f"SUMMARY:Mit Erinnerung {tag}\r\nCATEGORIES:Lagerbesuch\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:bald\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    href = f"{home(dav, 'a')}calendar/alarm-{tag}.ics"
    status, _headers, body = http(
        href, "PUT", event, {"Content-Type": "text/calendar"}, auth(dav, "a")
    )
    assert status == 201, body
    text = http(href, auth=auth(dav, "a"))[2].decode()
    for line in (
        "CATEGORIES:Lagerbesuch",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "BEGIN:VALARM",
        "TRIGGER:-PT15M",
    ):
        assert line in text, text
    # sent back unchanged, nothing is doubled
    status, _headers, _body = http(
        href, "PUT", text, {"Content-Type": "text/calendar"}, auth(dav, "a")
    )
    assert status in (201, 204)
    again = http(href, auth=auth(dav, "a"))[2].decode()
    assert again.count("CATEGORIES:Lagerbesuch") == 1 and again.count("BEGIN:VALARM") == 1


# ---------------------------------------------------------------------------------------------
# caldav-server-tester: no compatibility problem for the features we claim
# ---------------------------------------------------------------------------------------------
def test_caldav_server_tester_finds_the_claimed_features(dav_python, dav, tmp_path):
    # user b's calendar: no other test saved objects there (the tester counts what it finds)
    login, key = auth(dav, "b")
    result = subprocess.run(
        [
            str(Path(dav_python).parent / "caldav-server-tester"),
            "--caldav-url",
            f"{dav['url']}/dav/",
            "--caldav-username",
            login,
            "--caldav-password",
            key,
            "--caldav-calendar",
            "CRM Appointments",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    features = json.loads(result.stdout)["features"]
    problems = {
        name: features[name]
        for name in CLAIMED
        if features.get(name, {"support": "full"})["support"] != "full"
    }
    assert not problems, problems
