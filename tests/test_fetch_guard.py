"""``polydigest fetch`` cannot be turned against the machine it runs on (issue #31): loopback,
private, link-local, CGNAT, NAT64, ... addresses are refused for the feed, every redirect hop
and every page, on the address actually connected to (so DNS rebinding does not get through),
in every spelling of an IP address; https is never redirected to http.

Nothing here leaves the machine. Names are answered by a stub resolver (``download.resolve``);
``download.open_socket`` is a stub that connects the made-up public address PUBLIC to the test
server on 127.0.0.1, loopback addresses to themselves, and raises AssertionError for anything
else; and below both, ``socket.socket.connect`` and ``socket.getaddrinfo`` raise
AssertionError for any address or name but loopback, so a guard that went around its seams
fails the test instead of sending a packet. The command-line tests run with tests/socket_guard
(the offline-build guard) for the same reason."""

import contextlib
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import download
from generator.config import load_config
from generator.fetch import Fetcher

PUBLIC = "93.184.215.14"
"""A public-looking address the stub resolver hands out; the stub connect sends it to the test server."""
GUARD = Path(__file__).parent / "socket_guard"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Daily Planet</title><language>en</language>
<item><title>Storm floods coastal towns</title><link>https://dailyplanet.example/storm</link><guid>storm-1</guid>
<description>Heavy rain flooded three coastal towns on Thursday.</description></item>
</channel></rss>"""

TEASERS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>
<item><title>Bridge reopens</title><link>http://{host}/page/bridge</link><guid>b1</guid>
<description>The bridge reopened.</description></item></channel></rss>"""

