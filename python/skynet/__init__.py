"""Skynet for Python: call services on a Skynet bus (7/MDP brokers with the
RPC envelope of docs/design.md), and the wire pieces beneath it.

    import skynet
    with skynet.Client(brokers=["tcp://127.0.0.1:5555"]) as client:
        print(client.call("fibonacci", "Index", {"n": 10}))   # {'result': 55}
"""

from .errors import (ErrorCode, SkynetError, BadRequest, UnknownService, UnknownMethod,
                     CallTimeout, Unavailable, WorkerLost, Overloaded, ServiceError,
                     Unauthorized, Cancelled, ProtocolError, KeyFileError, error_for)
from .envelope import RequestHeader, ReplyHeader
from .keys import KeyPair, load_secret_key_file, load_public_key_file
from .discovery import Discovery, BrokerRecord
from .outcome import Outcome
from .client import Client
from .aio import AsyncClient

__version__ = "0.1.0"

__all__ = [
    "ErrorCode", "SkynetError", "BadRequest", "UnknownService", "UnknownMethod",
    "CallTimeout", "Unavailable", "WorkerLost", "Overloaded", "ServiceError",
    "Unauthorized", "Cancelled", "ProtocolError", "KeyFileError", "error_for",
    "RequestHeader", "ReplyHeader", "KeyPair", "load_secret_key_file",
    "load_public_key_file", "Discovery", "BrokerRecord", "Outcome", "Client", "AsyncClient",
]

# The worker half (python/skynet/worker.py and the modules under it).
from .worker import Worker  # noqa: E402
from .worker_call import Call  # noqa: E402

__all__ += ["Worker", "Call"]
