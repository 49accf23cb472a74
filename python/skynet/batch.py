"""Batch frames (docs/design.md, "Batch frames"): many requests or replies in
ONE ZeroMQ frame, between our own peers once negotiated (libzmq's cost
follows the number of frames, and so does pyzmq's: sending five frames costs
about eight times one).

A batch frame is a sequence of records and nothing else (an empty frame is
a batch of none). A record::

    u8 route length R, R bytes of route (the service on the client leg,
       the broker's client address token on the worker leg),
    u8 frame count F (1 to 8),
    F times: u32 little-endian length L, then L bytes.

Negotiation, client side: on each new connection the client sends
``mmi.batch`` with one empty frame; our broker answers an empty frame and
the most bytes it reads in one batch frame (decimal), a plain broker "501".
Worker side: "batch" after the credit in ``mmi.credit`` (see the worker).
"""

import struct

from .errors import ProtocolError

__all__ = ["SERVICE", "MAX_RECORD_FRAMES", "MAX_ROUTE", "RECORD_LIMIT", "DEFAULT_LIMIT",
           "encode_record", "BatchWriter", "records", "is_grant", "grant_limit"]

SERVICE = b"mmi.batch"
MAX_RECORD_FRAMES = 8
MAX_ROUTE = 255
RECORD_LIMIT = 16 * 1024      # a record this large or more travels alone
DEFAULT_LIMIT = 64 * 1024     # the most bytes in one batch frame, unless told less

_U32 = struct.Struct("<I")


def encode_record(route, frames):
    """One record's bytes."""
    if len(route) > MAX_ROUTE:
        raise ValueError(f"a batch route is at most {MAX_ROUTE} bytes")
    if not 1 <= len(frames) <= MAX_RECORD_FRAMES:
        raise ValueError(f"a batch record holds 1 to {MAX_RECORD_FRAMES} frames")
    parts = [bytes((len(route),)), route, bytes((len(frames),))]
    for frame in frames:
        parts.append(_U32.pack(len(frame)))
        parts.append(frame)
    return b"".join(parts)


class BatchWriter:
    """Records gathered for one peer, cut into frames of at most ``limit``
    bytes (a record larger than the limit gets a frame of its own)."""

    def __init__(self, limit=DEFAULT_LIMIT):
        self.limit = limit
        self._parts = []
        self._size = 0
        self.full = []   # finished batch frames, oldest first

    def add(self, route, frames):
        record = encode_record(route, frames)
        if self._parts and self._size + len(record) > self.limit:
            self.cut()
        self._parts.append(record)
        self._size += len(record)

    def cut(self):
        if self._parts:
            self.full.append(b"".join(self._parts))
            self._parts, self._size = [], 0

    def take(self):
        """Every batch frame gathered, the last one cut now."""
        self.cut()
        frames, self.full = self.full, []
        return frames

    def __len__(self):
        return len(self.full) + (1 if self._parts else 0)


def records(data):
    """The records of a batch frame as (route bytes, [frame bytes]). All or
    nothing: a batch that is not whole raises ProtocolError before any
    record is returned, since none of them could be trusted."""
    data = memoryview(data)
    out, pos, end = [], 0, len(data)
    while pos < end:
        route_len = data[pos]
        pos += 1
        if pos + route_len + 1 > end:
            raise ProtocolError("batch record's route overruns the frame")
        route = bytes(data[pos:pos + route_len])
        pos += route_len
        count = data[pos]
        pos += 1
        if not 1 <= count <= MAX_RECORD_FRAMES:
            raise ProtocolError(f"batch record has {count} frames (1 to 8)")
        frames = []
        for _ in range(count):
            if pos + 4 > end:
                raise ProtocolError("batch record's frame length overruns the frame")
            (length,) = _U32.unpack_from(data, pos)
            pos += 4
            if length > end - pos:
                raise ProtocolError("batch record's frame overruns the frame")
            frames.append(bytes(data[pos:pos + length]))
            pos += length
        out.append((route, frames))
    return out


def is_grant(body):
    """An answer to the probe: an empty frame and a limit (not a batch of
    replies, which is one frame)."""
    return len(body) == 2 and len(body[0]) == 0


def grant_limit(body):
    """The broker's limit from its grant; ProtocolError if it is none."""
    try:
        limit = int(bytes(body[1]).decode("ascii"))
    except (ValueError, UnicodeDecodeError, IndexError):
        limit = 0
    if not is_grant(body) or limit <= 0 or not bytes(body[1]).isdigit():
        raise ProtocolError("batch answer is not an empty batch and a positive limit")
    return limit
