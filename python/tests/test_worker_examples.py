"""examples/python/fibonacci_worker.py as the C++ tools see it: the C++
fibonacci-client and `sky call` call it, it calls itself through the bus,
beside a C++ fibonacci-service, and over CURVE."""

import os
import re
import signal
import sys
import unittest

import harness

FIBONACCI = os.path.join(harness.SOURCE_DIR, "examples", "python", "fibonacci_worker.py")
PAGE = os.path.join(harness.SOURCE_DIR, "docs", "python.md")


class FibonacciWorkerTest(unittest.TestCase):
    def setUp(self):
        self.h = harness.Harness()
        self.addCleanup(self.h.close)

    def fibonacci(self, *args):
        return self.h.spawn([sys.executable, FIBONACCI, "--log-level", "warn", *args])

    def client(self, endpoint, n, *args):
        return harness.run([harness.binary("fibonacci-client"), "--broker", endpoint, "--n", n,
                            "--timeout-ms", "60000", "--log-level", "warn", *args])

    def test_the_cpp_client_gets_fib_from_the_python_worker(self):
        b = self.h.broker()
        w = self.fibonacci("--broker", b.endpoint)
        self.h.wait_service(b.endpoint, "fibonacci", process=w)
        self.assertEqual(self.client(b.endpoint, "12"), (0, "fibonacci(12) = 144\n", ""))
        status, _, err = self.client(b.endpoint, "26")
        self.assertEqual(status, 11, err)  # 10 + BAD_REQUEST: n beyond 25
        self.assertIn("a number from 0 to 25", err)

    def test_python_and_cpp_workers_share_the_tree(self):
        b = self.h.broker()
        w = self.fibonacci("--broker", b.endpoint)
        cpp = self.h.service("fibonacci-service", broker=b.endpoint)
        self.h.wait_service(b.endpoint, "fibonacci", process=w)
        self.h.wait_service(b.endpoint, "fibonacci", process=cpp)
        self.assertEqual(self.client(b.endpoint, "14"), (0, "fibonacci(14) = 377\n", ""))

    def test_sky_call_finds_it_through_the_registry(self):
        url = self.h.redis()
        b = self.h.broker(redis=url)
        w = self.fibonacci("--redis", url)
        self.h.wait_service(b.endpoint, "fibonacci", process=w)

        def answered():
            status, out, _ = harness.run([harness.binary("sky"), "--redis", url, "call",
                                          "fibonacci", "Index", '{"n": 9}'])
            return status == 0 and out
        out = harness.eventually(answered, 20, "sky call to answer")
        self.assertIn("34", out)

    def test_over_curve(self):
        broker_key, broker_pub = self.h.keygen("broker", os.path.join(self.h.dir, "broker"))
        allowed = os.path.join(self.h.dir, "allowed")
        worker_key, _ = self.h.keygen("worker", allowed)
        client_key, _ = self.h.keygen("client", allowed)
        b = self.h.broker("--curve-key", broker_key, "--allow-keys", allowed)
        w = self.fibonacci("--broker", b.endpoint, "--curve-key", worker_key,
                           "--broker-key", broker_pub)
        self.h.wait_service(b.endpoint, "fibonacci", process=w, client_keys=client_key,
                            server_key=broker_pub)
        self.assertEqual(self.client(b.endpoint, "8", "--curve-key", client_key, "--broker-key",
                                     broker_pub), (0, "fibonacci(8) = 21\n", ""))
        # Without keys the broker is not reachable at all.
        status, _, _ = harness.run([harness.binary("fibonacci-client"), "--broker", b.endpoint,
                                    "--n", "3", "--timeout-ms", "1000", "--log-level", "off"])
        self.assertNotEqual(status, 0)


class PythonPageTest(unittest.TestCase):
    def test_the_pages_first_worker_runs_as_written(self):
        with open(PAGE) as f:
            first = re.findall(r"```python\n(.*?)```", f.read(), re.S)[0]
        self.assertIn("worker.run()", first)
        with harness.Harness() as h:
            b = h.broker()
            code = first.replace("tcp://127.0.0.1:5555", b.endpoint)
            w = h.spawn([sys.executable, "-c", code],
                        env={"PYTHONPATH": os.path.join(harness.SOURCE_DIR, "python")})
            h.wait_service(b.endpoint, "fibonacci", process=w)
            status, out, err = harness.run([harness.binary("fibonacci-client"), "--broker",
                                            b.endpoint, "--n", "20"])
            self.assertEqual((status, out), (0, "fibonacci(20) = 6765\n"), err)
            w.signal(signal.SIGTERM)
            self.assertEqual(w.wait(20), 0, w.stderr_text())


if __name__ == "__main__":
    unittest.main()
