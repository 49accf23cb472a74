#!/usr/bin/python3
"""fibonacci_worker.py: the fibonacci service of examples/fibonacci, in
Python. Method Index {n} answers {result: fib(n)}; for n > 1 it calls the
fibonacci service itself for n-1 and n-2 through the bus, as a composite
service does, so the C++ fibonacci-client, `sky call` and C++ or Python
fibonacci workers all serve and call one another.

The handler is asynchronous: while it waits on its two nested calls it
holds no thread, so thousands of requests can wait at once (hence the large
credit). The nested calls carry what is left of the request's deadline, so
when the caller gives up, the whole tree ends with it.

    /usr/bin/python3 fibonacci_worker.py --broker tcp://127.0.0.1:5555
    /usr/bin/python3 fibonacci_worker.py --redis redis://127.0.0.1:6379 --region local
"""

import argparse
import asyncio
import logging
import os
import sys

# Run from the source tree as well as installed (python3-skynet's files).
_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python")
if os.path.isdir(os.path.join(_SOURCE, "skynet")):
    sys.path.insert(0, _SOURCE)

import skynet  # noqa: E402

LARGEST_N = 25  # fib(25) already fans out into about 240,000 requests


def options():
    p = argparse.ArgumentParser(description="answers Index {n} with fib(n), through the bus")
    p.add_argument("--broker", action="append", default=[],
                   help="broker endpoint (repeat for more); else --redis finds them")
    p.add_argument("--redis", default=os.environ.get("SKYNET_REDIS"))
    p.add_argument("--region", default=os.environ.get("SKYNET_REGION", "local"))
    p.add_argument("--version", default="1.0")
    p.add_argument("--credit", type=int, default=4096)
    p.add_argument("--curve-key", default=os.environ.get("SKYNET_CURVE_KEY"))
    p.add_argument("--broker-key", default=os.environ.get("SKYNET_BROKER_KEY"))
    p.add_argument("--log-level", default="info")
    return p.parse_args()


def main():
    a = options()
    logging.basicConfig(stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    skynet.commands.set_log_level(a.log_level)
    worker = skynet.Worker("fibonacci", a.version, a.broker or None, redis=a.redis,
                           region=a.region, credit=a.credit, curve_key=a.curve_key,
                           broker_key=a.broker_key)
    bus = {}  # the worker's own client, made on the worker's loop at first use

    def client():
        if "client" not in bus:
            bus["client"] = skynet.AsyncClient(
                brokers=a.broker or None, redis=None if a.broker else a.redis, region=a.region,
                curve_key=a.curve_key, broker_key=a.broker_key, name="fibonacci")
        return bus["client"]

    @worker.method("Index")
    async def index(params, call):
        n = params.get("n")
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= LARGEST_N:
            raise skynet.BadRequest(f"Index needs {{n: a number from 0 to {LARGEST_N}}}")
        if n <= 1:
            return {"result": n}
        # fib is pure: safe to run again, so idempotent.
        halves = [client().call("fibonacci", "Index", {"n": half}, timeout=call.time_left(),
                                idempotent=True, traceparent=call.traceparent,
                                parent=call.request_id)
                  for half in (n - 1, n - 2)]
        results = await asyncio.gather(*halves)
        return {"result": sum(r["result"] for r in results)}

    worker.run()


if __name__ == "__main__":
    main()
