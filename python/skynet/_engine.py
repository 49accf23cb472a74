"""The client's logic, with no loop of its own: calls, brokers, deadlines,
retries. A driver (client.Client's caller-driven poll, aio.AsyncClient's
event loop) hands it readable sockets and the time, and asks when to wake.

What it keeps (docs/design.md, "The outcome contract"): every call ends
exactly once, with its reply or one coded error, and never later than its
deadline. A broker that goes silent (pinged with 8/MMI's mmi.service after a
heartbeat of silence, lost after `liveness` of them) or whose connection
breaks takes its calls with it: idempotent ones are sent again elsewhere
(``retry`` raised), the others end WORKER_LOST since they may have run.
"""

import heapq
import itertools
import os
import socket as socket_module

import zmq

from . import envelope, mdp
from ._inbound import Inbound
from ._links import LinkSet
from .errors import ErrorCode
from .outcome import Outcome

_PING = [b"", mdp.CLIENT, mdp.MMI_SERVICE, b"mmi.ping"]  # a name no worker can have


class Call:
    __slots__ = ("request_id", "service", "method", "params", "deadline", "idempotent", "meta",
                 "traceparent", "parent", "retry", "link", "refused_by", "wait_until",
                 "on_done", "outcome", "last_refusal")

    def __init__(self, request_id, service, method, params, deadline, idempotent, on_done):
        self.request_id = request_id
        self.service = service
        self.method = method
        self.params = params            # BSON bytes
        self.deadline = deadline        # monotonic seconds
        self.idempotent = idempotent
        self.meta = []
        self.traceparent = ""
        self.parent = ""
        self.retry = 0
        self.link = None                # the Link holding it, if sent
        self.refused_by = set()         # links that answered UNAVAILABLE
        self.wait_until = None          # waiting for a connection until then
        self.on_done = on_done
        self.outcome = None
        self.last_refusal = None       # (code, detail) of the last move

    @property
    def done(self):
        return self.outcome is not None


