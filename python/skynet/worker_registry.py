"""A worker in the registry (docs/design.md): its record (kind worker,
service, version, region, host, pid, the brokers it serves on, its methods,
managed_by under skyd), its figures every stats interval, the `sky` commands
addressed to it, and, when it was given no broker, the registered brokers of
its region, followed as they come and go (one that vanished is left only
after 6 s: a Redis restart that lost its data reports every broker gone
until they register again).

Nothing here runs on the worker's loop: the registrar, the command listener
and this class's own thread talk to Redis; what they change on the worker
goes through ``loop.call_soon_threadsafe``.
"""

import logging
import os
import threading
import time

import redis

from .commands import CommandListener, set_log_level
from .discovery import Discovery
from .registration import Registrar

__all__ = ["WorkerRegistry"]

log = logging.getLogger("skynet.worker")

LEAVE_GRACE = 6.0
FOLLOW_INTERVAL = 1.0


class WorkerRegistry:
    def __init__(self, worker):
        self.worker = worker
        self.loop = worker._loop
        self._stop = threading.Event()
        self._thread = None
        self.registrar = None
        self.commands = None
        self._endpoints = None
        self._last_seen = {}

    def _record(self):
        w = self.worker
        return {
            "id": w.instance_id, "kind": "worker", "service": w.service, "version": w.version,
            "region": w.region, "host": w.host, "pid": os.getpid(),
            "broker": ",".join(w.brokers), "registered": w.registered,
            "methods": w.methods, "managed_by": w.managed_by,
        }

    def start(self):
        w = self.worker
        self.registrar = Registrar(w.redis, self._record(), lease_ms=int(w.lease * 1000),
                                   prefix=w.prefix)
        self.commands = CommandListener(w.redis, w.instance_id, self._handlers(), prefix=w.prefix)
        self._thread = threading.Thread(target=self._run, name="skynet-worker-registry",
                                        daemon=True)
        self._thread.start()

    def _on_loop(self, fn, *args):
        try:
            self.loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:
            pass  # the loop has closed: the worker is gone

    def _handlers(self):
        # On the listener's thread: each only asks the worker and returns.
        def log_level(level):
            if not set_log_level(level):
                raise ValueError(f"unknown log level {level}")
        return {
            "register": lambda _: self._on_loop(self.worker.set_registered, True),
            "unregister": lambda _: self._on_loop(self.worker.set_registered, False),
            "stop": lambda _: self.worker.stop(),
            # a host daemon restarts what exits; without one it stays stopped
            "restart": lambda _: self.worker.stop(),
            "log": log_level,
        }

    def set_registered(self, registered):
        self.registrar.update(registered=registered)

    def set_draining(self):
        self.registrar.update(draining=True)

    def close(self):
        """Stops the threads and removes the record (waits on Redis: call
        it off the loop)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.commands is not None:
            self.commands.close()
        if self.registrar is not None:
            self.registrar.close()

    # -- the thread: figures, and brokers to follow -------------------------------

    def _run(self):
        discovery = None
        if not self.worker.brokers:
            discovery = Discovery(self.worker.redis, region=self.worker.region,
                                  prefix=self.worker.prefix,
                                  broker_key=self.worker.broker_key or None)
        next_figures = time.monotonic() + self.worker.stats_interval
        try:
            while not self._stop.is_set():
                if discovery is not None:
                    self._follow(discovery)
                if time.monotonic() >= next_figures:
                    self.registrar.update(**self.worker.stats.figures())
                    next_figures = time.monotonic() + self.worker.stats_interval
                wait = FOLLOW_INTERVAL if discovery is not None else self.worker.stats_interval
                self._stop.wait(min(wait, max(0.0, next_figures - time.monotonic())))
        except Exception:  # never the worker's end: it keeps serving what it has
            log.exception("registry thread failed; figures and brokers are no longer followed")
        finally:
            if discovery is not None:
                discovery.close()

    def _follow(self, discovery):
        try:
            records = discovery.records()
        except (redis.RedisError, OSError):
            records = None  # Redis away: keep serving on what we have
        now = time.monotonic()
        for r in records or ():
            if r.region == self.worker.region:
                self._last_seen[r.endpoint] = now
        endpoints = sorted(e for e, seen in self._last_seen.items() if now - seen < LEAVE_GRACE)
        for gone in [e for e in self._last_seen if e not in endpoints]:
            del self._last_seen[gone]
        if endpoints == self._endpoints:
            return
        self._endpoints = endpoints
        log.info("brokers of region=%s now: %s", self.worker.region, ",".join(endpoints))
        self.registrar.update(broker=",".join(endpoints))
        self._on_loop(self.worker.serve_on, endpoints)
