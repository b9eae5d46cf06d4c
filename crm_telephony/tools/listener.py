"""Supervises one fritzconnection FritzMonitor per box: connects, reconnects with exponential
backoff, hands every line to a callback. No ORM here: the `odoo-bin crm_callmonitor` command
and the tests plug in callbacks that write to the database.

fritzconnection's FritzMonitor already reconnects a dropped socket a few times; when it gives
up (its thread ends) or cannot connect at all, we retry after 1, 2, 4 ... `max_backoff`
seconds, forever, and report each change of state through `on_status`.
"""

import logging
import queue
import threading
import time

from fritzconnection.core.fritzmonitor import FritzMonitor

_logger = logging.getLogger(__name__)


class BoxWatch:
    def __init__(self, box_id, host, port):
        self.box_id = box_id
        self.host = host
        self.port = port
        self.monitor = None
        self.queue = None
        self.state = None
        self.backoff = 0
        self.next_try = 0.0

    @property
    def config(self):
        return (self.host, self.port)


class MonitorSupervisor:
    def __init__(
        self,
        on_line,
        on_status,
        min_backoff=1.0,
        max_backoff=60.0,
        socket_timeout=2,
        reconnect_tries=3,
        reconnect_delay=2.0,
    ):
        """on_line(box_id, line) and on_status(box_id, state, error) are called from the
        supervisor's thread; state is 'connected' or 'retrying'."""
        self.on_line = on_line
        self.on_status = on_status
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.socket_timeout = socket_timeout
        self.reconnect_tries = reconnect_tries
        self.reconnect_delay = reconnect_delay
        self.watches = {}
        self.stop_event = threading.Event()
        self.lock = threading.Lock()

    # -- configuration --------------------------------------------------------------------
    def set_boxes(self, boxes):
        """boxes: iterable of (box_id, host, port). Starts new boxes, restarts changed ones,
        stops removed ones."""
        wanted = {box_id: (host, port) for box_id, host, port in boxes}
        with self.lock:
            for box_id in list(self.watches):
                watch = self.watches[box_id]
                if wanted.get(box_id) != watch.config:
                    self._stop_watch(watch)
                    del self.watches[box_id]
            for box_id, (host, port) in wanted.items():
                if box_id not in self.watches:
                    self.watches[box_id] = BoxWatch(box_id, host, port)

    # -- main loop ------------------------------------------------------------------------
    def run(self, poll_interval=0.05, until=None):
        """Serve until stop() (or until the callable `until` returns True)."""
        while not self.stop_event.is_set():
            if until and until():
                break
            self.step()
            self.stop_event.wait(poll_interval)
        self.shutdown()

    def step(self):
        now = time.monotonic()
        with self.lock:
            watches = list(self.watches.values())
        for watch in watches:
            if watch.monitor is None or not watch.monitor.is_alive:
                self._drain(watch)
                if watch.monitor is not None:
                    # FritzMonitor gave up reconnecting
                    watch.monitor = None
                    self._retry_later(watch, "connection lost", now)
                if now >= watch.next_try:
                    self._connect(watch, now)
            else:
                self._drain(watch)

    def _connect(self, watch, now):
        monitor = FritzMonitor(
            address=watch.host,
            port=watch.port,
            timeout=self.socket_timeout,
            encoding="latin-1",  # never fails on garbage bytes; real lines are ASCII
        )
        try:
            watch.queue = monitor.start(
                queue_size=1024,
                block_on_filled_queue=True,
                reconnect_delay=self.reconnect_delay,
                reconnect_tries=self.reconnect_tries,
            )
        except OSError as error:
            self._retry_later(watch, str(error) or error.__class__.__name__, now)
            return
        watch.monitor = monitor
        watch.backoff = 0
        self._status(watch, "connected", False)

    def _retry_later(self, watch, error, now):
        watch.backoff = min(self.max_backoff, (watch.backoff * 2) or self.min_backoff)
        watch.next_try = now + watch.backoff
        self._status(watch, "retrying", f"{error} (next try in {watch.backoff:.0f} s)")

    def _status(self, watch, state, error):
        if watch.state == state and state == "connected":
            return
        watch.state = state
        try:
            self.on_status(watch.box_id, state, error)
        except Exception:
            _logger.exception("call monitor: status callback failed for box %s", watch.box_id)

    def _drain(self, watch):
        if watch.queue is None:
            return
        while True:
            try:
                line = watch.queue.get_nowait()
            except queue.Empty:
                return
            try:
                self.on_line(watch.box_id, line)
            except Exception:
                # one bad event must not stop the listener
                _logger.exception("call monitor: event of box %s failed: %r", watch.box_id, line)

    # -- stopping -------------------------------------------------------------------------
    def stop(self):
        self.stop_event.set()

    def _stop_watch(self, watch):
        if watch.monitor is not None:
            watch.monitor.stop()
            watch.monitor = None
        self._drain(watch)

    def shutdown(self):
        with self.lock:
            for watch in self.watches.values():
                self._stop_watch(watch)
