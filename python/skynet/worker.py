"""A Skynet service in Python: a 7/MDP worker of our own, with methods.

    import skynet

    worker = skynet.Worker("calculator", version="1.0", broker="tcp://127.0.0.1:5555")

    @worker.method("add")
    def add(params, call):
        return {"sum": params["a"] + params["b"]}

    worker.run()   # until SIGTERM or SIGINT, then drains and returns

Plain functions run on a thread pool (``concurrency`` threads); ``async def``
handlers run on the worker's asyncio loop. A handler returns a dict (or None
for an empty result), or raises: a :class:`~skynet.errors.SkynetError`
subclass answers its code (``raise skynet.BadRequest("n must be >= 0")``),
any other exception answers SERVICE_ERROR with its text.

The worker announces ``name@version`` to each broker, asks it for a credit
of ``credit`` requests in flight (docs/design.md, ``mmi.credit``), keeps
heartbeats both ways and reconnects on a new socket after a DISCONNECT or a
silence. Given ``redis``, it registers in the registry (kind worker, its
methods and figures), takes `sky` commands, and, without ``broker``, serves
on every registered broker of its region there. A stop (SIGTERM, `sky stop`,
:meth:`Worker.stop`) drains: no new work, in-flight requests answered, then
DISCONNECT.
"""

import asyncio
import concurrent.futures
import functools
import logging
import os
import signal
import time

import zmq

from . import envelope
from .errors import ErrorCode, ProtocolError, SkynetError
from .keys import KeyPair, load_public_key_file, load_secret_key_file, is_z85_key
from .registration import local_host_name, make_instance_id
from .worker_call import Call, WorkerStats
from .worker_link import BrokerLink
from .worker_registry import WorkerRegistry

__all__ = ["Worker"]

log = logging.getLogger("skynet.worker")

MAX_PLAIN_CONNECTIONS = 64


class _Expired(Exception):
    """A request whose deadline passed while it waited for a thread."""


def _redis_url(text):
    return isinstance(text, str) and text.startswith(("redis://", "rediss://", "unix://"))


