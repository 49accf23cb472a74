"""Batch frames: round trips, the layout the C++ side reads, and batches that
are not whole (refused all or nothing, never a crash)."""

import random
import unittest

import harness  # noqa: F401
from skynet import batch, ProtocolError


class BatchTest(unittest.TestCase):
    def test_layout(self):
        self.assertEqual(batch.encode_record(b"svc", [b"ab", b""]),
                         b"\x03svc\x02" + b"\x02\x00\x00\x00ab" + b"\x00\x00\x00\x00")

    def test_round_trip(self):
        w = batch.BatchWriter()
        items = [(f"s{i}".encode(), [bytes([i]) * i, b"p" * (i % 3)]) for i in range(50)]
        for route, frames in items:
            w.add(route, frames)
        frames = w.take()
        self.assertEqual(len(frames), 1)
        self.assertEqual(batch.records(frames[0]), items)
        self.assertEqual(batch.records(b""), [])

    def test_limit_cuts_frames(self):
        w = batch.BatchWriter(limit=100)
        for _ in range(10):
            w.add(b"s", [b"x" * 40])
        frames = w.take()
        self.assertGreater(len(frames), 1)
        self.assertTrue(all(len(f) <= 100 for f in frames))
        self.assertEqual(sum(len(batch.records(f)) for f in frames), 10)

    def test_bad_records_refused_when_writing(self):
        with self.assertRaises(ValueError):
            batch.encode_record(b"s" * 256, [b""])
        with self.assertRaises(ValueError):
            batch.encode_record(b"s", [])
        with self.assertRaises(ValueError):
            batch.encode_record(b"s", [b""] * 9)

    def test_broken_batches_are_refused_whole(self):
        good = batch.encode_record(b"svc", [b"header", b"params"]) * 3
        for n in range(1, len(good)):
            if n % len(batch.encode_record(b"svc", [b"header", b"params"])) == 0:
                continue  # a whole number of records is a valid batch
            with self.subTest(n=n), self.assertRaises(ProtocolError):
                batch.records(good[:n])
        rng = random.Random(7)
        for _ in range(2000):
            data = bytearray(good)
            data[rng.randrange(len(data))] = rng.randrange(256)
            try:
                batch.records(bytes(data))
            except ProtocolError:
                pass

    def test_grant(self):
        self.assertEqual(batch.grant_limit([b"", b"65536"]), 65536)
        for body in ([b"", b"0"], [b"", b"x"], [b"x", b"10"], [b""], [b"", b"-5"]):
            with self.subTest(body=body), self.assertRaises(ProtocolError):
                batch.grant_limit(body)
        self.assertFalse(batch.is_grant([b"501"]))


if __name__ == "__main__":
    unittest.main()
