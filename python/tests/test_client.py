"""The synchronous client against a real skynet-broker and the C++ example
services: results, every error a caller meets, deadlines, and errors as
values."""

import threading
import unittest

import harness
import skynet
from skynet import ErrorCode


class ClientTest(harness.ServedTestCase):
    BROKER_ARGS = ("--unknown-service-ms", "200")
    SERVICES = ("fibonacci-service", "sleeper-service")
    BLACKHOLE = True

    def setUp(self):
        self.client = skynet.Client(brokers=[self.broker.endpoint], timeout=10)
        self.addCleanup(self.client.close)

    def test_result(self):
        self.assertEqual(self.client.call("fibonacci", "Index", {"n": 10}), {"result": 55})

    def test_a_composite_call_through_the_bus(self):
        # fib(15) fans out into ~2,000 nested calls of the C++ service.
        self.assertEqual(self.client.call("fibonacci", "Index", {"n": 15})["result"], 610)

    def test_versioned_name(self):
        self.assertEqual(self.client.call("fibonacci@1.0", "Index", {"n": 7}), {"result": 13})

    def test_unknown_method(self):
        with self.assertRaises(skynet.UnknownMethod) as caught:
            self.client.call("fibonacci", "Nope", {"n": 1})
        self.assertEqual(caught.exception.code, ErrorCode.UNKNOWN_METHOD)
        self.assertIn("Nope", caught.exception.detail)

    def test_unknown_service(self):
        with self.assertRaises(skynet.UnknownService):
            self.client.call("no-such-service", "Index", {"n": 1})

    def test_bad_params_are_the_services_bad_request(self):
        for params in ({"n": "ten"}, {"n": 99}, {}, None):
            with self.subTest(params=params), self.assertRaises(skynet.BadRequest) as caught:
                self.client.call("fibonacci", "Index", params)
            self.assertIn("Index needs", caught.exception.detail)

    def test_deadline_that_expires_is_timeout(self):
        # The blackhole worker takes requests and never answers.
        with self.assertRaises(skynet.CallTimeout) as caught:
            self.client.call("blackhole", "Anything", {"n": 1}, timeout=0.3)
        self.assertEqual(caught.exception.code, ErrorCode.TIMEOUT)
        self.assertIn("blackhole", caught.exception.detail)
        self.assertGreaterEqual(self.blackhole.held, 1)  # it was sent, and held
        # The client is still good for the next call.
        self.assertEqual(self.client.call("sleeper", "Sleep", {"ms": 1}), {"slept_ms": 1})

    def test_a_short_deadline_while_queued_at_the_broker(self):
        # No worker yet: the broker holds the request for --unknown-service-ms
        # (200 ms), our 50 ms deadline ends the call first.
        with self.assertRaises(skynet.CallTimeout):
            self.client.call("not-there-yet", "M", timeout=0.05)

    def test_call_result_gives_errors_as_values(self):
        good = self.client.call_result("fibonacci", "Index", {"n": 5})
        self.assertTrue(good.ok)
        self.assertEqual(good.value, {"result": 5})
        bad = self.client.call_result("fibonacci", "Nope")
        self.assertFalse(bad)
        self.assertEqual(bad.code, ErrorCode.UNKNOWN_METHOD)
        self.assertIsInstance(bad.error, skynet.UnknownMethod)
        with self.assertRaises(skynet.UnknownMethod):
            bad.unwrap()

    def test_meta_and_trace_are_accepted(self):
        outcome = self.client.call_result(
            "fibonacci", "Index", {"n": 3}, meta=[("tenant", "acme"), ("tag", "a"), ("tag", "b")],
            traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        self.assertEqual(outcome.value, {"result": 2})

    def test_bad_arguments_raise_at_once(self):
        for args in (("", "M"), ("s", ""), ("s", "M", {}, -1)):
            with self.subTest(args=args), self.assertRaises(ValueError):
                self.client.call(*args)
        with self.assertRaises(TypeError):
            self.client.call("fibonacci", "Index", {"n": 1}, meta={"k": 5})
        with self.assertRaises(TypeError):
            self.client.call("fibonacci", "Index", object())

    def test_threads_take_turns(self):
        results, errors = [], []

        def worker(n):
            try:
                results.append(self.client.call("fibonacci", "Index", {"n": n})["result"])
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), sorted([0, 1, 1, 2, 3, 5, 8, 13, 21, 34]))

    def test_closed_client_refuses_calls(self):
        self.client.close()
        with self.assertRaises(RuntimeError):
            self.client.call("fibonacci", "Index", {"n": 1})


class NoBrokerTest(unittest.TestCase):
    def test_nothing_listening_is_unavailable_at_once(self):
        endpoint = f"tcp://127.0.0.1:{harness.free_port()}"
        with skynet.Client(brokers=[endpoint]) as client:
            with self.assertRaises(skynet.Unavailable) as caught:
                client.call("fibonacci", "Index", {"n": 1}, timeout=30)
        self.assertIn("no broker reachable", caught.exception.detail)
        self.assertIn(endpoint, caught.exception.detail)

    def test_brokers_or_redis_must_be_given(self):
        with self.assertRaises(ValueError):
            skynet.Client()


if __name__ == "__main__":
    unittest.main()
