"""The Python worker's half of 7/MDP, seen from a stand-in broker (a ROUTER
socket the test drives): the credit question before READY, name@version,
a plain broker's 501, heartbeats, reconnection on a new socket after
DISCONNECT or silence, and the replies to requests it cannot run."""

import asyncio
import threading
import time
import unittest

import zmq

import harness
from skynet import envelope, mdp
from skynet.errors import ErrorCode
from skynet.worker import Worker


class StandInBroker:
    """A ROUTER on a free port; reads what workers send, one message at a time."""

    def __init__(self):
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.ROUTER)
        self.sock.linger = 0
        port = self.sock.bind_to_random_port("tcp://127.0.0.1")
        self.endpoint = f"tcp://127.0.0.1:{port}"

    def close(self):
        self.sock.close()
        self.ctx.term()

    def recv(self, timeout=10.0, skip_heartbeats=True):
        """(routing id, frames) of the next message, heartbeats skipped."""
        deadline = time.monotonic() + harness.scaled(timeout)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.sock.poll(int(left * 1000)):
                raise AssertionError("the worker sent nothing in time")
            identity, *frames = self.sock.recv_multipart()
            if skip_heartbeats and frames[1:3] == [mdp.WORKER, mdp.HEARTBEAT]:
                continue
            return identity, frames

    def send(self, identity, frames):
        self.sock.send_multipart([identity, *frames])

    def accept(self, grant=(b"200", b"4", b"heartbeat", b"100", b"liveness", b"3")):
        """Answers the credit question, then reads READY: (identity, service)."""
        identity, frames = self.recv()
        assert frames[:3] == [b"", mdp.CLIENT, b"mmi.credit"], frames
        self.send(identity, [b"", mdp.CLIENT, b"mmi.credit", *grant])
        identity2, ready = self.recv()
        assert identity2 == identity and ready[:3] == [b"", mdp.WORKER, mdp.READY], ready
        return identity, ready[3]

    def request(self, identity, address, header, params=None):
        body = [envelope.encode_request_header(header), envelope.encode_document(params)]
        self.send(identity, [b"", mdp.WORKER, mdp.REQUEST, address, b"", *body])

    def reply(self, timeout=10.0):
        """(address, ReplyHeader, result) of the next REPLY."""
        while True:
            _, frames = self.recv(timeout)
            if frames[2] == mdp.REPLY:
                message = mdp.parse_worker_message(frames)
                header, result = envelope.decode_reply(message.body)
                return message.client_address, header, result


class WorkerThread:
    """A Worker serving on an asyncio loop of its own thread."""

    def __init__(self, worker):
        self.worker = worker
        self.thread = threading.Thread(target=lambda: asyncio.run(worker.serve()), daemon=True)
        self.thread.start()

    def stop(self):
        self.worker.stop()
        self.thread.join(harness.scaled(20))
        assert not self.thread.is_alive(), "the worker did not stop"


