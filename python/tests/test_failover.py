"""Failover across brokers: two brokers, the calls held at the first, the
first SIGKILLed (or stopped): idempotent calls succeed through the second,
the others end WORKER_LOST, and every call has exactly one outcome."""

import asyncio
import signal
import threading
import unittest

import harness
import skynet
from skynet import ErrorCode


class FailoverTest(unittest.TestCase):
    def setUp(self):
        # Broker A's "sleeper" is a worker that never answers, so calls stay
        # held there; broker B's is the real C++ sleeper-service.
        self.h = harness.Harness()
        self.addCleanup(self.h.close)
        self.a = self.h.broker()
        self.b = self.h.broker()
        self.silent = self.h.silent_worker(self.a.endpoint, "sleeper")
        sleeper = self.h.service("sleeper-service", broker=self.b.endpoint)
        self.h.wait_service(self.b.endpoint, "sleeper", sleeper)

    def client(self, cls=skynet.Client, **options):
        # Short enough for a quick test, long enough that a busy machine
        # (a sanitizer build, the suite in parallel) does not stall past it.
        options.setdefault("heartbeat", harness.scaled(0.5))
        return cls(brokers=[self.a.endpoint, self.b.endpoint], timeout=30, **options)

    def held_at_a(self, count):
        # The silent worker holds one; the broker queues the others.
        harness.eventually(lambda: self.silent.held >= 1 and harness.broker_stats(
            self.a.endpoint).get("requests", 0) >= count, 15, f"{count} calls at broker A")

    def test_sync_idempotent_call_survives_its_broker(self):
        with self.client() as client:
            self.assertEqual(client.wait_for_brokers(harness.scaled(20)),
                             [self.a.endpoint, self.b.endpoint])
            killer = threading.Thread(target=lambda: (self.held_at_a(1), self.a.process.kill()))
            killer.start()
            outcome = client.call_result("sleeper", "Sleep", {"ms": 1}, idempotent=True)
            killer.join()
            self.assertEqual(outcome.value, {"slept_ms": 1})
            self.assertEqual(outcome.retries, 1)
            self.assertEqual(client.stats["brokers_lost"], 1)
            # New calls go to B at once, idempotent or not.
            self.assertEqual(client.call("sleeper", "Sleep", {"ms": 2}), {"slept_ms": 2})

    def test_sync_call_that_may_have_run_is_worker_lost(self):
        with self.client() as client:
            client.wait_for_brokers(harness.scaled(20))
            killer = threading.Thread(target=lambda: (self.held_at_a(1), self.a.process.kill()))
            killer.start()
            with self.assertRaises(skynet.WorkerLost) as caught:
                client.call("sleeper", "Sleep", {"ms": 1})
            killer.join()
            self.assertIn(self.a.endpoint, caught.exception.detail)

    def test_async_many_in_flight_when_the_broker_is_killed(self):
        async def body(client):
            await client.wait_for_brokers()
            idempotent = [client.call_result("sleeper", "Sleep", {"ms": 1}, idempotent=True)
                          for _ in range(200)]
            plain = [client.call_result("sleeper", "Sleep", {"ms": 1}) for _ in range(20)]
            gathered = asyncio.gather(*idempotent, *plain)
            await harness.async_eventually(
                lambda: self.silent.held >= 1 and harness.broker_stats(
                    self.a.endpoint).get("requests", 0) >= 220, 15, "the calls at broker A")
            self.a.process.kill()
            outcomes = await gathered
            return outcomes[:200], outcomes[200:]
        with_retry, without = asyncio.run(self.run_async(body))
        self.assertEqual([o.code for o in with_retry], [ErrorCode.OK] * 200)
        self.assertTrue(all(o.retries >= 1 for o in with_retry))
        self.assertEqual([o.code for o in without], [ErrorCode.WORKER_LOST] * 20)

    async def run_async(self, body):
        async with self.client(skynet.AsyncClient) as client:
            return await body(client)

    def test_a_silent_broker_is_found_out_by_its_pings(self):
        # SIGSTOP: the connection stays up, only heartbeats tell. A broker
        # silent for heartbeat x liveness (0.3 s x 3) is lost.
        with self.client(heartbeat=harness.scaled(0.3), liveness=3) as client:
            client.wait_for_brokers(harness.scaled(20))

            def stop_a():
                self.held_at_a(1)
                self.a.process.signal(signal.SIGSTOP)
            stopper = threading.Thread(target=stop_a)
            stopper.start()
            try:
                outcome = client.call_result("sleeper", "Sleep", {"ms": 3}, idempotent=True)
            finally:
                stopper.join()
                self.a.process.signal(signal.SIGCONT)
            self.assertEqual(outcome.value, {"slept_ms": 3})
            self.assertGreaterEqual(outcome.retries, 1)
            self.assertGreaterEqual(client.stats["brokers_lost"], 1)

    def test_every_broker_gone_is_unavailable_not_silence(self):
        with self.client() as client:
            client.wait_for_brokers(harness.scaled(20))
            self.a.process.kill()
            self.b.process.kill()
            outcome = client.call_result("sleeper", "Sleep", {"ms": 1}, idempotent=True)
            self.assertEqual(outcome.code, ErrorCode.UNAVAILABLE)
            self.assertIn("no broker reachable", outcome.detail)

    def test_a_broker_restarted_on_its_endpoint_is_used_again(self):
        with skynet.Client(brokers=[self.b.endpoint], timeout=10,
                           heartbeat=harness.scaled(0.5)) as client:
            self.assertEqual(client.call("sleeper", "Sleep", {"ms": 1}), {"slept_ms": 1})
            self.b.process.kill()
            # Idempotent: had it gone out before the connection broke, it is
            # sent again, and then nothing listens there.
            outcome = client.call_result("sleeper", "Sleep", {"ms": 1}, idempotent=True)
            self.assertEqual(outcome.code, ErrorCode.UNAVAILABLE)
            again = self.h.broker(port=self.b.port)
            sleeper = self.h.service("sleeper-service", broker=again.endpoint)
            self.h.wait_service(again.endpoint, "sleeper", sleeper)
            outcome = harness.eventually(
                lambda: client.call_result("sleeper", "Sleep", {"ms": 4}) or None, 20,
                "a call through the restarted broker")
            self.assertEqual(outcome.value, {"slept_ms": 4})


if __name__ == "__main__":
    unittest.main()
