"""The common part of the test peers: a ThreadingHTTPServer on 127.0.0.1 (a free port)
serving GET requests in a daemon thread, with its URL and a clean stop.

A peer subclasses HttpPeer and implements ``answer_get(handler)`` returning
``(status, body bytes, headers dict)``; ``start()`` returns the peer, ``url`` is
``http://127.0.0.1:<port>``, ``stop()`` shuts the server down and frees the port.

SilentPeer is a service that hangs: it accepts connections and never answers."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HttpPeer:
    _server = None

    def answer_get(self, handler):
        raise NotImplementedError

    def start(self, port=0):
        """Serve on `port` (0: a free one)."""
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out as two writes: without TCP_NODELAY the body waits
            # for the client's delayed ACK of the headers, ~40 ms per request on Linux
            # (real servers do not pay this, so neither should the peer)
            disable_nagle_algorithm = True

            def do_GET(self):
                status, body, headers = peer.answer_get(self)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class SilentPeer:
    """A server that accepts TCP connections on 127.0.0.1 and never answers: a hung
    service, as a client sees it (connection made, request sent, no reply). ``url`` as
    for HttpPeer; ``connections`` counts the clients that came."""

    def __init__(self):
        self._sock = None
        self._held = []
        self.connections = 0

    def start(self):
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        threading.Thread(target=self._accept, args=(self._sock,), daemon=True).start()
        return self

    def _accept(self, sock):
        while True:
            try:
                conn, _addr = sock.accept()
            except OSError:  # closed by stop()
                return
            self.connections += 1
            self._held.append(conn)  # kept open, never read, never answered

    @property
    def url(self):
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def stop(self):
        if self._sock:
            try:  # wakes up the thread blocked in accept(); close() alone would not
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        for conn in self._held:
            conn.close()
        self._held = []
