"""Calls to services outside Odoo (geocoder, routing server, Fritz!Box): a circuit breaker
and the plain reason of a failed connection. No ORM.

A service that does not answer must not hold a worker: every adapter gives its requests a
short timeout, and after ``threshold`` connection failures in a row the breaker of that
service *opens*: for ``cooldown`` seconds no call is made at all, each attempt fails at
once with ``CircuitOpen`` (which says since when, why and until when), and the WARNING
logged when it opened tells the administrator. After the pause the next call is tried
again: a success closes the breaker, another failure opens it for the next pause. Only
connection failures count (refused, no answer in time, unknown host, TLS, HTTP 502/503/504):
a service that answers - even with an error or "not found" - is reachable.

One adapter per protocol uses it::

    breaker = breaker_for("geocoder", url)
    with breaker.call():                    # raises CircuitOpen while open
        answer = send(...)                  # a connection failure counts, re-raised

Breakers live in the process (each Odoo worker keeps its own), keyed by service and
address; ``reset_all()`` forgets them (tests).
"""

import contextlib
import errno
import logging
import socket
import ssl
import threading
import time

_logger = logging.getLogger(__name__)

THRESHOLD = 3
COOLDOWN = 300.0  # seconds

# the reason of a failed connection, as ``connection_failure`` names it
REFUSED = "refused"
TIMEOUT = "timeout"
UNKNOWN_HOST = "unknown_host"
TLS = "tls"
NETWORK = "network"
UNAVAILABLE = "unavailable"  # HTTP 502, 503 or 504: there, but not serving

_TIMEOUT_NAMES = {
    "Timeout",
    "ConnectTimeout",
    "ReadTimeout",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "GeocoderTimedOut",
}
_NETWORK_NAMES = {
    "ConnectionError",  # requests'
    "NewConnectionError",
    "ProtocolError",
    "RemoteDisconnected",
    "GeocoderUnavailable",
}
_NETWORK_ERRNOS = {
    errno.ENETUNREACH,
    errno.EHOSTUNREACH,
    errno.ENETDOWN,
    errno.EHOSTDOWN,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EPIPE,
}


def _chain(error):
    """The error and every error behind it (cause, context, urllib3's ``reason``, and
    exceptions given as arguments, as requests and geopy wrap them)."""
    seen, todo = [], [error]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or any(current is s for s in seen):
            continue
        seen.append(current)
        if len(seen) > 20:
            break
        todo += [current.__cause__, getattr(current, "reason", None), *current.args]
        if not current.__suppress_context__:  # "raise ... from None" hides the context
            todo.append(current.__context__)
    return seen


def http_status(error):
    """The HTTP status of the answer behind `error`, or None (no answer)."""
    for e in _chain(error):
        status = getattr(e, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def connection_failure(error):
    """Why `error` means the service could not be reached - REFUSED, TIMEOUT,
    UNKNOWN_HOST, TLS, NETWORK or UNAVAILABLE - or None when the service answered (an
    error answer, a wrong password, a malformed reply are not connection failures)."""
    status = http_status(error)
    if status:  # the service answered
        return UNAVAILABLE if status in (502, 503, 504) else None
    chain = _chain(error)
    names = {type(e).__name__ for e in chain}
    errnos = {e.errno for e in chain if isinstance(e, OSError)}
    if errno.ECONNREFUSED in errnos or any(isinstance(e, ConnectionRefusedError) for e in chain):
        return REFUSED
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in names:
        return UNKNOWN_HOST
    if any(isinstance(e, TimeoutError) for e in chain) or names & _TIMEOUT_NAMES:
        return TIMEOUT
    if any(isinstance(e, ssl.SSLError) for e in chain) or "SSLError" in names:
        return TLS
    if (
        any(isinstance(e, ConnectionError) for e in chain)
        or errnos & _NETWORK_ERRNOS
        or names & _NETWORK_NAMES
    ):
        return NETWORK
    return None


class CircuitOpen(Exception):
    """No call made: the service failed `failures` times in a row (the last time for
    `reason`); calls resume at `until` (a time.time() value)."""

    def __init__(self, service, address, failures, reason, until):
        super().__init__(
            f"{service} {address}: paused after {failures} connection failures in a row "
            f"({reason}) until {time.strftime('%H:%M:%S', time.localtime(until))}"
        )
        self.service = service
        self.address = address
        self.failures = failures
        self.reason = reason
        self.until = until


class Breaker:
    """The circuit breaker of one service (see the module's docstring)."""

    def __init__(self, service, address, threshold=THRESHOLD, cooldown=COOLDOWN):
        self.service, self.address = service, address
        self.threshold, self.cooldown = threshold, cooldown
        self.failures = 0
        self.reason = None
        self.until = 0.0  # time.time() until which no call is made
        self._lock = threading.Lock()

    @property
    def is_open(self):
        return self.failures >= self.threshold and time.time() < self.until

    def check(self):
        """Raise CircuitOpen while the breaker is open."""
        with self._lock:
            if self.is_open:
                raise CircuitOpen(
                    self.service, self.address, self.failures, self.reason, self.until
                )

    def success(self):
        with self._lock:
            if self.failures >= self.threshold:
                _logger.info("%s %s answers again", self.service, self.address)
        self.reset()

    def reset(self):
        """Close the breaker without a call (an administrator's explicit test, or a
        changed configuration, tries at once)."""
        with self._lock:
            self.failures, self.reason, self.until = 0, None, 0.0

    def failure(self, reason):
        with self._lock:
            self.failures += 1
            self.reason = reason
            if self.failures >= self.threshold:
                self.until = time.time() + self.cooldown
                _logger.warning(
                    "%s %s: %s connection failures in a row (last: %s); no calls for %.0f s",
                    self.service,
                    self.address,
                    self.failures,
                    reason,
                    self.cooldown,
                )

    @contextlib.contextmanager
    def call(self):
        """Run the block unless the breaker is open; count its connection failure (the
        exception goes on) or its success."""
        self.check()
        try:
            yield self
        except Exception as error:
            reason = connection_failure(error)
            if reason:
                self.failure(reason)
            raise
        self.success()


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(service, address, threshold=THRESHOLD, cooldown=COOLDOWN):
    """The process-wide breaker of `service` (a label for the log) at `address`."""
    with _breakers_lock:
        breaker = _breakers.get((service, address))
        if breaker is None:
            breaker = _breakers[(service, address)] = Breaker(service, address, threshold, cooldown)
        breaker.threshold, breaker.cooldown = threshold, cooldown
        return breaker


def reset_all():
    """Forget every breaker (tests start from closed breakers)."""
    with _breakers_lock:
        _breakers.clear()
