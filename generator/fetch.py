"""``polydigest fetch``: the maintainer's explicit download step. Feeds (RSS 0.9x/2.0, Atom,
JSON Feed 1.1) from URLs, a list file or an OPML subscription list are downloaded and each
entry not seen before becomes one Markdown file with front matter, in a folder per feed
under the seeds folder, which the build then reads offline like any other article.

State (``fetch-state.json`` in the work folder) remembers per feed its ETag/Last-Modified
(for conditional requests) and which entries were written, and where: an entry is written
once, never again (a person may have edited or deleted the file since), and an existing
file is never overwritten. Names are slugs, checked to stay inside the seeds folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from . import download
from .config import Config
from .errors import InputError, UnreadableArticle
from .progress import SILENT, Progress
from .readers import HtmlReader, decode_text, extract_html, html_to_text, walk_feed
from .slugs import slugify

STATE_FILE = "fetch-state.json"
PER_HOST = 2  # requests at a time to one host
WORKERS = 8


@dataclass
class Entry:
    """One feed entry, whatever the feed format."""

    key: str
    """Stable identity: the entry's id, else its link, else its title."""
    title: str
    url: str = ""
    date: str = ""
    author: str = ""
    tags: list[str] = field(default_factory=list)
    html: str = ""


@dataclass
class Feed:
    title: str
    language: str
    entries: list[Entry]


@dataclass
class FeedResult:
    url: str
    status: str = "failed"
    """'new' (entries written), 'unchanged' (304, or nothing new) or 'failed'."""
    new: int = 0
    error: str = ""
    problems: list[str] = field(default_factory=list)
    """What went wrong short of failing the feed (a page that could not be had)."""

    def as_dict(self) -> dict:
        return {"url": self.url, "status": self.status, "new": self.new, "error": self.error or None}


