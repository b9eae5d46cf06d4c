"""The access matrix (tests/access_matrix.py, rendered into ACCESS.md), checked cell by cell
from outside over JSON-2.

The test makes, through the administrator's API, a second company, one user per role (each
with its own API key, made the way a user makes one: web session, identity check, key
wizard) and a customer of the first company with a bank account, an e-mail and a private
appointment. Then, as each role:

- every operation of every model: ``has_access(operation)`` (Odoo's own check of access
  rights, which answers true or false and logs nothing);
- records a role must not see (``LIMITS``): ``search_count`` finds none of them, while the
  administrator finds some;
- the second company's user: none of the first company's records is found, readable,
  writable or deletable;
- fields only some roles see in full (``FIELDS``), read where the field is offered;
- reports: rendered (``/report/html``) for a record the role may read where it may print;
  where it may not, it may read no such record or is not offered the report.

No probe raises an AccessError: Odoo logs those at WARNING, and the log check of `make test`
allows none. Every model our addons define must have a row (a new model without one fails).
"""

import json
import re
import urllib.error
import urllib.request

import pytest
from access_matrix import (  # tests/access_matrix.py
    COMPANY2_HIDDEN,
    FIELDS,
    GROUPS,
    LIMITS,
    MODELS,
    REPORTS,
    ROLES,
)
from websession import WebSession  # tests/websession.py

ADDONS = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_telephony",
    "crm_scan",
]
PASSWORD = "Matrix-2026-access"
IBAN = "DE89370400440532013000"
SECRET = "Matrix Geheimtermin 4711"
OPERATIONS = {"c": "create", "r": "read", "u": "write", "d": "unlink"}


