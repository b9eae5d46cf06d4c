"""What the web client's route map draws (no ORM): markers and the polyline.

Places are dicts with ``lat``, ``lon`` (None: no position), ``name`` and optional
``address`` and ``state``. The result is the JSON the ``crm_route_map`` widget reads."""

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def _located(place):
    return place is not None and place.get("lat") is not None and place.get("lon") is not None


def _point(place, label, kind):
    return {
        "lat": place["lat"],
        "lon": place["lon"],
        "label": label,
        "name": place["name"],
        "address": place.get("address") or "",
        "kind": kind,
        "state": place.get("state") or "",
    }


def route_map(start, stops, end, tile_url=None, attribution=None):
    """Markers numbered 1..n in visiting order (skipped stops keep their number, are
    drawn but left out of the line), start "S" and end "E" (one marker "S" when both
    are the same place) and the line start - stops - end.

    :param start, end: place or None
    :param stops: places in visiting order
    """
    points, line, missing = [], [], []
    if _located(start):
        points.append(_point(start, "S", "start"))
        line.append([start["lat"], start["lon"]])
    elif start is not None:
        missing.append(start["name"])
    for number, stop in enumerate(stops, start=1):
        if not _located(stop):
            missing.append(stop["name"])
            continue
        points.append(_point(stop, str(number), "stop"))
        if stop.get("state") != "skipped":
            line.append([stop["lat"], stop["lon"]])
    if _located(end):
        same = _located(start) and (start["lat"], start["lon"]) == (end["lat"], end["lon"])
        if not same:
            points.append(_point(end, "E", "end"))
        line.append([end["lat"], end["lon"]])
    elif end is not None and end["name"] not in missing:
        missing.append(end["name"])
    return {
        "tile_url": tile_url or DEFAULT_TILE_URL,
        "attribution": DEFAULT_ATTRIBUTION if attribution is None else attribution,
        "points": points,
        "line": line if len(line) > 1 else [],
        "missing": missing,
    }


def places_map(places, tile_url=None, attribution=None):
    """Markers numbered in the given order, no line (a selection of partners)."""
    result = route_map(None, places, None, tile_url=tile_url, attribution=attribution)
    result["line"] = []
    return result
