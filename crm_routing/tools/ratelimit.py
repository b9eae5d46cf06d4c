"""A thread-safe rate limiter shared by every geocoding call of a process."""

import threading
import time


class RateLimiter:
    """At most ``rate`` calls per second: each call to :meth:`wait` returns no earlier
    than ``1 / rate`` seconds after the previous one returned (no bursts). Clock and
    sleep can be given for tests."""

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last = None

    def wait(self):
        """Block until the next call is allowed; return the seconds waited."""
        with self._lock:
            now = self._clock()
            waited = 0.0
            if self._last is not None:
                due = self._last + self.interval
                if now < due:
                    waited = due - now
                    self._sleep(waited)
                    now = self._clock()
                    # sleep may return a hair early on some platforms
                    while now < due:
                        self._sleep(due - now)
                        now = self._clock()
            self._last = now
            return waited


_limiters = {}
_limiters_lock = threading.Lock()


def limiter_for(key, rate):
    """The process-wide limiter for one provider (key) at one rate."""
    with _limiters_lock:
        limiter = _limiters.get(key)
        if limiter is None or abs(limiter.interval - 1.0 / rate) > 1e-9:
            limiter = _limiters[key] = RateLimiter(rate)
        return limiter
