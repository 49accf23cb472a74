"""The RPC envelope: round trips, the wire types the C++ side relies on,
and malformed input (which must raise ProtocolError, never anything else)."""

import random
import struct
import unittest

import harness  # noqa: F401  (puts python/ on sys.path)
import bson
from bson.int64 import Int64

from skynet import envelope, ErrorCode, ProtocolError
from skynet.envelope import RequestHeader, ReplyHeader


def bson_types(data):
    """{field: BSON type byte} of a flat document."""
    out, pos = {}, 4
    while data[pos] != 0:
        kind = data[pos]
        end = data.index(b"\x00", pos + 1)
        name = data[pos + 1:end].decode()
        out[name] = kind
        pos = end + 1
        if kind == 0x02:
            pos += 4 + struct.unpack_from("<i", data, pos)[0]
        elif kind == 0x03:
            pos += struct.unpack_from("<i", data, pos)[0]
        else:
            pos += {0x08: 1, 0x10: 4, 0x12: 8}[kind]
    return out


class RequestHeaderTest(unittest.TestCase):
    def test_round_trip_keeps_every_field(self):
        h = RequestHeader(method="Index", request_id="r-1", origin="host/42/py", retry=2,
                          timeout_ms=1500, idempotent=True, traceparent="00-" + "a" * 32 + "-"
                          + "b" * 16 + "-01", parent="p-9",
                          meta=[("tenant", "acme"), ("tag", "x"), ("tag", "y")])
        back = envelope.decode_request_header(envelope.encode_request_header(h))
        self.assertEqual(back, h)

    def test_direct_writer_matches_the_bson_encoder(self):
        rng = random.Random(5)
        for i in range(300):
            h = RequestHeader(
                method=rng.choice(["Index", "ü", "x" * 300]), request_id=f"id-{i}",
                origin=rng.choice(["", "h/1/p"]), retry=rng.randrange(0, 2**31),
                timeout_ms=rng.choice([None, 0, 1, 2**40]), idempotent=rng.random() < 0.5,
                traceparent=rng.choice(["", "00-" + "a" * 32 + "-" + "b" * 16 + "-01"]),
                parent=rng.choice(["", "p"]),
                meta=rng.choice([[], [("k", "v")], [("k", "v"), ("k", "ß")]]))
            self.assertEqual(envelope.encode_request_header(h),
                             envelope.encode_request_header_reference(h))

    def test_wire_types_are_the_contracts(self):
        # timeout_ms is int64 even when small: the broker rewrites its 8
        # bytes in place. retry is int32, idempotent a boolean.
        data = envelope.encode_request_header(
            RequestHeader("M", "id", origin="o", retry=1, timeout_ms=5, idempotent=False))
        self.assertEqual(bson_types(data), {"method": 0x02, "request_id": 0x02, "origin": 0x02,
                                            "retry": 0x10, "timeout_ms": 0x12,
                                            "idempotent": 0x08})

    def test_no_deadline_leaves_the_field_out(self):
        data = envelope.encode_request_header(RequestHeader("M", "id"))
        self.assertNotIn("timeout_ms", bson.decode(data))
        self.assertIsNone(envelope.decode_request_header(data).timeout_ms)

    def test_meta_keeps_order_and_repeated_keys(self):
        pairs = [("b", "1"), ("a", "2"), ("b", "3"), ("ü", "ñ")]
        data = envelope.encode_request_header(RequestHeader("M", "id", meta=pairs))
        self.assertEqual(envelope.decode_request_header(data).meta, pairs)

    def test_absent_meta_writes_nothing(self):
        data = envelope.encode_request_header(RequestHeader("M", "id"))
        self.assertNotIn("meta", bson.decode(data))

    def test_unknown_fields_are_ignored(self):
        data = bson.encode({"method": "M", "request_id": "i", "future": [1, 2.5, None]})
        self.assertEqual(envelope.decode_request_header(data).method, "M")

    def test_int32_timeout_from_another_peer_is_read(self):
        data = bson.encode({"method": "M", "request_id": "i", "timeout_ms": 7})
        self.assertEqual(envelope.decode_request_header(data).timeout_ms, 7)

    def test_mistyped_fields_are_protocol_errors(self):
        cases = [
            {"request_id": "i"},
            {"method": "M"},
            {"method": 1, "request_id": "i"},
            {"method": "M", "request_id": "i", "retry": "0"},
            {"method": "M", "request_id": "i", "retry": -1},
            {"method": "M", "request_id": "i", "retry": Int64(2**40)},
            {"method": "M", "request_id": "i", "timeout_ms": "5"},
            {"method": "M", "request_id": "i", "timeout_ms": True},
            {"method": "M", "request_id": "i", "idempotent": 1},
            {"method": "M", "request_id": "i", "origin": 3},
            {"method": "M", "request_id": "i", "meta": "x"},
            {"method": "M", "request_id": "i", "meta": {"k": 1}},
        ]
        for doc in cases:
            with self.subTest(doc=doc), self.assertRaises(ProtocolError):
                envelope.decode_request_header(bson.encode(doc))

    def test_meta_must_be_strings_when_encoding(self):
        with self.assertRaises(TypeError):
            envelope.encode_request_header(RequestHeader("M", "i", meta=[("k", 1)]))


