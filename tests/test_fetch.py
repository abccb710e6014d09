"""``polydigest fetch`` against a real HTTP server on 127.0.0.1 (never the internet): conditional
requests, slow, missing, looping, oversized and malformed feeds, JSON Feed, OPML, safe names."""

import contextlib
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import download
from generator.config import load_config
from generator.fetch import Fetcher, parse_feed, summary_line
from generator.ingest import read_folder

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Daily Planet</title><link>https://dailyplanet.example/</link>
<language>en</language>
<item><title>Storm floods coastal towns</title><link>https://dailyplanet.example/storm</link>
<guid>storm-1</guid><pubDate>Thu, 14 Mar 2024 08:00:00 GMT</pubDate><author>Lois Lane</author>
<category>Weather</category>
<description><![CDATA[<p>Heavy rain flooded three coastal towns on Thursday, forcing hundreds of residents
to leave their homes.</p><p>Emergency services said the water would recede by the weekend.</p>]]></description></item>
<item><title>Council approves budget</title><link>https://dailyplanet.example/budget</link>
<guid>budget-1</guid><pubDate>Wed, 13 Mar 2024 08:00:00 GMT</pubDate></item>
</channel></rss>"""

JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "Tech Weekly", "home_page_url": "https://tech.example/",
    "language": "en",
    "items": [{"id": "phone-1", "url": "https://tech.example/phone", "title": "Company unveils folding phone",
               "content_html": "<p>A tech company unveiled a folding phone on Tuesday that costs $1,800.</p>",
               "date_published": "2024-03-12T10:00:00Z", "authors": [{"name": "Jimmy Olsen"}], "tags": ["phones"]}],
}).encode()

HOSTILE = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>../../../etc</title>
<item><title>../../passwd</title><guid>../../../escape</guid><description>Escape attempt text here.</description></item>
</channel></rss>"""


ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="pt">
<title>Jornal Atom</title><id>urn:x</id><updated>2024-03-10T00:00:00Z</updated>
<entry><title>Prefeitura abre biblioteca</title><id>urn:e1</id><link href="https://jornal.example/biblioteca"/>
<updated>2024-03-10T09:00:00Z</updated><author><name>Ana Souza</name></author>
<content type="html">&lt;p&gt;A prefeitura abriu uma nova biblioteca no centro neste domingo.&lt;/p&gt;</content>
</entry></feed>"""

TEASERS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>
<item><title>Bridge reopens</title><link>http://127.0.0.1:PORT/page/bridge</link><guid>b1</guid>
<description>The bridge reopened.</description></item>
<item><title>Gone story</title><link>http://127.0.0.1:PORT/page/gone</link><guid>g1</guid>
<description>This page is gone.</description></item></channel></rss>"""

