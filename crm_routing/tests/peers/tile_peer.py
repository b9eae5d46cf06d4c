"""A slippy-map tile server on 127.0.0.1 for tests: GET /{z}/{x}/{y}.png answers a
256x256 PNG as OpenStreetMap's tile servers do (image/png, 404 for coordinates outside
the zoom level's grid), and records which tiles were asked for."""

import io
import re

from PIL import Image

from .http_peer import HttpPeer

TILE_RE = re.compile(r"^/(\d+)/(\d+)/(\d+)\.png$")


def _tile_png():
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (229, 227, 223)).save(buffer, format="PNG")
    return buffer.getvalue()


class TilePeer(HttpPeer):
    def __init__(self):
        self.requests = []
        self._png = _tile_png()

    def answer(self, path):
        match = TILE_RE.match(path)
        if not match:
            return 404, b"not a tile"
        z, x, y = map(int, match.groups())
        if z > 19 or not (0 <= x < 2**z and 0 <= y < 2**z):
            return 404, b"no such tile"
        self.requests.append((z, x, y))
        return 200, self._png

    def answer_get(self, handler):
        status, data = self.answer(handler.path.split("?")[0])
        headers = {
            "Content-Type": "image/png" if status == 200 else "text/plain",
            "Access-Control-Allow-Origin": "*",
        }
        return status, data, headers

    @property
    def url_template(self):
        return f"{self.url}/{{z}}/{{x}}/{{y}}.png"
