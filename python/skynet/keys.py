"""CURVE keys from the files `sky keygen NAME` writes (docs/security.md).

NAME.key holds the secret key, NAME.pub the public key, each one line of Z85
(40 characters) after ``#`` comment lines. A secret key file that its group
or others may read is refused, as every C++ binary refuses it: a secret that
leaked is no secret.
"""

import os
import stat
from dataclasses import dataclass

import zmq
from zmq.utils import z85

from .errors import KeyFileError

__all__ = ["KeyPair", "is_z85_key", "load_secret_key_file", "load_public_key_file",
           "public_key_of", "fingerprint", "apply_client_keys", "apply_server_keys"]


@dataclass(frozen=True)
class KeyPair:
    public_key: str  # Z85
    secret_key: str  # Z85

    def __repr__(self):  # never print a secret by accident
        return f"KeyPair(public_key={self.public_key!r}, secret_key=<hidden>)"


def is_z85_key(text):
    """True if ``text`` is 40 characters of Z85 that decode to 32 bytes."""
    if not isinstance(text, str) or len(text) != 40:
        return False
    try:
        return len(z85.decode(text.encode("ascii"))) == 32
    except Exception:  # pyzmq's decoder raises whatever its table lookup does
        return False


def public_key_of(secret_key):
    if not is_z85_key(secret_key):
        raise KeyFileError("not a CURVE secret key (40 characters of Z85 expected)")
    return zmq.curve_public(secret_key.encode("ascii")).decode("ascii")


def fingerprint(public_key):
    """The first 8 characters: enough to tell keys apart in a log line."""
    return public_key[:8]


def _key_line(path):
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                line = line.strip(" \t\r\n")
                if line and not line.startswith("#"):
                    return line
    except OSError as e:
        raise KeyFileError(f"cannot read key file '{path}': {e.strerror}") from e
    return ""


def _check_private(path):
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        raise KeyFileError(f"cannot read key file '{path}': {e.strerror}") from e
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"secret key file '{path}' has mode {stat.S_IMODE(mode):04o}: "
                           "group and others must have no access (chmod 600 it)")


def load_secret_key_file(path):
    """The pair in a NAME.key file (the public key derived from the secret)."""
    path = os.fspath(path)
    _check_private(path)
    secret = _key_line(path)
    if not is_z85_key(secret):
        raise KeyFileError(f"key file '{path}' holds no CURVE secret key "
                           "(40 characters of Z85 expected)")
    return KeyPair(public_key_of(secret), secret)


def load_public_key_file(path):
    """The Z85 public key in a NAME.pub file."""
    path = os.fspath(path)
    key = _key_line(path)
    if not is_z85_key(key):
        raise KeyFileError(f"key file '{path}' holds no CURVE public key "
                           "(40 characters of Z85 expected)")
    return key




def apply_client_keys(socket, keys, server_key):
    """Makes ``socket`` a CURVE client: our pair (a KeyPair, or a NAME.key
    path) and the broker's public key (Z85, or a NAME.pub path). Call before
    connect: the handshake uses what is set then."""
    if not isinstance(keys, KeyPair):
        keys = load_secret_key_file(keys)
    if not is_z85_key(server_key):
        server_key = load_public_key_file(server_key)
    socket.curve_secretkey = keys.secret_key.encode("ascii")
    socket.curve_publickey = keys.public_key.encode("ascii")
    socket.curve_serverkey = server_key.encode("ascii")


def apply_server_keys(socket, keys):
    """Makes ``socket`` a CURVE server with our pair (tests' stand-in brokers)."""
    if not isinstance(keys, KeyPair):
        keys = load_secret_key_file(keys)
    socket.curve_server = True
    socket.curve_secretkey = keys.secret_key.encode("ascii")
    socket.curve_publickey = keys.public_key.encode("ascii")
