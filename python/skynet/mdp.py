"""Majordomo 7/MDP/0.1 frames, as a DEALER peer sends and receives them.

Frames as docs/design.md lists them (the broker's ROUTER adds and strips the
peer's identity; a DEALER sees none):

client REQUEST / REPLY   "" · "MDPC01" · service · body frames
worker READY             "" · "MDPW01" · 0x01 · service
REQUEST (to a worker)    "" · "MDPW01" · 0x02 · client address · "" · body
REPLY (from a worker)    "" · "MDPW01" · 0x03 · client address · "" · body
HEARTBEAT / DISCONNECT   "" · "MDPW01" · 0x04 / 0x05

Builders return lists of bytes for ``socket.send_multipart``; parsers take
what ``recv_multipart`` gave and raise :class:`~skynet.errors.ProtocolError`
for anything else.
"""

from dataclasses import dataclass, field

from .errors import ProtocolError

__all__ = [
    "CLIENT", "WORKER", "READY", "REQUEST", "REPLY", "HEARTBEAT", "DISCONNECT",
    "COMMAND_NAMES", "client_request", "parse_client_reply", "ClientReply",
    "ready", "worker_reply", "heartbeat", "disconnect", "parse_worker_message",
    "WorkerMessage", "MMI_SERVICE",
]

CLIENT = b"MDPC01"
WORKER = b"MDPW01"

READY = b"\x01"
REQUEST = b"\x02"
REPLY = b"\x03"
HEARTBEAT = b"\x04"
DISCONNECT = b"\x05"
COMMAND_NAMES = {READY: "READY", REQUEST: "REQUEST", REPLY: "REPLY",
                 HEARTBEAT: "HEARTBEAT", DISCONNECT: "DISCONNECT"}

# 8/MMI: any broker answers "200"/"404" for a service name, "501" for an
# mmi.* name it does not know.
MMI_SERVICE = b"mmi.service"


def _bytes(value):
    return value.encode() if isinstance(value, str) else bytes(value)


# -- client side ------------------------------------------------------------

def client_request(service, body):
    """A client REQUEST: body is one or more frames."""
    body = [_bytes(b) for b in body]
    if not body:
        raise ValueError("a request needs one body frame or more")
    return [b"", CLIENT, _bytes(service), *body]


@dataclass
class ClientReply:
    service: bytes
    body: list


def parse_client_reply(frames):
    """A REPLY from the broker to a client."""
    if len(frames) < 3:
        raise ProtocolError(f"a client reply has 3 frames or more, not {len(frames)}")
    if frames[0] != b"":
        raise ProtocolError("a client reply begins with an empty frame")
    if frames[1] != CLIENT:
        raise ProtocolError(f"not an MDPC01 reply (protocol {bytes(frames[1][:16])!r})")
    return ClientReply(bytes(frames[2]), list(frames[3:]))


# -- worker side ------------------------------------------------------------

def ready(service):
    return [b"", WORKER, READY, _bytes(service)]


def worker_reply(client_address, body):
    body = [_bytes(b) for b in body]
    if not body:
        raise ValueError("a reply needs one body frame or more")
    return [b"", WORKER, REPLY, _bytes(client_address), b"", *body]


def heartbeat():
    return [b"", WORKER, HEARTBEAT]


def disconnect():
    return [b"", WORKER, DISCONNECT]


@dataclass
class WorkerMessage:
    command: bytes                   # REQUEST, HEARTBEAT, DISCONNECT (or READY/REPLY
    client_address: bytes = b""      # when parsing what a worker sent)
    body: list = field(default_factory=list)
    service: bytes = b""             # READY only

    @property
    def name(self):
        return COMMAND_NAMES[self.command]


def parse_worker_message(frames):
    """Any MDPW01 command, either direction (what a broker sends a worker, or
    what a worker sends: tests and relays read both)."""
    if len(frames) < 3 or frames[0] != b"" or frames[1] != WORKER:
        raise ProtocolError("not an MDPW01 message (\"\" · MDPW01 · command expected)")
    command = bytes(frames[2])
    rest = frames[3:]
    if command in (REQUEST, REPLY):
        if len(rest) < 3 or rest[1] != b"":
            raise ProtocolError(f"an MDPW01 {COMMAND_NAMES[command]} is client address · \"\" · "
                                "body (one frame or more)")
        return WorkerMessage(command, bytes(rest[0]), list(rest[2:]))
    if command == READY:
        if len(rest) != 1 or not rest[0]:
            raise ProtocolError("an MDPW01 READY has one frame: the service")
        return WorkerMessage(command, service=bytes(rest[0]))
    if command in (HEARTBEAT, DISCONNECT):
        if rest:
            raise ProtocolError(f"an MDPW01 {COMMAND_NAMES[command]} has no more frames")
        return WorkerMessage(command)
    raise ProtocolError(f"unknown MDPW01 command {command!r}")
