"""A Nominatim- and Photon-compatible geocoding server on 127.0.0.1 for tests and
benchmarks: real HTTP, the JSON shapes of the real services.

    peer = GeocoderPeer({"hauptstr 1 01067 dresden germany": (51.05, 13.74)})
    peer.start()          # peer.url is http://127.0.0.1:<port>
    ...
    peer.stop()

Nominatim: GET /search?q=...&format=json -> [] or [{"lat": "..", "lon": "..", ...}]
Photon:    GET /api?q=...                -> GeoJSON FeatureCollection
Queries are looked up after normalising (lower case, punctuation dropped). The peer
records every request (time, path, query, User-Agent). ``max_rate`` makes it answer
HTTP 429 to a client that asks faster than that (strictly: two requests received less
than 1 / max_rate apart), as the public Nominatim does;
``fail_with`` maps a query to an HTTP status to answer instead.
"""

import json
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit

from .http_peer import HttpPeer

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


def _norm(text):
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


class GeocoderPeer(HttpPeer):
    def __init__(self, places=None, max_rate=None, fail_with=None, delay=0.0):
        self.places = {_norm(k): v for k, v in (places or {}).items()}
        self.fail_with = {_norm(k): v for k, v in (fail_with or {}).items()}
        self.max_rate = max_rate
        self.delay = delay
        self.requests = []
        self.refused = 0  # requests answered 429 for coming too fast
        self._lock = threading.Lock()
        self._last = None

    # -- answers ------------------------------------------------------------
    def _lookup(self, query):
        key = _norm(query)
        if key in self.places:
            return self.places[key]
        # Nominatim also matches a query that names more than the place it knows
        for known, coords in self.places.items():
            if known and key.startswith(known):
                return coords
        return None

    def handle(self, handler):
        parts = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query = params.get("q", "")
        now = time.monotonic()
        with self._lock:
            too_fast = (
                self.max_rate is not None
                and self._last is not None
                and now - self._last < 1.0 / self.max_rate
            )
            self._last = now
            self.refused += too_fast
            self.requests.append(
                {
                    "time": now,
                    "path": parts.path,
                    "q": query,
                    "params": params,
                    "user_agent": handler.headers.get("User-Agent", ""),
                }
            )
        if self.delay:
            time.sleep(self.delay)
        if too_fast:
            return 429, {"error": "Too Many Requests"}
        status = self.fail_with.get(_norm(query))
        if status:
            return status, {"error": f"HTTP {status}"}
        coords = self._lookup(query)
        if parts.path.rstrip("/") == "/search":
            if coords is None:
                return 200, []
            lat, lon = coords
            return 200, [
                {
                    "place_id": 1000 + len(self.requests),
                    "licence": "Data (c) OpenStreetMap contributors, ODbL 1.0.",
                    "osm_type": "node",
                    "osm_id": 1,
                    "lat": f"{lat:.7f}",
                    "lon": f"{lon:.7f}",
                    "class": "place",
                    "type": "house",
                    "importance": 0.5,
                    "display_name": query,
                    "boundingbox": [
                        str(lat - 0.001),
                        str(lat + 0.001),
                        str(lon - 0.001),
                        str(lon + 0.001),
                    ],
                }
            ]
        if parts.path.rstrip("/") == "/api":
            features = []
            if coords is not None:
                lat, lon = coords
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {"name": query, "osm_id": 1, "osm_type": "N"},
                    }
                )
            return 200, {"type": "FeatureCollection", "features": features}
        return 404, {"error": "unknown path"}

    def answer_get(self, handler):
        status, payload = self.handle(handler)
        return status, json.dumps(payload).encode(), JSON_HEADERS

    def search_times(self):
        with self._lock:
            return [r["time"] for r in self.requests]

    def reset(self):
        """Forget the requests seen so far (a new measurement starts)."""
        with self._lock:
            self.requests.clear()
            self.refused = 0
            self._last = None


def max_in_window(times, window=1.0):
    """The most requests seen inside any ``window`` seconds."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while t - times[j] >= window:
            j += 1
        best = max(best, i - j + 1)
    return best
