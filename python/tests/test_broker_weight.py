"""A client that finds several brokers of its region in the registry spreads
its calls over them, weighted by the load each publishes in its record
(BrokerRecord.weight, as the C++ client weighs it): equal brokers share the
calls, and one with a deep queue gets few of them."""

import unittest

import redis
import zmq

import harness
import skynet
from skynet import envelope, mdp
from skynet.discovery import lists_service


class BrokerWeightTest(unittest.TestCase):
    def setUp(self):
        h = self.h = harness.Harness()
        self.addCleanup(h.close)
        self.redis = h.redis()
        self.busy = h.broker(redis=self.redis, region="eu")
        self.idle = h.broker(redis=self.redis, region="eu")
        # sleeper@1 serves on both brokers, found in the registry.
        sleeper = h.service("sleeper-service", "--version", "1", "--concurrency", "8",
                            "--heartbeat-ms", "250", redis=self.redis, region="eu")
        for broker in (self.busy, self.idle):
            h.wait_service(broker.endpoint, "sleeper@1", sleeper)
        self.discovery = skynet.Discovery(self.redis, region="eu")
        self.addCleanup(self.discovery.close)
        harness.eventually(lambda: len(self.serving("sleeper@1")) == 2, 15,
                           "both brokers listing sleeper@1 in the registry")

    def serving(self, service):
        return [r for r in self.discovery.brokers(service) if lists_service(r.services, service)]

    def record_of(self, broker):
        return next((r for r in self.discovery.records() if r.endpoint == broker.endpoint), None)

    def dispatched(self, broker):
        return harness.broker_stats(broker.endpoint).get("dispatched", 0)

    def sleeps(self, client, count):
        for _ in range(count):
            self.assertEqual(client.call("sleeper@1", "Sleep", {"ms": 0}, timeout=30),
                             {"slept_ms": 0})

    def test_equal_brokers_share_the_calls(self):
        busy0, idle0 = self.dispatched(self.busy), self.dispatched(self.idle)
        with skynet.Client(redis=self.redis, region="eu") as client:
            self.sleeps(client, 100)
        took_busy = self.dispatched(self.busy) - busy0
        took_idle = self.dispatched(self.idle) - idle0
        self.assertEqual(took_busy + took_idle, 100)
        # Alike, they alternate: about half each (their CPU figures differ a little).
        self.assertGreater(took_busy, 30, f"the other took {took_idle}")
        self.assertGreater(took_idle, 30, f"the other took {took_busy}")

    def test_a_broker_with_a_deep_queue_gets_fewer_calls(self):
        # A real queue on `busy`: a sleeper@9 of one thread on that broker
        # only, sent 40 long sleeps by a plain 7/MDP client of that broker.
        blocked = self.h.service("sleeper-service", "--version", "9", "--concurrency", "1",
                                 "--heartbeat-ms", "250", broker=self.busy.endpoint)
        self.h.wait_service(self.busy.endpoint, "sleeper@9", blocked)
        context = zmq.Context()
        self.addCleanup(context.term)
        filler = context.socket(zmq.DEALER)
        filler.setsockopt(zmq.LINGER, 0)
        self.addCleanup(filler.close)
        filler.connect(self.busy.endpoint)
        for i in range(40):
            header = envelope.RequestHeader(method="Sleep", request_id=f"fill-{i}",
                                            timeout_ms=120000)
            filler.send_multipart(mdp.client_request(
                "sleeper@9", envelope.encode_request(header, {"ms": 60000})))
        # What the busy broker publishes: its queue.
        harness.eventually(lambda: (self.record_of(self.busy) or skynet.BrokerRecord(
            "", "")).load_queued >= 30, 15, "the busy broker publishing its queue")
        self.assertEqual(self.record_of(self.idle).load_queued, 0)
        self.assertLess(self.record_of(self.busy).weight, self.record_of(self.idle).weight / 10)

        busy0, idle0 = self.dispatched(self.busy), self.dispatched(self.idle)
        with skynet.Client(redis=self.redis, region="eu") as client:  # reads the figures first
            self.sleeps(client, 100)
        took_busy = self.dispatched(self.busy) - busy0  # its sleeper@9 takes nothing meanwhile
        took_idle = self.dispatched(self.idle) - idle0
        self.assertEqual(took_busy + took_idle, 100)
        self.assertLess(took_busy, 25, f"the idle one took {took_idle}")
        self.assertGreater(took_idle, 50, f"the busy one took {took_busy}")


class BrokerRecordWeightTest(unittest.TestCase):
    """The weight of a record's figures, and of records that have none."""

    def record(self, **fields):
        fields = {"kind": "broker", "registered": "1", "endpoint": "tcp://x:1", **fields}
        unused = redis.Redis(host="127.0.0.1", port=1)  # connects only when used: never
        return skynet.Discovery(unused)._record("b", fields)

    def test_figures(self):
        self.assertEqual(self.record().weight, 1.0)  # an older broker: idle
        self.assertAlmostEqual(self.record(load_queued="3").weight, 0.25)
        self.assertAlmostEqual(self.record(load_cpu_percent="50").weight, 0.5)
        # Never 0: a broker at full CPU is still tried once it says so.
        self.assertAlmostEqual(self.record(load_cpu_percent="400").weight, 0.05)
        self.assertEqual(self.record(load_queued="lots").weight, 1.0)  # not a number: none


if __name__ == "__main__":
    unittest.main()