class WorkerProtocolTest(unittest.TestCase):
    def setUp(self):
        self.broker = StandInBroker()
        self.addCleanup(self.broker.close)
        self.ran = []

    def start(self, **options):
        options.setdefault("heartbeat", 0.1)
        options.setdefault("drain_timeout", 2.0)
        w = Worker("calc", "2.1", self.broker.endpoint, **options)

        @w.method("add")
        def add(params, call):
            self.ran.append(call.request_id)
            return {"sum": params["a"] + params["b"]}

        t = WorkerThread(w)
        self.addCleanup(t.stop)
        return w

    def test_asks_for_credit_before_ready_and_announces_name_at_version(self):
        self.start(credit=16)
        identity, frames = self.broker.recv()
        self.assertEqual(frames, [b"", mdp.CLIENT, b"mmi.credit", b"16"])
        self.assertTrue(identity.endswith(b"/0/1"), identity)  # <instance id>/<link>/<epoch>
        self.broker.send(identity, [b"", mdp.CLIENT, b"mmi.credit", b"200", b"16"])
        _, ready = self.broker.recv()
        self.assertEqual(ready, [b"", mdp.WORKER, mdp.READY, b"calc@2.1"])

    def test_a_plain_broker_answering_501_gets_more_connections_and_the_bare_name(self):
        self.start(credit=3)
        identity, frames = self.broker.recv()
        self.broker.send(identity, [b"", mdp.CLIENT, b"mmi.credit", b"501"])
        # One request per connection there: credit 3 is three connections,
        # the two new ones READY at once, every one under the bare name.
        readies = {}
        while len(readies) < 3:
            sender, frames = self.broker.recv()
            self.assertEqual(frames, [b"", mdp.WORKER, mdp.READY, b"calc"])
            readies[sender.rsplit(b"/", 2)[1]] = sender
        self.assertEqual(sorted(readies), [b"0", b"1", b"2"])
        self.assertEqual(readies[b"0"], identity)
        # Each holds one request: three served at once, on three sockets.
        for i, sender in enumerate(readies.values()):
            self.broker.request(sender, b"a%d" % i,
                                envelope.RequestHeader("add", f"r{i}", timeout_ms=5000),
                                {"a": i, "b": 1})
        answered = sorted(self.broker.reply()[0] for _ in range(3))
        self.assertEqual(answered, [b"a0", b"a1", b"a2"])

    def test_serves_requests_and_answers_what_it_cannot_run(self):
        self.start()
        identity, _ = self.broker.accept()
        ok = envelope.RequestHeader("add", "r1", timeout_ms=5000)
        self.broker.request(identity, b"addr1", ok, {"a": 2, "b": 3})
        address, header, result = self.broker.reply()
        self.assertEqual((address, header.request_id, header.code, result),
                         (b"addr1", "r1", ErrorCode.OK, {"sum": 5}))

        unknown = envelope.RequestHeader("mul", "r2", timeout_ms=5000)
        self.broker.request(identity, b"addr2", unknown, {})
        _, header, _ = self.broker.reply()
        self.assertEqual((header.request_id, header.code), ("r2", ErrorCode.UNKNOWN_METHOD))

        expired = envelope.RequestHeader("add", "r3", timeout_ms=0)
        self.broker.request(identity, b"addr3", expired, {"a": 1, "b": 1})
        _, header, _ = self.broker.reply()
        self.assertEqual((header.request_id, header.code), ("r3", ErrorCode.TIMEOUT))

        raising = envelope.RequestHeader("add", "r4", timeout_ms=5000)
        self.broker.request(identity, b"addr4", raising, {"a": 1})  # no "b": KeyError
        _, header, _ = self.broker.reply()
        self.assertEqual((header.request_id, header.code), ("r4", ErrorCode.SERVICE_ERROR))
        self.assertIn("KeyError", header.error)

        # Not our envelope: a header without a method.
        bad = envelope.encode_reply_header(envelope.ReplyHeader("r5"))
        self.broker.send(identity, [b"", mdp.WORKER, mdp.REQUEST, b"addr5", b"", bad,
                                    envelope.EMPTY_DOCUMENT])
        address, header, _ = self.broker.reply()
        self.assertEqual((address, header.request_id, header.code),
                         (b"addr5", "r5", ErrorCode.BAD_REQUEST))
        self.assertEqual(self.ran, ["r1", "r4"])  # the expired one never ran

    def test_a_disconnect_brings_a_new_socket_and_ready_again(self):
        self.start()
        identity, _ = self.broker.accept()
        self.broker.send(identity, mdp.disconnect())
        identity2, name = self.broker.accept()
        self.assertNotEqual(identity, identity2)
        self.assertTrue(identity2.endswith(b"/0/2"), identity2)
        self.assertEqual(name, b"calc@2.1")

    def test_a_silent_broker_is_left_for_a_new_socket(self):
        self.start()
        identity, _ = self.broker.accept()
        # Nothing more from us: after liveness heartbeats it must start over.
        identity2, _ = self.broker.accept()
        self.assertNotEqual(identity, identity2)

    def test_heartbeats_at_the_agreed_interval(self):
        self.start(heartbeat=5.0)  # ours: 5 s; the broker's terms: 100 ms
        identity, _ = self.broker.accept()
        _, frames = self.broker.recv(timeout=2.0, skip_heartbeats=False)
        self.assertEqual(frames, [b"", mdp.WORKER, mdp.HEARTBEAT])

    def test_a_stop_pauses_waits_for_in_flight_then_disconnects(self):
        w = self.start()
        identity, _ = self.broker.accept()
        w.stop()
        _, frames = self.broker.recv()
        self.assertEqual(frames[:3], [b"", mdp.CLIENT, b"mmi.pause"])
        # A request already on its way when the pause went is still served.
        self.broker.request(identity, b"late", envelope.RequestHeader("add", "r9", timeout_ms=5000),
                            {"a": 1, "b": 2})
        address, header, result = self.broker.reply()
        self.assertEqual((address, header.code, result), (b"late", ErrorCode.OK, {"sum": 3}))
        self.broker.send(identity, [b"", mdp.CLIENT, b"mmi.pause", b"200"])
        _, frames = self.broker.recv()
        self.assertEqual(frames, [b"", mdp.WORKER, mdp.DISCONNECT])


if __name__ == "__main__":
    unittest.main()
