"""The books and the customer import from outside (issue 19), as an integration or a tester
drives them over JSON-2 and XML-RPC: the DATEV export of the German demo company (SKR03)
for a period, with odd periods, another company, the re-export; the customer import with
the files people really have (a CSV with BOM and semicolons, a Czech Windows-1250 CSV, an
XLSX with a merged title above the column names, a file too big, a file of nothing).

Every refusal here is a wrong argument (HTTP 422, fault over XML-RPC, logged at INFO),
never a server error."""

import base64
import csv
import io
import time
import xmlrpc.client
import zipfile

import pytest

RUN = str(time.time_ns())[-7:]  # names of this run (the database may be a kept one)


def _unzip(result):
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(result["file"]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rows(data):
    """(header fields, column names, rows) of an EXTF file."""
    lines = list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))
    return lines[0], lines[1], lines[2:]


def _german_company(json2):
    """The German demo company (SKR03); made with its chart when the database has no
    demo data."""
    found = json2("res.company", "search", domain=[("name", "=", "DE Company")])
    if found:
        return found[0]
    [eur] = json2(
        "res.currency", "search", domain=[("name", "=", "EUR"), ("active", "in", [True, False])]
    )
    json2("res.currency", "write", ids=[eur], vals={"active": True})
    [germany] = json2("res.country", "search", domain=[("code", "=", "DE")])
    [company] = json2(
        "res.company",
        "create",
        vals_list=[{"name": "DE Company", "country_id": germany, "currency_id": eur}],
    )
    [admin] = json2("res.users", "search", domain=[("login", "=", "admin")])
    json2("res.users", "write", ids=[admin], vals={"company_ids": [(4, company)]})
    json2(
        "account.chart.template",
        "try_loading",
        template_code="de_skr03",
        company=company,
        install_demo=False,
        context={"allowed_company_ids": [company]},
    )
    return company


@pytest.fixture(scope="module")
def books(json2):
    """The German demo company with DATEV numbers, a customer with an IBAN and an invoice
    of a month of 2019 nothing else books in (the first such), paid."""
    company = _german_company(json2)
    for month in range(1, 13):
        period = {"date_from": f"2019-{month:02d}-01", "date_to": f"2019-{month:02d}-28"}
        domain = [
            ("company_id", "=", company),
            ("date", ">=", period["date_from"]),
            ("date", "<=", period["date_to"]),
        ]
        if not json2("account.move", "search_count", domain=domain):
            break
    json2(
        "res.company",
        "write",
        ids=[company],
        vals={"crm_datev_consultant_number": 29098, "crm_datev_client_number": 55},
    )
    ctx = {"allowed_company_ids": [company]}
    [tax] = json2(
        "ir.model.data",
        "search_read",
        domain=[("module", "=", "account"), ("name", "=", f"{company}_tax_ust_19_skr03")],
        fields=["res_id"],
    )
    [account] = json2(
        "account.account", "search", domain=[("code", "=", "8400")], context=ctx, limit=1
    )
    [customer] = json2(
        "res.partner",
        "create",
        vals_list=[
            {
                "name": "Bücher RPC Kunde GmbH",
                "is_company": True,
                "street": "Schäferstraße 5",
                "zip": "01067",
                "city": "Dresden",
                "country_id": json2("res.country", "search", domain=[("code", "=", "DE")])[0],
                "vat": "DE100908173",
                "bank_ids": [(0, 0, {"acc_number": "DE89370400440532013000"})],
            }
        ],
        context=ctx,
    )
    [invoice] = json2(
        "account.move",
        "create",
        vals_list=[
            {
                "move_type": "out_invoice",
                "partner_id": customer,
                "invoice_date": period["date_from"][:8] + "05",
                "date": period["date_from"][:8] + "05",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Beratung",
                            "account_id": account,
                            "price_unit": 100.0,
                            "tax_ids": [(6, 0, [tax["res_id"]])],
                        },
                    )
                ],
            }
        ],
        context=ctx,
    )
    json2("account.move", "action_post", ids=[invoice], context=ctx)
    [wizard] = json2(
        "account.payment.register",
        "create",
        vals_list=[{"payment_date": period["date_from"][:8] + "20"}],
        context={**ctx, "active_model": "account.move", "active_ids": [invoice]},
    )
    json2(
        "account.payment.register",
        "action_create_payments",
        ids=[wizard],
        context={**ctx, "active_model": "account.move", "active_ids": [invoice]},
    )
    [move] = json2("account.move", "read", ids=[invoice], fields=["name"], context=ctx)
    [partner] = json2(
        "res.partner", "read", ids=[customer], fields=["crm_debtor_number"], context=ctx
    )
    return {
        "company": company,
        "ctx": ctx,
        "customer": customer,
        "invoice": move["name"],
        "debtor": partner["crm_debtor_number"],
        "period": period,
        "month": period["date_from"][:7],
    }