PAGE = b"""<!doctype html><html lang="en"><head><title>Bridge reopens</title></head><body><nav>Home News</nav>
<article><h1>Bridge reopens</h1><p>Engineers finished two years of repairs on the old railway bridge on Thursday,
and the first trains crossed it at dawn.</p><p>Regular services on the coastal line resume on Monday with four
trains an hour in each direction.</p></article><footer>Copyright Daily Planet</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def handle(self):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as tests want
            super().handle()

    def do_GET(self):  # noqa: N802 - http.server's name
        Handler.requests.append((self.path, self.headers.get("If-None-Match", "")))
        if self.path == "/rss.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self._send(RSS, "application/rss+xml", etag='"v1"')
        elif self.path == "/no-etag.xml":
            self._send(RSS, "application/rss+xml")
        elif self.path == "/feed.json":
            self._send(JSON_FEED, "application/feed+json")
        elif self.path == "/atom.xml":
            self._send(ATOM, "application/atom+xml")
        elif self.path == "/teasers.xml":
            port = self.server.server_address[1]
            self._send(TEASERS.replace(b"PORT", str(port).encode()), "application/rss+xml")
        elif self.path == "/page/bridge":
            self._send(PAGE, "text/html; charset=utf-8")
        elif self.path == "/hostile.xml":
            self._send(HOSTILE, "application/rss+xml")
        elif self.path == "/slow.xml":
            time.sleep(3)
            self._send(RSS, "application/rss+xml")
        elif self.path in ("/trickle-body.xml", "/trickle-headers.xml"):  # a byte every 0.2 s, for 4 s
            self.send_response(200)
            if self.path == "/trickle-body.xml":
                self.send_header("Content-Length", "20")
                self.end_headers()
            else:
                self.wfile.write(b"X-Padding: ")
            for _ in range(20):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/big.xml":  # no Content-Length: the cap must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"<!-- padding -->" * 4096)
        elif self.path == "/malformed.xml":
            self._send(b"this is not a feed at all", "text/plain")
        else:
            self.send_error(404)

    def _send(self, body: bytes, content_type: str, etag: str = ""):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetcher(project: Path, **limits) -> Fetcher:
    """A Fetcher allowed to reach this machine: the test server is on 127.0.0.1, which fetch
    refuses by default (tests/test_fetch_guard.py tests that)."""
    config = load_config(project, {"allow_private_networks": True})
    (project / "seeds").mkdir(exist_ok=True)
    return Fetcher(config, project / "seeds", timeout=limits.get("timeout", 2),
                   max_bytes=limits.get("max_bytes", 1_000_000), pages=limits.get("pages", False))


def test_new_entries_become_articles_the_build_reads(tmp_path, server):
    results = fetcher(tmp_path).run([f"{server}/rss.xml", f"{server}/feed.json"])
    assert [(r.status, r.new) for r in results] == [("new", 2), ("new", 1)]
    articles, problems = read_folder(tmp_path / "seeds", load_config(tmp_path))
    by_title = {a.title: a for a in articles}
    storm = by_title["Storm floods coastal towns"]
    assert storm.source_file.startswith("daily-planet/storm-floods-coastal-towns-")
    assert storm.source_url == "https://dailyplanet.example/storm" and storm.source_name == "Daily Planet"
    assert (storm.date.isoformat(), storm.date_is_stand_in, storm.author) == ("2024-03-14", False, "Lois Lane")
    assert storm.feed_url == f"{server}/rss.xml" and storm.tags == ("Weather",)
    assert "Emergency services said the water would recede" in storm.text
    headline_only = by_title["Council approves budget"]  # a teaser stays a teaser: no page is downloaded
    assert headline_only.text == "Council approves budget"
    phone = by_title["Company unveils folding phone"]
    assert (phone.author, phone.date.isoformat(), phone.source_name) == ("Jimmy Olsen", "2024-03-12", "Tech Weekly")
    assert "$1,800" in phone.text and not problems


def test_a_second_fetch_asks_conditionally_and_writes_nothing_again(tmp_path, server):
    fetcher(tmp_path).run([f"{server}/rss.xml"])
    Handler.requests.clear()
    results = fetcher(tmp_path).run([f"{server}/rss.xml"])
    assert Handler.requests == [("/rss.xml", '"v1"')]  # If-None-Match sent; the server answered 304
    assert (results[0].status, results[0].new) == ("unchanged", 0)
    assert summary_line(results) == "fetched 1 feeds: 0 new, 1 unchanged, 0 failed"


def test_a_file_a_person_edited_or_kept_is_never_overwritten(tmp_path, server):
    fetcher(tmp_path).run([f"{server}/no-etag.xml"])
    written = sorted((tmp_path / "seeds").rglob("*.md"))
    written[0].write_text("edited by hand\n")
    fetcher(tmp_path).run([f"{server}/no-etag.xml"])  # seen entries are not written again
    assert written[0].read_text() == "edited by hand\n"
    (tmp_path / ".polydigest" / "fetch-state.json").unlink()  # even when the state is lost
    results = fetcher(tmp_path).run([f"{server}/no-etag.xml"])
    assert written[0].read_text() == "edited by hand\n" and results[0].new == 0


@pytest.mark.parametrize("path, reason", [
    ("/missing.xml", "HTTP 404"),
    ("/loop", "more than 5 redirects"),
    ("/big.xml", "larger than 1,000,000 bytes"),
    ("/malformed.xml", "not an RSS, Atom or JSON feed"),
    ("/slow.xml", "no answer within 1 s"),
])
def test_a_failing_feed_is_reported_with_its_reason_and_the_others_still_fetched(tmp_path, server, path, reason):
    results = fetcher(tmp_path, timeout=1).run([f"{server}{path}", f"{server}/feed.json"])
    assert results[0].status == "failed" and reason in results[0].error, results[0].error
    assert (results[1].status, results[1].new) == ("new", 1)


@pytest.mark.parametrize("path", ["/trickle-body.xml", "/trickle-headers.xml"])
def test_the_timeout_is_for_the_whole_request_even_when_bytes_keep_trickling_in(tmp_path, server, path):
    started = time.monotonic()
    (result,) = fetcher(tmp_path, timeout=1).run([f"{server}{path}"])
    assert (result.status, result.error) == ("failed", "no answer within 1 s")
    assert time.monotonic() - started < 2.5  # the server would go on for 4 s


def test_a_large_body_goes_to_its_sink_as_it_arrives_and_a_stalled_one_is_cut_off(server):
    """What ``models add`` downloads packages with: no body kept in memory, and a wait for data
    bounded within a long whole-request timeout."""
    chunks: list[bytes] = []
    announced: set[int | None] = set()

    def keep(chunk: bytes, length: int | None) -> None:
        chunks.append(chunk)
        announced.add(length)

    response = download.get(f"{server}/big.xml", max_bytes=10_000_000, timeout=10, sink=keep,
                            allow_private_networks=True)
    assert response.body == b"" and sum(map(len, chunks)) == 40 * 16 * 4096 and len(chunks) > 1
    assert announced == {None}  # the server sends no Content-Length
    started = time.monotonic()
    with pytest.raises(download.DownloadError, match=r"no data for 0.1 s"):
        download.get(f"{server}/trickle-body.xml", max_bytes=100, timeout=10, idle=0.1, sink=keep,
                     allow_private_networks=True)
    assert time.monotonic() - started < 2


def test_atom_feeds_are_read_too(tmp_path, server):
    assert fetcher(tmp_path).run([f"{server}/atom.xml"])[0].new == 1
    (article,), _ = read_folder(tmp_path / "seeds", load_config(tmp_path))
    assert (article.title, article.author, article.language, article.date.isoformat()) == (
        "Prefeitura abre biblioteca", "Ana Souza", "pt", "2024-03-10")


def test_a_refused_connection_is_reported(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetcher(tmp_path).run([f"http://127.0.0.1:{port}/feed.xml"])[0]
    assert result.status == "failed" and result.error.startswith("cannot connect"), result.error


def test_only_http_and_https_are_fetched(tmp_path):
    results = fetcher(tmp_path).run(["ftp://127.0.0.1/feed.xml", "file:///etc/passwd"])
    assert [r.status for r in results] == ["failed", "failed"]
    assert "not an http(s) URL (ftp)" in results[0].error


def test_names_from_a_hostile_feed_stay_inside_the_seeds_folder(tmp_path, server):
    results = fetcher(tmp_path).run([f"{server}/hostile.xml"])
    assert results[0].new == 1
    written = list((tmp_path / "seeds").rglob("*.md"))
    assert len(written) == 1 and (tmp_path / "seeds") in written[0].parents
    assert written[0].parent.name == "etc" and written[0].name.startswith("passwd-")


def test_cli_reads_opml_and_feeds_files_and_prints_json(tmp_path, server):
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>
<outline text="News"><outline text="Daily Planet" type="rss" xmlUrl="{server}/rss.xml"/></outline>
</body></opml>""")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# tech\n{server}/feed.json\n\n{server}/missing.xml  # gone\n")
    result = subprocess.run([sys.executable, "-m", "generator", "fetch", "--project", str(tmp_path), "--opml",
                             str(opml), "--feeds", str(feeds), "--json", "--allow-private-networks"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["new"], report["unchanged"], report["failed"]) == (3, 0, 1)
    assert [(f["url"].rsplit("/", 1)[1], f["status"]) for f in report["feeds"]] == [
        ("feed.json", "new"), ("missing.xml", "failed"), ("rss.xml", "new")]
    assert f"{server}/missing.xml: HTTP 404" in result.stderr


def test_cli_reads_the_subscriptions_file_named_in_polydigest_toml(tmp_path, server):
    (tmp_path / "feeds.txt").write_text(f"{server}/feed.json\n")
    (tmp_path / "polydigest.toml").write_text(
        '[polydigest]\nsubscriptions = "feeds.txt"\nallow_private_networks = true\n')
    result = subprocess.run([sys.executable, "-m", "generator", "fetch", "--project", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fetched 1 feeds: 1 new, 0 unchanged, 0 failed"


def test_cli_fails_clearly_when_no_feed_could_be_fetched(tmp_path, server):
    result = subprocess.run([sys.executable, "-m", "generator", "fetch", "--project", str(tmp_path),
                             "--allow-private-networks", f"{server}/missing.xml"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "fetched 1 feeds: 0 new, 0 unchanged, 1 failed" in result.stdout
    assert "no feed could be fetched" in result.stderr


def test_pages_are_downloaded_only_when_asked_and_a_missing_page_keeps_the_teaser(tmp_path, server):
    Handler.requests.clear()
    results = fetcher(tmp_path).run([f"{server}/teasers.xml"])
    assert results[0].new == 2 and [path for path, _ in Handler.requests] == ["/teasers.xml"]
    texts = sorted(p.read_text() for p in (tmp_path / "seeds").rglob("*.md"))
    assert "The bridge reopened." in texts[0] and "Engineers finished" not in texts[0]

    with_pages = tmp_path / "with-pages"
    with_pages.mkdir()
    results = fetcher(with_pages, pages=True).run([f"{server}/teasers.xml"])
    texts = sorted(p.read_text() for p in (with_pages / "seeds").rglob("*.md"))
    assert "Engineers finished two years of repairs" in texts[0] and "Copyright" not in texts[0]
    assert "This page is gone." in texts[1]
    assert results[0].problems == [f"{server}/page/gone: page not used (HTTP 404 Not Found); the feed's text is kept"]


def test_json_feed_without_version_is_refused():
    with pytest.raises(Exception, match="not a JSON Feed"):
        parse_feed(b'{"title": "x", "items": []}', "application/json")
