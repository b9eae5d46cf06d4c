"""An OSRM-compatible routing server on 127.0.0.1 for tests: GET
/table/v1/driving/{lon,lat;...}?annotations=distance,duration answers the OSRM JSON
table, with distances = straight line x 1.4 and 36 km/h, so that results differ from
the addon's offline default. ``unroutable`` (a set of point indexes) answers null for
every pair touching them, as OSRM does for points off the road network."""

import json
import math
from urllib.parse import parse_qs, unquote, urlsplit

from .http_peer import HttpPeer


def _haversine(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


class OsrmPeer(HttpPeer):
    def __init__(self, factor=1.4, speed_kmh=36.0, unroutable=()):
        self.factor = factor
        self.mps = speed_kmh / 3.6
        self.unroutable = set(unroutable)
        self.requests = []

    def table(self, path, query):
        prefix = "/table/v1/driving/"
        if not path.startswith(prefix):
            return 400, {"code": "InvalidUrl", "message": "unknown service"}
        try:
            points = [
                tuple(reversed([float(x) for x in pair.split(",")]))
                for pair in unquote(path[len(prefix) :]).split(";")
            ]
        except ValueError:
            return 400, {"code": "InvalidQuery", "message": "bad coordinates"}
        annotations = query.get("annotations", ["duration"])[0].split(",")
        n = len(points)
        dist = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(n):
                if i != j:
                    if {i, j} & self.unroutable:
                        dist[i][j] = None
                    else:
                        dist[i][j] = round(_haversine(points[i], points[j]) * self.factor, 1)
        body = {"code": "Ok", "sources": [], "destinations": []}
        if "distance" in annotations:
            body["distances"] = dist
        if "duration" in annotations:
            body["durations"] = [
                [None if d is None else round(d / self.mps, 1) for d in row] for row in dist
            ]
        return 200, body

    def answer_get(self, handler):
        parts = urlsplit(handler.path)
        self.requests.append(parts.path)
        status, payload = self.table(parts.path, parse_qs(parts.query))
        return status, json.dumps(payload).encode(), {"Content-Type": "application/json"}
