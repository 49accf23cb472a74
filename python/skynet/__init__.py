"""Skynet for Python: serve and call services on a Skynet bus (7/MDP brokers
with the RPC envelope of docs/design.md), and the wire pieces beneath it.
docs/python.md is the guide.

    import skynet
    with skynet.Client(brokers=["tcp://127.0.0.1:5555"]) as client:
        print(client.call("fibonacci", "Index", {"n": 10}))   # {'result': 55}

    worker = skynet.Worker("greeter", broker="tcp://127.0.0.1:5555")
    @worker.method("Hello")
    def hello(params, call):
        return {"text": "hello " + params["name"]}
    worker.run()   # until SIGTERM, then drains
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
from .worker import Worker
from .worker_call import Call

__version__ = "0.1.0"

__all__ = [
    "ErrorCode", "SkynetError", "BadRequest", "UnknownService", "UnknownMethod",
    "CallTimeout", "Unavailable", "WorkerLost", "Overloaded", "ServiceError",
    "Unauthorized", "Cancelled", "ProtocolError", "KeyFileError", "error_for",
    "RequestHeader", "ReplyHeader", "KeyPair", "load_secret_key_file",
    "load_public_key_file", "Discovery", "BrokerRecord", "Outcome", "Client", "AsyncClient",
    "Worker", "Call",
]
