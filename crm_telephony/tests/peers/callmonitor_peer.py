"""A Fritz!Box call monitor (TCP port 1012) stand-in.

The box accepts any number of TCP clients and writes one line per event to each, terminated by
"\\r\\n"... in practice "\\n" (fritzconnection splits on "\\n" and we strip the rest). Tests
feed it lines with `send()`, or give per-connection scripts: a list whose items are lines
(str/bytes), ("sleep", seconds) or ("close",) to drop the connection like a rebooting box.
"""

import socket
import threading
import time


class CallMonitorPeer:
    def __init__(self, scripts=None, port=0):
        self.scripts = list(scripts or [])  # one script per accepted connection, in order
        self.clients = []
        self.connections = 0
        self.connected = threading.Event()
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.running = False
        self.thread = None

    def start(self):
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.running = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes up the thread blocked in accept()
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass
        with self.lock:
            for client in self.clients:
                try:
                    client.close()
                except OSError:
                    pass
            self.clients = []

    def _accept(self):
        while self.running:
            try:
                client, _addr = self.sock.accept()
            except OSError:
                return
            with self.lock:
                script = self.scripts.pop(0) if self.scripts else []
                self.connections += 1
                self.clients.append(client)
            self.connected.set()
            threading.Thread(target=self._play, args=(client, script), daemon=True).start()

    def _play(self, client, script):
        for item in script:
            if isinstance(item, tuple) and item[0] == "sleep":
                time.sleep(item[1])
                continue
            if isinstance(item, tuple) and item[0] == "close":
                with self.lock:
                    if client in self.clients:
                        self.clients.remove(client)
                try:
                    client.shutdown(socket.SHUT_RDWR)
                    client.close()
                except OSError:
                    pass
                return
            data = item if isinstance(item, bytes) else (item + "\n").encode()
            try:
                client.sendall(data)
            except OSError:
                return

    def send(self, line):
        """Write a line to every connected client."""
        data = line if isinstance(line, bytes) else (line + "\n").encode()
        with self.lock:
            for client in list(self.clients):
                try:
                    client.sendall(data)
                except OSError:
                    self.clients.remove(client)

    def wait_connections(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.connections >= count:
                return True
            time.sleep(0.02)
        return False
