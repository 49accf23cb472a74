"""The client against a stand-in broker that misbehaves on purpose: replies
twice, answers with frames that are not our envelope, sends garbage. Each
call still ends exactly once, and nothing the network sends raises."""

import threading
import unittest

import harness
import zmq

import skynet
from skynet import ErrorCode, envelope, mdp


class HostileBroker:
    """A ROUTER that answers each request with what `answer(frames)` gives:
    a list of replies (each a list of body frames, or raw frames if
    `raw`)."""

    def __init__(self, answer):
        self.answer = answer
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.linger = 0
        self.endpoint = f"tcp://127.0.0.1:{self.sock.bind_to_random_port('tcp://127.0.0.1')}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            if not self.sock.poll(50):
                continue
            identity, *frames = self.sock.recv_multipart()
            service = frames[2]
            if service.startswith(b"mmi."):  # no batches, no pings answered specially
                self.sock.send_multipart([identity, b"", mdp.CLIENT, service, b"501"])
                continue
            for reply in self.answer(frames[3:]):
                self.sock.send_multipart([identity, *reply])

    def close(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()
        self.ctx.term()


def ok_reply(body, result):
    header = envelope.decode_request_header(body[0])
    return [b"", mdp.CLIENT, b"svc", *envelope.encode_reply(
        envelope.ReplyHeader(header.request_id), result)]


class HostileBrokerTest(unittest.TestCase):
    def with_broker(self, answer):
        broker = HostileBroker(answer)
        self.addCleanup(broker.close)
        client = skynet.Client(brokers=[broker.endpoint], timeout=harness.scaled(5))
        self.addCleanup(client.close)
        return client

    def test_a_second_reply_is_dropped(self):
        client = self.with_broker(lambda body: [ok_reply(body, {"n": 1}),
                                                ok_reply(body, {"n": 2})])
        self.assertEqual(client.call("svc", "M"), {"n": 1})
        self.assertEqual(client.call("svc", "M"), {"n": 1})  # not the first call's second
        harness.eventually(lambda: (client.call("svc", "M") and
                                    client.stats["late_replies"] >= 2), 5, "late replies")

    def test_a_reply_that_is_not_our_envelope_ends_the_call(self):
        client = self.with_broker(lambda body: [[b"", mdp.CLIENT, b"svc", b"plain", b"text"]])
        outcome = client.call_result("svc", "M")
        self.assertEqual(outcome.code, ErrorCode.SERVICE_ERROR)
        self.assertIn("not our reply envelope", outcome.detail)

    def test_a_result_that_is_not_bson(self):
        def answer(body):
            rid = envelope.decode_request_header(body[0]).request_id
            return [[b"", mdp.CLIENT, b"svc",
                     envelope.encode_reply_header(envelope.ReplyHeader(rid)), b"\x07garbage"]]
        outcome = self.with_broker(answer).call_result("svc", "M")
        self.assertEqual(outcome.code, ErrorCode.SERVICE_ERROR)

    def test_garbage_is_counted_and_the_deadline_still_ends_the_call(self):
        garbage = [[b"junk"], [b"", b"MDPW01", b"\x04"], [b"", mdp.CLIENT],
                   [b"", mdp.CLIENT, b"mmi.batch", b"\x05\x01"],
                   [b"", mdp.CLIENT, b"other", b"\xff" * 20, b""]]  # ties to no call
        client = self.with_broker(lambda body: garbage)
        outcome = client.call_result("svc", "M", timeout=0.5)
        self.assertEqual(outcome.code, ErrorCode.TIMEOUT)
        self.assertGreaterEqual(client.stats["malformed"], 3)

    def test_error_codes_from_the_wire(self):
        def answer(body):
            rid = envelope.decode_request_header(body[0]).request_id
            return [[b"", mdp.CLIENT, b"svc", *envelope.encode_reply(
                envelope.ReplyHeader(rid, ErrorCode.OVERLOADED, "queue full"))]]
        with self.assertRaises(skynet.Overloaded) as caught:
            self.with_broker(answer).call("svc", "M")
        self.assertEqual(caught.exception.detail, "queue full")


if __name__ == "__main__":
    unittest.main()