def test_datev_export_of_a_month_over_json2_and_again_over_xmlrpc(books, json2, xmlrpc_env):
    result = json2(
        "crm.datev.export",
        "export_period",
        **books["period"],
        company=books["company"],
        context=books["ctx"],
    )
    files = _unzip(result)
    stapel = f"EXTF_Buchungsstapel_{books['month']}.csv"
    assert sorted(files) == [stapel, "EXTF_Debitoren_Kreditoren.csv"]
    header, columns, rows = _rows(files[stapel])
    assert header[:4] == ["EXTF", "700", "21", "Buchungsstapel"]
    assert (header[10], header[11], header[14], header[15]) == (
        "29098",
        "55",
        books["period"]["date_from"].replace("-", ""),
        books["period"]["date_to"].replace("-", ""),
    )
    assert header[26] == "03", "SKR03"
    document = columns.index("Belegfeld 1")
    konto = columns.index("Konto")
    amount = columns.index("Umsatz (ohne Soll/Haben-Kz)")
    invoice_rows = [row for row in rows if row[document] == books["invoice"]]
    assert invoice_rows, (books["invoice"], rows)
    assert {row[konto] for row in invoice_rows} == {books["debtor"]}
    assert sorted(row[amount] for row in invoice_rows) == ["119,00"]
    # the payment books the debtor's account too, with the same amount
    assert sum(row[konto] == books["debtor"] for row in rows) == 2, rows
    assert result["bookings"] == len(rows) == 2
    partners = files["EXTF_Debitoren_Kreditoren.csv"].decode("cp1252")
    assert "Bücher RPC Kunde GmbH" in partners
    assert "DE89370400440532013000" in partners
    assert '"DE";"100908173"' in partners, "EU-Land and EU-UStID"

    # the same period again: over XML-RPC, confirmed; byte for byte the same file
    again = xmlrpc_env(
        "crm.datev.export",
        "export_period",
        books["period"]["date_from"],
        books["period"]["date_to"],
        True,
        books["company"],
        context=books["ctx"],
    )
    assert again["checksum"] == result["checksum"]
    assert again["file"] == result["file"]


def test_datev_export_refuses_odd_requests_as_wrong_arguments(books, json2, json2_refused):
    company, ctx, period = books["company"], books["ctx"], books["period"]
    json2(
        "crm.datev.export", "export_period", **period, company=company, reexport=True, context=ctx
    )
    # exported before and not confirmed: the error names the earlier export and the way out
    status, error = json2_refused(
        "crm.datev.export", "export_period", **period, company=company, context=ctx
    )
    assert status == 422, error
    assert error["name"].endswith("ArgumentError"), error
    assert "reexport=True" in error["message"]
    # a company of the database the user does not work in (its maker joins it: leave it)
    [outsider] = json2("res.company", "create", vals_list=[{"name": f"Bücher Fremdfirma {RUN} AG"}])
    [admin] = json2("res.users", "search", domain=[("login", "=", "admin")])
    json2("res.users", "write", ids=[admin], vals={"company_ids": [(3, outsider)]})
    for params in (
        {"date_from": "2019-03-31", "date_to": "2019-03-01"},  # reversed
        {"date_from": "", "date_to": ""},  # empty
        {"date_from": "2019-02-30", "date_to": "2019-03-31"},  # no such day
        {"date_from": "03/01/2019", "date_to": "2019-03-31"},
        {"date_from": None, "date_to": "2019-03-31"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},  # no export runs for millennia
        {**period, "company": outsider},  # a company the user does not work in
        {**period, "company": 10**9},  # no such company
        {**period, "company": "DE Company"},
        {**period, "reexport": "yes"},
        {**period, "unknown": 1},
    ):
        params = {"company": company, "reexport": True, **params}
        status, error = json2_refused("crm.datev.export", "export_period", **params, context=ctx)
        assert status == 422, (params, error)
        assert error.get("name", "").endswith(("ArgumentError", "UnprocessableEntity")), error
    # a period without bookings: valid files without rows
    empty = json2(
        "crm.datev.export",
        "export_period",
        date_from="2001-01-01",
        date_to="2001-01-31",
        company=company,
        reexport=True,  # harmless when the period was never exported
        context=ctx,
    )
    files = _unzip(empty)
    _header, _columns, rows = _rows(files["EXTF_Buchungsstapel_2001-01.csv"])
    assert rows == [] and empty["bookings"] == 0 and empty["partners"] == 0


