"""One worker connection to one broker: the worker half of 7/MDP's dialog
(docs/design.md, "Wire protocol" and its details), on the worker's asyncio
loop.

A link opens a DEALER whose routing id is ``<instance id>/<index>/<epoch>``
(a new epoch for every socket, so a broker never confuses the new socket
with the old one, and can tell which instance died), asks ``mmi.credit N``
on it before READY, reads the broker's answer (``200`` · G, then terms:
``heartbeat`` · ms, ``liveness`` · count; ``501`` from a plain broker: a
credit of 1 and the bare service name), sends READY, then serves: REQUESTs
go to the worker, HEARTBEATs go both ways, and a DISCONNECT or silence past
the agreed limit closes the socket and opens a new one after a backoff.
"""

import asyncio
import logging
import random
import time

import zmq
import zmq.asyncio

from . import mdp
from .keys import apply_client_keys

__all__ = ["BrokerLink", "parse_credit_grant", "status_of"]

log = logging.getLogger("skynet.worker")

MMI_CREDIT = b"mmi.credit"
MMI_PAUSE = b"mmi.pause"
MMI_RESUME = b"mmi.resume"
MMI_CANCEL = b"mmi.cancel"
# Messages read from one socket per wake-up: timers are never starved.
READ_BATCH = 256


def status_of(body):
    """An mmi answer's status as bus/mmi.hpp's status_of reads it: "200"
    first is ours; else a code in the last frame (the reference broker writes
    it over the last body frame), else in the first."""
    if not body:
        return None
    if bytes(body[0]) == b"200":
        return "200"
    for frame in (body[-1], body[0]):
        text = bytes(frame)
        if len(text) == 3 and text.isdigit():
            return text.decode()
    return None


def parse_credit_grant(body):
    """(credit, {term: value}) from a "200" answer, or None."""
    if len(body) < 2 or bytes(body[0]) != b"200":
        return None
    try:
        credit = int(bytes(body[1]))
    except ValueError:
        return None
    if credit < 1:
        return None
    terms = {}
    for i in range(2, len(body) - 1, 2):
        try:
            terms[bytes(body[i]).decode()] = int(bytes(body[i + 1]))
        except (ValueError, UnicodeDecodeError):
            continue  # readers skip terms they cannot read
    return credit, terms


