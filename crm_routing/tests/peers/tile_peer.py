"""A slippy-map tile server on 127.0.0.1 for tests: GET /{z}/{x}/{y}.png answers a
256x256 PNG as OpenStreetMap's tile servers do (image/png, 404 for coordinates outside
the zoom level's grid), and records which tiles were asked for."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

TILE_RE = re.compile(r"^/(\d+)/(\d+)/(\d+)\.png$")


def _tile_png():
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (229, 227, 223)).save(buffer, format="PNG")
    return buffer.getvalue()


class TilePeer:
    def __init__(self):
        self.requests = []
        self._png = _tile_png()
        self._server = None

    def answer(self, path):
        match = TILE_RE.match(path)
        if not match:
            return 404, b"not a tile"
        z, x, y = map(int, match.groups())
        if z > 19 or not (0 <= x < 2**z and 0 <= y < 2**z):
            return 404, b"no such tile"
        self.requests.append((z, x, y))
        return 200, self._png

    def start(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                status, data = peer.answer(self.path.split("?")[0])
                self.send_response(status)
                self.send_header("Content-Type", "image/png" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url_template(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{{z}}/{{x}}/{{y}}.png"

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
