"""Clients that find their brokers in Redis: their region's broker first,
another region's when theirs is gone, clear errors when the registry has
nothing for them."""

import asyncio
import unittest

import harness
import skynet
from skynet import ErrorCode


class DiscoveringClientTest(unittest.TestCase):
    def setUp(self):
        h = self.h = harness.Harness()
        self.addCleanup(h.close)
        self.redis = h.redis()
        self.eu = h.broker("--unknown-service-ms", "200", redis=self.redis, region="eu")
        self.us = h.broker("--unknown-service-ms", "200", redis=self.redis, region="us")
        for broker in (self.eu, self.us):
            fib = h.service("fibonacci-service", broker=broker.endpoint)
            h.wait_service(broker.endpoint, "fibonacci", fib)
        d = skynet.Discovery(self.redis)
        self.addCleanup(d.close)
        try:
            harness.eventually(lambda: len(d.brokers("fibonacci")) == 2 and all(
                "fibonacci" in r.services for r in d.brokers("fibonacci")), 15,
                "both brokers listing fibonacci")
        except AssertionError:
            raise AssertionError(f"the registry holds {d.brokers('fibonacci')}") from None

    def requests_at(self, broker):
        return harness.broker_stats(broker.endpoint).get("dispatched", 0)

    def test_own_region_first_then_another_when_it_dies(self):
        us_before = self.requests_at(self.us)
        with skynet.Client(redis=self.redis, region="eu", timeout=30,
                           heartbeat=harness.scaled(0.5)) as client:
            for n in range(5):
                self.assertEqual(client.call("fibonacci", "Index", {"n": 1}), {"result": 1})
            self.assertEqual(self.requests_at(self.us), us_before)  # none went to us
            self.eu.process.kill()  # its record stays until its lease runs out
            # Idempotent: had it reached eu before the connection broke, it is
            # sent again to us rather than lost.
            self.assertEqual(client.call("fibonacci", "Index", {"n": 6}, idempotent=True),
                             {"result": 8})
        self.assertGreater(self.requests_at(self.us), us_before)

    def test_a_service_no_broker_has(self):
        with skynet.Client(redis=self.redis, region="eu") as client:
            with self.assertRaises(skynet.UnknownService):
                client.call("nobody-serves-this", "M", timeout=10)

    def test_an_empty_registry_is_unavailable(self):
        with skynet.Client(redis=self.redis, region="eu", prefix="elsewhere:") as client:
            outcome = client.call_result("fibonacci", "Index", {"n": 1})
        self.assertEqual(outcome.code, ErrorCode.UNAVAILABLE)
        self.assertIn("no broker in the registry", outcome.detail)

    def test_redis_that_cannot_be_reached(self):
        url = f"redis://127.0.0.1:{harness.free_port()}"
        with skynet.Client(redis=url) as client:
            outcome = client.call_result("fibonacci", "Index", {"n": 1})
        self.assertEqual(outcome.code, ErrorCode.UNAVAILABLE)
        self.assertIn("cannot read the registry", outcome.detail)

    def test_asyncio_client_with_discovery(self):
        async def main():
            async with skynet.AsyncClient(redis=self.redis, region="us", timeout=30) as client:
                calls = [client.call("fibonacci", "Index", {"n": i % 2}) for i in range(500)]
                return await asyncio.gather(*calls)
        eu_before = self.requests_at(self.eu)
        results = asyncio.run(main())
        self.assertEqual([r["result"] for r in results], [i % 2 for i in range(500)])
        self.assertEqual(self.requests_at(self.eu), eu_before)


if __name__ == "__main__":
    unittest.main()
