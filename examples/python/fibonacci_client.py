#!/usr/bin/python3
"""fibonacci_client.py: asks the fibonacci service for fib(n), in Python.

    /usr/bin/python3 fibonacci_client.py --broker tcp://127.0.0.1:5555 --n 20
    /usr/bin/python3 fibonacci_client.py --redis redis://127.0.0.1:6379 --region local
    /usr/bin/python3 fibonacci_client.py --many 1000      # asyncio, 1000 calls at once

Exit status as fibonacci-client's: 0 with an answer, 10 + the error code
otherwise (14 TIMEOUT, 12 UNKNOWN_SERVICE, ...).
"""

import argparse
import asyncio
import sys

import skynet


def options():
    p = argparse.ArgumentParser(description="prints fib(n), asked of the fibonacci service")
    p.add_argument("--broker", action="append", help="broker endpoint (repeat for failover)")
    p.add_argument("--redis", help="find the brokers in this registry instead")
    p.add_argument("--region", help="our region: its brokers first")
    p.add_argument("--curve-key", help="CURVE: our secret key file (sky keygen NAME)")
    p.add_argument("--broker-key", help="CURVE: the brokers' public key file")
    p.add_argument("--n", type=int, default=20, help="which Fibonacci number")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds for the call")
    p.add_argument("--many", type=int, default=0, help="ask fib(0..n) this many times at once")
    args = p.parse_args()
    if not args.broker and not args.redis:
        args.broker = ["tcp://127.0.0.1:5555"]
    return args


def client_options(args):
    return dict(brokers=args.broker, redis=args.redis, region=args.region,
                curve_key=args.curve_key, broker_key=args.broker_key, timeout=args.timeout)


async def many(args):
    async with skynet.AsyncClient(**client_options(args)) as client:
        calls = [client.call("fibonacci", "Index", {"n": i % (args.n + 1)}, idempotent=True)
                 for i in range(args.many)]
        results = await asyncio.gather(*calls)
    print(f"{len(results)} answers, the last: fib({(args.many - 1) % (args.n + 1)}) = "
          f"{results[-1]['result']}")


def main():
    args = options()
    try:
        if args.many:
            asyncio.run(many(args))
            return 0
        with skynet.Client(**client_options(args)) as client:
            # fib is pure: the bus may run it again if a worker or broker dies.
            result = client.call("fibonacci", "Index", {"n": args.n}, idempotent=True)
        print(f"fibonacci({args.n}) = {result['result']}")
        return 0
    except skynet.SkynetError as e:
        print(f"fibonacci_client: {e}", file=sys.stderr)
        return 10 + int(e.code)
    except (skynet.KeyFileError, ValueError) as e:
        print(f"fibonacci_client: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
