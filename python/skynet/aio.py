"""The asyncio client: many calls in flight on one socket per broker.

    async with AsyncClient(brokers=["tcp://127.0.0.1:5555"]) as client:
        results = await asyncio.gather(
            *(client.call("fibonacci", "Index", {"n": n}) for n in range(20)))

The same semantics as skynet.Client (deadlines, failover, idempotent
retries, one outcome per call); the sockets are driven by the event loop
(their file descriptors watched with add_reader), so a call costs no thread.
Cancelling the awaiting task ends the call CANCELLED and tells its broker.
Use it from the loop it was made on.
"""

import asyncio
import time

import zmq

from .client import ClientBase

__all__ = ["AsyncClient"]


class AsyncClient(ClientBase):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loop = None
        self._watched = {}          # fd -> socket
        self._watched_version = -1
        self._drain_handle = None
        self._timer = None
        self._refreshing = None

    async def call(self, service, method, params=None, timeout=None, idempotent=False,
                   meta=None, traceparent="", parent=""):
        """The result document, or the coded exception (see Client.call)."""
        outcome = await self.call_result(service, method, params, timeout, idempotent, meta,
                                         traceparent, parent)
        return outcome.unwrap()

    async def call_result(self, service, method, params=None, timeout=None, idempotent=False,
                          meta=None, traceparent="", parent=""):
        """As call(), the outcome as a value (skynet.Outcome)."""
        loop = self._bind_loop()
        future = loop.create_future()

        def done(outcome):
            if not future.done():
                future.set_result(outcome)
        call = self._new_call(service, method, params, timeout, idempotent, meta, traceparent,
                              parent, done)
        await self._directory_ready()
        self.engine.start(call, time.monotonic())
        self._kick()
        try:
            return await future
        except asyncio.CancelledError:
            self.engine.cancel(call.request_id, time.monotonic())
            self._kick()
            raise

    async def wait_for_brokers(self, timeout=5.0):
        """As Client.wait_for_brokers: the endpoints connected."""
        self._bind_loop()
        await self._directory_ready()
        deadline = time.monotonic() + timeout
        while self.engine.connecting() and time.monotonic() < deadline:
            self._kick()
            await asyncio.sleep(0.005)
        return self.engine.connected()

    # -- the loop's side ------------------------------------------------------

    def _bind_loop(self):
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError("an AsyncClient is used from the loop it was first used on")
        return loop

    async def _directory_ready(self):
        """Discovery: the registry is read off the loop (Redis blocks). The
        first read is awaited by every call that needs it; later ones run in
        the background while calls go to the brokers read before."""
        d = self.directory
        if not d.refresh_due(time.monotonic()) and self._refreshing is None:
            return
        self._refresh_in_background()
        if not getattr(d, "loaded", True) and self._refreshing is not None:
            await asyncio.shield(self._refreshing)

    def _refresh_in_background(self):
        if self._refreshing is not None or self.closed:
            return
        self.directory.apply(None, time.monotonic())  # not due again while this runs

        def finished(fut):
            self._refreshing = None
            if not self.closed and not fut.cancelled() and fut.exception() is None:
                self.directory.apply(fut.result(), time.monotonic())
        self._refreshing = self._loop.run_in_executor(None, self.directory.read)
        self._refreshing.add_done_callback(finished)

    def _kick(self):
        """Reads and timers soon: after any send the sockets' descriptors may
        not signal what is already there, so a turn always follows."""
        if self._drain_handle is None and not self.closed:
            self._drain_handle = self._loop.call_soon(self._drain)

    def _drain(self):
        self._drain_handle = None
        if self.closed:
            return
        engine = self.engine
        more = False
        for sock in engine.links.sockets():
            if sock.closed:
                continue
            try:
                readable = sock.getsockopt(zmq.EVENTS) & zmq.POLLIN
            except zmq.ZMQError:
                continue
            if readable and engine.on_readable(sock, time.monotonic()):
                more = True
        now = time.monotonic()
        if self.directory.refresh_due(now):
            self._refresh_in_background()
        engine.tick(now)
        self._watch()
        if more or any(s.getsockopt(zmq.EVENTS) & zmq.POLLIN for s in engine.links.sockets()):
            self._kick()
        self._arm_timer(now)

    def _watch(self):
        links = self.engine.links
        if self._watched_version == links.version:
            return
        for fd in self._watched:
            self._loop.remove_reader(fd)
        self._watched = {}
        for sock in links.sockets():
            fd = sock.getsockopt(zmq.FD)
            self._watched[fd] = sock
            self._loop.add_reader(fd, self._kick)
        self._watched_version = links.version

    def _arm_timer(self, now):
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_later(self.engine.next_wake(now) + 0.0005, self._kick)

    async def close(self):
        """Ends what is still out (CANCELLED) and closes the sockets."""
        if self.closed:
            return
        if self._loop is not None:
            for fd in self._watched:
                self._loop.remove_reader(fd)
            self._watched = {}
            for handle in (self._timer, self._drain_handle):
                if handle is not None:
                    handle.cancel()
        self._shut()

    async def __aenter__(self):
        self._bind_loop()
        return self

    async def __aexit__(self, *exc):
        await self.close()
