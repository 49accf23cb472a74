"""Real processes for the Python tests: redis-server, skynet-broker, the C++
example services and `sky`, on free loopback ports.

Binaries come from ``SKYNET_BIN_DIR`` (CTest sets it to the build's bin/;
run by hand, it defaults to ./build/bin of the source tree). Waits are on
conditions with deadlines, never on sleeps; ``SKYNET_TEST_TIME_SCALE``
stretches every deadline on slow builds (sanitizers), as the C++ tests do.
Everything a :class:`Harness` starts is killed (its whole process group)
when it closes, and by the kernel if this interpreter dies first.
"""

import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

import zmq  # noqa: E402

from skynet import mdp  # noqa: E402
from skynet import keys as skynet_keys  # noqa: E402

REDIS_SERVER = "/usr/bin/redis-server"


def bin_dir():
    return os.environ.get("SKYNET_BIN_DIR") or os.path.join(SOURCE_DIR, "build", "bin")


def binary(name):
    path = os.path.join(bin_dir(), name)
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(f"{path} is not built (set SKYNET_BIN_DIR or build {name})")
    return path


def time_scale():
    try:
        return max(1.0, float(os.environ.get("SKYNET_TEST_TIME_SCALE", "1")))
    except ValueError:
        return 1.0


def scaled(seconds):
    return seconds * time_scale()


def eventually(condition, timeout=10.0, what="condition", interval=0.01):
    """Polls ``condition`` until it is true or ``timeout`` (scaled) passes;
    returns its last value when true, raises AssertionError otherwise."""
    deadline = time.monotonic() + scaled(timeout)
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)  # a poll interval, not synchronisation


async def async_eventually(condition, timeout=10.0, what="condition", interval=0.01):
    """eventually() for a coroutine: polls without blocking the event loop."""
    import asyncio
    deadline = time.monotonic() + scaled(timeout)
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(interval)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # In the child, before exec: SIGKILL it if the test runner dies, so that
    # a ctest timeout leaves nothing behind.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def _child_env(extra=None):
    # No SKYNET_* from the caller's shell (a stray SKYNET_REDIS would make a
    # broker register somewhere): only what the test gives.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKYNET_")}
    env.update(extra or {})
    return env


class Process:
    """One child in a process group of its own, its output in files."""

    def __init__(self, argv, env=None, scratch=None):
        self.argv = [str(a) for a in argv]
        scratch = scratch or tempfile.gettempdir()
        self._out = tempfile.NamedTemporaryFile(prefix="skynet-py-", suffix=".out", dir=scratch,
                                                delete=False)
        self._err = tempfile.NamedTemporaryFile(prefix="skynet-py-", suffix=".err", dir=scratch,
                                                delete=False)
        self.popen = subprocess.Popen(self.argv, stdout=self._out, stderr=self._err,
                                      stdin=subprocess.DEVNULL, env=_child_env(env),
                                      start_new_session=True, preexec_fn=_die_with_parent)
        self.pid = self.popen.pid

    def running(self):
        return self.popen.poll() is None

    def signal(self, signo):
        if self.running():
            try:
                os.killpg(self.pid, signo)
            except ProcessLookupError:
                pass

    def kill(self):
        """SIGKILL to its whole group, and reaped."""
        self.signal(signal.SIGKILL)
        try:
            self.popen.wait(timeout=scaled(10))
        except subprocess.TimeoutExpired:
            pass

    def stop(self, grace=5.0):
        """SIGTERM, a grace, then SIGKILL to what is left."""
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=scaled(grace))
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def wait(self, timeout=10.0):
        return self.popen.wait(timeout=scaled(timeout))

    def stdout_text(self):
        with open(self._out.name, errors="replace") as f:
            return f.read()

    def stderr_text(self):
        with open(self._err.name, errors="replace") as f:
            return f.read()

    def close(self):
        self.kill()
        for f in (self._out, self._err):
            f.close()
            try:
                os.unlink(f.name)
            except OSError:
                pass


