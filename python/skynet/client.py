"""The synchronous client: ``Client.call`` sends one request and waits for
its one outcome, driving the client's sockets on the caller's thread (no
thread of its own).

    with Client(brokers=["tcp://127.0.0.1:5555"]) as client:
        client.call("fibonacci", "Index", {"n": 10})        # {'result': 55}

Brokers are given (``brokers=[...]``) or found in the Redis registry
(``redis=URL``, ``region=``: its brokers first). CURVE: ``curve_key`` (our
NAME.key, or a KeyPair) and ``broker_key`` (the broker's NAME.pub or its
Z85 text): the handshake then fails against any broker without that key,
and discovery follows only brokers whose record publishes it.
"""

import threading
import time

import zmq

from . import keys as skynet_keys
from ._directory import make_directory
from ._engine import Engine

__all__ = ["Client"]


def resolve_keys(curve_key, broker_key):
    """(KeyPair or None, broker public key in Z85 or None), files read now so
    that a bad key file fails at construction, clearly."""
    if (curve_key is None) != (broker_key is None):
        raise ValueError("curve_key and broker_key go together")
    if curve_key is None:
        return None, None
    pair = curve_key if isinstance(curve_key, skynet_keys.KeyPair) else \
        skynet_keys.load_secret_key_file(curve_key)
    server = broker_key if skynet_keys.is_z85_key(broker_key) else \
        skynet_keys.load_public_key_file(broker_key)
    return pair, server


class ClientBase:
    """What the synchronous and the asyncio clients share: options, the
    engine, and the directory of brokers."""

    def __init__(self, brokers=None, redis=None, region=None, prefix="skynet:", curve_key=None,
                 broker_key=None, timeout=5.0, heartbeat=1.0, liveness=3, name="python",
                 refresh=1.0, context=None):
        if heartbeat <= 0 or liveness < 1:
            raise ValueError("heartbeat must be positive and liveness at least 1")
        pair, server_key = resolve_keys(curve_key, broker_key)
        self.default_timeout = timeout
        self._own_context = context is None
        self.context = zmq.Context() if context is None else context
        self.directory = make_directory(brokers, redis, region, prefix, server_key, refresh)
        self.engine = Engine(self.context, self.directory, pair, server_key, heartbeat, liveness,
                             name)
        self.closed = False

    @property
    def stats(self):
        """Counters: calls, replies, errors, timeouts, late_replies, malformed,
        brokers_lost, retries, moved."""
        return dict(self.engine.stats)

    def _new_call(self, service, method, params, timeout, idempotent, meta, traceparent,
                  parent, on_done=None):
        if self.closed:
            raise RuntimeError("the client is closed")
        timeout = self.default_timeout if timeout is None else timeout
        return self.engine.new_call(service, method, params, timeout, time.monotonic(),
                                    idempotent, meta, traceparent, parent, on_done)

    def _shut(self):
        self.closed = True
        self.engine.close(time.monotonic())
        self.directory.close()
        if self._own_context:
            self.context.term()


class Client(ClientBase):
    """A synchronous client. Safe to share between threads: calls from
    several threads take turns (for many calls at once, use
    skynet.aio.AsyncClient)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._poller = None
        self._poller_version = -1

    def call(self, service, method, params=None, timeout=None, idempotent=False, meta=None,
             traceparent="", parent=""):
        """The result document of ``method`` of ``service``, or the coded
        exception (skynet.CallTimeout, skynet.UnknownMethod, ...).

        ``timeout``: seconds for the whole call, retries included (the
        client's default if None); the request carries what is left of it.
        ``idempotent``: safe to run twice, so the bus may re-run it when its
        worker or broker dies. ``meta``: {key: value} strings for the
        handler (a list of pairs to repeat a key)."""
        return self.call_result(service, method, params, timeout, idempotent, meta,
                                traceparent, parent).unwrap()

    def call_result(self, service, method, params=None, timeout=None, idempotent=False,
                    meta=None, traceparent="", parent=""):
        """As call(), with the outcome as a value (skynet.Outcome) instead
        of an exception: ``outcome.ok``, ``.value``, ``.code``, ``.detail``."""
        with self._lock:
            call = self._new_call(service, method, params, timeout, idempotent, meta,
                                  traceparent, parent)
            self._refresh(time.monotonic())
            self._catch_up()
            self.engine.start(call, time.monotonic())
            self.engine.flush(time.monotonic())
            while not call.done:
                self._turn()
            return call.outcome

    def wait_for_brokers(self, timeout=5.0):
        """Connects to every broker it knows and waits until each is
        connected or unreachable, at most ``timeout`` seconds. Returns the
        endpoints connected (calls need not wait for this: it is for
        callers that want every broker ready before they start)."""
        with self._lock:
            deadline = time.monotonic() + timeout
            self._refresh(time.monotonic())
            while self.engine.connecting() and time.monotonic() < deadline:
                self._turn(deadline)
            return self.engine.connected()

    def _catch_up(self):
        """What came while no call was out (a broken connection, a broker
        back), read before choosing a broker for the next one."""
        for sock, _ in self._current_poller().poll(0):
            while self.engine.on_readable(sock, time.monotonic()):
                pass

    def _current_poller(self):
        """A poller of the sockets the engine has now."""
        links = self.engine.links
        if self._poller is None or self._poller_version != links.version:
            self._poller = zmq.Poller()
            for sock in links.sockets():
                self._poller.register(sock, zmq.POLLIN)
            self._poller_version = links.version
        return self._poller

    def _refresh(self, now):
        if self.directory.refresh_due(now):
            self.directory.refresh(now)

    def _turn(self, until=None):
        """One wait for sockets or the next timer, then what is due."""
        engine = self.engine
        poller = self._current_poller()
        now = time.monotonic()
        wake = engine.next_wake(now) if until is None else min(engine.next_wake(now), until - now)
        wait_ms = int(max(0.0, wake) * 1000) + 1
        for sock, _ in poller.poll(min(wait_ms, 1000)):
            while engine.on_readable(sock, time.monotonic()):
                pass
        now = time.monotonic()
        self._refresh(now)
        engine.tick(now)

    def close(self):
        """Ends what is still out (CANCELLED) and closes the sockets."""
        with self._lock:
            if not self.closed:
                self._shut()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
