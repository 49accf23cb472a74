"""The Python worker in the registry: its record under a lease (written by
the same Lua scripts as the C++ registrar), found through Redis, seen and
steered by `sky` (instances, methods, call, unregister, register, log, stop)."""

import os
import signal
import sys
import unittest
import uuid

import redis

import harness

FIXTURE = os.path.join(harness.HERE, "worker_fixture.py")


class WorkerRegistryTest(unittest.TestCase):
    def setUp(self):
        self.h = harness.Harness()
        self.addCleanup(self.h.close)
        self.url = self.h.redis()
        self.redis_process = self.h.processes[-1]
        self.r = redis.Redis.from_url(self.url, decode_responses=True)
        self.addCleanup(self.r.close)
        self.broker = self.h.broker(redis=self.url)

    def worker(self, *args, env=None):
        # No --broker: it finds the brokers of its region in the registry.
        p = self.h.spawn([sys.executable, FIXTURE, "--redis", self.url, *args], env=env)
        self.h.wait_service(self.broker.endpoint, "pyfixture", process=p)
        # `sky call` finds brokers by the services their records list.
        harness.eventually(self._broker_lists_service, what="the broker's record to list pyfixture")
        return p

    def _broker_lists_service(self):
        for key in self.r.scan_iter("skynet:instance:broker-*"):
            if "pyfixture" in self.r.hget(key, "services").split(","):
                return True
        return False

    def sky(self, *args, timeout=30.0):
        return harness.run([harness.binary("sky"), "--redis", self.url, *args], timeout=timeout)

    def record(self, p=None):
        """The hash of the one worker record (of process ``p``), or None."""
        for key in self.r.scan_iter("skynet:instance:worker-*"):
            fields = self.r.hgetall(key)
            if fields and (p is None or fields.get("pid") == str(p.pid)):
                return fields
        return None

    def test_its_record_holds_what_the_cpp_worker_writes(self):
        p = self.worker()
        rec = harness.eventually(lambda: (r := self.record(p)) and r["broker"] and r,
                                 what="the worker's record with its broker")
        self.assertEqual(rec["kind"], "worker")
        self.assertEqual((rec["service"], rec["version"], rec["region"]),
                         ("pyfixture", "1.0", "local"))
        self.assertEqual(rec["broker"], self.broker.endpoint)
        self.assertEqual(rec["registered"], "1")
        self.assertIn("add", rec["methods"].split(","))
        self.assertGreater(int(rec["started_at"]), 0)
        self.assertTrue(rec["id"].startswith(f"worker-{rec['host']}-{p.pid}-"), rec["id"])
        # In the indexes too: sky lists it with its methods.
        status, out, err = self.sky("instances", "--service", "pyfixture")
        self.assertEqual(status, 0, err)
        self.assertIn(rec["id"], out)
        status, out, err = self.sky("methods")
        self.assertEqual(status, 0, err)
        self.assertIn("pyfixture@1.0", out)
        self.assertIn("gather", out)

    def test_sky_call_reaches_it_and_its_figures_follow(self):
        p = self.worker()
        status, out, err = self.sky("call", "pyfixture", "add", '{"a": 20, "b": 22}')
        self.assertEqual(status, 0, err)
        self.assertIn("42", out)
        status, _, err = self.sky("call", "pyfixture", "fail", "{}")
        self.assertEqual(status, 18, err)  # 10 + SERVICE_ERROR
        rec = harness.eventually(lambda: (r := self.record(p)) and int(r["errors"]) >= 1 and r,
                                 what="figures in the record")
        self.assertGreaterEqual(int(rec["requests"]), 2)
        self.assertGreater(int(rec["last_request_at"]), 0)
        self.assertIn("SERVICE_ERROR", rec["last_error"])

    def test_sky_unregister_pauses_it_and_register_resumes_it(self):
        p = self.worker()
        status, _, err = self.sky("unregister", "--service", "pyfixture")
        self.assertEqual(status, 0, err)
        harness.eventually(lambda: self.record(p)["registered"] == "0", what="registered=0")
        # Connected, but sent nothing new: the call waits until its deadline.
        status, _, err = self.sky("call", "pyfixture", "add", '{"a": 1, "b": 1}', "--timeout", "1s")
        self.assertEqual(status, 14, err)  # 10 + TIMEOUT
        status, _, err = self.sky("register", "--service", "pyfixture")
        self.assertEqual(status, 0, err)
        harness.eventually(lambda: self.record(p)["registered"] == "1", what="registered=1")
        status, out, err = self.sky("call", "pyfixture", "add", '{"a": 1, "b": 1}')
        self.assertEqual(status, 0, err)
        self.assertIn("2", out)

    def test_sky_log_sets_a_level_and_an_unknown_one_is_an_error(self):
        p = self.worker()
        status, out, err = self.sky("log", "debug", "--service", "pyfixture")
        self.assertEqual(status, 0, err)
        self.assertIn("changed 1 of 1", out)
        # sky refuses a bad level itself: ask the worker directly.
        rec = self.record(p)
        nonce = uuid.uuid4().hex
        self.assertEqual(self.r.publish(f"skynet:commands:{rec['id']}", f"{nonce} log bogus"), 1)
        ack = self.r.blpop(f"skynet:acks:{nonce}", timeout=harness.scaled(10))
        self.assertEqual(ack[1], f"{rec['id']} error unknown log level bogus")

    def test_sky_stop_drains_it_and_its_record_goes(self):
        p = self.worker()
        instance = harness.eventually(lambda: self.record(p), what="the record")["id"]
        status, _, err = self.sky("stop", "--service", "pyfixture")
        self.assertEqual(status, 0, err)
        self.assertEqual(p.wait(20), 0, p.stderr_text())
        self.assertIn("worker exited cleanly", p.stdout_text())
        self.assertFalse(self.r.exists(f"skynet:instance:{instance}"))

    def test_a_managed_worker_registers_under_the_id_skyd_gave(self):
        env = {"SKYNET_INSTANCE_ID": "worker-managed-7", "SKYNET_MANAGED_BY": "daemon-h-1"}
        self.worker(env=env)
        rec = harness.eventually(lambda: self.r.hgetall("skynet:instance:worker-managed-7"),
                                 what="the managed record")
        self.assertEqual(rec["managed_by"], "daemon-h-1")

    def test_a_sigkilled_worker_leaves_with_its_lease(self):
        p = self.worker("--lease", "1.0")
        instance = harness.eventually(lambda: self.record(p), what="the record")["id"]
        p.signal(signal.SIGKILL)

        def gone():
            status, out, _ = self.sky("instances")  # any reader prunes expired ids
            return status == 0 and instance not in out
        harness.eventually(gone, 15, "the record to expire")

    def test_it_registers_again_when_redis_comes_back_empty(self):
        p = self.worker("--lease", "1.0")
        harness.eventually(lambda: self.record(p), what="the record")
        port = self.r.connection_pool.connection_kwargs["port"]
        self.redis_process.kill()
        self.h.spawn([harness.REDIS_SERVER, "--port", port, "--bind", "127.0.0.1", "--save", "",
                      "--appendonly", "no"])
        rec = harness.eventually(lambda: self._try(lambda: self.record(p)), 20,
                                 "the record written again")
        self.assertEqual(rec["service"], "pyfixture")
        self.assertTrue(p.running())

    @staticmethod
    def _try(fn):
        try:
            return fn()
        except redis.RedisError:
            return None


if __name__ == "__main__":
    unittest.main()
