"""An instance record in the Redis registry, kept under a lease
(docs/design.md, "Registry details"), as the C++ registrar keeps it.

The record is a hash ``P instance:<id>`` written by the registry's own Lua
scripts (registry/lua/*.lua, the same files the C++ build embeds), so that
the keys, indexes, catalogues and ``P events`` stay consistent whoever
writes them. A :class:`Registrar` owns one record on a thread of its own:
it writes it, refreshes the lease every lease/3, writes changes at most once
per 100 ms, and registers again by itself when Redis comes back. Nothing the
owner calls here waits on Redis, so a message loop may call it.
"""

import logging
import os
import random
import socket
import threading
import time

import redis

__all__ = ["lua_dir", "script_source", "make_instance_id", "wall_clock_ms", "Registrar",
           "RECORD_FIELDS"]

log = logging.getLogger("skynet.registry")

# The fields every record carries, in the C++ codec's order
# (registry/src/codec.cpp, encode_common); absent ones read as 0 or "".
RECORD_FIELDS = (
    "id", "kind", "service", "version", "region", "host", "pid", "endpoint", "broker",
    "registered", "started_at", "updated_at", "methods", "services", "requests", "errors",
    "latency_avg_us", "latency_p99_us", "latency_p50_us", "latency_p95_us", "last_error",
    "last_request_at", "clients",
)
# Numbers and flags: a record must hold a decimal where the C++ codec reads
# one, or every reader drops the record as malformed.
_DEFAULTS = {name: 0 for name in (
    "pid", "started_at", "updated_at", "requests", "errors", "latency_avg_us", "latency_p99_us",
    "latency_p50_us", "latency_p95_us", "last_request_at", "clients")}
_DEFAULTS["registered"] = True
# Written only when set, as the C++ codec does.
OPTIONAL_FIELDS = ("managed_by", "curve_key", "draining")

MIN_WRITE_INTERVAL = 0.1
FIRST_BACKOFF = 0.1
MAX_BACKOFF = 2.0


def lua_dir():
    """Where the registry's scripts are: skynet/lua beside this package once
    installed, else registry/lua of the source tree this package is in."""
    here = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(here, "lua")
    if os.path.isfile(os.path.join(installed, "prelude.lua")):
        return installed
    source = os.path.join(os.path.dirname(os.path.dirname(here)), "registry", "lua")
    if os.path.isfile(os.path.join(source, "prelude.lua")):
        return source
    raise FileNotFoundError(f"the registry's Lua scripts are in neither {installed} nor {source}")


def script_source(name):
    """The prelude followed by one script (put, remove, prune, candidates,
    list), as the C++ registry runs it."""
    directory = lua_dir()
    with open(os.path.join(directory, "prelude.lua"), encoding="utf-8") as f:
        prelude = f.read()
    with open(os.path.join(directory, name + ".lua"), encoding="utf-8") as f:
        return "\n" + prelude + "\n" + f.read()


def wall_clock_ms():
    return int(time.time() * 1000)


def make_instance_id(kind, host):
    """``<kind>-<host>-<pid>-<8 hex>``, as registry::make_instance_id makes
    them: the random part keeps ids unique when a pid is reused."""
    return f"{kind}-{host}-{os.getpid()}-{random.getrandbits(32):08x}"


def local_host_name():
    return socket.gethostname() or "localhost"


def _text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value if v and "," not in str(v))
    return str(value)


def encode_record(record):
    """The record as the flat field/value list the put script takes."""
    out = []
    for name in RECORD_FIELDS:
        value = record.get(name)
        if value is None:
            value = _DEFAULTS.get(name, "")
        out += [name, _text(value)]
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value:
            out += [name, _text(value)]
    return out