class BrokerLink:
    """The connection ``index`` of ``worker`` to the broker at ``endpoint``.
    The worker calls :meth:`run` as a task, :meth:`send_reply` for answers,
    :meth:`pause` for `sky unregister` and drains, :meth:`close` to end."""

    def __init__(self, worker, endpoint, index, negotiate=True):
        self.worker = worker
        # False: an extra connection to a plain broker, READY at once.
        self.negotiate = negotiate
        self.endpoint = endpoint
        self.index = index
        self.epoch = 0
        self.sync = None      # the zmq.Socket: reads
        self.waiter = None    # its asyncio view: waits and sends
        self.state = "closed"  # negotiating, serving
        self.credit = 1
        self.plain = not negotiate
        self.paused = False
        self.pause_pending = False
        self.retired = False
        self.task = None
        self.backoff = worker.reconnect_min
        self.heartbeat = worker.heartbeat
        self.silence_limit = worker.heartbeat * worker.liveness
        self.last_heard = self.last_sent = 0.0

    # -- socket ---------------------------------------------------------------

    def routing_id(self):
        return f"{self.worker.instance_id}/{self.index}/{self.epoch}".encode()

    def _open(self):
        self.epoch += 1
        w = self.worker
        s = w.context.socket(zmq.DEALER)
        s.linger = 0
        s.routing_id = self.routing_id()
        s.sndhwm = s.rcvhwm = 100000
        if w.curve_keys is not None:
            apply_client_keys(s, w.curve_keys, w.broker_key)
        s.connect(self.endpoint)
        self.sync = s
        self.waiter = zmq.asyncio.Socket.from_socket(s)
        self.credit = 1
        self.heartbeat = w.heartbeat
        self.silence_limit = w.heartbeat * w.liveness
        self.last_heard = self.last_sent = time.monotonic()

    def _close(self):
        if self.waiter is not None:
            self.waiter.close(linger=0)  # what it still queued belongs to a dead dialog
        self.sync = self.waiter = None
        self.state = "closed"
        self.pause_pending = False

    @property
    def open(self):
        return self.sync is not None

    def send(self, frames):
        if self.sync is None:
            return False
        # Through the asyncio view, never the plain socket: a send can take
        # the readable edge of ZeroMQ's file descriptor, and only the view
        # knows to look again for messages its poll is waiting on.
        error = self.waiter.send_multipart(frames, flags=zmq.NOBLOCK).exception()
        if isinstance(error, zmq.Again):
            log.warning("broker not reading, message dropped broker=%s", self.endpoint)
            return False
        if error is not None:
            log.warning("cannot send broker=%s error=\"%s\"", self.endpoint, error)
            return False
        self.last_sent = time.monotonic()
        return True

    def send_reply(self, epoch, address, body):
        """A reply for a request this link got under ``epoch``: dropped if the
        socket has changed since (that broker has answered its caller)."""
        if epoch != self.epoch or self.state != "serving":
            return False
        return self.send(mdp.worker_reply(address, body))

    def pause(self, pausing):
        """mmi.pause / mmi.resume on our own socket: no new requests, or
        requests again. Sent only once READY has gone."""
        self.paused = pausing
        if self.state == "serving":
            self.pause_pending = pausing
            self.send(mdp.client_request(MMI_PAUSE if pausing else MMI_RESUME, [b""]))

    def disconnect(self):
        if self.state == "serving":
            self.send(mdp.disconnect())

    def close(self):
        self.retired = True
        if self.task is not None:
            self.task.cancel()

    # -- the dialog -------------------------------------------------------------

    async def run(self):
        """Opens, serves, reopens after a loss, until closed or the worker stops."""
        w = self.worker
        try:
            while not self.retired and not w.draining:
                self._open()
                reason = await self._serve()
                self._close()
                if self.retired or w.draining:
                    break
                wait = self.backoff * random.uniform(0.75, 1.25)
                log.warning("lost broker broker=%s reason=\"%s\" retry_in_ms=%d", self.endpoint,
                            reason, wait * 1000)
                w.stats.reconnects += 1
                self.backoff = min(self.backoff * 2, w.reconnect_max)
                await asyncio.sleep(wait)
        finally:
            self._close()

    def _ask_credit(self):
        self.state = "negotiating"
        self.send(mdp.client_request(MMI_CREDIT, [str(self.worker.credit).encode()]))

    def _send_ready(self):
        # docs/design.md: a plain broker matches names exactly, and its
        # clients know us by the bare name.
        name = self.worker.bare_name if self.plain else self.worker.announced
        self.send(mdp.ready(name))
        self.state = "serving"
        log.info("ready service=%s broker=%s credit=%d heartbeat_ms=%d", name.decode(), self.endpoint,
                 self.credit, self.heartbeat * 1000)
        if self.paused or not self.worker.registered or self.worker.draining:
            self.pause(True)

    async def _serve(self):
        if self.negotiate:
            self._ask_credit()
        else:
            self._send_ready()
        negotiate_until = time.monotonic() + self.worker.heartbeat
        while True:
            now = time.monotonic()
            tick = max(self.heartbeat / 2, 0.001)
            if self.state == "negotiating":
                wait = negotiate_until - now
            else:
                wait = min(tick, self.last_sent + self.heartbeat - tick - now)
            if await self.waiter.poll(max(0, int(wait * 1000)), zmq.POLLIN):
                reason = self._read()
                if reason:
                    return reason
            now = time.monotonic()
            if self.state == "negotiating":
                if now >= negotiate_until:
                    self._send_ready()  # no answer: a broker that ignores mmi.*, or a slow one
                continue
            if now - self.last_heard >= self.silence_limit:
                return "broker silent"
            if now - self.last_sent >= self.heartbeat - tick:
                self.send(mdp.heartbeat())

    def _read(self):
        """Reads what is there (up to READ_BATCH); a reason to drop the
        socket, or None."""
        for _ in range(READ_BATCH):
            try:
                frames = self.sync.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return None
            self.last_heard = time.monotonic()  # 7/MDP: any command is a heartbeat
            reason = self._on_message(frames)
            if reason:
                return reason
        return None

    def _on_message(self, frames):
        if len(frames) >= 3 and frames[1] == mdp.CLIENT:
            self._on_mmi_reply(bytes(frames[2]), frames[3:])
            return None
        try:
            message = mdp.parse_worker_message(frames)
        except Exception as e:  # bytes from the network: counted and dropped
            self.worker.stats.malformed += 1
            log.debug("dropped malformed message broker=%s reason=\"%s\"", self.endpoint, e)
            return None
        if message.command == mdp.REQUEST:
            self.backoff = self.worker.reconnect_min
            if message.client_address == MMI_CANCEL:
                self.worker.on_cancel(self, message.body)
            else:
                self.worker.on_request(self, self.epoch, message.client_address, message.body)
        elif message.command == mdp.HEARTBEAT:
            self.backoff = self.worker.reconnect_min
        elif message.command == mdp.DISCONNECT:
            return "broker sent DISCONNECT"
        return None

    def _on_mmi_reply(self, service, body):
        if service in (MMI_PAUSE, MMI_RESUME):
            if service == MMI_PAUSE:
                self.pause_pending = False  # "200", or "501" from a plain broker
                self.worker.changed()
            return
        if service != MMI_CREDIT:
            return
        grant = parse_credit_grant(body)
        if grant is not None:
            self._accept_terms(grant[1])
        if self.state != "negotiating":
            return  # late: READY has gone, and with it the grant took hold
        if grant is not None:
            self.credit = grant[0]
            self.plain = False  # ours again (a broker replaced on the endpoint)
        elif status_of(body) == "501":
            self.plain = True  # a plain 7/MDP broker: one request at a time
            self.worker.on_plain_broker(self.endpoint)
        self._send_ready()

    def _accept_terms(self, terms):
        # The stricter of the broker's heartbeat terms and ours, so that
        # neither side takes the other for dead because their options differ.
        interval = terms.get("heartbeat")
        if interval and interval > 0:
            theirs = interval / 1000.0
            self.heartbeat = min(self.worker.heartbeat, theirs)
            self.silence_limit = max(self.silence_limit, theirs * terms.get("liveness", 3))
