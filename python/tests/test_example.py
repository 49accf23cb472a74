"""examples/python/fibonacci_client.py runs as docs/python.md says."""

import os
import sys
import unittest

import harness

EXAMPLE = os.path.join(harness.SOURCE_DIR, "examples", "python", "fibonacci_client.py")
ENV = {"PYTHONPATH": os.path.join(harness.SOURCE_DIR, "python")}


def run_example(*args):
    return harness.run([sys.executable, "-B", EXAMPLE, *args], timeout=60, env=ENV)


class ExampleTest(harness.ServedTestCase):
    def test_prints_the_answer(self):
        status, out, err = run_example("--broker", self.broker.endpoint, "--n", "20")
        self.assertEqual((status, out, err), (0, "fibonacci(20) = 6765\n", ""))

    def test_many_at_once(self):
        status, out, _ = run_example("--broker", self.broker.endpoint, "--n", "10",
                                     "--many", "300")
        self.assertEqual(status, 0)
        self.assertIn("300 answers, the last: fib(2) = 1", out)  # 299 % 11 = 2

    def test_errors_give_their_code_in_the_exit_status(self):
        status, _, err = run_example("--broker", self.broker.endpoint, "--n", "99")
        self.assertEqual(status, 10 + 1)  # BAD_REQUEST
        self.assertIn("BAD_REQUEST", err)
        nowhere = f"tcp://127.0.0.1:{harness.free_port()}"
        status, _, err = run_example("--broker", nowhere)
        self.assertEqual(status, 10 + 5)  # UNAVAILABLE
        self.assertIn("no broker reachable", err)


if __name__ == "__main__":
    unittest.main()
