#!/usr/bin/python3
"""Throughput of the Python client against the C++ client, in one run, on
one machine, through the same skynet-broker process.

    /usr/bin/python3 bench/python_peer.py [--seconds 3] [--inflight 1000]

Rows (requests per second, and the ratio Python / C++):
  sync   Python Client, one call at a time  vs  skynet-bench sync-1x1
  async  Python AsyncClient, --inflight calls out  vs  skynet-bench async-credit
Python calls the C++ fibonacci-service's cheap method (Index {n: 1}, answered
at once); skynet-bench's C++ client calls its own C++ echo workers (a
trivial handler as well) through the same broker (--broker). Both sides
use their default batching. Figures depend on the machine and what else
runs: compare ratios from one run, never figures across runs.

And the other way, C++ client -> Python worker (PYTHON_WORKER_ROWS):
skynet-bench's client calls a Python worker's "echo" through the same
broker, against the same client calling its own C++ echo workers.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python", "tests"))

import harness  # noqa: E402  (starts and kills the broker and services)
import skynet  # noqa: E402


def python_sync(endpoint, seconds):
    latencies = []
    with skynet.Client(brokers=[endpoint], timeout=10) as client:
        client.call("fibonacci", "Index", {"n": 1})  # connected, batching agreed
        end = time.perf_counter() + seconds
        while True:
            start = time.perf_counter()
            if start >= end:
                break
            client.call("fibonacci", "Index", {"n": 1})
            latencies.append(time.perf_counter() - start)
    return row(len(latencies), seconds, latencies)


async def python_async_run(endpoint, seconds, inflight):
    latencies, errors = [], 0
    async with skynet.AsyncClient(brokers=[endpoint], timeout=30) as client:
        await client.call("fibonacci", "Index", {"n": 1})
        end = time.perf_counter() + seconds

        async def lane():
            nonlocal errors
            while time.perf_counter() < end:
                start = time.perf_counter()
                outcome = await client.call_result("fibonacci", "Index", {"n": 1})
                if outcome.ok:
                    latencies.append(time.perf_counter() - start)
                else:
                    errors += 1
        began = time.perf_counter()
        await asyncio.gather(*(lane() for _ in range(inflight)))
        elapsed = time.perf_counter() - began
    result = row(len(latencies), elapsed, latencies)
    result["errors"] = errors
    return result


def row(count, seconds, latencies):
    latencies = sorted(latencies)
    pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e6) \
        if latencies else (lambda q: float("nan"))
    return {"requests_per_second": count / seconds, "completed": count,
            "p50_us": pick(0.5), "p99_us": pick(0.99)}


def cpp_client(endpoint, scenario, seconds, inflight, service=None):
    """skynet-bench's C++ client through the same broker: its "skynet" row.
    With `service`, it calls that service's "echo" {data} (a worker of ours
    in another process: --envelope) instead of its own C++ echo workers."""
    argv = [harness.binary("skynet-bench"), "--broker", endpoint, "--scenario", scenario,
            "--seconds", str(seconds), "--inflight", str(inflight), "--json",
            "--log-level", "warn"]
    if service:
        argv += ["--service", service, "--envelope"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"skynet-bench failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    for s in report["scenarios"]:
        for run in s["runs"]:
            if run["label"] in ("skynet", "skynet, credit"):
                return {"requests_per_second": run["requests_per_second"],
                        "completed": run["completed"], "p50_us": run["p50_ns"] / 1000,
                        "p99_us": run["p99_ns"] / 1000}
    raise RuntimeError(f"skynet-bench printed no 'skynet' row for {scenario}")


# "C++ client -> Python worker" rows: skynet-bench's C++ client calls a
# Python worker (python/tests/worker_fixture.py: a sync "echo" in a pool of 8
# threads, credit 64) through the same broker, against the same client
# calling skynet-bench's own C++ echo workers. Each is (name, description,
# skynet-bench scenario, calls in flight).
PYTHON_WORKER_ROWS = [
    ("py-worker-sync", "C++ client -> Python worker, one call at a time", "sync-1x1", 1),
    ("py-worker-async", "C++ client -> Python worker, {inflight} in flight", "async-credit", None),
]
PYTHON_WORKER = os.path.join(os.path.dirname(HERE), "python", "tests", "worker_fixture.py")


def start_python_worker(h, endpoint):
    worker = h.spawn(["/usr/bin/python3", PYTHON_WORKER, "--broker", endpoint, "--credit", "64",
                      "--concurrency", "8", "--heartbeat", "1", "--log-level", "warn"])
    h.wait_service(endpoint, "pyfixture", worker)
    return worker


def python_worker_rows(h, endpoint, args):
    rows = []
    for name, description, scenario, inflight in PYTHON_WORKER_ROWS:
        inflight = inflight or args.inflight
        rows.append((name, description.format(inflight=inflight),
                     cpp_client(endpoint, scenario, args.seconds, inflight, service="pyfixture"),
                     cpp_client(endpoint, scenario, args.seconds, inflight)))
    return rows


def measure(args):
    rows = []
    with harness.Harness() as h:
        broker = h.broker()
        h.bench_endpoint = broker.endpoint
        fib = h.service("fibonacci-service", broker=broker.endpoint)
        h.wait_service(broker.endpoint, "fibonacci", fib)
        start_python_worker(h, broker.endpoint)
        for _ in range(args.repeat):
            rows.append(("sync", "one call at a time",
                         python_sync(broker.endpoint, args.seconds),
                         cpp_client(broker.endpoint, "sync-1x1", args.seconds, 1)))
            rows.append((f"async-{args.inflight}", f"{args.inflight} calls in flight",
                         asyncio.run(python_async_run(broker.endpoint, args.seconds,
                                                      args.inflight)),
                         cpp_client(broker.endpoint, "async-credit", args.seconds,
                                    args.inflight)))
            rows.extend(python_worker_rows(h, broker.endpoint, args))
    return rows


def report(rows, as_json):
    if as_json:
        print(json.dumps([{"scenario": n, "description": d, "python": p, "cpp": c,
                           "ratio": p["requests_per_second"] / c["requests_per_second"]}
                          for n, d, p, c in rows], indent=1))
        return
    print(f"{'scenario':<12} {'python req/s':>13} {'C++ req/s':>11} {'ratio':>6} "
          f"{'py p50':>9} {'C++ p50':>9}  what")
    for name, description, p, c in rows:
        ratio = p["requests_per_second"] / c["requests_per_second"]
        print(f"{name:<12} {p['requests_per_second']:>13.0f} {c['requests_per_second']:>11.0f} "
              f"{ratio:>6.2f} {p['p50_us']:>7.0f}us {c['p50_us']:>7.0f}us  {description}")
    by_name = {}
    for name, _, p, c in rows:
        by_name.setdefault(name, []).append(p["requests_per_second"] / c["requests_per_second"])
    for name, ratios in by_name.items():
        if len(ratios) > 1:
            print(f"{name}: median ratio {statistics.median(ratios):.2f} over {len(ratios)} runs")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per run")
    parser.add_argument("--inflight", type=int, default=1000, help="asyncio calls in flight")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each row")
    parser.add_argument("--json", action="store_true", help="JSON instead of the table")
    args = parser.parse_args()
    report(measure(args), args.json)


if __name__ == "__main__":
    main()
