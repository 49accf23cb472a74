"""A Python worker for the tests (python/tests/test_worker*.py and
tests/python/): methods that echo, fail, sleep and gather calls in flight.

    /usr/bin/python3 worker_fixture.py --broker tcp://127.0.0.1:5555 [--service pyfixture]
"""

import argparse
import asyncio
import logging
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import skynet  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--broker", action="append", default=[])
    p.add_argument("--redis")
    p.add_argument("--region")
    p.add_argument("--service", default="pyfixture")
    p.add_argument("--version", default="1.0")
    p.add_argument("--credit", type=int, default=None)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--heartbeat", type=float, default=0.25)
    p.add_argument("--drain-timeout", type=float, default=10.0)
    p.add_argument("--lease", type=float, default=10.0)
    p.add_argument("--stats-interval", type=float, default=0.2)
    p.add_argument("--curve-key")
    p.add_argument("--broker-key")
    p.add_argument("--log-level", default="info")
    a = p.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("skynet").setLevel(skynet.commands.LOG_LEVELS[a.log_level])

    worker = skynet.Worker(a.service, a.version, a.broker or None, redis=a.redis,
                           region=a.region, credit=a.credit, concurrency=a.concurrency,
                           heartbeat=a.heartbeat, drain_timeout=a.drain_timeout, lease=a.lease,
                           stats_interval=a.stats_interval, curve_key=a.curve_key,
                           broker_key=a.broker_key)
    gathered = {"now": 0, "peak": 0}
    gather_changed = asyncio.Condition

    @worker.method("echo")
    def echo(params, call):
        return dict(params, retry=call.retry, pid=os.getpid())

    @worker.method("aecho")
    async def aecho(params, call):
        return params

    @worker.method("add")
    def add(params, call):
        return {"sum": params["a"] + params["b"]}

    @worker.method("fail")
    def fail(params, call):
        raise RuntimeError(params.get("why", "it failed"))

    @worker.method("refuse")
    def refuse(params, call):
        raise skynet.BadRequest("refused: " + params.get("why", ""))

    @worker.method("sleep")
    def sleep(params, call):
        time.sleep(params.get("ms", 100) / 1000.0)
        return {"slept_ms": params.get("ms", 100), "pid": os.getpid()}

    @worker.method("asleep")
    async def asleep(params, call):
        await asyncio.sleep(params.get("ms", 100) / 1000.0)
        return {"slept_ms": params.get("ms", 100), "pid": os.getpid()}

    state = {"ran": 0}

    @worker.method("counted")
    def counted(params, call):
        state["ran"] += 1  # a call that ran; "counts" tells how many did
        return {"ran": state["ran"]}

    @worker.method("counts")
    def counts(params, call):
        return {"ran": state["ran"]}

    @worker.method("gather")
    async def gather(params, call):
        # Returns once `n` calls are held at once: it proves the worker holds
        # n requests in flight (the caller's deadline ends it otherwise).
        cond = state.setdefault("cond", gather_changed())
        async with cond:
            gathered["now"] += 1
            gathered["peak"] = max(gathered["peak"], gathered["now"])
            cond.notify_all()
            await cond.wait_for(lambda: gathered["peak"] >= params["n"])
            gathered["now"] -= 1
        return {"peak": gathered["peak"]}

    worker.run()
    print("worker exited cleanly", flush=True)


if __name__ == "__main__":
    main()
