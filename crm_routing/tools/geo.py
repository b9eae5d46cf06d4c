"""Addresses, straight-line distances and OSRM-compatible distance tables (no ORM)."""

import math
import re
import unicodedata

from odoo.addons.crm_core.tools.breaker import NETWORK, connection_failure

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


def valid_position(lat, lon):
    """Whether (lat, lon) is a position: finite numbers, latitude -90..90, longitude
    -180..180, and not the 0, 0 that stands for "none" (Odoo's default)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0)


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
    """The routing server could not be reached or gave no usable table. ``kind``:
    "unreachable" (``reason``: crm_core's breaker reason), "http" (``status_code``),
    "no_road" (no road between some points) or "answer" (not an OSRM table)."""

    def __init__(self, message, kind, reason=None, status_code=None):
        super().__init__(message)
        self.kind = kind
        self.reason = reason
        self.status_code = status_code


# seconds to connect to the routing server and to wait for its answer (a table of 100
# points takes it well under a second)
OSRM_TIMEOUT = 10


def osrm_table(base_url, points, timeout=OSRM_TIMEOUT, session=None):
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
        reason = connection_failure(exc) or NETWORK
        raise RoutingServerError(
            f"routing server unreachable ({reason})", "unreachable", reason=reason
        ) from exc
    if response.status_code != 200:
        raise RoutingServerError(
            f"routing server answered HTTP {response.status_code}",
            "http",
            status_code=response.status_code,
        )
    try:
        data = response.json()
    except ValueError as exc:
        raise RoutingServerError("routing server answered no JSON", "answer") from exc
    if data.get("code") != "Ok":
        raise RoutingServerError(f"routing server answered code {data.get('code')!r}", "answer")
    n = len(points)
    dist_raw, dur_raw = data.get("distances"), data.get("durations")
    if not dist_raw or not dur_raw or len(dist_raw) != n or len(dur_raw) != n:
        raise RoutingServerError("routing server answered a table of the wrong size", "answer")
    dist, dur = [], []
    for i in range(n):
        if None in dist_raw[i] or None in dur_raw[i]:
            raise RoutingServerError(
                "routing server found no road between some points (null in the table)",
                "no_road",
            )
        dist.append([round(v) for v in dist_raw[i]])
        dur.append([round(v) for v in dur_raw[i]])
    return dist, dur
