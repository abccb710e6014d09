"""HTTP GET for the commands that download when a maintainer asks (``polydigest fetch``):
http(s) only, redirects followed by hand (at most MAX_REDIRECTS, each checked again, never from
https to http), a deadline for the whole request, a size cap enforced while streaming (a server
may send no Content-Length, or a false one), conditional requests, and a User-Agent naming
polydigest. The build never calls this module.

**Which machines it talks to.** A feed is untrusted input, and so is every redirect it
answers with: left alone, a public feed answering ``302 Location:
http://169.254.169.254/latest/meta-data/`` would have this machine fetch its own cloud
credentials into ``seeds/``, and the next build would publish them. So every connection
resolves its host name once (``resolve``), checks each address it got (``refusal``: only
global unicast addresses pass) and connects to exactly that address (``open_socket``): a name
that resolves to a public address for the check and to a private one for the connection (DNS
rebinding) cannot slip through, because there is no second lookup. A host written as an IP
address, in any spelling the C library accepts (``2130706433``, ``0x7f.0.0.1``, ``0177.1``,
``[::ffff:127.0.0.1]``), is read as that address and checked without a lookup.
``allow_private_networks`` turns the address check off, for maintainers whose feeds live on
their own network.

There is no proxy support, on purpose: a proxy resolves and connects for us, so the address
check would check the proxy and not the machine the request reaches. (urllib, which this
module used before, also read ``http_proxy`` from the environment.)
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from . import __version__
from .errors import InputError

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = f"polydigest/{__version__} (+https://github.com/polydigest; feed reader)"
HOW_TO_ALLOW = "to fetch from your own network: --allow-private-networks, or allow_private_networks = true"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Sink = Callable[[bytes, int | None], None]
"""Takes a body as it arrives: each chunk, and the length the answer announced."""


class DownloadError(InputError):
    """A URL that could not be fetched; the message says why."""


@dataclass
class Response:
    url: str
    """The final URL, after redirects."""
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


# --- which addresses may be connected to -------------------------------------------------------

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network
PRIVATE = "a private address"
RESERVED = "a reserved address"
# Checked in this order, the first match says why; ipaddress's own is_global is checked after
# them as well, but its verdicts differ between Python versions (3.11 calls ::7f00:1 and
# 64:ff9b::1 global), so every range the rule is about is listed here.
REFUSED_NETWORKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (_V4("0.0.0.0/8"), "an unspecified address (connecting to it reaches this machine)"),
    (_V4("10.0.0.0/8"), PRIVATE),
    (_V4("100.64.0.0/10"), "a shared (CGNAT) address"),
    (_V4("127.0.0.0/8"), "a loopback address"),
    (_V4("169.254.169.254/32"), "a link-local address (the cloud metadata service)"),
    (_V4("169.254.0.0/16"), "a link-local address"),
    (_V4("172.16.0.0/12"), PRIVATE),
    (_V4("192.0.0.0/24"), RESERVED),  # IETF protocol assignments (Oracle Cloud's metadata service, 192.0.0.192)
    (_V4("192.0.2.0/24"), RESERVED),  # documentation
    (_V4("192.88.99.0/24"), RESERVED),  # 6to4 relays
    (_V4("192.168.0.0/16"), PRIVATE),
    (_V4("198.18.0.0/15"), RESERVED),  # benchmarking
    (_V4("198.51.100.0/24"), RESERVED),  # documentation
    (_V4("203.0.113.0/24"), RESERVED),  # documentation
    (_V4("224.0.0.0/4"), "a multicast address"),
    (_V4("255.255.255.255/32"), "the broadcast address"),
    (_V4("240.0.0.0/4"), RESERVED),
    (_V6("::/128"), "an unspecified address (connecting to it reaches this machine)"),
    (_V6("::1/128"), "a loopback address"),
    (_V6("::/96"), "an IPv4-compatible address (deprecated)"),
    (_V6("64:ff9b::/96"), "a NAT64 address"),
    (_V6("64:ff9b:1::/48"), "a NAT64 address (local use)"),
    (_V6("100::/64"), RESERVED),  # discard only
    (_V6("2001::/32"), "a Teredo address"),
    (_V6("2001:db8::/32"), RESERVED),  # documentation
    (_V6("2001::/23"), RESERVED),  # IETF protocol assignments
    (_V6("2002::/16"), "a 6to4 address"),
    (_V6("3fff::/20"), RESERVED),  # documentation
    (_V6("fc00::/7"), "a private (unique local) address"),
    (_V6("fe80::/10"), "a link-local address"),
    (_V6("fec0::/10"), "a site-local address (deprecated)"),
    (_V6("ff00::/8"), "a multicast address"),
)
GLOBAL_UNICAST_V6 = _V6("2000::/3")


def _why(address: IPAddress) -> str | None:
    """Why ``address`` may not be connected to (e.g. 'a private address'); None for a global
    unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d (and is connected to as that)
            inner = _why(address.ipv4_mapped)
            return f"the IPv4-mapped form of {address.ipv4_mapped}, {inner}" if inner else None
        address = ipaddress.IPv6Address(int(address))  # without a %scope, which networks do not match
    for network, why in REFUSED_NETWORKS:
        if address.version == network.version and address in network:
            embedded = _embedded_ipv4(address)
            return f"{why} (for {embedded})" if embedded else why
    if isinstance(address, ipaddress.IPv6Address) and address not in GLOBAL_UNICAST_V6:
        return RESERVED
    if address.is_multicast:
        return "a multicast address"
    if not address.is_global:
        return RESERVED
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address a NAT64, 6to4 or Teredo address stands for (named in the refusal)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _V6("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: str | IPAddress) -> str | None:
    """Why fetch must not connect to ``address`` ('10.0.0.5 is a private address'), or None
    when it may: only global unicast addresses may be connected to. Refused: unspecified,
    loopback, private (RFC 1918, fc00::/7), link-local (169.254.169.254 among them), shared
    (CGNAT, 100.64.0.0/10), multicast, broadcast, reserved and documentation addresses, NAT64,
    6to4 and Teredo addresses, and IPv4-mapped IPv6 forms of any refused IPv4 address."""
    try:
        parsed = address if isinstance(address, IPAddress) else ipaddress.ip_address(address)
    except ValueError:
        return f"{address!r} is not an IP address"
    why = _why(parsed)
    return f"{address} is {why}" if why else None


_NUMBER = re.compile(r"0x[0-9a-f]*|[0-9]+")


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host names when it is written as an IP address, else None (a name).
    Every spelling the C library's inet_aton accepts counts, as it would connect to it:
    decimal (2130706433), hex (0x7f000001, 0x7f.0.0.1), octal (017700000001, 0177.0.0.1) and
    shortened (127.1) IPv4, and IPv6 in brackets ([::ffff:127.0.0.1]). A host whose last label
    is a number but which is no address (999.1.1.1) is refused, as browsers refuse it."""
    host = host.lower().removeprefix("[").removesuffix("]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    if not _NUMBER.fullmatch(labels[-1]):
        return None
    if len(labels) <= 4 and all(_NUMBER.fullmatch(label) for label in labels):
        with contextlib.suppress(OSError):
            return ipaddress.IPv4Address(socket.inet_aton(".".join(labels)))
    raise DownloadError(f"{host} is not a valid IP address")


# --- the seams tests replace: name lookup, connecting, TLS settings --------------------------


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order (one lookup)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to exactly ``address`` (an IP address: no lookup happens here)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


@functools.cache
def _default_tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def tls_context() -> ssl.SSLContext:
    """TLS settings of https connections: the system's certificate authorities, certificates
    and host names verified."""
    return _default_tls_context()


# --- connecting ------------------------------------------------------------------------------


def checked_socket(host: str, port: int, timeout: float, *, allow_private_networks: bool = False) -> socket.socket:
    """A socket connected to ``host``: resolved once, every address checked, then connected to
    an address that passed (the next one if it does not answer). DownloadError when every
    address is refused; the connection error of the last one tried when none answers."""
    literal = literal_address(host)
    if literal is not None:
        candidates: list[IPAddress] = [literal]
    else:
        try:
            resolved = resolve(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise DownloadError(f"cannot connect: cannot resolve {host} ({exc})") from None
        try:
            candidates = [ipaddress.ip_address(address) for address in resolved]
        except ValueError as exc:
            raise DownloadError(f"cannot connect: {host} resolved to something else than addresses ({exc})") from None
        if not candidates:
            raise DownloadError(f"cannot connect: {host} has no address")
    refused: list[str] = []
    failure: OSError | None = None
    until = time.monotonic() + timeout  # for all the addresses tried together
    for address in candidates:
        why = None if allow_private_networks else _why(address)
        if why:
            refused.append(f"{address}, {why}")
            continue
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # the IPv4 address that was checked is the one connected to
        left = until - time.monotonic()
        if left <= 0:
            raise TimeoutError
        try:
            return open_socket(str(address), port, left)
        except OSError as exc:
            failure = exc
    if failure is not None:
        raise failure
    if literal is not None:
        spelled = "" if _is_standard(host) else f"{literal}, "  # '0x7f.1 is 127.0.0.1, a loopback address'
        raise DownloadError(f"refused: {host} is {spelled}{_why(literal)} ({HOW_TO_ALLOW})")
    raise DownloadError(f"refused: {host} resolves to {'; '.join(refused)} ({HOW_TO_ALLOW})")


def _is_standard(host: str) -> bool:
    """True when ``host`` is an IP address in its usual notation (not 0x7f.1, 2130706433)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class _CheckedConnection(http.client.HTTPConnection):
    """Plain HTTP to the address ``checked_socket`` chose (never through a proxy)."""

    def __init__(self, host: str, port: int, *, timeout: float, allow_private_networks: bool):
        super().__init__(host, port, timeout=timeout)
        self.allow_private_networks, self.connect_timeout = allow_private_networks, timeout

    def connect(self) -> None:
        self.sock = checked_socket(self.host, self.port, self.connect_timeout,
                            allow_private_networks=self.allow_private_networks)


class _CheckedTLSConnection(http.client.HTTPSConnection):
    """HTTPS to the address ``checked_socket`` chose; the certificate is verified against the
    URL's host name (also sent as SNI), not against the address."""

    def __init__(self, host: str, port: int, *, timeout: float, allow_private_networks: bool):
        self.tls = tls_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.allow_private_networks, self.connect_timeout = allow_private_networks, timeout

    def connect(self) -> None:
        sock = checked_socket(self.host, self.port, self.connect_timeout,
                              allow_private_networks=self.allow_private_networks)
        literal = literal_address(self.host)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=str(literal) if literal else self.host)
        except BaseException:
            sock.close()
            raise


