"""The command channel of one instance (docs/design.md, "Registry details"):
``sky register|unregister|stop|restart|log <level>`` publish
``<nonce> <verb> [argument]`` to ``P commands:<id>``, and read the answers
from the list ``P acks:<nonce>``: ``<id> ok``, ``<id> ok <text>`` or
``<id> error <text>`` (kept 60 s), as registry/src/command_listener.cpp
answers them.

A :class:`CommandListener` subscribes on a thread of its own, calls the
handler its verb names (a handler only asks its owner and returns: it runs
on that thread), acknowledges, and subscribes again by itself when Redis
comes back.
"""

import logging
import re
import threading

import redis

__all__ = ["CommandListener", "parse_command", "format_ack", "LOG_LEVELS", "set_log_level"]

log = logging.getLogger("skynet.registry")

ACK_TTL_MS = 60000
_NONCE = re.compile(r"^[0-9A-Za-z]{1,64}$")

# The levels `sky log` names (spdlog's), and Python's for each.
LOG_LEVELS = {
    "trace": logging.DEBUG, "debug": logging.DEBUG, "info": logging.INFO,
    "warn": logging.WARNING, "warning": logging.WARNING, "error": logging.ERROR,
    "critical": logging.CRITICAL, "off": logging.CRITICAL + 10,
}


def set_log_level(level, logger_name="skynet"):
    """`sky log LEVEL`: False for a level we do not know."""
    value = LOG_LEVELS.get(level)
    if value is None:
        return False
    logging.getLogger(logger_name).setLevel(value)
    return True


def parse_command(payload):
    """(nonce, verb, argument), or None for a malformed command."""
    nonce, _, rest = payload.partition(" ")
    if not _NONCE.match(nonce):
        return None
    verb, _, argument = rest.partition(" ")
    return nonce, verb, argument


def format_ack(instance_id, error=None, answer=""):
    if error is not None:
        return f"{instance_id} error {error}"
    return f"{instance_id} ok {answer}" if answer else f"{instance_id} ok"


class CommandListener:
    """Takes the commands for ``instance_id``. ``handlers`` maps a verb
    (register, unregister, stop, restart, log) to a callable taking the
    argument; it returns None, or raises ValueError whose text is the error
    acknowledged. A verb without a handler is answered "not supported by
    this instance"."""

    def __init__(self, redis_url, instance_id, handlers, prefix="skynet:", socket_timeout=2.0,
                 max_backoff=2.0):
        self.instance_id = instance_id
        self.prefix = prefix
        self.channel = f"{prefix}commands:{instance_id}"
        self._handlers = dict(handlers)
        self._url = redis_url
        self._timeout = socket_timeout
        self._max_backoff = max_backoff
        self._stop = threading.Event()
        self._subscribed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="skynet-commands", daemon=True)
        self._thread.start()

    @property
    def subscribed(self):
        """True while commands can reach this instance."""
        return self._subscribed.is_set()

    def close(self):
        self._stop.set()
        self._thread.join()

    def _client(self):
        return redis.Redis.from_url(self._url, socket_timeout=self._timeout,
                                    socket_connect_timeout=self._timeout)

    def _run(self):
        backoff, down = 0.1, False
        while not self._stop.is_set():
            acks = self._client()
            pubsub = acks.pubsub()
            try:
                pubsub.subscribe(self.channel)
                if down:
                    log.info("command channel subscribed again id=%s", self.instance_id)
                down, backoff = False, 0.1
                self._serve(pubsub, acks)
            except (redis.RedisError, OSError) as e:
                if not down:
                    log.warning("command channel lost id=%s error=\"%s\"", self.instance_id, e)
                down = True
            finally:
                self._subscribed.clear()
                pubsub.close()
                acks.close()
            self._stop.wait(backoff)
            backoff = min(backoff * 2, self._max_backoff)

    def _serve(self, pubsub, acks):
        while not self._stop.is_set():
            message = pubsub.get_message(timeout=0.2)
            if message is None:
                continue
            if message.get("type") == "subscribe":
                self._subscribed.set()  # Redis confirmed: a command sent now reaches us
                continue
            if message.get("type") != "message":
                continue
            data = message["data"]
            self._handle(acks, data.decode("utf-8", "replace") if isinstance(data, bytes) else data)

    def _dispatch(self, verb, argument):
        """The error text to acknowledge, or None."""
        handler = self._handlers.get(verb)
        if handler is None:
            known = ("register", "unregister", "stop", "restart", "log")
            return "not supported by this instance" if verb in known else f"unknown command {verb}"
        try:
            handler(argument)
        except ValueError as e:
            return str(e) or "the handler failed"
        except Exception as e:  # a handler's fault is an error answer, never the thread's end
            log.exception("command handler failed id=%s command=%s", self.instance_id, verb)
            return str(e) or "the handler failed"
        return None

    def _handle(self, acks, payload):
        parsed = parse_command(payload)
        if parsed is None:
            log.warning("dropping a malformed command id=%s", self.instance_id)
            return
        nonce, verb, argument = parsed
        failure = self._dispatch(verb, argument)
        log.info("command id=%s command=%s outcome=\"%s\"", self.instance_id, verb,
                 failure or "ok")
        key = f"{self.prefix}acks:{nonce}"
        pipe = acks.pipeline(transaction=False)
        pipe.rpush(key, format_ack(self.instance_id, failure))
        pipe.pexpire(key, ACK_TTL_MS)
        pipe.execute()