class Client:
    """JSON-2 as one user (its API key)."""

    def __init__(self, odoo, key, name):
        self.url, self.db, self.key, self.name = odoo["url"], odoo["db"], key, name

    def call(self, model, method, **params):
        request = urllib.request.Request(
            f"{self.url}/json/2/{model}/{method}",
            data=json.dumps(params).encode(),
            headers={
                "Authorization": f"bearer {self.key}",
                "X-Odoo-Database": self.db,
                "Content-Type": "application/json; charset=utf-8",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            try:
                message = json.loads(body).get("message", body)
            except ValueError:
                message = body
            raise AssertionError(
                f"{self.name}: {model}.{method} answered {error.code}: {message[:500]}"
            ) from None


def _api_key(odoo, login):
    """An API key made by the user itself, as in Preferences > Security > New API Key."""
    return WebSession(odoo, login, PASSWORD).new_api_key("access matrix")


def _xmlid(admin, xmlid):
    module, name = xmlid.split(".")
    found = admin.call(
        "ir.model.data",
        "search_read",
        domain=[("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    assert found, f"{xmlid} does not exist"
    return found[0]["res_id"]


class World:
    """Everything the matrix test made: companies, users and their clients, sample data."""

    def __init__(self, odoo, admin):
        self.odoo, self.admin = odoo, admin
        me = admin.call(
            "res.users", "search_read", domain=[("login", "=", odoo["login"])], fields=[]
        )[0]
        self.admin_id, self.c1 = me["id"], me["company_id"][0]
        self.c2 = self._company2(me)
        self.users, self.clients = {}, {}
        admin.call("ir.config_parameter", "set_param", key="portal.allow_api_keys", value="1")
        for role in ROLES:
            self.users[role] = self._user(role)
            login = f"matrix_{role}"
            self.clients[role] = Client(odoo, _api_key(odoo, login), login)
        self.customer, self.bank = self._customer()
        self.setup_errors = {}
        for step in (self._private_appointment, self._email, self._routes_and_trips):
            try:
                step()
            except AssertionError as error:  # reported where the data is missing
                self.setup_errors[step.__name__] = str(error)
        for row in MODELS:
            if row.company in ("own", "shared"):
                self._company1_record(row)

    def _company2(self, me):
        found = self.admin.call(
            "res.company", "search", domain=[("name", "=", "Matrix Zweitfirma s.r.o.")]
        )
        company = (
            found[0]
            if found
            else self.admin.call(
                "res.company", "create", vals_list=[{"name": "Matrix Zweitfirma s.r.o."}]
            )[0]
        )
        self.admin.call("res.users", "write", ids=[me["id"]], vals={"company_ids": [(4, company)]})
        return company

    def _user(self, role):
        login = f"matrix_{role}"
        found = self.admin.call("res.users", "search", domain=[("login", "=", login)])
        if found:
            return found[0]
        company = self.c2 if role == "company2" else self.c1
        return self.admin.call(
            "res.users",
            "create",
            vals_list=[
                {
                    "name": f"Matrix {ROLES[role][:40]}",
                    "login": login,
                    "password": PASSWORD,
                    "email": f"{login}@example.com",
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "group_ids": [(6, 0, [_xmlid(self.admin, x) for x in GROUPS[role]])],
                }
            ],
        )[0]

    def _customer(self):
        name = "Matrix Kunde GmbH"
        found = self.admin.call("res.partner", "search", domain=[("name", "=", name)])
        customer = (
            found[0]
            if found
            else self.admin.call(
                "res.partner",
                "create",
                vals_list=[{"name": name, "is_company": True, "company_id": self.c1}],
            )[0]
        )
        banks = self.admin.call(
            "res.partner.bank", "search", domain=[("partner_id", "=", customer)]
        )
        bank = (
            banks[0]
            if banks
            else self.admin.call(
                "res.partner.bank",
                "create",
                vals_list=[{"partner_id": customer, "acc_number": IBAN}],
            )[0]
        )
        return customer, bank

    def _private_appointment(self):
        if self.admin.call("crm.chronicle.entry", "search", domain=[("name", "=", SECRET)]):
            return
        types = self.admin.call(
            "crm.chronicle.type", "search", domain=[("is_appointment", "=", True)], limit=1
        )
        assert types, "no chronicle type for appointments"
        self.admin.call(
            "crm.chronicle.entry",
            "create",
            vals_list=[
                {
                    "partner_id": self.customer,
                    "type_id": types[0],
                    "name": SECRET,
                    "private": True,
                    "user_id": self.admin_id,
                    "duration": 1.0,
                    "resubmission_date": "2026-12-24 09:00:00",
                    "resubmission_user_id": self.admin_id,
                }
            ],
        )

    def _email(self):
        """An e-mail to the customer, as its correspondence lists it."""
        if self.admin.call(
            "mail.message",
            "search",
            domain=[
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer),
                ("subject", "=", "Matrix Bestellung"),
            ],
        ):
            return
        self.admin.call(
            "res.partner",
            "message_post",
            ids=[self.customer],
            body="<p>Matrix: Ihre Bestellung vom Montag</p>",
            subject="Matrix Bestellung",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=[self.customer],
        )

    def _routes_and_trips(self):
        """A route and a trip of the administrator and of the roles that plan their own."""
        for role, user in [("admin", self.admin_id)] + [
            (r, self.users[r]) for r in ("crm_user", "sepa_manager")
        ]:
            name = f"Matrix Tour {role}"
            if not self.admin.call("crm.route", "search", domain=[("name", "=", name)]):
                route = self.admin.call(
                    "crm.route",
                    "create",
                    vals_list=[{"name": name, "user_id": user, "company_id": self.c1}],
                )[0]
                self.admin.call(
                    "crm.mileage.log",
                    "create",
                    vals_list=[
                        {
                            "user_id": user,
                            "company_id": self.c1,
                            "route_id": route,
                            "distance": 42.5,
                            "purpose": name,
                        }
                    ],
                )

    def _company1_record(self, row):
        """A record of the first company for the company rule to hide: made by the suite's
        own API where it makes such records, else a copy of any record of the model."""
        domain = self.domain(COMPANY2_HIDDEN.get(row.model, [("company_id", "=", "$c1")]), None)
        if self.admin_count(row.model, domain):
            return
        try:
            if row.model in FACTORIES:
                FACTORIES[row.model](self)
            else:
                companies = [self.c1, self.c2]
                any_record = self.admin.call(
                    row.model,
                    "search",
                    domain=[],
                    limit=1,
                    context={"active_test": False, "allowed_company_ids": companies},
                )
                assert any_record, f"no {row.model} record exists at all"
                self.admin.call(
                    row.model,
                    "copy",
                    ids=any_record,
                    default={"company_id": self.c1},
                    context={"allowed_company_ids": companies},
                )
        except AssertionError as error:
            self.setup_errors[row.model] = str(error)

    def domain(self, domain, role):
        values = {
            "$uid": self.users.get(role),
            "$c1": self.c1,
            "$customer": self.customer,
            "$secret": SECRET,
        }

        def fill(value):
            if isinstance(value, list | tuple):
                return type(value)(fill(v) for v in value)
            return values.get(value, value) if isinstance(value, str) else value

        return fill(domain)

    def admin_count(self, model, domain, companies=None):
        context = {"active_test": False, "allowed_company_ids": companies or [self.c1]}
        return self.admin.call(model, "search_count", domain=domain, context=context)

    def admin_first(self, model, domain):
        context = {"active_test": False, "allowed_company_ids": [self.c1]}
        found = self.admin.call(model, "search", domain=domain, limit=1, context=context)
        return found[0] if found else None


def _dunning(world):
    """Letters of a dunning run proposed by the suite's own API (not confirmed)."""
    world.admin.call(
        "crm.dunning.run",
        "run_dunning",
        date="2027-06-30",
        confirm=False,
        context={"allowed_company_ids": [world.c1]},
    )


def _phonebook_entry(world):
    box = world.admin_first("crm.telephony.box", [("company_id", "=", world.c1)])
    assert box, "no Fritz!Box of the first company"
    world.admin.call(
        "crm.telephony.phonebook.entry",
        "create",
        vals_list=[
            {"box_id": box, "partner_id": world.customer, "phonebook_id": 0, "uniqueid": "m1"}
        ],
    )


def _scan_suggestion(world):
    document = world.admin_first("crm.scan.document", [("company_id", "=", world.c1)])
    assert document, "no scanned document of the first company"
    world.admin.call(
        "crm.scan.suggestion",
        "create",
        vals_list=[{"document_id": document, "partner_id": world.customer, "score": 0.5}],
    )


def _partner_link(world):
    contact = world.admin.call(
        "res.partner",
        "create",
        vals_list=[{"name": "Matrix Ansprechpartnerin", "company_id": world.c1}],
    )[0]
    role = world.admin_first("crm.contact.role", [])
    assert role, "no contact role"
    world.admin.call(
        "crm.partner.link",
        "create",
        vals_list=[{"company_partner_id": world.customer, "contact_id": contact, "role_id": role}],
    )


def _project_partner(world):
    project = world.admin_first("project.project", [("company_id", "=", world.c1)])
    if not project:
        project = world.admin.call(
            "project.project",
            "create",
            vals_list=[{"name": "Matrix Projekt", "company_id": world.c1}],
        )[0]
    world.admin.call(
        "crm.project.partner",
        "create",
        vals_list=[{"project_id": project, "partner_id": world.customer}],
    )


def _accounting_export(model):
    """A draft export of the first company (the export itself needs the company's settings;
    the company rule needs only the record)."""

    def make(world):
        world.admin.call(
            model,
            "create",
            vals_list=[
                {"company_id": world.c1, "date_from": "2026-11-01", "date_to": "2026-11-30"}
            ],
        )

    return make


def _import_mapping(world):
    world.admin.call(
        "crm.partner.import.mapping",
        "create",
        vals_list=[
            {
                "name": "Matrix Spalten",
                "signature": "firma|ort",
                "mapping": {"Firma": "name", "Ort": "city"},
                "company_id": world.c1,
            }
        ],
    )


# Records of the first company that a copy cannot make (their company comes from a parent,
# or the demo data hold none to copy)
FACTORIES = {
    "crm.datev.export": _accounting_export("crm.datev.export"),
    "crm.pohoda.export": _accounting_export("crm.pohoda.export"),
    "crm.partner.import.mapping": _import_mapping,
    "crm.partner.link": _partner_link,
    "crm.project.partner": _project_partner,
    "crm.dunning.run": _dunning,
    "crm.dunning.letter": _dunning,
    "crm.dunning.letter.line": _dunning,
    "crm.telephony.phonebook.entry": _phonebook_entry,
    "crm.scan.suggestion": _scan_suggestion,
}


@pytest.fixture(scope="module")
def world(odoo):
    admin = Client(odoo, odoo["api_key"], "admin")
    made = World(odoo, admin)
    yield made
    admin.call("ir.config_parameter", "set_param", key="portal.allow_api_keys", value=False)


def _has_access(client, model, operation, ids=()):
    return client.call(model, "has_access", ids=list(ids), operation=operation)


def _check_row(world, row):
    """The failures of one row of the matrix, one sentence each."""
    failures = []
    for role, cell in row.cells.items():
        client = world.clients[role]
        company_bound = role == "company2" and row.company in ("own", "shared")
        if company_bound:
            failures += _check_company2(world, row, cell, client)
            continue
        for letter, operation in OPERATIONS.items():
            got = _has_access(client, row.model, operation)
            wanted = letter in cell
            if got != wanted:
                failures.append(
                    f"{role}: {operation} is {'allowed' if got else 'refused'}, the matrix "
                    f"says {'allowed' if wanted else 'refused'}"
                )
        limit = LIMITS.get((row.model, role))
        if limit and "r" in cell:
            what, domain = limit
            domain = world.domain(domain, role)
            if not world.admin_count(row.model, domain):
                failures.append(
                    f"{role}: no {what} exist to prove they are hidden (the test data must "
                    f"hold some; errors while making it: {world.setup_errors or 'none'})"
                )
            elif _has_access(client, row.model, "read"):
                seen = client.call(
                    row.model, "search_count", domain=domain, context={"active_test": False}
                )
                if seen:
                    failures.append(f"{role}: sees {seen} {what}")
    return failures


def _check_company2(world, row, cell, client):
    """The second company's user and the first company's records."""
    failures = []
    domain = world.domain(COMPANY2_HIDDEN.get(row.model, [("company_id", "=", "$c1")]), None)
    if not world.admin_count(row.model, domain):
        why = world.setup_errors.get(row.model, "")
        return [
            "company2: no record of the first company exists to prove the company rule"
            + (f" (making one failed: {why})" if why else "")
        ]
    if _has_access(client, row.model, "read"):
        seen = client.call(row.model, "search_count", domain=domain, context={"active_test": False})
        if seen and "r" not in cell:
            failures.append(f"company2: sees {seen} records of the first company")
    record = world.admin_first(row.model, domain)
    if row.kind != "view":
        for letter, operation in OPERATIONS.items():
            if letter == "c":
                continue
            got = _has_access(client, row.model, operation, [record])
            if got != (letter in cell):
                failures.append(
                    f"company2: {operation} of a record of the first company is "
                    f"{'allowed' if got else 'refused'}"
                )
    return failures


@pytest.mark.parametrize("row", MODELS, ids=[r.model for r in MODELS])
def test_access(world, row):
    """One row of the matrix: every role, every operation, the limits and the company."""
    failures = _check_row(world, row)
    assert not failures, f"{row.model} ({row.addon}):\n" + "\n".join(failures)


def test_every_model_has_a_row(world):
    """Every model our addons define (not abstract) is in the matrix."""
    ours = world.admin.call(
        "ir.model.data",
        "search_read",
        domain=[("model", "=", "ir.model"), ("module", "in", ADDONS)],
        fields=["res_id"],
    )
    # a model that an Odoo module defines has its xmlid there too: extended, not ours
    theirs = world.admin.call(
        "ir.model.data",
        "search_read",
        domain=[
            ("model", "=", "ir.model"),
            ("module", "not in", ADDONS),
            ("res_id", "in", [d["res_id"] for d in ours]),
        ],
        fields=["res_id"],
    )
    models = world.admin.call(
        "ir.model",
        "search_read",
        domain=[
            ("id", "in", [d["res_id"] for d in ours]),
            ("id", "not in", [d["res_id"] for d in theirs]),
            ("abstract", "=", False),
        ],
        fields=["model"],
    )
    rows = {r.model for r in MODELS}
    missing = sorted(m["model"] for m in models if m["model"] not in rows)
    assert not missing, f"models without a row in tests/access_matrix.py: {missing}"


def _digits(value):
    return re.sub(r"[^0-9A-Z]", "", str(value or "").upper())


@pytest.mark.parametrize("field", FIELDS, ids=[f"{f[0]}.{f[1]}" for f in FIELDS])
def test_fields_seen_in_full(world, field):
    """Who reads the full value of a personal field; the others get it masked or not at
    all (also not in the record's name)."""
    model, name, full_roles, _others = field
    record = world.bank if model == "res.partner.bank" else None
    assert record, f"no sample record for {model}"
    full = _digits(world.admin.call(model, "read", ids=[record], fields=[name])[0][name])
    failures = []
    for role, client in world.clients.items():
        seen = False
        if _has_access(client, model, "read", [record]):
            offered = client.call(model, "fields_get", allfields=[name], attributes=["type"])
            values = client.call(
                model, "read", ids=[record], fields=(["display_name"] + ([name] if offered else []))
            )[0]
            seen = any(full in _digits(values.get(f)) for f in (name, "display_name"))
        if seen != (role in full_roles):
            failures.append(
                f"{role}: {'sees' if seen else 'does not see'} the full {name}, the matrix "
                f"says it {'does' if role in full_roles else 'does not'}"
            )
    assert not failures, f"{model}.{name}:\n" + "\n".join(failures)


def _printable_record(world, client, model, role):
    """A record of the first company that the role may read, or None: the customer made by
    the test for partners; for the second company's user the first company's record."""
    if not _has_access(client, model, "read"):
        return None
    if model == "res.partner":
        return world.customer if _has_access(client, model, "read", [world.customer]) else None
    if role == "company2":
        record = world.admin_first(model, [("company_id", "=", world.c1)])
        return record if record and _has_access(client, model, "read", [record]) else None
    found = client.call(model, "search", domain=[], limit=1)
    return found[0] if found else None


def _offered(world, report, role):
    """Whether the print menu offers the report to the role (its groups)."""
    found = world.admin.call(
        "ir.actions.report",
        "search_read",
        domain=[("report_name", "=", report)],
        fields=["group_ids"],
    )
    assert found, f"the report {report} does not exist"
    groups = set(found[0]["group_ids"])
    if not groups:
        return True
    user = world.admin.call("res.users", "read", ids=[world.users[role]], fields=["all_group_ids"])[
        0
    ]
    return bool(groups & set(user["all_group_ids"]))


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_reports(world, report):
    """Who may print the report: it renders for them; the others are not offered it or
    may read no record it prints."""
    model, allowed = REPORTS[report]
    failures = []
    for role, client in world.clients.items():
        readable = _printable_record(world, client, model, role)
        offered = _offered(world, report, role)
        if role in allowed:
            if not readable:
                failures.append(f"{role}: may print it but reads no {model} record")
                continue
            status, body = WebSession(world.odoo, f"matrix_{role}", PASSWORD).request(
                "GET", f"/report/html/{report}/{readable}", timeout=300
            )
            if status != 200 or len(body) < 200:
                failures.append(f"{role}: printing {model} {readable} answered {status}")
            if not offered:
                failures.append(f"{role}: may print it but the print menu does not offer it")
        elif readable and offered:
            failures.append(
                f"{role}: is offered the report and reads {model} records, the matrix says "
                "it may not print it"
            )
    assert not failures, f"{report}:\n" + "\n".join(failures)
