"""A thread-safe rate limiter shared by every geocoding call of a process."""

import threading
import time


class RateLimiter:
    """At most ``rate`` requests per second, as the server sees them.

    Use as a context manager around each request::

        with limiter:
            response = send(...)

    Requests through one limiter run one at a time, and each starts no earlier than
    ``1 / rate`` seconds after the previous one *finished*. Since the server received
    the previous request before it answered, it sees two requests at least
    ``1 / rate`` apart whatever the network delays (spacing from the previous start
    is not enough: a delayed request and a prompt one arrive closer together). The
    price: the achieved rate is 1 / (interval + response time), a little below the
    configured one. Clock and sleep can be given for tests."""

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last = None

    def wait(self):
        """Block until the next request may start; return the seconds waited.
        The caller holds the limiter's lock (see __enter__)."""
        now = self._clock()
        waited = 0.0
        if self._last is not None:
            due = self._last + self.interval
            while now < due:  # sleep may return a hair early on some platforms
                self._sleep(due - now)
                waited += due - now
                now = self._clock()
        return waited

    def done(self):
        self._last = self._clock()

    def __enter__(self):
        self._lock.acquire()
        try:
            self.wait()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc):
        try:
            self.done()
        finally:
            self._lock.release()
        return False


_limiters = {}
_limiters_lock = threading.Lock()


def limiter_for(key, rate):
    """The process-wide limiter for one provider (key) at one rate."""
    with _limiters_lock:
        limiter = _limiters.get(key)
        if limiter is None or abs(limiter.interval - 1.0 / rate) > 1e-9:
            limiter = _limiters[key] = RateLimiter(rate)
        return limiter
