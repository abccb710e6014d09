"""HTTP GET for the commands that download when a maintainer asks (``polydigest fetch``):
http(s) only, redirects followed by hand (at most MAX_REDIRECTS, each checked again), a
timeout per request, a size cap enforced while streaming (a server may send no
Content-Length, or a false one), conditional requests, and a User-Agent naming polydigest.
The build never calls this module."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from . import __version__
from .errors import InputError

MAX_REDIRECTS = 5
USER_AGENT = f"polydigest/{__version__} (+https://github.com/polydigest; feed reader)"


class DownloadError(InputError):
    """A URL that could not be fetched; the message says why."""


@dataclass
class Response:
    url: str
    """The final URL, after redirects."""
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        return None  # redirects are followed by ``get``, which checks every hop


_OPENER = urllib.request.build_opener(_NoRedirect)


def check_url(url: str) -> str:
    """``url`` when it is http(s) with a host; else a DownloadError naming the problem."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"not an http(s) URL ({parts.scheme or 'no scheme'})")
    return url


def get(url: str, *, max_bytes: int, timeout: float, headers: dict[str, str] | None = None) -> Response:
    """GET ``url``. A 304 comes back as a Response with status 304 and no body; other
    failures (DNS, refused, timeout, HTTP errors, too large, too many redirects) raise
    DownloadError with the reason."""
    current = check_url(url)
    deadline = time.monotonic() + timeout  # for the whole request: a trickling server is cut off too
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(current, headers={"User-Agent": USER_AGENT, **(headers or {})})
        try:
            with _OPENER.open(request, timeout=timeout) as reply:
                return Response(current, reply.status, _read_capped(reply, max_bytes, deadline),
                                {k.lower(): v for k, v in reply.headers.items()})
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(current, 304)
            location = exc.headers.get("Location") if exc.code in (301, 302, 303, 307, 308) else None
            if not location:
                raise DownloadError(f"HTTP {exc.code} {exc.reason}") from None
            current = check_url(urllib.parse.urljoin(current, location))
        except urllib.error.URLError as exc:
            raise DownloadError(f"cannot connect: {exc.reason}") from None
        except TimeoutError:
            raise DownloadError(f"no answer within {timeout:g} s") from None
        except OSError as exc:
            raise DownloadError(f"connection failed: {exc}") from None
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects")


def _read_capped(reply, max_bytes: int, deadline: float) -> bytes:  # noqa: ANN001 - an HTTPResponse
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = reply.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"larger than {max_bytes:,} bytes")
        chunks.append(chunk)