PAGE = b"""<!doctype html><html lang="en"><head><title>Bridge reopens</title></head><body>
<article><h1>Bridge reopens</h1><p>Engineers finished two years of repairs on the old railway bridge on Thursday,
and the first trains crossed it at dawn.</p><p>Regular services on the coastal line resume on Monday with four
trains an hour in each direction.</p></article></body></html>"""


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []
    """(path, Host header) of every request the servers answered."""

    def log_message(self, *args):
        pass

    def handle(self):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
            super().handle()

    def do_GET(self):  # noqa: N802 - http.server's name
        Handler.requests.append((self.path, self.headers.get("Host", "")))
        path, _, query = self.path.partition("?")
        if path == "/rss.xml":
            self._send(RSS, "application/rss+xml")
        elif path == "/teasers.xml":  # its entries link to pages on the host the feed was asked for
            self._send(TEASERS.format(host=self.headers["Host"]).encode(), "application/rss+xml")
        elif path == "/page/bridge":
            self._send(PAGE, "text/html; charset=utf-8")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", urllib.parse.parse_qs(query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)

    def _send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serving(httpd: ThreadingHTTPServer):
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def port():
    """Port of the plain HTTP test server on 127.0.0.1."""
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as number:
        yield number


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate (and its key) for feeds.example, made by the openssl command."""
    if not shutil.which("openssl"):
        pytest.skip("no openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"), "-days", "2",
                    "-subj", "/CN=feeds.example", "-addext", "subjectAltName=DNS:feeds.example",
                    "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
                   check=True, capture_output=True, timeout=60)
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture(scope="module")
def tls_port(certificate):
    """Port of an HTTPS test server on 127.0.0.1 with the feeds.example certificate."""
    cert, key = certificate
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    with serving(httpd) as number:
        yield number


def _loopback(host) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class Network:
    """The stub network of one test: what was looked up and connected to."""

    def __init__(self, port: int):
        self.port, self.tls_port = port, 0
        self.answers: dict[str, list[list[str]]] = {"feeds.example": [[PUBLIC]], "other.example": [[PUBLIC]]}
        """Per name, the answers of its successive lookups (the last one repeats)."""
        self.lookups: list[str] = []
        self.connects: list[tuple[str, int]] = []

    def resolve(self, host: str, port: int) -> list[str]:
        if host not in self.answers:
            raise AssertionError(f"unexpected lookup of {host}")
        answers = self.answers[host]
        self.lookups.append(host)
        return answers[min(self.lookups.count(host), len(answers)) - 1]

    def open_socket(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connects.append((address, port))
        if address == PUBLIC:  # the made-up public server is the test server
            return ORIGINAL_OPEN_SOCKET("127.0.0.1", self.tls_port if port == 443 else self.port, timeout)
        if _loopback(address):
            return ORIGINAL_OPEN_SOCKET(address, port, timeout)
        raise AssertionError(f"connect to {address}:{port} (not loopback) attempted")


ORIGINAL_OPEN_SOCKET = download.open_socket


@pytest.fixture
def net(monkeypatch, port):
    """The stub network, and a socket layer that refuses anything but loopback underneath it."""
    network = Network(port)
    monkeypatch.setattr(download, "resolve", network.resolve)
    monkeypatch.setattr(download, "open_socket", network.open_socket)
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if isinstance(address, tuple) and not _loopback(address[0]):
            raise AssertionError(f"socket connect to {address} (not loopback)")
        return real_connect(self, address)

    def connect_ex(self, address):
        if isinstance(address, tuple) and not _loopback(address[0]):
            raise AssertionError(f"socket connect_ex to {address} (not loopback)")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            raise AssertionError(f"name lookup of {host} (not loopback)")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    Handler.requests.clear()
    return network


def fetcher(project: Path, **options) -> Fetcher:
    pages = options.pop("pages", False)
    (project / "seeds").mkdir(exist_ok=True)
    return Fetcher(load_config(project, options), project / "seeds", timeout=5, max_bytes=1_000_000, pages=pages)


def get(url: str, **options) -> download.Response:
    return download.get(url, max_bytes=1_000_000, timeout=5, **options)


def redirect(via: str, to: str) -> str:
    return f"{via}/redirect?to={urllib.parse.quote(to, safe='')}"


def test_a_feed_on_127_0_0_1_is_refused_by_default_and_fetched_with_the_option(tmp_path, net, port):
    feed = f"http://127.0.0.1:{port}/rss.xml"
    refused, public = fetcher(tmp_path).run([feed, "http://feeds.example/rss.xml"])
    assert refused.status == "failed" and refused.url == feed
    assert refused.error == ("refused: 127.0.0.1 is a loopback address (to fetch from your own network: "
                             "--allow-private-networks, or allow_private_networks = true)")
    assert (public.status, public.new) == ("new", 1)  # the other feeds go on
    assert net.connects == [(PUBLIC, 80)] and Handler.requests == [("/rss.xml", "feeds.example")]

    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (result,) = fetcher(allowed, allow_private_networks=True).run([feed])
    assert (result.status, result.new) == ("new", 1)
    assert net.connects[-1] == ("127.0.0.1", port)


def test_a_public_name_is_looked_up_once_and_that_address_connected_to(net):
    net.answers["feeds.example"] = [[PUBLIC], ["127.0.0.1"]]  # a second lookup would answer differently
    response = get("http://feeds.example/rss.xml")
    assert response.status == 200 and b"Storm floods" in response.body
    assert net.lookups == ["feeds.example"] and net.connects == [(PUBLIC, 80)]
    assert Handler.requests == [("/rss.xml", "feeds.example")]  # the server is asked for the name, not the address


def test_of_several_addresses_only_a_public_one_is_connected_to(net):
    net.answers["mixed.example"] = [["10.0.0.5", "127.0.0.1", PUBLIC]]
    assert get("http://mixed.example/rss.xml").status == 200
    assert net.connects == [(PUBLIC, 80)]

    net.answers["internal.example"] = [["10.0.0.5", "fd00::5"]]
    with pytest.raises(download.DownloadError) as refused:
        get("http://internal.example/rss.xml")
    assert str(refused.value).startswith("refused: internal.example resolves to 10.0.0.5, a private address; "
                                         "fd00::5, a private (unique local) address (")
    assert net.connects == [(PUBLIC, 80)]


@pytest.mark.parametrize("target, reason", [
    ("http://127.0.0.1:{port}/rss.xml", "127.0.0.1 is a loopback address"),  # a live server: a leak would fetch it
    ("http://localhost:{port}/rss.xml", "localhost resolves to 127.0.0.1, a loopback address"),
    ("http://10.0.0.5/", "10.0.0.5 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address (the cloud metadata"),
    ("http://2852039166/latest/meta-data/", "2852039166 is 169.254.169.254, a link-local address"),
    ("http://[::ffff:169.254.169.254]/", "the IPv4-mapped form of 169.254.169.254, a link-local address"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "a private (unique local) address"),
    ("http://100.100.100.200/latest/meta-data/", "100.100.100.200 is a shared (CGNAT) address"),
    ("http://internal.example/admin", "internal.example resolves to 10.0.0.5, a private address"),
    ("http://[64:ff9b::a00:5]/", "a NAT64 address (for 10.0.0.5)"),
])
def test_a_redirect_from_an_allowed_feed_to_a_private_address_is_refused(tmp_path, net, port, target, reason):
    net.answers.update({"localhost": [["127.0.0.1"]], "internal.example": [["10.0.0.5"]]})
    feed = redirect("http://feeds.example", target.format(port=port))
    (result,) = fetcher(tmp_path).run([feed])
    assert result.status == "failed" and result.error.startswith("refused: ") and reason in result.error, result.error
    assert net.connects == [(PUBLIC, 80)]  # the hop was refused before connecting
    assert [path for path, _ in Handler.requests] == [feed.removeprefix("http://feeds.example")]
    assert not list((tmp_path / "seeds").rglob("*.md"))


@pytest.mark.parametrize("second", ["127.0.0.1", "10.0.0.5", "169.254.169.254"])
def test_a_name_resolving_public_then_private_is_refused_at_connect_time(tmp_path, net, port, second):
    """DNS rebinding: the redirect goes back to the same name, whose second lookup answers a
    private address (127.0.0.1 is the live test server: a leak would fetch the feed)."""
    net.answers["rebind.example"] = [[PUBLIC], [second]]
    feed = redirect(f"http://rebind.example:{port}", f"http://rebind.example:{port}/rss.xml")
    (result,) = fetcher(tmp_path).run([feed])
    assert result.status == "failed" and result.error.startswith(f"refused: rebind.example resolves to {second}, ")
    assert net.lookups == ["rebind.example", "rebind.example"]  # once per connection
    assert net.connects == [(PUBLIC, port)]  # the private address was never connected to
    assert [path for path, _ in Handler.requests] == [feed.removeprefix(f"http://rebind.example:{port}")]


def test_a_name_rebound_between_the_feed_and_its_pages_keeps_the_teaser(tmp_path, net, port):
    net.answers["rebind.example"] = [[PUBLIC], ["127.0.0.1"]]
    (result,) = fetcher(tmp_path, pages=True).run([f"http://rebind.example:{port}/teasers.xml"])
    assert (result.status, result.new) == ("new", 1)
    assert result.problems == [
        f"http://rebind.example:{port}/page/bridge: page not used (refused: rebind.example resolves to 127.0.0.1, "
        "a loopback address (to fetch from your own network: --allow-private-networks, or allow_private_networks "
        "= true)); the feed's text is kept"]
    (written,) = (tmp_path / "seeds").rglob("*.md")
    assert "The bridge reopened." in written.read_text() and "Engineers" not in written.read_text()
    assert net.lookups == ["rebind.example", "rebind.example"] and net.connects == [(PUBLIC, port)]
    assert [path for path, _ in Handler.requests] == ["/teasers.xml"]


SPELLINGS_OF_127_0_0_1 = ["2130706433", "0x7f000001", "0x7F000001", "0x7f.0.0.1", "0x7f.1", "0177.0.0.1",
                          "017700000001", "127.1", "127.0.1", "127.000.000.001", "127.0.0.1.", "[::ffff:127.0.0.1]",
                          "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]"]


@pytest.mark.parametrize("host, reason", [
    *((spelling, "a loopback address") for spelling in [*SPELLINGS_OF_127_0_0_1, "[::1]", "[0:0:0:0:0:0:0:1]"]),
    ("0", "an unspecified address"), ("0.0.0.0", "an unspecified address"), ("[::]", "an unspecified address"),
    ("0x0", "an unspecified address"), ("[::127.0.0.1]", "an IPv4-compatible address"),
    ("10.1", "10.1 is 10.0.0.1, a private address"), ("0xa000005", "0xa000005 is 10.0.0.5, a private address"),
    ("012.0.0.5", "012.0.0.5 is 10.0.0.5, a private address"), ("192.168.1.1", "a private address"),
    ("172.16.0.1", "a private address"), ("[fc00::1]", "a private (unique local) address"),
    ("2852039166", "169.254.169.254, a link-local address (the cloud metadata service)"),
    ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254, a link-local address"),
    ("0251.0376.0251.0376", "169.254.169.254, a link-local address"), ("169.254.43518", "a link-local address"),
    ("[fe80::1]", "a link-local address"), ("[fe80::1%25eth0]", "a link-local address"),
    ("100.64.0.1", "a shared (CGNAT) address"), ("[64:ff9b::7f00:1]", "a NAT64 address (for 127.0.0.1)"),
    ("[2002:7f00:1::1]", "a 6to4 address (for 127.0.0.1)"), ("224.0.0.1", "a multicast address"),
    ("[ff02::1]", "a multicast address"), ("255.255.255.255", "the broadcast address"),
    ("240.0.0.1", "a reserved address"), ("192.0.0.192", "a reserved address"),
])
def test_every_spelling_of_an_ip_address_is_read_as_that_address_and_refused(net, port, host, reason):
    with pytest.raises(download.DownloadError, match="^refused: ") as refused:
        get(f"http://{host}:{port}/rss.xml")
    assert reason in str(refused.value), str(refused.value)
    assert net.lookups == [] and net.connects == [] and Handler.requests == []  # no lookup, no connection


@pytest.mark.parametrize("host", SPELLINGS_OF_127_0_0_1)
def test_with_the_option_a_spelling_of_127_0_0_1_connects_to_127_0_0_1_without_a_lookup(net, port, host):
    assert get(f"http://{host}:{port}/rss.xml", allow_private_networks=True).status == 200
    assert net.lookups == [] and net.connects == [("127.0.0.1", port)]


@pytest.mark.parametrize("host", ["999.1.1.1", "1.2.3.4.5", "0x100000000", "4294967296", "08.0.0.1",
                                  "feeds.example.1"])
def test_a_host_ending_in_a_number_that_is_no_address_is_refused(net, host):
    with pytest.raises(download.DownloadError, match="is not a valid IP address"):
        get(f"http://{host}/rss.xml")
    assert net.lookups == [] and net.connects == []


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "1.1.1.1", "::ffff:8.8.8.8", "2606:4700:4700::1111",
                                     "2a00:1450:4001:80b::200e"])
def test_global_unicast_addresses_are_allowed(address):
    assert download.refusal(address) is None


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "a loopback address"), ("127.255.255.254", "a loopback address"), ("::1", "a loopback address"),
    ("10.0.0.5", "a private address"), ("172.31.255.255", "a private address"), ("192.168.0.1", "a private address"),
    ("fd12:3456::1", "a private (unique local) address"), ("169.254.169.254", "the cloud metadata service"),
    ("169.254.1.1", "a link-local address"), ("fe80::1", "a link-local address"),
    ("100.64.0.0", "a shared (CGNAT) address"), ("100.127.255.255", "a shared (CGNAT) address"),
    ("64:ff9b::a9fe:a9fe", "a NAT64 address (for 169.254.169.254)"),
    ("64:ff9b::808:808", "a NAT64 address (for 8.8.8.8)"), ("64:ff9b:1::1", "a NAT64 address (local use)"),
    ("::ffff:10.0.0.5", "the IPv4-mapped form of 10.0.0.5, a private address"),
    ("::ffff:169.254.169.254", "the IPv4-mapped form of 169.254.169.254, a link-local address"),
    ("::ffff:0.0.0.0", "the IPv4-mapped form of 0.0.0.0, an unspecified address"),
    ("2002:a9fe:a9fe::", "a 6to4 address (for 169.254.169.254)"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo address (for 192.0.2.45)"),
    ("224.0.0.251", "a multicast address"), ("ff02::fb", "a multicast address"),
    ("0.0.0.0", "an unspecified address"), ("::", "an unspecified address"),
    ("240.0.0.1", "a reserved address"), ("198.18.0.1", "a reserved address"), ("192.0.2.1", "a reserved address"),
    ("2001:db8::1", "a reserved address"), ("fec0::1", "a site-local address"), ("::7f00:1", "IPv4-compatible"),
    ("5f00::1", "a reserved address"), ("not an address", "is not an IP address"),
])
def test_refusal_names_what_kind_of_address_is_refused(address, reason):
    assert reason in (download.refusal(address) or ""), download.refusal(address)


def test_https_redirected_to_http_is_refused(net, port, tls_port, certificate, monkeypatch):
    monkeypatch.setattr(download, "tls_context", lambda: ssl.create_default_context(cafile=str(certificate[0])))
    net.tls_port = tls_port
    response = get("https://feeds.example/rss.xml")  # TLS through the checked socket, verified for the name
    assert response.status == 200 and b"Storm floods" in response.body
    assert get(redirect("https://feeds.example", "https://feeds.example/rss.xml")).status == 200
    assert get(redirect("http://feeds.example", "https://feeds.example/rss.xml")).status == 200  # upgrades are fine
    net.connects.clear()
    Handler.requests.clear()
    with pytest.raises(download.DownloadError, match=r"^refused: a redirect from https to http "
                                                     r"\(http://feeds.example/rss.xml\)$"):
        get(redirect("https://feeds.example", "http://feeds.example/rss.xml"))
    assert net.connects == [(PUBLIC, 443)] and [path for path, _ in Handler.requests] == [
        "/redirect?to=http%3A%2F%2Ffeeds.example%2Frss.xml"]
    with pytest.raises(download.DownloadError, match="^refused: a redirect from https to http"):
        get(redirect("https://feeds.example", "http://feeds.example/rss.xml"), allow_private_networks=True)
    # the certificate is checked against the URL's name, not the address connected to
    with pytest.raises(download.DownloadError, match="^cannot connect: .*CERTIFICATE_VERIFY_FAILED"):
        get("https://other.example/rss.xml")


def _fetch_command(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``python -m generator fetch`` with the offline guard: any lookup or connect that is not
    loopback fails and is logged."""
    log = project / "sockets.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(GUARD), os.environ.get("PYTHONPATH", "")]),
           "POLYDIGEST_SOCKET_LOG": str(log)}
    result = subprocess.run([sys.executable, "-m", "generator", "fetch", "--project", str(project), *arguments],
                            capture_output=True, text=True, timeout=60, env=env)
    assert Path(f"{log}.loaded").exists() and not log.exists(), log.read_text() if log.exists() else "guard not loaded"
    return result


def test_cli_refuses_a_feed_on_this_machine_unless_allow_private_networks(tmp_path, port):
    Handler.requests.clear()
    feed = f"http://127.0.0.1:{port}/rss.xml"
    result = _fetch_command(tmp_path, feed)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == "fetched 1 feeds: 0 new, 0 unchanged, 1 failed"
    assert (f"polydigest: {feed}: refused: 127.0.0.1 is a loopback address (to fetch from your own network: "
            "--allow-private-networks, or allow_private_networks = true)") in result.stderr
    assert "polydigest: error: no feed could be fetched" in result.stderr
    assert Handler.requests == [] and not list((tmp_path / "seeds").rglob("*.md"))

    result = _fetch_command(tmp_path, "--allow-private-networks", "--json", feed)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["feeds"] == [{"url": feed, "status": "new", "new": 1, "error": None}]
    assert Handler.requests == [("/rss.xml", f"127.0.0.1:{port}")]


def test_the_option_is_documented_and_off_by_default(tmp_path):
    assert load_config(tmp_path).allow_private_networks is False
    result = subprocess.run([sys.executable, "-m", "generator", "fetch", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert "--allow-private-networks" in result.stdout and "169.254.169.254" in " ".join(result.stdout.split())
