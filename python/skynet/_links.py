"""One DEALER per broker, and what the client knows of each connection.

A link's socket is replaced whole when its broker is lost: the broker forgot
our routing id with the connection, and a new socket drops whatever the old
one still queued, so nothing sent to a lost broker can arrive later.
Connection state comes from a socket monitor, as in the C++ client
(docs/design.md, "Broker death, seen from a client" and "Failing fast").
"""

import time

import zmq
from zmq.utils.monitor import parse_monitor_message

from . import keys as skynet_keys
from ._outbox import Outbox

_EVENTS = (zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED | zmq.EVENT_CONNECT_RETRIED
           | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
           | zmq.EVENT_HANDSHAKE_FAILED_AUTH)

# What a monitor event means for a link.
MADE, LOST, REFUSED, DENIED, OTHER = "made", "lost", "refused", "denied", "other"


class Link:
    """A broker endpoint and its current socket."""

    def __init__(self, endpoint, index):
        self.endpoint = endpoint
        self.index = index
        self.socket = None
        self.monitor = None
        self.connected = False      # handshake done on the current socket
        self.unreachable = None     # why the last attempt failed, if it did
        self.denied = False         # the failure was the CURVE handshake
        self.held = set()           # request_ids sent here and unanswered
        self.last_heard = 0.0
        self.last_ping = 0.0
        self.busy_since = 0.0
        self.refusing_until = 0.0   # answered UNAVAILABLE (draining) until then
        self.credit = 0.0           # smooth weighted round robin (Engine._by_weight)
        self.opened_at = 0.0        # when the current socket began to connect
        self.out = Outbox()         # batch agreement and staged records

    def silent_for(self, now):
        return now - max(self.last_heard, self.busy_since)


class LinkSet:
    """The links, their sockets and monitors. ``version`` changes whenever a
    socket is made or closed, so drivers know to watch the new ones."""

    def __init__(self, context, curve_keys=None, broker_key=None):
        self.context = context
        self.curve_keys = curve_keys
        self.broker_key = broker_key
        self.links = []
        self.by_endpoint = {}
        self.version = 0
        self._owner = {}  # socket -> (link, is_monitor)

    def __iter__(self):
        return iter(self.links)

    def __len__(self):
        return len(self.links)

    def get(self, endpoint):
        """The link for an endpoint, made (and connecting) on first use."""
        link = self.by_endpoint.get(endpoint)
        if link is None:
            link = Link(endpoint, len(self.links))
            self.links.append(link)
            self.by_endpoint[endpoint] = link
            self.open(link)
        return link

    def open(self, link):
        sock = self.context.socket(zmq.DEALER)
        sock.linger = 0
        sock.immediate = 1  # a send succeeds only over a made connection
        sock.sndhwm = sock.rcvhwm = 200000
        if self.curve_keys is not None:
            skynet_keys.apply_client_keys(sock, self.curve_keys, self.broker_key)
        link.monitor = sock.get_monitor_socket(_EVENTS)
        sock.connect(link.endpoint)
        link.opened_at = time.monotonic()
        link.out.reset()
        link.socket = sock
        link.connected = False
        self._owner[sock] = (link, False)
        self._owner[link.monitor] = (link, True)
        self.version += 1

    def close_socket(self, link):
        if link.socket is None:
            return
        for s in (link.socket, link.monitor):
            self._owner.pop(s, None)
        try:
            link.socket.disable_monitor()
        except zmq.ZMQError:
            pass
        link.monitor.close(0)
        link.socket.close(0)
        link.socket = link.monitor = None
        link.connected = False
        self.version += 1

    def reconnect(self, link):
        self.close_socket(link)
        self.open(link)

    def owner(self, sock):
        return self._owner.get(sock, (None, False))

    def sockets(self):
        return list(self._owner)

    def read_event(self, link):
        """The next monitor event of a link, as MADE/LOST/REFUSED/DENIED/OTHER,
        with its detail; None when there is none."""
        try:
            frames = link.monitor.recv_multipart(zmq.NOBLOCK)
        except zmq.Again:
            return None
        try:
            event = parse_monitor_message(frames)["event"]
        except Exception:
            return OTHER, ""
        if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
            return MADE, ""
        if event == zmq.EVENT_DISCONNECTED:
            return LOST, "connection lost"
        if event == zmq.EVENT_CONNECT_RETRIED:
            return REFUSED, "connection refused"
        if event == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
            return DENIED, "the broker refused our CURVE key (not in its --allow-keys?)"
        if event in (zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL, zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL):
            why = ("CURVE handshake failed (wrong broker key, or the broker runs without CURVE?)"
                   if self.curve_keys is not None else
                   "handshake failed (the broker requires CURVE: give curve_key and broker_key)")
            return DENIED, why
        return OTHER, ""

    def close(self):
        for link in self.links:
            self.close_socket(link)
