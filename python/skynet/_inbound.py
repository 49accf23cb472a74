"""What comes back from brokers, for the Engine (a mixin: one class, two
files). One path for every reply however it came, alone or as a record of
a batch frame; connection events from the socket monitors; and what losing
a broker means for the calls it held (docs/design.md, "Broker death, seen
from a client")."""

import zmq

from . import batch, envelope
from ._links import MADE, LOST, REFUSED, DENIED
from . import mdp
from .errors import ErrorCode, ProtocolError
from .outcome import Outcome

_READ_BURST = 512


class Inbound:
    # -- what comes in ------------------------------------------------------

    def on_readable(self, sock, now):
        """Reads what a socket has (up to a burst). True if more may remain."""
        link, is_monitor = self.links.owner(sock)
        if link is None:
            return False
        if is_monitor:
            for _ in range(64):
                if link.monitor is None or not self._on_event(link, now):
                    return False
            return True
        for _ in range(_READ_BURST):
            if link.socket is not sock:
                return False
            try:
                frames = sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return False
            self._on_message(link, frames, now)
        return True

    def _on_event(self, link, now):
        got = self.links.read_event(link)
        if got is None:
            return False
        kind, why = got
        if kind == MADE:
            link.connected, link.unreachable, link.denied = True, None, False
            link.last_heard = now
            link.out.ask(link.socket, now, self.heartbeat)
            self._retry_waiting(now)
        elif kind == LOST:
            if link.connected:
                self._lose(link, now, why)
        elif kind in (REFUSED, DENIED):
            if link.connected:
                self._lose(link, now, why)
            link.unreachable, link.denied = why, kind == DENIED
            self._retry_waiting(now)
        return True

    def _on_message(self, link, frames, now):
        try:
            reply = mdp.parse_client_reply(frames)
        except ProtocolError:
            self.stats["malformed"] += 1
            return
        link.last_heard = now
        if reply.service == batch.SERVICE:
            self._on_batch(link, reply.body, now)
            return
        service = reply.service.decode("utf-8", "replace")
        if service.startswith("mmi."):
            return  # a ping's answer (or a cancel's): hearing it was the point
        self._on_reply(link, service, reply.body, now)

    def _on_batch(self, link, body, now):
        """The answer to the batch question, or a batch frame of replies."""
        if len(body) != 1 or bytes(body[0]) == b"501":
            answer = link.out.on_answer(body)
            if answer == "lost":
                self._lose(link, now, "broker no longer takes batches")
            elif answer == "malformed":
                self.stats["malformed"] += 1
            return
        try:
            records = batch.records(body[0])
        except ProtocolError:
            self.stats["malformed"] += 1
            return
        for route, frames in records:
            self._on_reply(link, route.decode("utf-8", "replace"), frames, now)

    def _on_reply(self, link, service, body, now):
        try:
            if len(body) != 2:
                raise ProtocolError("a reply body is 2 frames")
            header = envelope.decode_reply_header(body[0])
        except ProtocolError:
            self._on_foreign(link, service)
            return
        call = self.calls.get(header.request_id)
        if call is None or call.link is not link:
            self.stats["late_replies"] += 1
            return
        if header.code == ErrorCode.OK:
            try:
                result = envelope.decode_document(body[1])
            except ProtocolError as e:
                self.stats["malformed"] += 1
                self._finish(call, Outcome.failure(
                    ErrorCode.SERVICE_ERROR, f"the reply's result is not BSON: {e}", call.retry))
                return
            self._finish(call, Outcome.success(result, call.retry))
        elif header.code in (ErrorCode.UNAVAILABLE, ErrorCode.UNKNOWN_SERVICE):
            self._refused(call, link, header, now)
        else:
            self._finish(call, Outcome.failure(header.code, header.error, call.retry))

    def _refused(self, call, link, header, now):
        """A draining broker (UNAVAILABLE), or one without a worker for the
        service (UNKNOWN_SERVICE): the call did not run, so it moves to
        another broker, once per broker, without counting as a retry."""
        if header.code == ErrorCode.UNAVAILABLE:
            link.refusing_until = now + self.heartbeat * self.liveness
        link.held.discard(call.request_id)
        call.link = None
        call.refused_by.add(link)
        call.last_refusal = (header.code, header.error or f"broker {link.endpoint} refused it")
        self.stats["moved"] += 1
        self._dispatch(call, now)

    def _on_foreign(self, link, service):
        """Not our reply envelope (a plain 7/MDP worker?): it ends the call
        it answers when that is certain, the only one for that service here."""
        self.stats["malformed"] += 1
        mine = [self.calls[r] for r in link.held
                if r in self.calls and self.calls[r].service == service]
        if len(mine) == 1:
            self._finish(mine[0], Outcome.failure(
                ErrorCode.SERVICE_ERROR, "the service answered with frames that are not our "
                "reply envelope (a raw or plain 7/MDP worker?)", mine[0].retry))

    # -- losing brokers -----------------------------------------------------

    def _lose(self, link, now, why):
        self.stats["brokers_lost"] += 1
        self._dirty.discard(link)
        for rid in link.out.take_staged():  # never left: not lost, just not gone yet
            link.held.discard(rid)
            call = self.calls.get(rid)
            if call is not None:
                call.link = None
                self._wait(call, now)
        held = [self.calls[r] for r in sorted(link.held) if r in self.calls]
        link.held.clear()
        link.refusing_until = 0.0
        self.links.reconnect(link)
        for call in held:
            call.link = None
            if not call.idempotent:
                self._finish(call, Outcome.failure(
                    ErrorCode.WORKER_LOST, f"broker {link.endpoint} lost ({why}) while it held "
                    "the call; it may have run, and is not run again", call.retry))
            else:  # re-dispatches are bounded by the deadline, not by a budget
                call.retry += 1
                self.stats["retries"] += 1
                self._dispatch(call, now)

    def _retry_waiting(self, now):
        for call in list(self._waiting.values()):
            if not call.done:
                self._dispatch(call, now)
