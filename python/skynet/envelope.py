"""The RPC envelope inside 7/MDP bodies (docs/design.md, "RPC envelope").

A request body is two frames, a BSON header and a BSON params document; a
reply body is a BSON header and a BSON result document. Header fields and
their BSON types are fixed by the wire contract:

request: method (string), request_id (string), origin (string), retry
(int32), timeout_ms (int64: the budget left when sent), idempotent (bool),
and optionally traceparent, parent (strings) and meta (a sub-document whose
values are all strings, in order, keys may repeat).

reply: request_id (string), code (int32), error (string).

Decoders take bytes from the network: anything that is not our envelope
raises :class:`~skynet.errors.ProtocolError` with what is wrong, never another
exception. Unknown header fields are ignored, so that newer peers may add some.
"""

import struct
from dataclasses import dataclass, field

import bson
from bson.codec_options import CodecOptions
from bson.int64 import Int64
from bson.raw_bson import RawBSONDocument
from bson.son import SON

from .errors import ErrorCode, ProtocolError

__all__ = [
    "RequestHeader", "ReplyHeader", "encode_request", "decode_request",
    "encode_reply", "decode_reply", "encode_request_header",
    "decode_request_header", "encode_reply_header", "decode_reply_header",
    "encode_document", "decode_document", "EMPTY_DOCUMENT",
]

INT32_MAX = 2**31 - 1
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1
_CODE_MAX = max(ErrorCode)
EMPTY_DOCUMENT = b"\x05\x00\x00\x00\x00"
_RAW = CodecOptions(document_class=RawBSONDocument)


@dataclass
class RequestHeader:
    method: str
    request_id: str
    origin: str = ""
    retry: int = 0
    timeout_ms: "int | None" = None  # None: no deadline (the field is left out)
    idempotent: bool = False
    traceparent: str = ""
    parent: str = ""
    meta: list = field(default_factory=list)  # [(key, value), ...] strings


@dataclass
class ReplyHeader:
    request_id: str
    code: ErrorCode = ErrorCode.OK
    error: str = ""


# -- documents (params and results) -----------------------------------------

def encode_document(doc):
    """A params or result mapping as BSON bytes. None is the empty document."""
    if doc is None:
        return EMPTY_DOCUMENT
    if isinstance(doc, (bytes, bytearray, memoryview)):
        return bytes(doc)  # already BSON: the caller's business
    try:
        return bson.encode(doc)
    except Exception as e:  # bson raises several kinds; one is enough here
        raise TypeError(f"cannot encode {type(doc).__name__} as a BSON document: {e}") from e


def decode_document(data):
    """BSON bytes as a dict; malformed bytes raise ProtocolError."""
    try:
        return bson.decode(bytes(data))
    except Exception as e:
        raise ProtocolError(f"not a BSON document: {e}") from e


# -- headers ----------------------------------------------------------------

def _meta_document(pairs):
    """meta as raw BSON: a document may repeat a key, a dict cannot."""
    body = bytearray()
    for key, value in pairs:
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("meta keys and values must be strings")
        k = key.encode()
        if b"\x00" in k:
            raise ValueError("a meta key cannot hold a NUL character")
        v = value.encode()
        body += b"\x02" + k + b"\x00" + struct.pack("<i", len(v) + 1) + v + b"\x00"
    return RawBSONDocument(struct.pack("<i", len(body) + 5) + bytes(body) + b"\x00")


def _meta_pairs(raw):
    """Reads meta's raw bytes in order; a value that is not a string is a
    malformed header, as the C++ reader says."""
    pairs, pos, end = [], 4, len(raw) - 1
    try:
        while pos < end:
            kind = raw[pos]
            key_end = raw.index(b"\x00", pos + 1)
            if kind != 0x02:
                raise ProtocolError("request header meta holds a value that is not a string")
            (length,) = struct.unpack_from("<i", raw, key_end + 1)
            start = key_end + 5
            if length < 1 or start + length > end or raw[start + length - 1] != 0:
                raise ProtocolError("request header meta has a string that overruns it")
            pairs.append((raw[pos + 1:key_end].decode(), raw[start:start + length - 1].decode()))
            pos = start + length
    except (ValueError, IndexError, struct.error, UnicodeDecodeError) as e:
        if isinstance(e, ProtocolError):
            raise
        raise ProtocolError(f"request header meta is malformed: {e}") from e
    return pairs


_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")


def _string_element(name, value):
    data = value.encode()
    return b"\x02" + name + b"\x00" + _I32.pack(len(data) + 1) + data + b"\x00"


def encode_request_header(h):
    """The header's BSON, written directly: it is built for every call, and
    these few fixed types cost a tenth of a general encoder (the bytes are
    the same as encode_request_header_reference's: a test checks it)."""
    parts = [_string_element(b"method", h.method),
             _string_element(b"request_id", h.request_id),
             _string_element(b"origin", h.origin),
             b"\x10retry\x00" + _I32.pack(int(h.retry))]
    if h.timeout_ms is not None:
        parts.append(b"\x12timeout_ms\x00" + _I64.pack(max(0, int(h.timeout_ms))))
    parts.append(b"\x08idempotent\x00\x01" if h.idempotent else b"\x08idempotent\x00\x00")
    if h.traceparent:
        parts.append(_string_element(b"traceparent", h.traceparent))
    if h.parent:
        parts.append(_string_element(b"parent", h.parent))
    if h.meta:
        parts.append(b"\x03meta\x00" + _meta_document(h.meta).raw)
    body = b"".join(parts)
    return _I32.pack(len(body) + 5) + body + b"\x00"