def run(argv, timeout=30.0, env=None):
    """Runs a program to its end: (status, stdout, stderr)."""
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          env=_child_env(env), timeout=scaled(timeout),
                          preexec_fn=_die_with_parent)
    return done.returncode, done.stdout, done.stderr


def mmi(endpoint, service, body, client_keys=None, server_key=None, timeout=1.0):
    """One mmi.* request on a fresh socket: the reply's body frames, or None
    when the broker does not answer in time."""
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.linger = 0
    try:
        if client_keys is not None:
            skynet_keys.apply_client_keys(sock, client_keys, server_key)
        sock.connect(endpoint)
        sock.send_multipart(mdp.client_request(service, body))
        if not sock.poll(int(scaled(timeout) * 1000)):
            return None
        return mdp.parse_client_reply(sock.recv_multipart()).body
    finally:
        sock.close()


def mmi_service(endpoint, name, client_keys=None, server_key=None, timeout=1.0):
    """8/MMI's mmi.service NAME: "200", "404", or None (no answer)."""
    body = mmi(endpoint, "mmi.service", [name], client_keys, server_key, timeout)
    return body[-1].decode() if body else None


def broker_stats(endpoint, client_keys=None, server_key=None):
    """The broker's counters (mmi.stats), {} when it does not answer."""
    import bson
    body = mmi(endpoint, "mmi.stats", [b""], client_keys, server_key, timeout=5.0)
    return bson.decode(body[1]) if body and len(body) > 1 and body[0] == b"200" else {}


def service_stats(endpoint, name):
    """The broker's row for one service (mmi.service_stats): queued,
    workers, idle, busy, requests, errors; {} when none."""
    import bson
    body = mmi(endpoint, "mmi.service_stats", [b""], timeout=5.0)
    if not body or len(body) < 2 or body[0] != b"200":
        return {}
    rows = bson.decode(body[1]).get("services", [])
    return next((r for r in rows if r.get("name") == name), {})


class Broker:
    def __init__(self, process, endpoint, port):
        self.process = process
        self.endpoint = endpoint
        self.port = port


