"""Which brokers a call may go to, best first: a fixed list, or the Redis
registry's brokers (discovery.Discovery), re-read at most every `refresh`
seconds. A failed read keeps the last list: brokers keep answering while
Redis is away, and a Redis restart that lost its data lists nothing until
they register again."""

import redis

from .discovery import Discovery
from .errors import ErrorCode


class StaticDirectory:
    # Given brokers are an order of preference (docs/python.md): the first
    # connected one takes every call.
    spreads = False

    def __init__(self, endpoints):
        self.endpoints = list(dict.fromkeys(endpoints))
        if not self.endpoints:
            raise ValueError("give brokers=[endpoint, ...] or redis=URL")

    def order(self, service):
        """[(rank, endpoint)], best first: given brokers rank alike."""
        return [(1, e) for e in self.endpoints]

    def none_for(self, service):
        return ErrorCode.UNAVAILABLE, "no broker given"

    def weight(self, endpoint):
        """Given brokers say nothing of their load: all alike."""
        return 1.0

    def refresh_due(self, now):
        return False

    def close(self):
        pass


class RegistryDirectory:
    # Brokers of a rank share its calls, by the load they publish.
    spreads = True

    def __init__(self, discovery, refresh=1.0):
        self.discovery = discovery
        self.refresh_every = refresh
        self.records = []
        self.loaded = False
        self.last_error = ""
        self._next_refresh = 0.0
        self._weights = {}

    def refresh_due(self, now):
        return now >= self._next_refresh

    def read(self):
        """The registry's brokers (blocking on Redis: drivers call it where
        that is fine). Returns None when Redis failed."""
        try:
            return self.discovery.records()
        except redis.RedisError as e:
            self.last_error = str(e)
            return None

    def apply(self, records, now):
        self._next_refresh = now + self.refresh_every
        if records is not None:
            self.records, self.loaded = records, True
            self._weights = {r.endpoint: r.weight for r in records}

    def weight(self, endpoint):
        """What the broker's published load makes of it (BrokerRecord.weight);
        1 for one the registry no longer lists (kept while it answers)."""
        return self._weights.get(endpoint, 1.0)

    def refresh(self, now):
        self.apply(self.read(), now)

    def close(self):
        self.discovery.close()

    def order(self, service):
        """[(rank, endpoint)], best first (Discovery.rank), one per endpoint."""
        best = {}
        for r in self.records:
            rank = self.discovery.rank(r, service)
            if rank > best.get(r.endpoint, 0):
                best[r.endpoint] = rank
        return sorted(((k, e) for e, k in best.items()), key=lambda ke: (-ke[0], ke[1]))

    def none_for(self, service):
        d = self.discovery
        where = f"the registry (prefix '{d.prefix}'"
        where += f", region '{d.region}')" if d.region else ")"
        if not self.loaded:
            return ErrorCode.UNAVAILABLE, f"cannot read {where}: {self.last_error}"
        if not self.records:
            pinned = " publishing the pinned broker key" if d.broker_key else ""
            return ErrorCode.UNAVAILABLE, f"no broker{pinned} in {where}"
        return ErrorCode.UNKNOWN_SERVICE, f"no broker in {where} lists '{service}'"


def make_directory(brokers, redis_url, region, prefix, broker_key, refresh):
    if brokers:
        if isinstance(brokers, str):
            brokers = [brokers]
        return StaticDirectory(brokers)
    if redis_url is None:
        raise ValueError("give brokers=[endpoint, ...] or redis=URL")
    return RegistryDirectory(Discovery(redis_url, region=region, prefix=prefix,
                                       broker_key=broker_key), refresh)
