"""What the client sends one broker: calls as records of batch frames once
the broker agreed (docs/design.md, "Batch frames"), else as plain 7/MDP
requests. Records staged during one turn of the driver leave together at
its end, in as few frames as the broker's limit allows."""

import zmq

from . import batch, mdp

_PROBE = [b"", mdp.CLIENT, batch.SERVICE, b""]
NOT_IMPLEMENTED = b"501"


class Outbox:
    def __init__(self):
        self.reset()

    def reset(self):
        """A new connection: nothing agreed, nothing staged."""
        self.batching = False
        self.refused = False      # the broker answered 501: plain frames only
        self.asked_at = None
        self.limit = batch.DEFAULT_LIMIT
        self.staged = []          # (record bytes, request_id), in order

    def ask(self, sock, now, every):
        """The batch question, on a new connection (and again every `every`
        seconds until it could be sent)."""
        if self.batching or self.refused or (self.asked_at is not None
                                             and now - self.asked_at < every):
            return
        try:
            sock.send_multipart(_PROBE, zmq.NOBLOCK)
            self.asked_at = now
        except zmq.Again:
            pass

    def on_answer(self, body):
        """The broker's answer to the question: 'granted', 'refused', 'lost'
        (a 501 after batches were sent: another broker is on the endpoint and
        dropped them) or 'malformed'."""
        if len(body) == 1 and bytes(body[0]) == NOT_IMPLEMENTED:
            if self.batching:
                return "lost"
            self.refused = True
            return "refused"
        try:
            limit = batch.grant_limit(body)
        except ValueError:
            return "malformed"
        if not self.batching:
            self.batching = True
            self.limit = min(limit, batch.DEFAULT_LIMIT)
        return "granted"

    def stage(self, service, header, params, request_id):
        """True if the call was staged as a record; False if it must travel
        as plain frames (no agreement yet, or too large for a batch)."""
        if not self.batching or len(service) > batch.MAX_ROUTE or \
                len(header) + len(params) >= min(batch.RECORD_LIMIT, self.limit):
            return False
        self.staged.append((batch.encode_record(service, [header, params]), request_id))
        return True

    def flush(self, sock):
        """Sends what is staged. Returns the request_ids that could not be
        sent (the connection went), in order; they never left."""
        staged, self.staged = self.staged, []
        i = 0
        while i < len(staged):
            parts, size, j = [], 0, i
            while j < len(staged) and (not parts or size + len(staged[j][0]) <= self.limit):
                parts.append(staged[j][0])
                size += len(staged[j][0])
                j += 1
            try:
                sock.send_multipart([b"", mdp.CLIENT, batch.SERVICE, b"".join(parts)],
                                    zmq.NOBLOCK)
            except zmq.Again:
                return [rid for _, rid in staged[i:]]
            i = j
        return []

    def take_staged(self):
        """The request_ids staged and not sent (a link lost mid-turn)."""
        staged, self.staged = self.staged, []
        return [rid for _, rid in staged]