class Registrar:
    """Keeps ``record`` (a dict of the fields above; ``id`` required) in the
    registry at ``redis_url`` until :meth:`close`, which removes it.

    ``update(**fields)`` changes it from any thread; the thread writes it
    soon. ``online`` is true while the last write reached Redis.
    """

    def __init__(self, redis_url, record, lease_ms=10000, prefix="skynet:",
                 socket_timeout=2.0, client=None):
        if not record.get("id"):
            raise ValueError("registrar: the record has no id")
        if lease_ms < 30:
            raise ValueError("registrar: a lease must be at least 30 ms")
        self.prefix = prefix
        self.lease_ms = int(lease_ms)
        self._redis = client or redis.Redis.from_url(
            redis_url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout)
        self._put = self._redis.register_script(script_source("put"))
        self._remove = self._redis.register_script(script_source("remove"))
        now = wall_clock_ms()
        self._record = dict(record)
        self._record.setdefault("started_at", now)
        self._record["updated_at"] = now
        self._cond = threading.Condition()
        self._dirty = True
        self._stopping = False
        self._abandoned = False
        self.online = False
        self.last_error = None
        self._thread = threading.Thread(target=self._run, name="skynet-registrar", daemon=True)
        self._thread.start()

    @property
    def id(self):
        return self._record["id"]

    def record(self):
        with self._cond:
            return dict(self._record)

    def update(self, **fields):
        """Changes fields of the record; written within 100 ms or so."""
        with self._cond:
            fields.pop("id", None)
            changed = {k: v for k, v in fields.items() if self._record.get(k) != v}
            if not changed:
                return
            self._record.update(changed)
            self._dirty = True
            self._cond.notify()

    def close(self, abandon=False):
        """Stops refreshing; removes the record unless ``abandon`` (then it
        expires with its lease, as a crashed process's would)."""
        with self._cond:
            self._stopping = True
            self._abandoned = self._abandoned or abandon
            self._cond.notify()
        self._thread.join()

    # -- the thread -----------------------------------------------------------

    def _next_write(self, last_write, refresh_at):
        """Waits until a write is due; the record to write, None on close."""
        with self._cond:
            while not self._stopping:
                due = refresh_at
                if self._dirty:
                    due = min(refresh_at, last_write + MIN_WRITE_INTERVAL)
                wait = due - time.monotonic()
                if wait <= 0:
                    break
                self._cond.wait(wait)
            if self._stopping:
                return None
            if self._dirty:
                self._record["updated_at"] = wall_clock_ms()
                self._dirty = False
            return dict(self._record)

    def _write(self, snapshot):
        args = [self.prefix, snapshot["id"], self.lease_ms, *encode_record(snapshot)]
        outcome = self._put(keys=[], args=args)
        return outcome.decode() if isinstance(outcome, bytes) else str(outcome)

    def _run(self):
        backoff = FIRST_BACKOFF
        last_write = 0.0
        refresh_at = time.monotonic()
        while True:
            snapshot = self._next_write(last_write, refresh_at)
            if snapshot is None:
                break
            try:
                outcome = self._write(snapshot)
            except (redis.RedisError, OSError) as e:
                last_write = time.monotonic()
                self._failed(e, snapshot["id"])
                refresh_at = last_write + backoff
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            last_write = time.monotonic()
            if not self.online or outcome == "added":
                log.info("registered id=%s kind=%s service=%s lease_ms=%d", snapshot["id"],
                         snapshot.get("kind"), snapshot.get("service", ""), self.lease_ms)
            self.online = True
            self.last_error = None
            backoff = FIRST_BACKOFF
            refresh_at = last_write + self.lease_ms / 3000.0
        self._finish()

    def _failed(self, error, instance_id):
        if self.online or self.last_error is None:
            log.warning("registry unreachable, retrying id=%s error=\"%s\"", instance_id, error)
        self.online = False
        self.last_error = str(error) or type(error).__name__

    def _finish(self):
        # A clean exit removes the record at once, so that nobody waits for
        # the lease; without Redis, the lease does it.
        if self._abandoned:
            return
        try:
            self._remove(keys=[], args=[self.prefix, self.id, os.getpid()])
        except (redis.RedisError, OSError) as e:
            log.warning("could not remove id=%s error=\"%s\"", self.id, e)
        self._redis.close()