def check_url(url: str) -> str:
    """``url`` when it is http(s) with a host (and a valid port); else a DownloadError naming
    the problem."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:  # also a bracketed host that is no IPv6 address
        raise DownloadError(f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"not an http(s) URL ({parts.scheme or 'no scheme'})")
    return url


def get(url: str, *, max_bytes: int, timeout: float, headers: dict[str, str] | None = None,
        allow_private_networks: bool = False, sink: Sink | None = None,
        idle: float | None = None) -> Response:
    """GET ``url``. A 304 comes back as a Response with status 304 and no body; other
    failures (DNS, a refused address, refused connection, timeout, HTTP errors, too large, too
    many redirects, a redirect from https to http) raise DownloadError with the reason.
    ``timeout`` is for the whole request, redirects included; ``idle``, when given, bounds each
    wait for data within it. Unless ``allow_private_networks``, every connection (each
    redirect's too) goes to global unicast addresses only (see ``refusal``). With ``sink``, the
    body is handed to it as it arrives instead of being kept (large files), with the length the
    answer announced (None without a Content-Length)."""
    current = check_url(url)
    deadline = time.monotonic() + timeout  # for the whole request: a trickling server is cut off too
    for _ in range(MAX_REDIRECTS + 1):
        response = _get_once(current, headers or {}, max_bytes, (timeout, deadline, idle), allow_private_networks,
                             sink)
        location = response.headers.get("location") if response.status in REDIRECTS else None
        if not location:
            return response
        try:
            target = check_url(urllib.parse.urljoin(current, location))
        except ValueError as exc:
            raise DownloadError(f"a redirect to an invalid URL ({exc})") from None
        if urllib.parse.urlsplit(current).scheme == "https" and urllib.parse.urlsplit(target).scheme == "http":
            raise DownloadError(f"refused: a redirect from https to http ({target})")
        current = target
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects")


_UNSAFE_IN_TARGET = re.compile(r"[^\x21-\x7e]")


def _get_once(url: str, headers: dict[str, str], max_bytes: int, limits: tuple[float, float, float | None],
              allow_private_networks: bool, sink: Sink | None) -> Response:
    """One request on a new connection: a Response for 2xx (with its body, unless ``sink``
    took it), for 304 and for a redirect (without); else DownloadError. ``limits``: the
    request's timeout, its deadline and the longest wait for data (see ``get``)."""
    timeout, deadline, idle = limits
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise DownloadError(f"not a valid host name: {host}") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    target = _UNSAFE_IN_TARGET.sub(lambda m: urllib.parse.quote(m.group()), target)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)  # given, so that http.client does not read one out of an IPv6 host
    expired = threading.Event()
    connection: http.client.HTTPConnection | None = None
    watchdog: threading.Timer | None = None
    try:
        try:
            connection = (_CheckedTLSConnection if https else _CheckedConnection)(
                host, port, timeout=_remaining(deadline, timeout), allow_private_networks=allow_private_networks)
            connection.connect()
        except DownloadError:
            raise
        except TimeoutError:
            raise DownloadError(f"no answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise DownloadError(f"cannot connect: {exc}") from None
        # Socket timeouts bound each wait; the watchdog bounds their sum (a server sending a
        # byte a second never trips them): at the deadline it shuts the connection.
        sock = connection.sock  # http.client drops it from the connection once a response closes it
        watchdog = threading.Timer(_remaining(deadline, timeout), _expire, (expired, sock))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request("GET", target, headers={"User-Agent": USER_AGENT, **headers})
            reply = connection.getresponse()
            if reply.status == 304 or (reply.status in REDIRECTS and reply.getheader("Location")):
                return Response(url, reply.status, b"", _headers(reply))
            if not 200 <= reply.status < 300:
                raise DownloadError(f"HTTP {reply.status} {reply.reason}")
            body = _read_capped(reply, sock, max_bytes, limits, sink)
            if expired.is_set():  # the watchdog's shutdown looks like the end of the body
                raise TimeoutError
            if reply.length:  # http.client counts a Content-Length down: the body ended early
                raise DownloadError(f"the connection closed {reply.length:,} bytes before the end of the answer")
            return Response(url, reply.status, body, _headers(reply))
        except DownloadError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if isinstance(exc, TimeoutError) or expired.is_set():
                raise DownloadError(f"no answer within {timeout:g} s") from None
            raise DownloadError(f"connection failed: {str(exc) or type(exc).__name__}") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if connection is not None:
            connection.close()


def _remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise DownloadError(f"no answer within {timeout:g} s")
    return left


def _expire(expired: threading.Event, sock: socket.socket | None) -> None:
    """The watchdog: wake a read blocked on ``sock``. The plain socket's shutdown, also for
    TLS (SSLSocket.shutdown would tear down TLS state under the reading thread)."""
    expired.set()
    if sock is not None:
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _headers(reply: http.client.HTTPResponse) -> dict[str, str]:
    return {k.lower(): v for k, v in reply.getheaders()}


def _read_capped(reply: http.client.HTTPResponse, sock: socket.socket | None, max_bytes: int,
                 limits: tuple[float, float, float | None], sink: Sink | None) -> bytes:
    timeout, deadline, idle = limits
    chunks: list[bytes] = []
    size = 0
    announced = reply.length  # http.client's reading of Content-Length, before it counts down
    while True:
        wait = _remaining(deadline, timeout)
        if idle is not None and idle < wait:
            wait = idle
        if sock is not None:
            sock.settimeout(wait)
        try:
            chunk = reply.read1(65536)  # what one read from the socket gave: the deadline is checked in between
        except TimeoutError:
            if wait == idle:
                raise DownloadError(f"no data for {idle:g} s") from None
            raise
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"larger than {max_bytes:,} bytes")
        if sink is None:
            chunks.append(chunk)
        else:
            sink(chunk, announced)
