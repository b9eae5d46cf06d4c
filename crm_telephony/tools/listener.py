"""Supervises one fritzconnection FritzMonitor per box: connects, reconnects with exponential
backoff, hands every line to a callback. No ORM here: the `odoo-bin crm_callmonitor` command
and the tests plug in callbacks that write to the database.

fritzconnection's FritzMonitor already reconnects a dropped socket a few times; when it gives
up (its thread ends) or cannot connect at all, we retry after 1, 2, 4 ... `max_backoff`
seconds, forever, and report each change of state through `on_status`.

Events are not polled: one small forwarder thread per connected box blocks on the queue of
its FritzMonitor and hands each line to the supervisor's own queue, on which the supervisor
thread blocks too (with a timeout that wakes it for reconnect attempts). A line is handed to
`on_line` as soon as fritzconnection has read it (measured: bench/call_notification.py).

With several listeners (one per application server), `claims` (tools/claims.py) decides which
one serves a box: a box is connected only while this process holds its claim; the others
stand by and try to claim it every `standby_interval` seconds, so one takes over when the
serving process dies. A line is handed on only while the claim is still held.
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
        self.claimed = False
        self.next_claim = 0.0

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
        claims=None,
        standby_interval=2.0,
    ):
        """on_line(box_id, line) and on_status(box_id, state, error) are called from the
        supervisor's thread; state is 'connected' or 'retrying'. `claims` (a
        tools.claims.BoxClaims, optional): serve only the boxes this process has claimed."""
        self.on_line = on_line
        self.on_status = on_status
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.socket_timeout = socket_timeout
        self.reconnect_tries = reconnect_tries
        self.reconnect_delay = reconnect_delay
        self.claims = claims
        self.standby_interval = standby_interval
        self.next_check = 0.0
        self.watches = {}
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        # (box_id, line) from the forwarders; None wakes the loop up (stop)
        self.events = queue.Queue()
        self.forwarders = []

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
                    self._release(watch)
                    del self.watches[box_id]
            for box_id, (host, port) in wanted.items():
                if box_id not in self.watches:
                    self.watches[box_id] = BoxWatch(box_id, host, port)

    # -- main loop ------------------------------------------------------------------------
    def run(self, poll_interval=0.2, until=None):
        """Serve until stop() (or until the callable `until` returns True). Lines are handled
        as they arrive; `poll_interval` only bounds how late a lost connection is noticed
        and how often `until` is asked while nothing happens."""
        while not self.stop_event.is_set():
            if until and until():
                break
            self.step()
            self._wait_events(self._next_wakeup(poll_interval), until)
        self.shutdown()

    def _next_wakeup(self, poll_interval):
        now = time.monotonic()
        tries = []
        with self.lock:
            for watch in self.watches.values():
                if self.claims is not None and not watch.claimed:
                    tries.append(watch.next_claim)  # standing by
                elif watch.monitor is None:
                    tries.append(watch.next_try)
        if self.claims is not None:
            tries.append(self.next_check)
        if tries:
            return max(0.0, min(poll_interval, min(tries) - now))
        return poll_interval

    def _wait_events(self, timeout, until=None):
        """Handle the lines that arrive within `timeout` seconds (blocking, no polling)."""
        deadline = time.monotonic() + timeout
        while not self.stop_event.is_set():
            remaining = deadline - time.monotonic()
            try:
                item = self.events.get(timeout=max(0.0, remaining))
            except queue.Empty:
                return
            if item is not None:
                self._handle(*item)
            if until and until():
                return

    def step(self):
        """Reconnect bookkeeping: (re)connect the boxes whose monitor is not running; with
        claims, first check that our claims still hold and try to claim the others."""
        now = time.monotonic()
        with self.lock:
            watches = list(self.watches.values())
        if self.claims is not None and now >= self.next_check:
            self.next_check = now + self.standby_interval
            if not self.claims.alive():
                self._drop_all(watches)
        for watch in watches:
            if self.claims is not None and not self._claim(watch, now):
                continue
            if watch.monitor is None or not watch.monitor.is_alive:
                if watch.monitor is not None:
                    # FritzMonitor gave up reconnecting
                    watch.monitor = None
                    self._retry_later(watch, "connection lost", now)
                if now >= watch.next_try:
                    self._connect(watch, now)

    def _claim(self, watch, now):
        """True when this process serves the box (it holds or has just taken the claim)."""
        if watch.claimed:
            return True
        if now < watch.next_claim:
            return False
        watch.next_claim = now + self.standby_interval
        claimed = self.claims.claim(watch.box_id)
        if not claimed:
            state = "standby" if claimed is False else "no database"
            if watch.state != state:
                watch.state = state
                _logger.info(
                    "call monitor: box %s %s",
                    watch.box_id,
                    "is served by another listener; standing by"
                    if claimed is False
                    else "waits for the database to claim it",
                )
            return False
        _logger.info("call monitor: serving box %s", watch.box_id)
        watch.claimed = True
        watch.state = None
        watch.next_try = now
        return True

    def _release(self, watch):
        if self.claims is not None and watch.claimed:
            self.claims.release(watch.box_id)
        watch.claimed = False

    def _drop_all(self, watches):
        """Our claims are gone (the lock session broke): stop serving every box at once;
        they are claimed again (here or by another listener) on the next steps."""
        for watch in watches:
            self._stop_watch(watch)
            watch.claimed = False
            watch.state = None
            watch.next_claim = 0.0

    def _forward(self, box_id, monitor, monitor_queue):
        """Forwarder thread of one FritzMonitor: blocks on its queue, passes lines on; ends
        once the monitor has stopped and its queue is empty."""
        while True:
            try:
                line = monitor_queue.get(timeout=0.5)
            except queue.Empty:
                if not monitor.is_alive or self.stop_event.is_set():
                    return
                continue
            self.events.put((box_id, line))

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
        forwarder = threading.Thread(
            target=self._forward,
            args=(watch.box_id, monitor, watch.queue),
            name=f"crm_callmonitor-box-{watch.box_id}",
            daemon=True,
        )
        forwarder.start()
        self.forwarders = [t for t in self.forwarders if t.is_alive()] + [forwarder]
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

    def _handle(self, box_id, line):
        if self.claims is not None:
            alive = self.claims.alive()
            if not alive:
                with self.lock:
                    self._drop_all(list(self.watches.values()))
            watch = self.watches.get(box_id)
            if not (alive and watch and watch.claimed):
                # this process no longer serves the box: the listener that does sees the
                # line itself (and the call list synchronisation catches what nobody saw)
                _logger.info("call monitor: line of box %s left to its new listener", box_id)
                return
        try:
            self.on_line(box_id, line)
        except Exception:
            # one bad event must not stop the listener
            _logger.exception("call monitor: event of box %s failed: %r", box_id, line)

    # -- stopping -------------------------------------------------------------------------
    def stop(self):
        self.stop_event.set()
        self.events.put(None)  # wake the loop up now

    def _stop_watch(self, watch):
        if watch.monitor is not None:
            watch.monitor.stop()
            watch.monitor = None

    def shutdown(self):
        """Stop every monitor, then handle the lines they had read already."""
        with self.lock:
            for watch in self.watches.values():
                self._stop_watch(watch)
        for forwarder in self.forwarders:
            forwarder.join(2)
        self.forwarders = []
        while True:
            try:
                item = self.events.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self._handle(*item)
        if self.claims is not None:
            self.claims.close()