class ReplyHeaderTest(unittest.TestCase):
    def test_round_trip(self):
        for h in (ReplyHeader("r", ErrorCode.OK), ReplyHeader("r", ErrorCode.TIMEOUT, "late")):
            self.assertEqual(envelope.decode_reply_header(envelope.encode_reply_header(h)), h)

    def test_code_is_int32(self):
        data = envelope.encode_reply_header(ReplyHeader("r", ErrorCode.UNAUTHORIZED, "no"))
        self.assertEqual(bson_types(data)["code"], 0x10)

    def test_bad_replies(self):
        for doc in ({"code": 0}, {"request_id": "r"}, {"request_id": "r", "code": 11},
                    {"request_id": "r", "code": -1}, {"request_id": "r", "code": "0"},
                    {"request_id": 5, "code": 0}, {"request_id": "r", "code": 0, "error": 1}):
            with self.subTest(doc=doc), self.assertRaises(ProtocolError):
                envelope.decode_reply_header(bson.encode(doc))

    def test_whole_bodies(self):
        frames = envelope.encode_reply(ReplyHeader("r"), {"result": Int64(55)})
        header, result = envelope.decode_reply(frames)
        self.assertEqual((header.code, result), (ErrorCode.OK, {"result": 55}))
        with self.assertRaises(ProtocolError):
            envelope.decode_reply(frames[:1])
        with self.assertRaises(ProtocolError):
            envelope.decode_request(frames + [b""])


class MalformedBytesTest(unittest.TestCase):
    """Every corruption of a good header raises ProtocolError or decodes;
    nothing else escapes (the network hands us arbitrary bytes)."""

    def check_never_crashes(self, decode, good):
        rng = random.Random(1234)
        outcomes = {"ok": 0, "refused": 0}
        candidates = [b"", b"\x00", good[:-1], good + b"\x00", good[:4], b"\xff" * 40]
        for _ in range(3000):
            data = bytearray(good)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            candidates.append(bytes(data))
        for n in range(len(good)):
            candidates.append(good[:n])
        for data in candidates:
            try:
                decode(data)
                outcomes["ok"] += 1
            except ProtocolError:
                outcomes["refused"] += 1
        self.assertGreater(outcomes["refused"], 0)

    def test_direct_reader_agrees_with_bson(self):
        # Each corruption that pymongo's decoder accepts, the direct reader
        # reads the same; what it refuses, the header decoders refuse.
        good = envelope.encode_reply_header(ReplyHeader("abc", ErrorCode.SERVICE_ERROR, "boom"))
        rng = random.Random(99)
        for _ in range(3000):
            data = bytearray(good)
            data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
            fast = envelope._flat_fields(data)
            try:
                general = dict(bson.decode(data))
            except Exception:
                general = None
            if fast is not None:
                self.assertEqual(fast, general)

    def test_request_header(self):
        good = envelope.encode_request_header(RequestHeader(
            "Index", "abc", origin="h/1/p", retry=1, timeout_ms=900, idempotent=True,
            meta=[("k", "v"), ("k", "w")]))
        self.check_never_crashes(envelope.decode_request_header, good)

    def test_reply_header(self):
        good = envelope.encode_reply_header(ReplyHeader("abc", ErrorCode.SERVICE_ERROR, "boom"))
        self.check_never_crashes(envelope.decode_reply_header, good)

    def test_documents(self):
        self.check_never_crashes(envelope.decode_document,
                                 bson.encode({"n": 5, "s": "text", "sub": {"a": [1, 2]}}))


if __name__ == "__main__":
    unittest.main()
