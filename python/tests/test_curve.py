"""CURVE (docs/security.md): a broker with --curve-key and --allow-keys, keys
from `sky keygen`. An allowed key is served; no key, a key the broker does
not allow, or the wrong broker key each fail at once with a clear error;
discovery with a pinned broker key follows only brokers that publish it."""

import os
import shutil
import unittest

import harness
import skynet
from skynet import ErrorCode


class CurveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h = cls.h = harness.Harness()
        try:
            cls.broker_key, cls.broker_pub = h.keygen("broker")
            cls.frontend_key, cls.frontend_pub = h.keygen("frontend")
            worker_key, worker_pub = h.keygen("fib-worker")
            cls.stranger_key, _ = h.keygen("stranger")
            allowed = os.path.join(h.dir, "allowed")
            os.makedirs(allowed)
            for pub in (cls.frontend_pub, worker_pub):
                shutil.copy(pub, allowed)
            cls.redis = h.redis()
            cls.broker = h.broker("--curve-key", cls.broker_key, "--allow-keys", allowed,
                                  redis=cls.redis)
            fib = h.service("fibonacci-service", "--curve-key", worker_key, "--broker-key",
                            cls.broker_pub, broker=cls.broker.endpoint)
            h.wait_service(cls.broker.endpoint, "fibonacci", fib, cls.frontend_key,
                           cls.broker_pub)
        except BaseException:
            h.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.h.close()

    def outcome(self, **keys):
        with skynet.Client(brokers=[self.broker.endpoint], timeout=20, **keys) as client:
            return client.call_result("fibonacci", "Index", {"n": 10})

    def test_an_allowed_key_is_served(self):
        outcome = self.outcome(curve_key=self.frontend_key, broker_key=self.broker_pub)
        self.assertEqual(outcome.value, {"result": 55})

    def test_keys_given_as_text(self):
        pair = skynet.load_secret_key_file(self.frontend_key)
        outcome = self.outcome(curve_key=pair,
                               broker_key=skynet.load_public_key_file(self.broker_pub))
        self.assertEqual(outcome.value, {"result": 55})

    def test_no_key_fails_at_once_and_says_why(self):
        outcome = self.outcome()
        self.assertEqual(outcome.code, ErrorCode.UNAUTHORIZED)
        self.assertIn("requires CURVE", outcome.detail)

    def test_a_key_the_broker_does_not_allow(self):
        outcome = self.outcome(curve_key=self.stranger_key, broker_key=self.broker_pub)
        self.assertEqual(outcome.code, ErrorCode.UNAUTHORIZED)
        self.assertIn("refused our CURVE key", outcome.detail)

    def test_the_wrong_broker_key(self):
        outcome = self.outcome(curve_key=self.frontend_key, broker_key=self.frontend_pub)
        self.assertEqual(outcome.code, ErrorCode.UNAUTHORIZED)
        self.assertIn("CURVE handshake failed", outcome.detail)

    def test_unauthorized_raises(self):
        with skynet.Client(brokers=[self.broker.endpoint]) as client:
            with self.assertRaises(skynet.Unauthorized):
                client.call("fibonacci", "Index", {"n": 1})

    def test_a_secret_key_others_may_read_is_refused_at_construction(self):
        leaky = os.path.join(self.h.dir, "leaky.key")
        shutil.copy(self.frontend_key, leaky)
        os.chmod(leaky, 0o644)
        with self.assertRaises(skynet.KeyFileError) as caught:
            skynet.Client(brokers=[self.broker.endpoint], curve_key=leaky,
                          broker_key=self.broker_pub)
        self.assertIn("chmod 600", str(caught.exception))

    def test_keys_go_together(self):
        with self.assertRaises(ValueError):
            skynet.Client(brokers=[self.broker.endpoint], curve_key=self.frontend_key)

    def test_discovery_follows_the_broker_that_publishes_the_pinned_key(self):
        # A plain broker in the same registry: without the pin it is a
        # candidate; with it, only the CURVE broker is.
        plain = self.h.broker(redis=self.redis)
        both = skynet.Discovery(self.redis)
        harness.eventually(lambda: len(both.endpoints()) == 2, 15, "both brokers' records")
        pinned = skynet.load_public_key_file(self.broker_pub)
        self.assertEqual(skynet.Discovery(self.redis, broker_key=pinned).endpoints(),
                         [self.broker.endpoint])
        with skynet.Client(redis=self.redis, curve_key=self.frontend_key,
                           broker_key=self.broker_pub) as client:
            self.assertEqual(client.call("fibonacci", "Index", {"n": 12}), {"result": 144})
            self.assertEqual(client.wait_for_brokers(), [self.broker.endpoint])
        plain.process.kill()


if __name__ == "__main__":
    unittest.main()
