"""A call's one outcome as a value: errors as values, for callers that would
rather branch than catch (``client.call_result``)."""

from .errors import ErrorCode, error_for

__all__ = ["Outcome"]


class Outcome:
    """``ok`` and ``value`` (the result document) on success; ``code``,
    ``detail`` and ``error`` (the exception :meth:`unwrap` would raise)
    otherwise. ``retries``: how often the bus sent the call again."""

    __slots__ = ("code", "value", "detail", "retries")

    def __init__(self, code=ErrorCode.OK, value=None, detail="", retries=0):
        self.code = ErrorCode(code)
        self.value = value
        self.detail = detail
        self.retries = retries

    @classmethod
    def success(cls, value, retries=0):
        return cls(ErrorCode.OK, value, "", retries)

    @classmethod
    def failure(cls, code, detail, retries=0):
        return cls(code, None, detail, retries)

    @property
    def ok(self):
        return self.code == ErrorCode.OK

    def __bool__(self):
        return self.ok

    @property
    def error(self):
        """The exception for a failure; None on success."""
        return None if self.ok else error_for(self.code, self.detail)

    def unwrap(self):
        """The result document, or the coded exception raised."""
        if self.ok:
            return self.value
        raise self.error

    def __repr__(self):
        if self.ok:
            return f"Outcome(ok, {self.value!r})"
        return f"Outcome({self.code.name}, {self.detail!r})"