def _import(json2, content, **params):
    return json2(
        "crm.partner.import",
        "import_contacts",
        content=base64.b64encode(content).decode(),
        **params,
    )


def _find(json2, name):
    return json2(
        "res.partner",
        "search_read",
        domain=[("name", "=", name)],
        fields=["city", "email", "street", "zip", "ref", "parent_id"],
    )


def test_import_a_csv_with_bom_and_semicolons(json2):
    content = (
        "\ufeffFirma;Straße;PLZ;Ort;E-Mail;Telefon\r\n"
        f"Bücher BOM Spedition {RUN} GmbH;Hafenstraße 3;01097;Dresden;bom{RUN}@spedition.example;"
        f"0351 {RUN}\r\n"
    ).encode()
    preview = _import(json2, content, filename="kunden.csv", preview_only=True)
    assert [row["state"] for row in preview["rows"]] == ["new"]
    assert not _find(json2, f"Bücher BOM Spedition {RUN} GmbH"), "a preview writes nothing"
    result = _import(json2, content, filename="kunden.csv")
    assert result["created"] == 1, result
    [partner] = _find(json2, f"Bücher BOM Spedition {RUN} GmbH")
    assert (partner["street"], partner["city"], partner["email"]) == (
        "Hafenstraße 3",
        "Dresden",
        f"bom{RUN}@spedition.example",
    )
    # the same file again: a duplicate by e-mail, skipped
    again = _import(json2, content, filename="kunden.csv")
    assert again["rows"][0]["state"] == "duplicate" and again["skipped"] == 1, again


def test_import_a_czech_csv_and_an_xlsx_with_a_merged_title(json2):
    czech = (
        "Firma;Jméno;Příjmení;Město;Stát\r\n"
        f"Bücher Železářství {RUN} s.r.o.;Jiří;Řezníček{RUN};Děčín;CZ\r\n"
    ).encode("cp1250")
    result = _import(json2, czech, source="table")
    assert result["created"] == 1, result
    [person] = _find(json2, f"Jiří Řezníček{RUN}")
    assert person["city"] == "Děčín"
    assert person["parent_id"][1] == f"Bücher Železářství {RUN} s.r.o."

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kundenliste Dezember 2026"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Firma", "Kundennummer", "Straße", "PLZ", "Ort"])
    sheet.append([f"Bücher XLSX Reisen {RUN} GmbH", "X-1", "Markt 1", "01796", "Pirna"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(json2, buffer.getvalue(), filename="kunden.xlsx")
    assert result["created"] == 1, result
    [partner] = _find(json2, f"Bücher XLSX Reisen {RUN} GmbH")
    assert (partner["ref"], partner["zip"]) == ("X-1", "01796")


def test_import_refuses_odd_files_as_wrong_arguments(json2, json2_refused):
    too_big = base64.b64encode(b"Firma\r\n" + b"x" * (50 * 1024 * 1024)).decode()
    nothing = base64.b64encode(b"   \r\n").decode()
    garbage = base64.b64encode(bytes(range(256)) * 4).decode()
    broken_xml = base64.b64encode(b"<?xml version='1.0'?><rsp:responsePack").decode()
    title_only = base64.b64encode(b"Kundenliste\r\n").decode()
    for params in (
        {"content": too_big},
        {"content": nothing},
        {"content": "not base64 at all!"},
        {"content": garbage, "source": "table"},
        {"content": broken_xml, "source": "pohoda"},
        {"content": title_only, "source": "table", "columns": ["-"]},
        {"content": nothing, "source": "excel"},
        {"content": nothing, "mode": "sometimes"},
        {"content": nothing, "columns": "name"},
    ):
        status, error = json2_refused("crm.partner.import", "import_contacts", **params)
        assert status == 422, (list(params), error)
        assert error.get("name", "").endswith("ArgumentError"), error
        assert "import_contacts" in error.get("message", ""), error


def test_xmlrpc_fault_for_a_wrong_argument(xmlrpc_env):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc_env("crm.partner.import", "import_contacts", "not base64!")
    assert "import_contacts" in fault.value.faultString
    assert "Traceback" not in fault.value.faultString
