"""Brokers from the Redis registry (docs/design.md, "Registry details").

Read-only: this module never writes, prunes or publishes. The registry keeps

* ``P index:kind:broker`` (zset): broker id -> lease expiry, ms of Redis's clock
* ``P instance:<id>`` (hash): the record; the hash is the truth

with P the prefix (default ``skynet:``). A broker suits a caller when its
lease has not expired (by Redis's own clock: hosts' clocks need not agree),
it is registered (a draining broker is left alone), it has an endpoint, and,
when a broker key is pinned, its record's ``curve_key`` is that key. Brokers
of the caller's region come first, as the C++ directory ranks them.
"""

from dataclasses import dataclass, field

import redis

__all__ = ["BrokerRecord", "Discovery", "lists_service"]


def lists_service(services, service):
    """True if a broker listing ``services`` serves ``service``: a
    ``name@version`` exactly, a bare ``name`` under any version."""
    if not service or service.startswith("mmi."):
        return True
    if "@" in service:
        return service in services
    return any(s == service or s.startswith(service + "@") for s in services)


def _count(fields, name):
    """A record's whole number; 0 when absent or not a number (a record
    written by an older broker, or by someone else)."""
    try:
        return max(0, int(fields.get(name, "0")))
    except ValueError:
        return 0


@dataclass
class BrokerRecord:
    id: str
    endpoint: str
    region: str = ""
    host: str = ""
    services: list = field(default_factory=list)
    curve_key: str = ""
    registered: bool = True
    fields: dict = field(default_factory=dict)  # the whole hash, as strings
    # What the broker publishes about once a second (absent: idle).
    load_queued: int = 0
    load_in_flight: int = 0
    load_cpu_percent: int = 0

    @property
    def weight(self):
        """How much of a region's calls this broker should take, next to
        its peers: CPU headroom over 1 + requests queued, as the C++ client
        weighs it (registry::load_weight). A queue is what matters: requests
        wait there for a worker. Never 0, so that a busy broker is tried
        again once it says it is not."""
        headroom = 1.0 - min(self.load_cpu_percent, 95) / 100.0
        return headroom / (1.0 + self.load_queued)


class Discovery:
    """Finds brokers through Redis.

    ``redis_url``: ``redis://[user:]password@host:port/db``, or a
    ``redis.Redis`` of your own. ``region``: ours (its brokers first).
    ``broker_key``: a pinned CURVE public key (Z85): only brokers that publish
    it in their record are listed.
    """

    def __init__(self, redis_url="redis://127.0.0.1:6379", region=None, prefix="skynet:",
                 broker_key=None, socket_timeout=2.0):
        if isinstance(redis_url, redis.Redis):
            self._redis = redis_url
        else:
            self._redis = redis.Redis.from_url(redis_url, socket_timeout=socket_timeout,
                                               socket_connect_timeout=socket_timeout)
        self.region = region or None
        self.prefix = prefix
        self.broker_key = broker_key or ""

    def close(self):
        self._redis.close()

    def _now_ms(self):
        seconds, micros = self._redis.time()
        return int(seconds) * 1000 + int(micros) // 1000

    def _text(self, value):
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    def records(self):
        """Every live, registered broker with an endpoint (and the pinned key),
        in no particular order. Raises redis.RedisError when Redis fails."""
        now = self._now_ms()
        ids = self._redis.zrangebyscore(f"{self.prefix}index:kind:broker", f"({now}", "+inf")
        if not ids:
            return []
        pipe = self._redis.pipeline(transaction=False)
        for raw_id in ids:
            pipe.hgetall(f"{self.prefix}instance:{self._text(raw_id)}")
        found = []
        for raw_id, raw in zip(ids, pipe.execute()):
            record = self._record(self._text(raw_id), raw)
            if record is not None:
                found.append(record)
        return found

    def _record(self, instance_id, raw):
        f = {self._text(k): self._text(v) for k, v in raw.items()}
        if f.get("kind") != "broker" or f.get("registered", "0") != "1" or not f.get("endpoint"):
            return None
        if self.broker_key and f.get("curve_key", "") != self.broker_key:
            return None
        services = sorted(s for s in f.get("services", "").split(",") if s)
        return BrokerRecord(id=f.get("id", instance_id), endpoint=f["endpoint"],
                            region=f.get("region", ""), host=f.get("host", ""),
                            services=services, curve_key=f.get("curve_key", ""), fields=f,
                            load_queued=_count(f, "load_queued"),
                            load_in_flight=_count(f, "load_in_flight"),
                            load_cpu_percent=_count(f, "load_cpu_percent"))

    def rank(self, record, service=None):
        """How well a broker suits a call for ``service``: 3 ours and serving
        it, 2 another region's serving it, 1 ours without it (it answers
        UNKNOWN_SERVICE after its wait), 0 otherwise. Without a service:
        3 ours, 2 another region's."""
        ours = self.region is None or record.region == self.region
        if service is None:
            return 3 if ours else 2
        serves = lists_service(record.services, service)
        if serves:
            return 3 if ours else 2
        return 1 if ours else 0

    def brokers(self, service=None):
        """Brokers that suit ``service`` (every broker without one), best
        first; ties by endpoint, so that callers see a stable order."""
        ranked = [(self.rank(r, service), r) for r in self.records()]
        ranked = [(k, r) for k, r in ranked if k > 0]
        ranked.sort(key=lambda kr: (-kr[0], kr[1].endpoint))
        seen, out = set(), []
        for _, r in ranked:  # one per endpoint: a restarted broker under a new id
            if r.endpoint not in seen:
                seen.add(r.endpoint)
                out.append(r)
        return out

    def endpoints(self, service=None):
        return [r.endpoint for r in self.brokers(service)]
