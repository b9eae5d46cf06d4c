"""Addresses, straight-line distances and OSRM-compatible distance tables (no ORM)."""

import math
import re
import unicodedata

EARTH_RADIUS_M = 6371008.8

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def normalise_address(*parts):
    """Return the cache key of an address: lower case, accents kept (they matter for
    Czech and German street names), punctuation dropped, spaces collapsed, empty
    parts skipped. "Hauptstr. 1,  01067 Dresden" and "hauptstr 1 01067 dresden" give
    the same key."""
    text = " ".join(str(p) for p in parts if p)
    text = unicodedata.normalize("NFC", text).casefold()
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def straight_line_matrix(points, road_factor=1.3, speed_kmh=50.0):
    """Distance (m) and duration (s) matrices from (lat, lon) points: the straight
    line times a road factor, driven at an average speed. Integers, as solvers
    want them."""
    if road_factor <= 0 or speed_kmh <= 0:
        raise ValueError("road factor and speed must be positive")
    n = len(points)
    dist = [[0] * n for _ in range(n)]
    dur = [[0] * n for _ in range(n)]
    mps = speed_kmh / 3.6
    for i in range(n):
        lat1, lon1 = points[i]
        for j in range(i + 1, n):
            lat2, lon2 = points[j]
            d = haversine_m(lat1, lon1, lat2, lon2) * road_factor
            dist[i][j] = dist[j][i] = round(d)
            dur[i][j] = dur[j][i] = round(d / mps)
    return dist, dur


class RoutingServerError(Exception):
    """The routing server could not be reached or gave no usable table."""


def osrm_table(base_url, points, timeout=30, session=None):
    """Distance (m) and duration (s) matrices from an OSRM-compatible server's
    ``/table/v1/driving/`` service (OSRM, or Valhalla's OSRM-compatible output).

    :param base_url: e.g. ``http://127.0.0.1:5000``
    :param points: list of (lat, lon)
    """
    import requests  # noqa: PLC0415 - only needed when a server is configured

    coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
    url = f"{base_url.rstrip('/')}/table/v1/driving/{coords}"
    getter = session or requests
    try:
        response = getter.get(url, params={"annotations": "distance,duration"}, timeout=timeout)
    except requests.RequestException as exc:
        raise RoutingServerError(f"routing server unreachable: {exc}") from exc
    if response.status_code != 200:
        raise RoutingServerError(f"routing server answered HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise RoutingServerError("routing server answered no JSON") from exc
    if data.get("code") != "Ok":
        raise RoutingServerError(f"routing server answered code {data.get('code')!r}")
    n = len(points)
    dist_raw, dur_raw = data.get("distances"), data.get("durations")
    if not dist_raw or not dur_raw or len(dist_raw) != n or len(dur_raw) != n:
        raise RoutingServerError("routing server answered a table of the wrong size")
    dist, dur = [], []
    for i in range(n):
        if None in dist_raw[i] or None in dur_raw[i]:
            raise RoutingServerError(
                "routing server found no road between some points (null in the table)"
            )
        dist.append([round(v) for v in dist_raw[i]])
        dur.append([round(v) for v in dur_raw[i]])
    return dist, dur