class Engine(Inbound):
    def __init__(self, context, directory, curve_keys=None, broker_key=None, heartbeat=1.0,
                 liveness=3, name="python"):
        self.links = LinkSet(context, curve_keys, broker_key)
        self.directory = directory
        self.heartbeat = heartbeat
        self.liveness = liveness
        self.origin = f"{socket_module.gethostname()}/{os.getpid()}/{name}"
        self.calls = {}
        self._waiting = {}      # request_id -> Call, not sent for want of a connection
        self._dirty = set()     # links with records staged this turn
        self._deadlines = []    # heap of (deadline, seq, request_id)
        self._seq = itertools.count()
        self._id_prefix = os.urandom(4).hex() + "-"
        self.stats = dict.fromkeys(("calls", "replies", "errors", "timeouts", "late_replies",
                                    "malformed", "brokers_lost", "retries", "moved"), 0)

    # -- starting calls -----------------------------------------------------

    def new_call(self, service, method, params, timeout, now, idempotent=False, meta=None,
                 traceparent="", parent="", on_done=None):
        if not isinstance(service, str) or not service:
            raise ValueError("service must be a non-empty string")
        if not isinstance(method, str) or not method:
            raise ValueError("method must be a non-empty string")
        if timeout is None or timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        rid = self._id_prefix + format(next(self._seq), "x")
        call = Call(rid, service, method, envelope.encode_document(params), now + timeout,
                    bool(idempotent), on_done)
        if meta:
            pairs = list(meta.items()) if isinstance(meta, dict) else list(meta)
            envelope._meta_document(pairs)  # refuses non-strings now, not on the wire
            call.meta = pairs
        call.traceparent, call.parent = traceparent or "", parent or ""
        return call

    def start(self, call, now):
        self.stats["calls"] += 1
        self.calls[call.request_id] = call
        heapq.heappush(self._deadlines, (call.deadline, next(self._seq), call.request_id))
        self._dispatch(call, now)

    def cancel(self, request_id, now):
        """The caller gave up: the call ends CANCELLED, and its broker is told
        (mmi.cancel) so that it drops the request if it still holds it."""
        call = self.calls.get(request_id)
        if call is None:
            return
        link = call.link
        self._finish(call, Outcome.failure(ErrorCode.CANCELLED, "cancelled by the caller",
                                           call.retry))
        if link is not None and link.socket is not None:
            self.flush(now)  # the request leaves before its cancel
            self._send(link, [b"", mdp.CLIENT, b"mmi.cancel", request_id.encode()])

    def open_links(self):
        """Links to every broker the directory lists, connecting."""
        return [self.links.get(e) for _, e in self.directory.order(None)]

    def connecting(self):
        """True while a listed broker is neither connected nor unreachable."""
        return any(self._pending(l) for l in self.open_links())

    def connected(self):
        return [l.endpoint for l in self.open_links() if l.connected]

    # -- choosing a broker and sending --------------------------------------

    def _candidates(self, call):
        return [self.links.get(e) for _, e in self.directory.order(call.service)]

    def _tiers(self, call):
        """The candidates in groups of equal rank, best first."""
        tiers, last = [], None
        for rank, endpoint in self.directory.order(call.service):
            if rank != last:
                tiers.append([])
                last = rank
            tiers[-1].append(self.links.get(endpoint))
        return tiers

    def _dispatch(self, call, now):
        """Sends the call to the best broker that can take it now, or leaves
        it waiting for a connection, or ends it if no broker could."""
        if now >= call.deadline:
            self._finish(call, Outcome.failure(ErrorCode.TIMEOUT, self._timeout_text(call),
                                               call.retry))
            return
        tiers = self._tiers(call)
        for tier in tiers:
            # The best rank that can take it: a broker of it still connecting
            # is waited for rather than a worse one used (ours before another
            # region's), until it connects or is found unreachable.
            ready = [l for l in tier if l.connected and l not in call.refused_by]
            ready.sort(key=lambda l: l.refusing_until > now)  # stable: order kept
            for link in self._by_weight(ready, now):
                if self._send_call(call, link, now):
                    return
            if ready or any(self._pending(l) and l not in call.refused_by for l in tier):
                self._wait(call, now)
                return
        self._finish(call, self._nowhere(call, [l for tier in tiers for l in tier]))

    def _by_weight(self, ready, now):
        """The order to try `ready` in, brokers of one rank: with discovered
        brokers, first the one that smooth weighted round robin picks among
        those not refusing, then the rest as they came (given brokers keep
        their order of preference). Each scores the registry's weight of its load over 1 + this
        client's calls out on it (as the C++ client's broker_choice.hpp
        explains): every pick adds each score to its broker's credit and
        takes the total from the one picked, the one with the most credit.
        Equal brokers alternate; a broker with a queue gets fewer calls."""
        usable = [l for l in ready if l.refusing_until <= now]
        if len(usable) < 2 or not self.directory.spreads:
            return ready
        total, best = 0.0, None
        for link in usable:
            score = self.directory.weight(link.endpoint) / (1 + len(link.held))
            link.credit += score
            total += score
            if best is None or link.credit > best.credit:
                best = link
        best.credit -= total
        return [best] + [l for l in ready if l is not best]

    def _pending(self, link):
        return link.socket is not None and not link.connected and link.unreachable is None

    def _wait(self, call, now):
        if call.wait_until is None:
            call.wait_until = now + self.heartbeat * self.liveness
        self._waiting[call.request_id] = call

    def _nowhere(self, call, candidates):
        if call.last_refusal:
            return Outcome.failure(*call.last_refusal, call.retry)
        if not candidates:
            return Outcome.failure(*self.directory.none_for(call.service), call.retry)
        tried = ", ".join(f"{l.endpoint} ({l.unreachable or 'not connected'})"
                          for l in candidates)
        code = (ErrorCode.UNAUTHORIZED if all(l.denied for l in candidates)
                else ErrorCode.UNAVAILABLE)
        return Outcome.failure(code, f"no broker reachable for '{call.service}' (tried {tried})",
                               call.retry)

    def _send_call(self, call, link, now):
        budget_ms = int((call.deadline - now) * 1000)
        if budget_ms <= 0:
            return False
        header = envelope.RequestHeader(
            method=call.method, request_id=call.request_id, origin=self.origin,
            retry=call.retry, timeout_ms=budget_ms, idempotent=call.idempotent,
            traceparent=call.traceparent, parent=call.parent, meta=call.meta)
        service, encoded = call.service.encode(), envelope.encode_request_header(header)
        if link.out.stage(service, encoded, call.params, call.request_id):
            self._dirty.add(link)  # leaves with the others at the end of this turn
        elif not self._send(link, [b"", mdp.CLIENT, service, encoded, call.params]):
            return False
        if not link.held:
            link.busy_since = now
        link.held.add(call.request_id)
        call.link = link
        call.wait_until = None
        self._waiting.pop(call.request_id, None)
        return True

    def _send(self, link, frames):
        try:
            link.socket.send_multipart(frames, zmq.NOBLOCK)
            return True
        except zmq.Again:  # no connection after all (immediate), or full
            return False

    # -- ending calls -------------------------------------------------------

    def _finish(self, call, outcome):
        if call.outcome is not None:
            return
        call.outcome = outcome
        self.calls.pop(call.request_id, None)
        self._waiting.pop(call.request_id, None)
        if call.link is not None:
            call.link.held.discard(call.request_id)
            call.link = None
        self.stats["replies" if outcome.ok else "errors"] += 1
        if outcome.code == ErrorCode.TIMEOUT:
            self.stats["timeouts"] += 1
        if call.on_done is not None:
            call.on_done(outcome)

    def _timeout_text(self, call):
        where = f" at {call.link.endpoint}" if call.link is not None else ""
        return f"no reply from '{call.service}'{where} within the call's deadline"

    # -- time ---------------------------------------------------------------

    def tick(self, now):
        """Deadlines, waits for a connection, and broker liveness."""
        if len(self._deadlines) > 2 * len(self.calls) + 1024:
            # Ended calls leave their entries until their deadline: drop them
            # now and then, so that the heap follows the calls out.
            self._deadlines = [d for d in self._deadlines if d[2] in self.calls]
            heapq.heapify(self._deadlines)
        while self._deadlines and self._deadlines[0][0] <= now:
            _, _, rid = heapq.heappop(self._deadlines)
            call = self.calls.get(rid)
            if call is not None:
                self._finish(call, Outcome.failure(ErrorCode.TIMEOUT, self._timeout_text(call),
                                                   call.retry))
        for call in list(self._waiting.values()):
            if call.done:
                continue
            if call.wait_until <= now:
                self._give_up_connecting(call, now)
            self._dispatch(call, now)
        self._check_links(now)
        self.flush(now)

    def flush(self, now):
        """Sends the records staged this turn. Calls whose batch could not
        leave (the connection went) wait, and are sent again soon."""
        dirty, self._dirty = self._dirty, set()
        for link in dirty:
            if link.socket is None:
                continue
            for rid in link.out.flush(link.socket):
                link.held.discard(rid)
                call = self.calls.get(rid)
                if call is not None and call.link is link:
                    call.link = None
                    self._wait(call, now)

    def _give_up_connecting(self, call, now):
        """A call waited heartbeat x liveness for a connection: brokers that
        made none in that long count as unreachable (the next rank's get the
        call, or it ends UNAVAILABLE)."""
        wait = self.heartbeat * self.liveness
        for link in self._candidates(call):
            if self._pending(link) and now - link.opened_at >= wait:
                link.unreachable = f"no connection after {wait:g} s"
        if any(self._pending(l) for l in self._candidates(call)):
            call.wait_until = now + wait  # a broker that was just opened gets its time
        else:
            call.wait_until = None

    def _check_links(self, now):
        dead_after = self.heartbeat * self.liveness
        for link in self.links:
            if link.connected:
                link.out.ask(link.socket, now, self.heartbeat)
            if not link.held or not link.connected:
                continue
            silent = link.silent_for(now)
            if silent >= dead_after:
                self._lose(link, now, "not answering")
            elif silent >= self.heartbeat and now - link.last_ping >= self.heartbeat:
                link.last_ping = now  # 8/MMI: any broker answers; the answer proves it alive
                self._send(link, _PING)

    def next_wake(self, now):
        """Seconds until tick() has something to do (a bound, not exact)."""
        wake = now + self.heartbeat / 2 if any(l.held for l in self.links) else now + 3600
        if self._deadlines:
            wake = min(wake, self._deadlines[0][0])
        if self._waiting:
            wake = min(wake, now + 0.01)  # re-sends soon: a connection may be usable
        return max(0.0, wake - now)

    def close(self, now):
        for call in list(self.calls.values()):
            self._finish(call, Outcome.failure(ErrorCode.CANCELLED, "the client was closed",
                                               call.retry))
        self.links.close()