class Harness:
    """Starts processes and kills them all in close() (use as a context
    manager, or addCleanup(h.close) in a TestCase)."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="skynet-py-test-")
        self.dir = self._tmp.name
        self.processes = []
        self.threads = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for t in reversed(self.threads):
            t.close()
        self.threads.clear()
        for p in reversed(self.processes):
            p.close()
        self.processes.clear()
        self._tmp.cleanup()

    def silent_worker(self, endpoint, service):
        """A worker of ``service`` that never answers (SilentWorker), until close."""
        worker = SilentWorker(endpoint, service)
        self.threads.append(worker)
        self.wait_service(endpoint, service)
        return worker

    def spawn(self, argv, env=None):
        p = Process(argv, env=env, scratch=self.dir)
        self.processes.append(p)
        return p

    def _failed(self, p, what):
        return AssertionError(f"{what} did not start (status {p.popen.poll()}):\n"
                              f"{p.stderr_text()[-4000:]}")

    # -- redis ----------------------------------------------------------------

    def redis(self):
        """A redis-server of our own; returns its URL."""
        import redis as redis_py
        for _ in range(5):  # a free port can be taken before redis binds it
            port = free_port()
            p = self.spawn([REDIS_SERVER, "--port", port, "--bind", "127.0.0.1", "--save", "",
                            "--appendonly", "no"])

            def answers():
                # Ours, not another test's that took the port first: the
                # server's own pid says.
                try:
                    info = redis_py.Redis(port=port, socket_timeout=1).info("server")
                    return info.get("process_id") == p.pid or not p.running()
                except redis_py.RedisError:
                    return not p.running()
            eventually(answers, 10, "redis-server to answer")
            if p.running():
                return f"redis://127.0.0.1:{port}"
        raise AssertionError("redis-server did not start")

    # -- brokers --------------------------------------------------------------

    def broker(self, *args, port=None, heartbeat_ms=250, liveness=3, redis=None, region=None):
        """A skynet-broker on loopback; extra ``args`` go on its command line.
        Without ``port`` it binds a port the kernel picks (no race with other
        tests for a "free" port) and says which in its log. Waits until it
        listens."""
        bind = f"tcp://127.0.0.1:{port}" if port else "tcp://127.0.0.1:*"
        argv = [binary("skynet-broker"), "--bind", bind, "--heartbeat-ms", heartbeat_ms,
                "--liveness", liveness, "--log-level", "info", *args]
        if redis:
            argv += ["--redis", redis]
        if region:
            argv += ["--region", region]
        p = self.spawn(argv)

        def listening():
            if not p.running():
                raise self._failed(p, "skynet-broker")
            found = re.search(r"broker listening endpoint=(tcp://127\.0\.0\.1:(\d+))",
                              p.stdout_text() + p.stderr_text())
            return found and (found.group(1), int(found.group(2)))
        endpoint, bound = eventually(listening, 15, "the broker's 'listening' line")
        return Broker(p, endpoint, bound)

    # -- services -------------------------------------------------------------

    def service(self, program, *args, broker=None, redis=None, region=None):
        """A C++ service (fibonacci-service, sleeper-service, echo-service)."""
        argv = [binary(program), "--log-level", "warn", *args]
        if broker:
            argv += ["--broker", broker]
        if redis:
            argv += ["--redis", redis]
        if region:
            argv += ["--region", region]
        return self.spawn(argv)

    def wait_service(self, endpoint, name, process=None, client_keys=None, server_key=None,
                     timeout=20.0):
        """Until the broker at ``endpoint`` has a worker for ``name``."""
        def ready():
            if process is not None and not process.running():
                raise self._failed(process, name)
            return mmi_service(endpoint, name, client_keys, server_key) == "200"
        eventually(ready, timeout, f"a worker of {name} at {endpoint}")

    # -- keys -----------------------------------------------------------------

    def keygen(self, name, directory=None):
        """`sky keygen NAME --dir DIR`: (NAME.key path, NAME.pub path)."""
        directory = directory or os.path.join(self.dir, "keys")
        os.makedirs(directory, exist_ok=True)
        status, out, err = run([binary("sky"), "keygen", name, "--dir", directory])
        if status != 0:
            raise AssertionError(f"sky keygen {name} failed ({status}): {err}")
        return os.path.join(directory, name + ".key"), os.path.join(directory, name + ".pub")


class SilentWorker:
    """A 7/MDP worker that takes requests and never answers them (it keeps
    sending heartbeats, so the broker keeps it): calls to it can only end by
    their deadline. ``held`` counts the requests it got."""

    def __init__(self, endpoint, service, heartbeat=0.1):
        import threading
        self.endpoint, self.service, self.heartbeat = endpoint, service, heartbeat
        self.held = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        try:
            sock.connect(self.endpoint)
            sock.send_multipart(mdp.ready(self.service))
            while not self._stop.is_set():
                if sock.poll(int(self.heartbeat * 1000)):
                    message = mdp.parse_worker_message(sock.recv_multipart())
                    if message.command == mdp.REQUEST:
                        self.held += 1
                    elif message.command == mdp.DISCONNECT:
                        sock.send_multipart(mdp.ready(self.service))
                sock.send_multipart(mdp.heartbeat())
        finally:
            sock.close()

    def close(self):
        self._stop.set()
        self._thread.join()


class ServedTestCase(unittest.TestCase):
    """A broker for the whole test class (started with BROKER_ARGS), the C++
    services SERVICES behind it, each served before the first test, and a
    silent worker for the service "blackhole" when BLACKHOLE: everything
    stopped after the class."""

    BROKER_ARGS = ()
    SERVICES = ("fibonacci-service",)
    BLACKHOLE = False

    @classmethod
    def setUpClass(cls):
        cls.h = Harness()
        try:
            cls.broker = cls.h.broker(*cls.BROKER_ARGS)
            for program in cls.SERVICES:
                process = cls.h.service(program, broker=cls.broker.endpoint)
                cls.h.wait_service(cls.broker.endpoint, program.removesuffix("-service"),
                                   process)
            if cls.BLACKHOLE:
                cls.blackhole = cls.h.silent_worker(cls.broker.endpoint, "blackhole")
        except BaseException:
            cls.h.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.h.close()
