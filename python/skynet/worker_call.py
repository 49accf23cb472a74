"""What a handler knows about the request it serves (:class:`Call`), and the
worker's figures for the registry record (:class:`WorkerStats`)."""

import threading
import time

from .registration import wall_clock_ms

__all__ = ["Call", "WorkerStats"]


class Call:
    """The request being served, beside its params: ``call.method``,
    ``call.request_id``, ``call.origin`` ("host/pid/name" of the caller),
    ``call.retry`` (how often the bus re-dispatched it), ``call.idempotent``,
    ``call.traceparent``, ``call.parent``, ``call.metadata`` (the caller's
    (key, value) pairs, in order), ``call.deadline`` (time.monotonic(), or
    None without one), ``call.time_left()`` (seconds, None without a
    deadline), and ``call.cancelled`` (the caller gave up: its answer will be
    dropped, so a long handler may stop early)."""

    __slots__ = ("header", "deadline", "received", "_cancelled")

    def __init__(self, header, received):
        self.header = header
        self.received = received
        timeout = header.timeout_ms
        self.deadline = None if timeout is None else received + timeout / 1000.0
        self._cancelled = False

    method = property(lambda self: self.header.method)
    request_id = property(lambda self: self.header.request_id)
    origin = property(lambda self: self.header.origin)
    retry = property(lambda self: self.header.retry)
    idempotent = property(lambda self: self.header.idempotent)
    traceparent = property(lambda self: self.header.traceparent)
    parent = property(lambda self: self.header.parent)
    metadata = property(lambda self: list(self.header.meta))

    def meta(self, key, default=None):
        """The first metadata value under ``key``."""
        for k, v in self.header.meta:
            if k == key:
                return v
        return default

    def time_left(self):
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    @property
    def expired(self):
        return self.deadline is not None and time.monotonic() >= self.deadline

    @property
    def cancelled(self):
        return self._cancelled

    def cancel(self):
        self._cancelled = True

    def __repr__(self):
        return f"Call(method={self.method!r}, request_id={self.request_id!r})"


class WorkerStats:
    """Counters and handling times. Touched on the worker's loop only, read
    by the registry thread through :meth:`figures` (under a lock)."""

    WINDOW = 4096  # handling times kept for the percentiles of one interval

    def __init__(self):
        self._lock = threading.Lock()
        self.requests = 0
        self.replies = 0
        self.errors = 0
        self.expired = 0
        self.malformed = 0
        self.reconnects = 0
        self.in_flight = 0
        self.last_error = ""
        self._last_request_at = 0
        self._times = []
        self._last_figures = (0, 0, 0, 0)

    def received(self):
        self.requests += 1
        self.in_flight += 1
        self._last_request_at = wall_clock_ms()

    def answered(self, code, detail, seconds=None):
        self.in_flight -= 1
        self.replies += 1
        if code:
            self.errors += 1
            self.last_error = f"{code.name}: {detail}" if hasattr(code, "name") else str(detail)
        if seconds is not None:
            with self._lock:
                if len(self._times) < self.WINDOW:
                    self._times.append(int(seconds * 1e6))

    def figures(self):
        """The registry record's stats fields: averages and percentiles of
        the handling times since the last call (the last ones when idle)."""
        with self._lock:
            times, self._times = self._times, []
        if times:
            times.sort()
            pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
            self._last_figures = (sum(times) // len(times), pick(0.5), pick(0.95), pick(0.99))
        avg, p50, p95, p99 = self._last_figures
        return {
            "requests": self.requests, "errors": self.errors, "latency_avg_us": avg,
            "latency_p50_us": p50, "latency_p95_us": p95, "latency_p99_us": p99,
            "last_request_at": self._last_request_at, "last_error": self.last_error,
        }