def read_feed_list(path: Path) -> list[str]:
    """URLs of a feeds file: one a line; blank lines and '#' comments ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the feeds file ({exc})") from None
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def read_opml(path: Path) -> list[str]:
    """Feed URLs (``xmlUrl``) of the outlines of an OPML 1.0/2.0 subscription list."""
    try:
        root = ET.fromstring(path.read_bytes())
    except (OSError, ET.ParseError) as exc:
        raise InputError(f"{path}: not a readable OPML file ({exc})") from None
    return [outline.get("xmlUrl", "").strip() for outline in root.iter("outline") if outline.get("xmlUrl")]


def parse_feed(data: bytes, content_type: str = "") -> Feed:
    """A feed from its bytes: JSON Feed 1.x (by content type or content), else RSS/Atom, walked
    as the feed reader walks it (``readers.walk_feed``)."""
    if "json" in content_type or data.lstrip()[:1] == b"{":
        return _parse_json_feed(data)
    walk = walk_feed(data)
    if not walk.entries and (walk.malformed or not walk.has_channel):
        raise download.DownloadError(f"not an RSS, Atom or JSON feed ({walk.malformed or 'no entries'})")
    entries = [Entry(key=entry.key, title=entry.title, url=entry.url, date=entry.date_written, author=entry.author,
                     html=entry.html, tags=list(entry.tags)) for entry in walk.entries]
    return Feed(walk.title, walk.language, entries)


def _parse_json_feed(data: bytes) -> Feed:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise download.DownloadError(f"malformed JSON feed ({exc})") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith("https://jsonfeed.org/"):
        raise download.DownloadError("not a JSON Feed (no jsonfeed.org version)")
    entries = []
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        html = item.get("content_html") or ""
        if not html and item.get("content_text"):
            html = "".join(f"<p>{_escape(p)}</p>" for p in str(item["content_text"]).split("\n\n"))
        title = " ".join(str(item.get("title", "")).split())
        entries.append(Entry(
            key=str(item.get("id") or item.get("url") or title), title=title, url=str(item.get("url", "")),
            date=str(item.get("date_published") or item.get("date_modified") or ""),
            author=", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict) and a.get("name")),
            tags=[str(t) for t in item.get("tags") or []], html=html or _escape(str(item.get("summary", ""))),
        ))
    return Feed(" ".join(str(document.get("title", "")).split()), str(document.get("language", "")), entries)


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def entry_file(seeds: Path, feed_folder: str, entry: Entry) -> Path:
    """Where an entry goes: <seeds>/<feed slug>/<title slug>-<hash of its key>.md, inside seeds."""
    digest = hashlib.sha256(entry.key.encode()).hexdigest()[:10]
    path = (seeds / slugify(feed_folder) / f"{slugify(entry.title)[:60]}-{digest}.md").resolve()
    if seeds.resolve() not in path.parents:  # slugs cannot escape; this guards the rule itself
        raise InputError(f"{path}: outside {seeds}")
    return path


def entry_markdown(feed: Feed, feed_url: str, entry: Entry) -> str:
    """The entry as the Markdown reader reads it: front matter, then its text."""
    meta = {"title": entry.title, "url": entry.url, "date": entry.date, "author": entry.author,
            "source": feed.title, "feed": feed_url, "language": feed.language, "tags": entry.tags}
    meta = {k: v for k, v in meta.items() if v}
    text = html_to_text(entry.html) if entry.html else ""
    body = "\n\n".join(_literal(line) for line in text.splitlines()) or _literal(entry.title)
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + body + "\n"


_BLOCK_START = re.compile(r"^(#|>|[-+*]\s)")
_NUMBERED = re.compile(r"^(\d+)([.)]\s)")


def _literal(line: str) -> str:
    """A line of text that Markdown shows as written: no heading, list, quote, emphasis,
    link or HTML."""
    line = line.replace("&", "&amp;").replace("<", "&lt;")
    line = "".join("\\" + ch if ch in "\\`*_[]" else ch for ch in line)
    line = _NUMBERED.sub(r"\1\\\2", line)
    return "\\" + line if _BLOCK_START.match(line) else line


class Fetcher:
    def __init__(self, config: Config, seeds: Path, progress: Progress = SILENT, *, timeout: float = 20.0,
                 max_bytes: int = 10_000_000, pages: bool = False):
        self.config, self.seeds, self.progress = config, seeds, progress
        self.timeout, self.max_bytes = timeout, max_bytes
        self.pages = pages  # also download each new entry's page (same limits) for its main text
        self.allow_private_networks = config.allow_private_networks  # else: global unicast addresses only
        self.state_path = config.path(config.work_dir) / STATE_FILE
        try:
            self.state: dict = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
        except ValueError:
            self.state = {}
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))

    def run(self, urls: list[str]) -> list[FeedResult]:
        urls = list(dict.fromkeys(urls))
        results: list[FeedResult] = []
        with ThreadPoolExecutor(max_workers=min(WORKERS, max(1, len(urls)))) as pool:
            for done, result in enumerate(pool.map(self._one, urls), 1):
                results.append(result)
                self.progress.step("fetch", done, len(urls), result.url)
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state, indent=1, sort_keys=True))
        temporary.replace(self.state_path)
        return results

    def _get(self, url: str, headers: dict[str, str] | None = None) -> download.Response:
        """GET under this fetch's limits, at most PER_HOST requests at a time to one host.
        ``download.get`` checks the URL, and the address of every connection it opens (the
        feed's, each redirect's, each page's): unless ``allow_private_networks``, one on this
        machine or a private network is refused."""
        with self._hosts[urllib.parse.urlsplit(download.check_url(url)).hostname or ""]:
            return download.get(url, max_bytes=self.max_bytes, timeout=self.timeout, headers=headers,
                                allow_private_networks=self.allow_private_networks)

    def _one(self, url: str) -> FeedResult:
        result = FeedResult(url)
        try:
            with self._lock:
                remembered = dict(self.state.get(url, {}))
            headers = {}
            if remembered.get("etag"):
                headers["If-None-Match"] = remembered["etag"]
            if remembered.get("modified"):
                headers["If-Modified-Since"] = remembered["modified"]
            response = self._get(url, headers)
            if response.status == 304:
                result.status = "unchanged"
                return result
            feed = parse_feed(response.body, response.headers.get("content-type", ""))
            result.new = self._write(url, feed, remembered, result.problems)
            remembered.update(etag=response.headers.get("etag", ""), modified=response.headers.get("last-modified", ""))
            with self._lock:
                self.state[url] = remembered
            result.status = "new" if result.new else "unchanged"
        except (download.DownloadError, InputError) as exc:
            result.error = str(exc)
        return result

    def _read_page(self, entry: Entry, problems: list[str]) -> None:
        """Replace a teaser by the main text of the entry's page, when that is longer; a page
        that cannot be had leaves the teaser, and is reported."""
        try:
            page = extract_html(decode_text(self._get(entry.url).body), entry.url, HtmlReader.kind)
        except (download.DownloadError, UnreadableArticle) as exc:
            problems.append(f"{entry.url}: page not used ({exc}); the feed's text is kept")
            return
        if len(page.text) > len(html_to_text(entry.html)):
            entry.html = "".join(f"<p>{_escape(line)}</p>" for line in page.text.splitlines() if line.strip())

    def _write(self, url: str, feed: Feed, remembered: dict, problems: list[str]) -> int:
        written = remembered.setdefault("entries", {})
        folder = feed.title or urllib.parse.urlsplit(url).hostname or "feed"
        new = 0
        for entry in feed.entries:
            if not (entry.title or entry.html) or entry.key in written:
                continue
            path = entry_file(self.seeds, folder, entry)
            if path.exists():  # written for another key, or by a person: left as it is
                continue
            if self.pages and entry.url:
                self._read_page(entry, problems)
            content = entry_markdown(feed, url, entry).encode("utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written[entry.key] = str(path.relative_to(self.seeds.resolve()))
            new += 1
        return new


def totals(results: list[FeedResult]) -> dict[str, int]:
    """New entries written, feeds unchanged, feeds failed."""
    return {"new": sum(r.new for r in results), "unchanged": sum(r.status == "unchanged" for r in results),
            "failed": sum(r.status == "failed" for r in results)}


def summary_line(results: list[FeedResult]) -> str:
    counts = totals(results)
    return (f"fetched {len(results)} feeds: {counts['new']} new, {counts['unchanged']} unchanged, "
            f"{counts['failed']} failed")
