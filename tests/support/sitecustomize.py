"""Loaded by every Kith subprocess the tests start: any network connection fails loudly.

Unix sockets stay allowed (local IPC), and the loopback addresses KITH_TEST_NET_ALLOW lists
("127.0.0.1:8443,…": the index server's proxy in the server-mode tests); anything else raises
and is recorded in KITH_TEST_NET_LOG so a test can assert that nothing was even attempted.
"""

import os
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_ALLOWED = {entry.strip() for entry in os.environ.get("KITH_TEST_NET_ALLOW", "").split(",") if entry.strip()}


def _guard(self, address, *args):
    allowed = isinstance(address, tuple) and f"{address[0]}:{address[1]}" in _ALLOWED
    if self.family != socket.AF_UNIX and not allowed:
        log = os.environ.get("KITH_TEST_NET_LOG")
        if log:
            with open(log, "a") as handle:
                handle.write(f"{address!r}\n")
        raise OSError(f"network disabled in Kith tests: {address!r}")


def _connect(self, address, *args):
    _guard(self, address)
    return _real_connect(self, address, *args)


def _connect_ex(self, address, *args):
    _guard(self, address)
    return _real_connect_ex(self, address, *args)


socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1"):
        _guard(socket.socket(socket.AF_INET), (host, args[0] if args else None))
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo
