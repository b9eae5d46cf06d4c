"""crm_telephony from outside: caller lookup as another PBX (e.g. an Asterisk AGI script)
would do it, over JSON-2 with an API key and over XML-RPC."""


def test_json2_lookup_caller(json2):
    [partner_id] = json2(
        "res.partner",
        "create",
        vals_list=[{"name": "RPC Anrufer GmbH", "is_company": True, "phone": "0351/7778899"}],
    )
    for number in ("+49 351 7778899", "0049 (0)351-7778899", "03517778899"):
        result = json2("res.partner", "lookup_caller", number=number)
        assert result["partner_id"] == partner_id, number
        assert result["name"] == "RPC Anrufer GmbH"
        assert result["phone"] == "0351/7778899"
        assert result["candidates"] == [partner_id]
    assert json2("res.partner", "lookup_caller", number="+49 30 1112223") is False
    # the number changes: the lookup follows at once
    json2("res.partner", "write", ids=[partner_id], vals={"phone": "+49 351 7778800"})
    assert json2("res.partner", "lookup_caller", number="0351 7778899") is False
    assert json2("res.partner", "lookup_caller", number="0351 7778800")["partner_id"] == partner_id


def test_xmlrpc_lookup_caller_demo_data(xmlrpc_env):
    result = xmlrpc_env("res.partner", "lookup_caller", "+49 171 2345678")
    assert result["name"] == "Elbe Maschinenbau GmbH (demo)"
    # a Czech number asked with the Czech region
    [partner_id] = xmlrpc_env(
        "res.partner", "create", [{"name": "Brno s.r.o.", "phone": "+420 601 123 456"}]
    )
    result = xmlrpc_env("res.partner", "lookup_caller", "601 123 456", region="CZ")
    assert result["partner_id"] == partner_id
