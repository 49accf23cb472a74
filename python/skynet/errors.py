"""The bus's error codes and the exceptions that carry them.

The numbers are fixed on the wire (the reply header's ``code``), the same in
every language: never renumber them. Every failed call raises one
:class:`SkynetError` subclass, one per code, so callers catch exactly what
they can handle (``except skynet.Overloaded``) or every bus failure at once
(``except skynet.SkynetError``).
"""

import enum

__all__ = [
    "ErrorCode", "SkynetError", "BadRequest", "UnknownService", "UnknownMethod",
    "CallTimeout", "Unavailable", "WorkerLost", "Overloaded", "ServiceError",
    "Unauthorized", "Cancelled", "ProtocolError", "KeyFileError", "error_for",
]


class ErrorCode(enum.IntEnum):
    """Wire numbers of the reply header's ``code`` (docs/design.md)."""
    OK = 0
    BAD_REQUEST = 1       # malformed or refused input: never retry
    UNKNOWN_SERVICE = 2   # no worker serves it (after a short wait)
    UNKNOWN_METHOD = 3    # the service has no such method: never retry
    TIMEOUT = 4           # the budget ran out; the request may have run
    UNAVAILABLE = 5       # no broker could take it; back off and retry
    WORKER_LOST = 6       # its worker died; it may have run
    OVERLOADED = 7        # a queue or limit is full; it did not run
    SERVICE_ERROR = 8     # the handler failed
    UNAUTHORIZED = 9      # the caller may not do this: never retry
    CANCELLED = 10        # the caller gave up on it

    @property
    def retryable(self):
        """True when the request certainly did not run: retry after a pause."""
        return self in (ErrorCode.UNAVAILABLE, ErrorCode.OVERLOADED)


class SkynetError(Exception):
    """A call that ended with an error code. ``code`` is an :class:`ErrorCode`,
    ``detail`` the text the bus or the service gave."""

    code = None  # set by each subclass

    def __init__(self, detail="", code=None):
        if code is not None:
            self.code = ErrorCode(code)
        self.detail = detail
        super().__init__(detail)

    def __str__(self):
        name = self.code.name if self.code is not None else "ERROR"
        return f"{name}: {self.detail}" if self.detail else name

    def __repr__(self):
        return f"{type(self).__name__}({self.detail!r})"

    def __reduce__(self):
        return (error_for, (int(self.code), self.detail))


class BadRequest(SkynetError):
    code = ErrorCode.BAD_REQUEST


class UnknownService(SkynetError):
    code = ErrorCode.UNKNOWN_SERVICE


class UnknownMethod(SkynetError):
    code = ErrorCode.UNKNOWN_METHOD


class CallTimeout(SkynetError):
    """The deadline passed (named so as not to shadow the builtin TimeoutError)."""
    code = ErrorCode.TIMEOUT


class Unavailable(SkynetError):
    code = ErrorCode.UNAVAILABLE


class WorkerLost(SkynetError):
    code = ErrorCode.WORKER_LOST


class Overloaded(SkynetError):
    code = ErrorCode.OVERLOADED


class ServiceError(SkynetError):
    code = ErrorCode.SERVICE_ERROR


class Unauthorized(SkynetError):
    code = ErrorCode.UNAUTHORIZED


class Cancelled(SkynetError):
    code = ErrorCode.CANCELLED


_BY_CODE = {cls.code: cls for cls in (
    BadRequest, UnknownService, UnknownMethod, CallTimeout, Unavailable,
    WorkerLost, Overloaded, ServiceError, Unauthorized, Cancelled)}


def error_for(code, detail=""):
    """The exception for a wire code. A code that is not an error (OK, or a
    number we do not know) is a protocol fault, said as one."""
    try:
        cls = _BY_CODE[ErrorCode(code)]
    except (ValueError, KeyError):
        return ProtocolError(f"error code {code!r} is not one of the bus's: {detail}")
    return cls(detail)


class ProtocolError(ValueError):
    """Bytes from the network that are not what the protocol says: a frame
    that is not 7/MDP, a header that is not our envelope. Raised by decoders
    instead of any lower-level error, so that callers catch one thing."""


class KeyFileError(ValueError):
    """A CURVE key file that is missing, holds no key, or is not private."""