def encode_request_header_reference(h):
    """The same header through pymongo's encoder: the reference the direct
    writer must match."""
    doc = SON()
    doc["method"] = h.method
    doc["request_id"] = h.request_id
    doc["origin"] = h.origin
    doc["retry"] = int(h.retry)
    if h.timeout_ms is not None:
        doc["timeout_ms"] = Int64(max(0, int(h.timeout_ms)))  # int64 on the wire, always
    doc["idempotent"] = bool(h.idempotent)
    if h.traceparent:
        doc["traceparent"] = h.traceparent
    if h.parent:
        doc["parent"] = h.parent
    if h.meta:
        doc["meta"] = _meta_document(h.meta)
    return bson.encode(doc)


def encode_reply_header(h):
    doc = SON([("request_id", h.request_id), ("code", int(h.code))])
    if h.error:
        doc["error"] = h.error
    return bson.encode(doc)


def _flat_fields(data):
    """A header of strings, int32s, int64s and booleans read directly (the
    common case, on every reply); None for anything else, which the general
    reader then decides on."""
    try:
        n = len(data)
        if n < 5 or _I32.unpack_from(data, 0)[0] != n or data[n - 1] != 0:
            return None
        fields, pos = {}, 4
        while pos < n - 1:
            kind = data[pos]
            end = data.index(b"\x00", pos + 1)
            name = data[pos + 1:end].decode()
            pos = end + 1
            if kind == 0x02:
                length = _I32.unpack_from(data, pos)[0]
                stop = pos + 4 + length
                if length < 1 or stop > n - 1 or data[stop - 1] != 0:
                    return None
                fields[name] = data[pos + 4:stop - 1].decode()
                pos = stop
            elif kind == 0x10:
                fields[name] = _I32.unpack_from(data, pos)[0]
                pos += 4
            elif kind == 0x12:
                fields[name] = _I64.unpack_from(data, pos)[0]
                pos += 8
            elif kind == 0x08 and data[pos] in (0, 1):
                fields[name] = data[pos] == 1
                pos += 1
            else:
                return None
        return fields if pos == n - 1 else None
    except (ValueError, IndexError, struct.error, UnicodeDecodeError):
        return None


def _raw_header(data, what):
    try:
        doc = bson.decode(bytes(data), _RAW)
        return doc, dict(doc.items())
    except Exception as e:
        raise ProtocolError(f"{what} header is not a BSON document: {e}") from e


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _string(fields, name, what, required=False):
    if name not in fields:
        if required:
            raise ProtocolError(f"{what} header lacks {name}")
        return ""
    value = fields[name]
    if not isinstance(value, str):
        raise ProtocolError(f"{what} header {name} is not a string")
    return value


def decode_request_header(data):
    data = bytes(data)
    f = _flat_fields(data)
    if f is None:
        _, f = _raw_header(data, "request")
    h = RequestHeader(method=_string(f, "method", "request", True),
                      request_id=_string(f, "request_id", "request", True))
    h.origin = _string(f, "origin", "request")
    h.traceparent = _string(f, "traceparent", "request")
    h.parent = _string(f, "parent", "request")
    if "retry" in f:
        if not _is_int(f["retry"]) or not 0 <= f["retry"] <= INT32_MAX:
            raise ProtocolError("request header retry is not an int32 of 0 or more")
        h.retry = int(f["retry"])
    if "timeout_ms" in f:
        if not _is_int(f["timeout_ms"]):
            raise ProtocolError("request header timeout_ms is not an integer")
        h.timeout_ms = int(f["timeout_ms"])
    if "idempotent" in f:
        if not isinstance(f["idempotent"], bool):
            raise ProtocolError("request header idempotent is not a boolean")
        h.idempotent = f["idempotent"]
    if "meta" in f:
        if not isinstance(f["meta"], RawBSONDocument):
            raise ProtocolError("request header meta is not a document")
        h.meta = _meta_pairs(f["meta"].raw)
    return h


def decode_reply_header(data):
    data = bytes(data)
    f = _flat_fields(data)
    if f is None:
        _, f = _raw_header(data, "reply")
    request_id = _string(f, "request_id", "reply", True)
    if "code" not in f:
        raise ProtocolError("reply header lacks code")
    code = f["code"]
    if not _is_int(code) or not 0 <= code <= _CODE_MAX:
        raise ProtocolError("reply code is not a known error code")
    return ReplyHeader(request_id, ErrorCode(code), _string(f, "error", "reply"))


# -- whole bodies -----------------------------------------------------------

def encode_request(header, params=None):
    """The two body frames of a request."""
    return [encode_request_header(header), encode_document(params)]


def decode_request(frames):
    """(RequestHeader, params dict) from a request's body frames."""
    if len(frames) != 2:
        raise ProtocolError(f"a request body is 2 frames, not {len(frames)}")
    return decode_request_header(frames[0]), decode_document(frames[1])


def encode_reply(header, result=None):
    """The two body frames of a reply (an error's result is empty)."""
    return [encode_reply_header(header), encode_document(result)]


def decode_reply(frames):
    """(ReplyHeader, result dict) from a reply's body frames."""
    if len(frames) != 2:
        raise ProtocolError(f"a reply body is 2 frames, not {len(frames)}")
    return decode_reply_header(frames[0]), decode_document(frames[1])
