"""Loaded by every Python process of a guarded build (through PYTHONPATH): any attempt to
reach another host -- a name lookup, a connect or a datagram to a non-loopback address --
is written to $POLYDIGEST_SOCKET_LOG and fails. (Creating or binding a local socket, as
urllib3 does at import to probe IPv6 support, is not network access.)"""

import ipaddress
import os
import socket

_LOG = os.environ.get("POLYDIGEST_SOCKET_LOG")


def _is_local(address) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX path
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(what, address):
    with open(_LOG, "a") as log:
        log.write(f"pid {os.getpid()}: {what} {address!r}\n")
    raise OSError(f"network access attempted during an offline build: {what} {address!r}")


def _guard_method(name):
    original = getattr(socket.socket, name)

    def guarded(self, address, *args, **kwargs):
        target = args[-1] if name == "sendto" and args else address
        if not _is_local(target):
            _refuse(name, target)
        return original(self, address, *args, **kwargs)

    setattr(socket.socket, name, guarded)


if _LOG:
    with open(_LOG + ".loaded", "a") as _loaded:  # proof for the test that the guard was active
        _loaded.write(f"pid {os.getpid()}\n")
    for _name in ("connect", "connect_ex", "sendto"):
        _guard_method(_name)
    _original_getaddrinfo = socket.getaddrinfo

    def _getaddrinfo(host, *args, **kwargs):
        if not _is_local((host,)):
            _refuse("getaddrinfo", host)
        return _original_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = _getaddrinfo
