"""The asyncio client: thousands of calls in flight on one socket, the same
errors and deadlines as the synchronous client, cancellation."""

import asyncio
import unittest

import harness
import skynet
from skynet import ErrorCode


class AsyncClientTest(harness.ServedTestCase):
    BROKER_ARGS = ("--unknown-service-ms", "200")
    SERVICES = ("fibonacci-service", "sleeper-service")
    BLACKHOLE = True

    def run_with_client(self, body, **options):
        async def main():
            async with skynet.AsyncClient(brokers=[self.broker.endpoint], timeout=60,
                                          **options) as client:
                return await body(client)
        return asyncio.run(main())

    def test_a_thousand_calls_in_flight(self):
        async def body(client):
            # n = 0 and 1 are answered at once; larger ones fan out through
            # the bus (a few of those, so that the service's queue holds).
            calls = [client.call("fibonacci", "Index", {"n": i % 2 if i % 100 else 10})
                     for i in range(1000)]
            return await asyncio.gather(*calls), client.stats
        results, stats = self.run_with_client(body)
        self.assertEqual([r["result"] for r in results],
                         [i % 2 if i % 100 else 55 for i in range(1000)])
        self.assertEqual(stats["replies"], 1000)
        self.assertEqual(stats["late_replies"], 0)

    def test_five_thousand_outcomes_one_each(self):
        # Mixed successes and errors, all at once: each call gets exactly one.
        async def body(client):
            calls = []
            for i in range(5000):
                method = "Index" if i % 5 else "Nope"
                calls.append(client.call_result("fibonacci", method, {"n": i % 2}))
            return await asyncio.gather(*calls)
        outcomes = self.run_with_client(body)
        self.assertEqual(len(outcomes), 5000)
        codes = [o.code for o in outcomes]
        self.assertEqual(codes.count(ErrorCode.UNKNOWN_METHOD), 1000)
        self.assertEqual(codes.count(ErrorCode.OK), 4000)

    def test_errors_raise_the_coded_exceptions(self):
        async def body(client):
            caught = []
            for service, method, params, timeout in (
                    ("fibonacci", "Nope", {}, None), ("fibonacci", "Index", {"n": "x"}, None),
                    ("no-such", "Index", {}, None),
                    ("blackhole", "Index", {}, 0.3)):
                try:
                    await client.call(service, method, params, timeout=timeout)
                except skynet.SkynetError as e:
                    caught.append(type(e))
            return caught
        self.assertEqual(self.run_with_client(body), [
            skynet.UnknownMethod, skynet.BadRequest, skynet.UnknownService, skynet.CallTimeout])

    def test_deadlines_end_calls_while_others_succeed(self):
        async def body(client):
            lost = [client.call_result("blackhole", "M", timeout=0.3) for _ in range(50)]
            quick = [client.call_result("fibonacci", "Index", {"n": 5}) for _ in range(100)]
            return await asyncio.gather(*lost), await asyncio.gather(*quick)
        lost, quick = self.run_with_client(body)
        self.assertEqual({o.code for o in lost}, {ErrorCode.TIMEOUT})
        self.assertTrue(all(o.value == {"result": 5} for o in quick))

    def test_cancelling_the_task_cancels_the_call_at_the_broker(self):
        endpoint = self.broker.endpoint
        before = harness.broker_stats(endpoint).get("cancelled", 0)
        held = self.blackhole.held

        async def body(client):
            task = asyncio.ensure_future(client.call("blackhole", "M", timeout=30))
            await harness.async_eventually(lambda: self.blackhole.held > held, 10,
                                           "the request at the worker")
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            # The client goes on.
            return await client.call("fibonacci", "Index", {"n": 6}), dict(client.engine.calls)
        result, still_out = self.run_with_client(body)
        self.assertEqual(result, {"result": 8})
        self.assertEqual(still_out, {})
        harness.eventually(lambda: harness.broker_stats(endpoint).get("cancelled", 0) > before,
                           10, "the broker's cancelled count")

    def test_calls_after_close_are_refused(self):
        async def body(client):
            await client.close()
            with self.assertRaises(RuntimeError):
                await client.call("fibonacci", "Index", {"n": 1})
            return True
        self.assertTrue(self.run_with_client(body))


if __name__ == "__main__":
    unittest.main()
