"""crm_chronicle attacked from outside (issue 17): a user of a second company, a CRM user
without accounting rights and a colleague read, search, group and export over XML-RPC and
JSON-2; wrong arguments and state writes; the .ics routes without parameters."""

import urllib.error
import urllib.parse
import uuid
import xmlrpc.client

import pytest
from conftest import XmlRpc
from websession import WebSession  # tests/websession.py


class User(XmlRpc):
    """An XML-RPC client logged in as a user the test made (login = password)."""

    def __init__(self, odoo, login):
        super().__init__(dict(odoo, login=login, password=login))
        self.login = login

    def session(self):
        """A web session of this user, for the http routes."""
        return WebSession(self.odoo, self.login, self.login)


@pytest.fixture(scope="module")
def world(odoo, json2):
    """Two companies, their users and customers, an e-mail of the shared customer on a
    company-2 document, a posted invoice and vendor bill, all made by the administrator."""
    tag = uuid.uuid4().hex[:6]
    [company2] = json2("res.company", "create", vals_list=[{"name": f"Trust Zwei {tag}"}])
    [admin] = json2(
        "res.users", "search_read", domain=[("login", "=", odoo["login"])], fields=["company_id"]
    )
    company1 = admin["company_id"][0]
    # the administrator works in both companies to set the scene up
    json2("res.users", "write", ids=[admin["id"]], vals={"company_ids": [(4, company2)]})
    crm_user = json2.xmlid("crm_core.group_user")
    export = json2.xmlid("base.group_allow_export")
    invoicing = json2.xmlid("account.group_account_invoice")

    def user(login, company, groups):
        json2(
            "res.users",
            "create",
            vals_list=[
                {
                    "name": login,
                    "login": login,
                    "password": login,
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "group_ids": [(6, 0, groups)],
                }
            ],
        )
        return User(odoo, login)

    users = {
        "crm": user(f"trust_crm_{tag}", company1, [crm_user, export]),
        "colleague": user(f"trust_coll_{tag}", company1, [crm_user, export]),
        "c2": user(f"trust_c2_{tag}", company2, [crm_user, export]),
        "accountant": user(f"trust_acc_{tag}", company1, [crm_user, export, invoicing]),
    }
    shared, customer_c2 = json2(
        "res.partner",
        "create",
        vals_list=[
            {"name": f"Trust Geteilt {tag}", "is_company": True},
            {"name": f"Trust Nur Zwei {tag}", "is_company": True, "company_id": company2},
        ],
    )
    json2(
        "res.partner",
        "message_post",
        ids=[customer_c2],
        body="Geheime Konditionen",
        subject=f"Vertrag Zwei {tag}",
        message_type="email",
        author_id=shared,
    )
    moves = json2(
        "account.move",
        "create",
        vals_list=[
            {
                "move_type": move_type,
                "partner_id": shared,
                "invoice_date": "2026-11-30",
                "invoice_line_ids": [(0, 0, {"name": "Leistung", "price_unit": 100.0})],
            }
            for move_type in ("out_invoice", "in_invoice")
        ],
    )
    json2("account.move", "action_post", ids=moves)
    names = [m["name"] for m in json2("account.move", "read", ids=moves, fields=["name"])]
    return {
        "tag": tag,
        "users": users,
        "shared": shared,
        "customer_c2": customer_c2,
        "company2": company2,
        "invoice_names": names,
    }


def _fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as error:
        call(*args, **kwargs)
    assert "Traceback" not in error.value.faultString
    return error.value.faultString