class Worker:
    """One service's worker. ``broker``: an endpoint, a list of them, or a
    Redis URL (then ``redis=broker``: the brokers of ``region`` found in the
    registry). Times are seconds. ``curve_key`` (a KeyPair or a NAME.key
    path) with ``broker_key`` (Z85 or a NAME.pub path) makes every
    connection CURVE. ``instance_id`` and ``managed_by`` default to what skyd
    sets (SKYNET_INSTANCE_ID, SKYNET_MANAGED_BY)."""

    def __init__(self, service, version="", broker=None, *, redis=None, region=None,
                 host=None, prefix="skynet:", concurrency=8, credit=None, heartbeat=2.5,
                 liveness=3, reconnect_min=0.1, reconnect_max=5.0, drain_timeout=10.0,
                 lease=10.0, stats_interval=2.0, curve_key=None, broker_key=None,
                 instance_id=None, managed_by=None, context=None):
        if not service or "@" in service or service.startswith("mmi."):
            raise ValueError(f"worker: {service!r} is not a service name")
        if _redis_url(broker):
            redis, broker = broker, None
        self.service = service
        self.version = version or ""
        self.bare_name = service.encode()
        self.announced = (f"{service}@{version}" if version else service).encode()
        self.brokers = [broker] if isinstance(broker, str) else list(broker or [])
        if not self.brokers and not redis:
            raise ValueError("worker: give a broker endpoint or a Redis URL to find brokers in")
        self.redis = redis
        self.region = region or os.environ.get("SKYNET_REGION") or "local"
        self.host = host or local_host_name()
        self.prefix = prefix
        self.concurrency = max(1, int(concurrency))
        self.credit = max(1, int(credit or self.concurrency))
        self.heartbeat, self.liveness = float(heartbeat), int(liveness)
        self.reconnect_min, self.reconnect_max = float(reconnect_min), float(reconnect_max)
        self.drain_timeout, self.lease = float(drain_timeout), float(lease)
        self.stats_interval = float(stats_interval)
        self.curve_keys, self.broker_key = self._keys(curve_key, broker_key)
        self.instance_id = (instance_id or os.environ.get("SKYNET_INSTANCE_ID")
                            or make_instance_id("worker", self.host))
        if "/" in self.instance_id:
            raise ValueError("worker: an instance id cannot hold '/'")
        self.managed_by = managed_by or os.environ.get("SKYNET_MANAGED_BY", "")
        self.context = context
        self.stats = WorkerStats()
        self.registered = True
        self.draining = False
        self._methods = {}
        self._calls = {}
        self._links = {}  # endpoint -> [BrokerLink]: more than one for a plain broker
        self._index = -1
        self._loop = None
        self._stop_event = None
        self._changed_event = None
        self._pending_stop = False
        self._registry = None

    @staticmethod
    def _keys(curve_key, broker_key):
        if curve_key is None:
            return None, None
        if broker_key is None:
            raise ValueError("worker: a curve_key needs the broker's public key (broker_key)")
        keys = curve_key if isinstance(curve_key, KeyPair) else load_secret_key_file(curve_key)
        server = broker_key if is_z85_key(broker_key) else load_public_key_file(broker_key)
        return keys, server

    # -- methods ----------------------------------------------------------------

    def method(self, name):
        """Decorator: ``@worker.method("add")`` over ``def add(params, call)``
        or ``async def add(params, call)``."""
        def register(fn):
            self.add_method(name, fn)
            return fn
        return register

    def add_method(self, name, fn):
        if not name or "," in name:
            raise ValueError(f"worker: {name!r} is not a method name")
        # Decided once: a coroutine function runs on the loop, any other
        # callable on the thread pool.
        self._methods[name] = (fn, asyncio.iscoroutinefunction(fn))

    @property
    def methods(self):
        return sorted(self._methods)

    # -- running ----------------------------------------------------------------

    def run(self):
        """Serves until SIGTERM or SIGINT (or :meth:`stop`), drains, returns."""
        async def main():
            loop = asyncio.get_running_loop()
            for signo in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signo, self.stop)
            await self.serve()
        asyncio.run(main())

    def stop(self):
        """Asks for a graceful stop; any thread, any time (before serve too)."""
        loop, event = self._loop, self._stop_event
        if loop is None or event is None:
            self._pending_stop = True
            return
        try:
            loop.call_soon_threadsafe(event.set)
        except RuntimeError:
            pass  # the loop has closed: stopped already

    def set_registered(self, registered):
        """`sky register`/`unregister`: mmi.resume/mmi.pause to every broker.
        Call on the worker's loop (call_soon_threadsafe from elsewhere)."""
        self.registered = bool(registered)
        for link in self._all_links():
            link.pause(not self.registered or self.draining)
        if self._registry is not None:
            self._registry.set_registered(self.registered)

    async def serve(self):
        """Serves on the running loop until stopped, then drains."""
        self._loop = asyncio.get_running_loop()
        self._stop_event, self._changed_event = asyncio.Event(), asyncio.Event()
        if self._pending_stop:
            self._stop_event.set()
        own_context = self.context is None
        self.context = self.context or zmq.Context()
        self._pool = concurrent.futures.ThreadPoolExecutor(self.concurrency,
                                                           thread_name_prefix="skynet-handler")
        log.info("starting service=%s instance=%s credit=%d concurrency=%d",
                 self.announced.decode(), self.instance_id, self.credit, self.concurrency)
        try:
            if self.redis:
                self._registry = WorkerRegistry(self)
                self._registry.start()
            self.serve_on(self.brokers)
            await self._stop_event.wait()
            await self._drain()
        finally:
            await self._shut_down(own_context)

    def serve_on(self, endpoints):
        """Connects to these brokers (and leaves the others). On the loop."""
        for endpoint in endpoints:
            if endpoint not in self._links and not self.draining:
                self._links[endpoint] = [self._start_link(endpoint, negotiate=True)]
        for endpoint in [e for e in self._links if e not in endpoints]:
            for link in self._links.pop(endpoint):
                link.close()

    def _start_link(self, endpoint, negotiate):
        self._index += 1  # never reused: the routing ids of a new link are new
        link = BrokerLink(self, endpoint, self._index, negotiate)
        link.paused = not self.registered
        link.task = self._loop.create_task(link.run())
        return link

    def on_plain_broker(self, endpoint):
        """A broker answered mmi.credit with 501: one request per connection
        there, so up to credit - 1 more connections (at most 64 in all), each
        announcing the bare name (docs/design.md)."""
        links = self._links.get(endpoint)
        if links is None or len(links) > 1 or self.draining:
            return
        for _ in range(min(self.credit, MAX_PLAIN_CONNECTIONS) - 1):
            links.append(self._start_link(endpoint, negotiate=False))

    def _all_links(self):
        return [link for links in self._links.values() for link in links]

    def changed(self):
        """Something a drain waits on changed (a reply left, a pause answered)."""
        if self._changed_event is not None:
            self._changed_event.set()

    async def _drain(self):
        self.draining = True
        log.info("draining service=%s in_flight=%d", self.announced.decode(),
                 self.stats.in_flight)
        if self._registry is not None:
            self._registry.set_draining()
        for link in self._all_links():
            link.pause(True)
        deadline = time.monotonic() + self.drain_timeout
        # A request already on the wire is not in_flight yet: wait until every
        # broker acknowledged the pause, so that none is lost.
        while any(link.pause_pending for link in self._all_links()) or self.stats.in_flight:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._changed_event.clear()
            try:
                await asyncio.wait_for(self._changed_event.wait(), min(left, 0.1))
            except asyncio.TimeoutError:
                pass
        for link in self._all_links():
            link.disconnect()
        log.info("stopped service=%s unanswered=%d", self.announced.decode(),
                 self.stats.in_flight)

    async def _shut_down(self, own_context):
        links = self._all_links()
        self._links.clear()
        for link in links:
            link.close()
        await asyncio.gather(*(l.task for l in links if l.task), return_exceptions=True)
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._registry is not None:
            await self._loop.run_in_executor(None, self._registry.close)
            self._registry = None
        if own_context:
            self.context.destroy(linger=0)
            self.context = None

    # -- requests ---------------------------------------------------------------

    def on_request(self, link, epoch, address, body):
        """A REQUEST from ``link`` (on the loop): answered at once when it
        cannot run, else handed to its handler."""
        self.stats.received()
        now = time.monotonic()
        try:
            header, params = envelope.decode_request(body)
        except ProtocolError as e:
            self._answer_now(link, epoch, address, self._peek_id(body), ErrorCode.BAD_REQUEST,
                             str(e))
            return
        handler, is_async = self._methods.get(header.method, (None, False))
        if handler is None:
            self._answer_now(link, epoch, address, header.request_id, ErrorCode.UNKNOWN_METHOD,
                             f"no method '{header.method}'")
            return
        call = Call(header, now)
        if call.deadline is not None and call.deadline <= now:
            # Its caller has given up; running it would be wasted, or worse.
            self.stats.expired += 1
            self._answer_now(link, epoch, address, header.request_id, ErrorCode.TIMEOUT,
                             "deadline passed before the request reached the worker")
            return
        key = (link.index, epoch, bytes(address))
        self._calls[key] = call
        if is_async:
            future = self._loop.create_task(self._run_async(handler, params, call))
        else:
            future = self._loop.run_in_executor(self._pool, self._run_sync, handler, params, call)
        future.add_done_callback(functools.partial(self._finished, link, epoch, address, key))

    def on_cancel(self, link, addresses):
        """The broker names requests whose callers gave up."""
        for address in addresses:
            call = self._calls.get((link.index, link.epoch, bytes(address)))
            if call is not None:
                call.cancel()

    @staticmethod
    def _peek_id(body):
        """The request_id of a header that is otherwise not ours, if it has one."""
        try:
            value = envelope.decode_document(body[0]).get("request_id", "")
        except (ProtocolError, IndexError):
            return ""
        return value if isinstance(value, str) else ""

    def _answer_now(self, link, epoch, address, request_id, code, detail):
        reply = envelope.encode_reply(envelope.ReplyHeader(request_id, code, detail))
        link.send_reply(epoch, address, reply)
        self.stats.answered(code, detail)

    @staticmethod
    def _outcome(call, run):
        """(code, detail, reply frames, seconds) of running ``run()``."""
        started = time.monotonic()
        result, code, detail = None, ErrorCode.OK, ""
        try:
            result = run()
        except _Expired:
            code, detail = ErrorCode.TIMEOUT, "deadline passed while the request waited for a thread"
        except SkynetError as e:
            code = e.code if e.code not in (None, ErrorCode.OK) else ErrorCode.SERVICE_ERROR
            detail = e.detail
        except Exception as e:  # any other fault of a handler: SERVICE_ERROR, never the loop's end
            code, detail = ErrorCode.SERVICE_ERROR, f"{type(e).__name__}: {e}"
            log.warning("handler failed method=%s error=\"%s\"", call.method, detail)
        seconds = time.monotonic() - started
        header = envelope.ReplyHeader(call.request_id, code, detail)
        try:
            return code, detail, envelope.encode_reply(header, result if not code else None), seconds
        except (TypeError, ValueError) as e:
            detail = f"the handler's result is not a BSON document: {e}"
            header = envelope.ReplyHeader(call.request_id, ErrorCode.SERVICE_ERROR, detail)
            return ErrorCode.SERVICE_ERROR, detail, envelope.encode_reply(header), seconds

    def _run_sync(self, handler, params, call):
        def run():
            if call.expired:
                raise _Expired()
            return handler(params, call)
        return self._outcome(call, run)

    async def _run_async(self, handler, params, call):
        started = time.monotonic()
        result, failure = None, None
        try:
            result = await handler(params, call)
        except asyncio.CancelledError:
            raise
        except BaseException as e:  # judged by _outcome, as a sync handler's would be
            failure = e

        def replay():
            if failure is not None:
                raise failure
            return result
        code, detail, reply, _ = self._outcome(call, replay)
        return code, detail, reply, time.monotonic() - started

    def _finished(self, link, epoch, address, key, future):
        self._calls.pop(key, None)
        if future.cancelled():
            self.stats.answered(ErrorCode.SERVICE_ERROR, "cancelled at shutdown")
            return
        code, detail, reply, seconds = future.result()
        # A reply for an earlier socket is stale: that broker has answered
        # its caller already (WORKER_LOST, or a re-dispatch).
        link.send_reply(epoch, address, reply)
        self.stats.answered(code, detail, seconds)
        self.changed()
