"""crm_routing from outside through JSON-2: an integration (e.g. a field-service app)
plans a route for customers with positions and reads the optimised order back."""


def test_json2_plan_and_optimise_route(json2):
    coords = [
        ("Radebeul", 51.1069, 13.6431),
        ("Pirna", 50.9609, 13.9401),
        ("Meissen", 51.1636, 13.4737),
        ("Freital", 51.0017, 13.6486),
    ]
    partner_ids = json2(
        "res.partner",
        "create",
        vals_list=[
            {
                "name": f"RPC Route {city}",
                "is_company": True,
                "city": city,
                "partner_latitude": lat,
                "partner_longitude": lon,
            }
            for city, lat, lon in coords
        ],
    )
    [depot] = json2(
        "res.partner",
        "create",
        vals_list=[
            {"name": "RPC Depot Dresden", "partner_latitude": 51.0504, "partner_longitude": 13.7373}
        ],
    )
    [route_id] = json2(
        "crm.route",
        "create",
        vals_list=[
            {
                "name": "RPC route",
                "start_kind": "partner",
                "start_partner_id": depot,
                "end_kind": "partner",
                "end_partner_id": depot,
                "stop_ids": [
                    [0, 0, {"partner_id": pid, "sequence": i}] for i, pid in enumerate(partner_ids)
                ],
            }
        ],
    )
    json2("crm.route", "action_optimise", ids=[route_id])
    [route] = json2(
        "crm.route",
        "read",
        ids=[route_id],
        fields=["total_distance", "total_duration", "stop_ids", "state", "map_url_google"],
    )
    assert route["state"] == "planned"
    assert route["total_distance"] > 50  # four towns around Dresden and back
    assert route["total_duration"] > 2  # driving plus four visits of 30 minutes
    assert route["map_url_google"].startswith("https://www.google.com/maps/dir/")
    stops = json2(
        "crm.route.stop",
        "read",
        ids=route["stop_ids"],
        fields=["partner_id", "sequence", "arrival", "leg_distance"],
    )
    assert sorted(s["partner_id"][0] for s in stops) == sorted(partner_ids)
    ordered = sorted(stops, key=lambda s: s["sequence"])
    arrivals = [s["arrival"] for s in ordered]
    assert arrivals == sorted(arrivals) and arrivals[0] > 8
    assert all(s["leg_distance"] > 0 for s in ordered)
    # the driver cannot go to one customer: skip it, the rest is recomputed
    skipped = ordered[1]
    json2("crm.route.stop", "action_skip", ids=[skipped["id"]])
    [after] = json2("crm.route", "read", ids=[route_id], fields=["total_distance", "map_data"])
    assert after["total_distance"] < route["total_distance"]
    line = after["map_data"]["line"]
    assert len(line) == 5  # depot, three stops, depot
    labels = [p["label"] for p in after["map_data"]["points"]]
    assert labels == ["S", "1", "2", "3", "4"]
    stops = json2("crm.route.stop", "read", ids=route["stop_ids"], fields=["state", "sequence"])
    last = max(stops, key=lambda s: s["sequence"])
    assert last["id"] == skipped["id"] and last["state"] == "skipped"
    assert after["map_data"]["points"][-1]["state"] == "skipped"
    # the skip is in the customer's chronicle; a stop marked visited over JSON-2 gets its visit
    entries = json2(
        "crm.chronicle.entry",
        "search_read",
        domain=[("partner_id", "=", skipped["partner_id"][0])],
        fields=["name", "type_code", "source_model", "source_id"],
    )
    # (the subject is in the API user's language: "Visit skipped: RPC route" in English)
    assert [(e["name"].endswith(": RPC route"), e["type_code"]) for e in entries] == [
        (True, "note")
    ]
    assert (entries[0]["source_model"], entries[0]["source_id"]) == ("crm.route", route_id)
    visited = ordered[0]
    json2("crm.route.stop", "action_mark_visited", ids=[visited["id"]])
    [stop] = json2("crm.route.stop", "read", ids=[visited["id"]], fields=["chronicle_entry_id"])
    [entry] = json2(
        "crm.chronicle.entry",
        "read",
        ids=[stop["chronicle_entry_id"][0]],
        fields=["name", "type_code", "partner_id"],
    )
    assert entry["name"].endswith(": RPC route") and entry["type_code"] == "visit"
    assert entry["partner_id"][0] == visited["partner_id"][0]