def test_correspondence_of_another_company_and_invoices(world, json2):
    tag, users, shared = world["tag"], world["users"], world["shared"]
    domain = [("partner_id", "=", shared)]
    all_ids = json2("crm.chronicle.correspondence", "search", domain=domain)
    for who in ("crm", "colleague"):
        user = users[who]
        rows = user(
            "crm.chronicle.correspondence", "search_read", domain, ["name", "kind", "company_id"]
        )
        names = [row["name"] for row in rows]
        assert f"Vertrag Zwei {tag}" not in names
        assert not [row for row in rows if row["kind"] == "invoice"]
        assert not [n for n in names if any(inv in n for inv in world["invoice_names"])]
        assert all(row["company_id"] for row in rows)
        groups = user(
            "crm.chronicle.correspondence", "formatted_read_group", domain, ["name"], ["__count"]
        )
        assert f"Vertrag Zwei {tag}" not in [g["name"] for g in groups]
        groups = user(
            "crm.chronicle.correspondence", "formatted_read_group", domain, ["kind"], ["__count"]
        )
        assert "invoice" not in [g["kind"] for g in groups]
        # the export of its list holds nothing more (a read of other rows by id is
        # refused: crm_chronicle's own tests, as Odoo logs that refusal as a warning)
        assert set(all_ids) - {row["id"] for row in rows}
        exported = user(
            "crm.chronicle.correspondence", "export_data", [row["id"] for row in rows], ["name"]
        )["datas"]
        assert sorted(line[0] for line in exported) == sorted(names)
    # the accountant sees the invoices, the user of company 2 the e-mail
    rows = users["accountant"](
        "crm.chronicle.correspondence", "search_read", domain, ["name", "kind"]
    )
    assert set(world["invoice_names"]) <= {row["name"] for row in rows if row["kind"] == "invoice"}
    rows = users["c2"](
        "crm.chronicle.correspondence", "search_read", domain, ["name", "company_id"]
    )
    assert [row["company_id"][0] for row in rows if row["name"] == f"Vertrag Zwei {tag}"] == [
        world["company2"]
    ]


def test_source_of_another_company_is_refused(world):
    user = world["users"]["crm"]
    message = _fault(
        user,
        "crm.chronicle.entry",
        "crm_log",
        world["shared"],
        "note",
        "Quelle",
        source=f"res.partner,{world['customer_c2']}",
    )
    assert "may not read" in message
    result = user("crm.chronicle.entry", "crm_log", world["shared"], "note", "Eigener")
    entry_id = result[0] if isinstance(result, list) else result
    _fault(
        user,
        "crm.chronicle.entry",
        "write",
        [entry_id],
        {"source_model": "res.partner", "source_id": world["customer_c2"]},
    )
    [entry] = user("crm.chronicle.entry", "read", [entry_id], ["source_name", "state"])
    assert entry["source_name"] is False
    # the state only through its actions
    _fault(user, "crm.chronicle.entry", "write", [entry_id], {"state": "open"})
    user("crm.chronicle.entry", "action_reopen", [entry_id])
    [entry] = user("crm.chronicle.entry", "read", [entry_id], ["state"])
    assert entry["state"] == "open"


def test_private_appointment_stays_private(world):
    owner, colleague = world["users"]["crm"], world["users"]["colleague"]
    subject = f"Geheimtermin {world['tag']}"
    result = owner("crm.chronicle.entry", "crm_log", world["shared"], "meeting", subject)
    entry_id = result[0] if isinstance(result, list) else result
    owner("crm.chronicle.entry", "write", [entry_id], {"private": True})
    [entry] = owner("crm.chronicle.entry", "read", [entry_id], ["calendar_event_id"])
    event_id = entry["calendar_event_id"][0]
    assert owner("calendar.event", "search", [("name", "ilike", subject)]) == [event_id]
    assert colleague("calendar.event", "search", [("name", "ilike", subject)]) == []
    assert event_id not in colleague(
        "calendar.event", "search", [("partner_ids", "in", [world["shared"]])]
    )
    groups = colleague("calendar.event", "formatted_read_group", [], ["name"], ["__count"])
    assert subject not in " ".join(str(g["name"]) for g in groups)
    rows = colleague("calendar.event", "search_read", [("start", ">=", "2000-01-01")], ["name"])
    assert event_id not in [row["id"] for row in rows]
    assert colleague("crm.chronicle.entry", "search", [("id", "=", entry_id)]) == []


