"""Discovery through a real Redis: records written as the registry writes
them, and a real skynet-broker registering itself."""

import unittest

import harness
import redis

from skynet import Discovery


def put_broker(r, id_, endpoint, region="local", services="", registered="1", curve_key="",
               lease_ms=60000, prefix="skynet:"):
    now_s, now_us = r.time()
    expiry = now_s * 1000 + now_us // 1000 + lease_ms
    record = {"id": id_, "kind": "broker", "region": region, "endpoint": endpoint,
              "registered": registered, "services": services}
    if curve_key:
        record["curve_key"] = curve_key
    r.hset(f"{prefix}instance:{id_}", mapping=record)
    r.zadd(f"{prefix}instances", {id_: expiry})
    r.zadd(f"{prefix}index:kind:broker", {id_: expiry})
    r.zadd(f"{prefix}index:region:{region}", {id_: expiry})


class RecordsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.h = harness.Harness()
        cls.url = cls.h.redis()

    @classmethod
    def tearDownClass(cls):
        cls.h.close()

    def setUp(self):
        self.r = redis.Redis.from_url(self.url)
        self.r.flushall()
        self.addCleanup(self.r.close)

    def test_own_region_first_then_others(self):
        put_broker(self.r, "b1", "tcp://10.0.0.1:5555", region="eu", services="fibonacci@1.0")
        put_broker(self.r, "b2", "tcp://10.0.0.2:5555", region="us", services="fibonacci@1.0")
        put_broker(self.r, "b3", "tcp://10.0.0.3:5555", region="eu", services="echo")
        d = Discovery(self.url, region="eu")
        self.assertEqual(d.endpoints(), ["tcp://10.0.0.1:5555", "tcp://10.0.0.3:5555",
                                         "tcp://10.0.0.2:5555"])
        # For fibonacci: ours that serve it, another region's that does, then
        # ours without it (it would answer UNKNOWN_SERVICE after its wait).
        self.assertEqual(d.endpoints("fibonacci"), ["tcp://10.0.0.1:5555", "tcp://10.0.0.2:5555",
                                                    "tcp://10.0.0.3:5555"])
        self.assertEqual(d.endpoints("fibonacci@2.0"), ["tcp://10.0.0.1:5555",
                                                        "tcp://10.0.0.3:5555"])

    def test_expired_draining_and_endpointless_brokers_are_left_out(self):
        put_broker(self.r, "old", "tcp://10.0.0.1:1", lease_ms=-1000)
        put_broker(self.r, "draining", "tcp://10.0.0.2:1", registered="0")
        put_broker(self.r, "nowhere", "")
        put_broker(self.r, "good", "tcp://10.0.0.4:1")
        self.r.hset("skynet:instance:fake", mapping={"kind": "worker", "endpoint": "tcp://x:1"})
        self.r.zadd("skynet:index:kind:broker", {"fake": 2**50})
        self.assertEqual(Discovery(self.url).endpoints(), ["tcp://10.0.0.4:1"])

    def test_pinned_key_lists_only_brokers_that_publish_it(self):
        put_broker(self.r, "a", "tcp://10.0.0.1:1", curve_key="K" * 40)
        put_broker(self.r, "b", "tcp://10.0.0.2:1", curve_key="L" * 40)
        put_broker(self.r, "c", "tcp://10.0.0.3:1")
        self.assertEqual(Discovery(self.url, broker_key="K" * 40).endpoints(),
                         ["tcp://10.0.0.1:1"])
        self.assertEqual(len(Discovery(self.url).endpoints()), 3)

    def test_prefix(self):
        put_broker(self.r, "a", "tcp://10.0.0.1:1", prefix="other:")
        self.assertEqual(Discovery(self.url).endpoints(), [])
        self.assertEqual(Discovery(self.url, prefix="other:").endpoints(), ["tcp://10.0.0.1:1"])

    def test_discovery_never_writes(self):
        put_broker(self.r, "old", "tcp://10.0.0.1:1", lease_ms=-1000)
        before = sorted(self.r.keys("*"))
        Discovery(self.url).endpoints("x")
        self.assertEqual(sorted(self.r.keys("*")), before)


class RealBrokerTest(unittest.TestCase):
    def test_a_registered_broker_and_its_services_are_found(self):
        with harness.Harness() as h:
            url = h.redis()
            broker = h.broker(redis=url, region="eu")
            d = Discovery(url, region="eu")
            harness.eventually(lambda: d.endpoints() == [broker.endpoint], 15,
                               "the broker's record")
            fib = h.service("fibonacci-service", broker=broker.endpoint)
            h.wait_service(broker.endpoint, "fibonacci", fib)
            found = harness.eventually(
                lambda: [r for r in d.brokers("fibonacci") if "fibonacci" in r.services], 15,
                "fibonacci in the broker's services")
            self.assertEqual(found[0].region, "eu")
            self.assertEqual(d.rank(found[0], "fibonacci"), 3)


if __name__ == "__main__":
    unittest.main()