def test_wrong_arguments_are_clear_errors(world, json2):
    user = world["users"]["crm"]
    for args, kwargs, argument in (
        (["x", "call", "s"], {}, "partner"),
        ([world["shared"], 5, "s"], {}, "type_code"),
        ([world["shared"], "call", None], {}, "subject"),
        ([world["shared"], "call", "s"], {"duration": "lang"}, "duration"),
        ([world["shared"], "call", "s"], {"resubmission_date": "morgen"}, "resubmission_date"),
    ):
        message = _fault(user, "crm.chronicle.entry", "crm_log", *args, **kwargs)
        assert argument in message, message
    with pytest.raises(urllib.error.HTTPError) as error:
        # (control characters travel in JSON, not in XML-RPC's XML)
        json2(
            "crm.chronicle.entry",
            "crm_log",
            partner=world["shared"],
            type_code="call",
            subject="a\x0bb",
        )
    assert error.value.code < 500
    assert "subject" in error.value.read().decode()
    for entries in (None, "x", [None], [{"partner": world["shared"]}]):
        with pytest.raises(urllib.error.HTTPError) as error:
            json2("crm.chronicle.entry", "crm_log_batch", entries=entries)
        assert error.value.code < 500
        assert "entries" in error.value.read().decode()
    # the calendar feed is no RPC method: no user reads another's calendar through it
    with pytest.raises(urllib.error.HTTPError) as error:
        json2("crm.chronicle.ical", "feed", user=user.uid)
    assert error.value.code < 500


def test_export_ics_parameters(world, odoo):
    session = world["users"]["crm"].session()
    for params in (
        {},
        {"model": "crm.chronicle.entry"},
        {"ids": "1"},
        {"model": "res.users", "ids": "1"},
        {"model": "crm.chronicle.entry", "ids": "1;DROP"},
        {"model": "crm.chronicle.entry", "ids": "9" * 30},
    ):
        query = urllib.parse.urlencode(params)
        status, body = session.request("GET", f"/crm_chronicle/export.ics?{query}", timeout=30)
        assert status == 400, (params, status)
        assert b"Traceback" not in body


def test_correspondence_buttons_refuse_wrong_rows(world, json2, json2_refused, server_log):
    """Open, print and send of a correspondence row called over XML-RPC and JSON-2 on rows
    that are not the caller's: another company's row, the row of a deleted document, a
    row id that names no kind, several rows, strings. Each is a clear 4xx-style error
    naming the row (another company's row refused like a missing one), never a traceback,
    and nothing in Odoo's log above INFO (JSON-2: HTTP 4xx with crm_core's ArgumentError)."""
    tag, users, shared = world["tag"], world["users"], world["shared"]
    crm = users["crm"]
    mark = server_log.mark() if server_log else None
    [row_c2] = json2(
        "crm.chronicle.correspondence",
        "search",
        domain=[("partner_id", "=", shared), ("name", "=", f"Vertrag Zwei {tag}")],
    )
    [attachment] = json2(
        "ir.attachment",
        "create",
        vals_list=[
            {
                "name": f"Weg {tag}.txt",
                "datas": "d2Vn",
                "res_model": "res.partner",
                "res_id": shared,
            }
        ],
    )
    [gone] = json2(
        "crm.chronicle.correspondence",
        "search",
        domain=[("kind", "=", "attachment"), ("source_id", "=", attachment)],
    )
    # the row opens while its document is there
    assert crm("crm.chronicle.correspondence", "action_open", [gone])["type"] == (
        "ir.actions.act_url"
    )
    json2("ir.attachment", "unlink", ids=[attachment])
    for method in ("action_open", "action_print", "action_send"):
        for ids, expected in (
            ([row_c2], f"Row {row_c2} "),
            ([gone], f"Row {gone} "),
            ([gone + 1], f"Row {gone + 1} "),  # an id whose kind code is no kind
            ([gone, row_c2], f"crm.chronicle.correspondence.{method} "),  # crm_core's one_record
            (["abc"], "one row"),
        ):
            message = _fault(crm, "crm.chronicle.correspondence", method, ids)
            assert expected in message, (method, ids, message)
        # (as the administrator, who works in both companies)
        for ids in ([gone], ["abc"], "abc", [2**70], [True], []):
            status, body = json2_refused("crm.chronicle.correspondence", method, ids=ids)
            assert 400 <= status < 500, (method, ids, status, body)
            assert "correspondence" in body["message"], (method, ids, body)
            # (JSON-2 sends Odoo's stack in "debug" for every error; the kind tells)
            assert body["name"].endswith(".ArgumentError"), (method, ids, body["name"])
    if server_log:
        assert not server_log.bad_lines(mark), server_log.bad_lines(mark)
