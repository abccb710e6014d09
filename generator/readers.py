"""Format readers: one class per kind of input file, each turning a file into ``Source``
records (text plus whatever metadata the format declares), registered by extension in
``READERS`` (as Pelican registers its readers). A reader class also says how ingest treats
what it reads: whether its lines may be hard-wrapped, whether a file holds many entries,
and which copy of a story wins a tie. Cleaning, titles, dates, language and slugs are
decided afterwards, the same way for every format, in ``ingest``.

A new format is one class here, decorated with ``@READERS.register``: ingest, dedup, the
help texts and ``polydigest config`` take its extensions and flags from the registry.

Everything is read from disk: no reader ever fetches a URL.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml

from . import settings
from .cleaning import subheads_apart
from .errors import UnreadableArticle
from .languages import is_language_code

# Extraction libraries log what they skip ("discarding data: None") at WARNING: that is their
# normal work, not the maintainer's problem. What goes wrong is reported by file (ingest).
for _library in ("trafilatura", "htmldate", "courlan", "justext", "readability", "dateparser"):
    logging.getLogger(_library).setLevel(logging.ERROR)


@dataclass
class Source:
    """What a reader found in one file or feed entry, before cleaning."""

    name: str
    """File name relative to the seeds folder; feed entries add '#<n>'."""
    text: str
    """Plain text; lines and blank lines separate paragraphs."""
    kind: str
    """The ``Reader.kind`` of the reader that found it: how ingest and dedup treat it."""
    title: str = ""
    date: dt.date | None = None
    date_text: str = ""
    """A date the metadata states in words ('Seg, 24 Set 2018'), read once the language is known."""
    author: str = ""
    url: str = ""
    source_name: str = ""
    language: str = ""
    """The language the file declares, if any (front matter, <html lang>, the feed)."""
    feed_url: str = ""
    tags: tuple[str, ...] = ()
    slug_hint: str = ""
    date_field: str = ""
    """Where ``date`` or ``date_text`` was stated, for messages ("front matter 'date'")."""
    notes: list[str] = field(default_factory=list)
    """Metadata that was ignored, and why (a field of the wrong type, a YAML alias …)."""
    page_date: dt.date | None = None
    """A date printed in a page's markup (not its metadata): used when the text states none."""
    language_evidence: str = ""
    """The language of the other entries of the same feed: the language of a text too short to tell."""
    error: str = ""
    """Set when this entry could not be read (the rest of its file still counts)."""


ReadFile = Callable[[Path, str, int], list[Source]]
"""What reads one file: (its path, its name in messages, the size limit in bytes) -> its sources."""


class Reader:
    """One input format. A subclass sets the class attributes, implements ``read`` and is
    registered with ``@READERS.register``; nothing else in polydigest names formats."""

    kind: ClassVar[str]
    """``Source.kind`` and ``Article.source_format`` of what it reads ('txt', 'md' …)."""
    extensions: ClassVar[tuple[str, ...]]
    """The file name endings it reads: lower case, with the dot."""
    description: ClassVar[str]
    """How help texts name the format ('HTML pages')."""
    duplicate_rank: ClassVar[int] = 100
    """Which copy of a story wins between texts of equal length: the lowest rank (the format
    that carries the most metadata)."""
    hard_wrapped: ClassVar[bool] = False
    """Its text may be broken into lines at a fixed width: ingest joins such lines."""
    entries: ClassVar[bool] = False
    """A file holds many articles (a feed's entries): messages name each by its title, and one
    with a title and a link is news even without text (its headline is its text)."""

    def read(self, path: Path, name: str, max_bytes: int) -> list[Source]:
        """The sources of one file; ``UnreadableArticle`` when it holds none."""
        raise NotImplementedError


R = TypeVar("R", bound=type[Reader])


class Readers(dict[str, ReadFile]):
    """The registry: what reads each file extension (what ingest calls), and each format's
    ``Reader`` class by kind (what ingest and dedup ask about a source)."""

    def __init__(self, classes: Iterable[type[Reader]] = ()) -> None:
        super().__init__()
        self.formats: dict[str, type[Reader]] = {}
        for reader in classes:
            self.register(reader)

    def register(self, reader: R) -> R:
        """Add a reader class (a class decorator); a kind or an extension already taken is an error."""
        taken = [ext for ext in reader.extensions if ext in self] + [reader.kind] * (reader.kind in self.formats)
        if taken:
            raise ValueError(f"{reader.__name__}: {', '.join(taken)} already registered")
        self.formats[reader.kind] = reader
        self.update(dict.fromkeys(reader.extensions, reader().read))
        return reader

    def with_readers(self, *readers: type[Reader]) -> Readers:
        """A new registry: these readers and the ones registered here."""
        return Readers([*self.formats.values(), *readers])

    def format(self, kind: str) -> type[Reader]:
        """The reader class of ``kind``; for a kind no reader registered, the defaults of ``Reader``."""
        return self.formats.get(kind, Reader)

    def label(self, source: Source) -> str:
        """How messages name a source: its file, and an entry's title."""
        return f"{source.name} ({source.title!r})" if self.format(source.kind).entries and source.title else source.name

    def describe(self) -> str:
        """The formats for a help text: 'plain text (.txt), Markdown (.md, .markdown), …'."""
        return ", ".join(f"{r.description} ({', '.join(r.extensions)})" for r in self.formats.values())


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are UTF-8 but for a few damaged ones;
    else Windows-1252 (which also reads Latin-1 text); U+FFFD only as a last resort."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lossy = data.decode("utf-8-sig", errors="replace")
    non_ascii = sum(1 for b in data if b >= 0x80)
    if lossy.count("\ufffd") * 10 <= non_ascii:  # mostly valid multi-byte sequences
        return lossy
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return lossy


# Characters that are never text: C0 controls but for line breaks and tabs, DEL, and the
# bidirectional embeddings, overrides and isolates, which can make text display as other text.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def scrub(text: str) -> str:
    """``text`` without the characters that are never text (a NUL, a bidi override)."""
    return _NOT_TEXT.sub("", text)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableArticle(f"{size:,} bytes is over the {max_bytes:,}-byte limit (max_article_bytes)")
    data = path.read_bytes()
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 100:  # a stray NUL in text is damage; many are binary data
        raise UnreadableArticle("binary data, not text")
    return data


def read_text(path: Path, max_bytes: int) -> str:
    text = decode_text(read_bytes(path, max_bytes))
    controls = sum(1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise UnreadableArticle("binary data, not text")
    return scrub(text)


def _date(value) -> dt.date | None:
    """A date from front matter or feed metadata: a date, a datetime, ISO text or a time tuple."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4}-\d{2}-\d{2})(?!\d)", value)
        if match:
            try:
                return dt.date.fromisoformat(match.group(1))
            except ValueError:
                return None
    if isinstance(value, tuple) and len(value) >= 3:  # feedparser's time.struct_time
        try:
            return dt.date(*value[:3])
        except (TypeError, ValueError):
            return None
    return None


def _words(value) -> str:
    """A metadata value written in words, for ``dates.parse_date``; '' for anything else."""
    return " ".join(value.split())[:200] if isinstance(value, str) and _date(value) is None else ""


def _language_code(value) -> str:
    """'pt-BR' -> 'pt'; anything that is not a language tag -> ''."""
    code = str(value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if is_language_code(code) else ""


_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "td", "th")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one block element per line; scripts and styles dropped."""
    import lxml.html

    fragment = scrub(fragment)
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//iframe|//template"):
        element.drop_tree()
    blocks = root.xpath("|".join(f"//{tag}" for tag in _BLOCKS))
    if not blocks:
        return " ".join(root.text_content().split())
    lines = []
    for block in blocks:
        if block.xpath(" | ".join(f"ancestor::{tag}" for tag in _BLOCKS)):
            continue  # nested block: its text is in the outer one
        text = " ".join(block.text_content().split())
        if text:
            lines.append(text)
    return "\n".join(lines)


READERS = Readers()


@READERS.register
class TextReader(Reader):
    kind, extensions, description = "txt", (".txt",), "plain text"
    duplicate_rank = 2
    hard_wrapped = True  # text files are often broken at 60-80 characters

    def read(self, path: Path, name: str, max_bytes: int) -> list[Source]:
        return [Source(name=name, text=read_text(path, max_bytes), kind=self.kind)]


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LIMITS = settings.section("reading")
MAX_FRONT_MATTER = _LIMITS["max_front_matter"]
MAX_FIELD_CHARS = _LIMITS["max_field_chars"]  # titles: ingest.MAX_TITLE_CHARS
MAX_TAGS = _LIMITS["max_tags"]


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, made to read any front matter without failing on one field or
    growing without bound: an alias (*name) is not followed (a few nested aliases expand to
    billions of values), an unknown tag (!!python/object …) gives nothing, and a key given
    twice keeps its first value. Each of these is noted."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.notes: list[str] = []

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self.notes.append(f"YAML alias *{event.anchor} not followed")
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201 - PyYAML's signature
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen, kept = set(), []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in seen:
                    self.notes.append(f"key {key!r} given twice; the first value is used")
                    continue
                seen.add(key)
                kept.append((key_node, value_node))
            node.value = kept
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):  # noqa: ANN001, ANN201 - PyYAML's signature
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # '2024-02-30': kept as text, which is reported as no date
            return self.construct_scalar(node)

    def construct_unknown(self, node):  # noqa: ANN001, ANN201 - PyYAML's signature
        self.notes.append(f"YAML tag {node.tag} not read")
        return None


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp)
_FrontMatterLoader.add_constructor(None, _FrontMatterLoader.construct_unknown)


def parse_front_matter(block: str) -> tuple[dict, list[str]]:
    """The key: value pairs of a front matter block, and what was ignored of it."""
    if len(block) > MAX_FRONT_MATTER:
        return {}, [f"front matter of {len(block):,} characters is over the {MAX_FRONT_MATTER:,} limit; ignored"]
    loader = _FrontMatterLoader(block)
    try:
        meta = loader.get_single_data()
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {}, [f"front matter ignored: not readable YAML ({reason[:200]})"]
    finally:
        loader.dispose()
    if meta is not None and not isinstance(meta, dict):
        return {}, ["front matter ignored: expected key: value pairs"]
    return meta or {}, [f"front matter: {note}" for note in dict.fromkeys(loader.notes)]


def _kind(value: Any) -> str:
    """What a metadata value is, for a message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    return type(value).__name__


_CHARACTER_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


class _Fields:
    """Typed access to front matter: a value of the wrong type is ignored and noted."""

    def __init__(self, meta: dict, notes: list[str]):
        self.meta, self.notes = meta, notes

    def _wrong(self, key: str, value: Any, expected: str) -> None:
        self.notes.append(f"front matter {key!r} is {_kind(value)}, not {expected}; ignored")

    def text(self, *keys: str, limit: int | None = MAX_FIELD_CHARS, names: bool = False, address: bool = False) -> str:
        """The first of ``keys`` that is given, as one line of text; with ``names``, a list of
        texts (authors) is joined with commas. A character reference ending in ";" ("&#163;1.8m",
        "&amp;") is the character it stands for, as in the Markdown text (and MkDocs' own
        titles); not in an ``address`` ("?id=5&section=world" is no "§")."""
        for key in keys:
            value = self.meta.get(key)
            if value is None or value == "":
                continue
            if names and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                value = ", ".join(value)
            if not isinstance(value, str):
                self._wrong(key, value, "text")
                return ""
            text = " ".join((value if address else _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m[0]), value))
                            .split())
            return text[:limit] if limit else text
        return ""

    def date(self, key: str) -> tuple[dt.date | None, str]:
        """(a date, or None) and the date in words when it is written as text."""
        value = self.meta.get(key)
        if value is None or value == "":
            return None, ""
        if isinstance(value, (dt.date, str)):
            return _date(value), _words(value)
        self._wrong(key, value, "a date")
        return None, ""

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, (list, tuple)):
            self._wrong(key, value, "a list of tags")
            return ()
        tags = [" ".join(t.split())[:60] for t in value if isinstance(t, str)]
        if len(tags) < len(value):
            self.notes.append(f"front matter {key!r}: {len(value) - len(tags)} tag(s) not text; ignored")
        return tuple(t for t in tags if t)[:MAX_TAGS]


@READERS.register
class MarkdownReader(Reader):
    """Markdown with optional YAML front matter: title, date, source/url, author, language, tags.
    Front matter that cannot be used, in whole or in part, is ignored and noted; the text counts."""

    kind, extensions, description = "md", (".md", ".markdown"), "Markdown with YAML front matter"
    duplicate_rank = 1

    def read(self, path: Path, name: str, max_bytes: int) -> list[Source]:
        return [read_markdown(path, name, max_bytes)]


def read_markdown(path: Path, name: str, max_bytes: int) -> Source:
    import markdown

    text = read_text(path, max_bytes)
    meta: dict = {}
    notes: list[str] = []
    match = _FRONT_MATTER.match(text)
    if match:
        meta, notes = parse_front_matter(match.group(1))
        text = text[match.end():]
    # Markdown reads two spaces as one: a subhead run into its text is set apart first
    body = html_to_text(markdown.markdown(subheads_apart(text)))
    fields = _Fields(meta, notes)
    source = fields.text("source")
    url = fields.text("url", limit=2000, address=True)
    if not url and source.startswith(("http://", "https://")):
        url, source = source, ""
    declared = fields.text("language", "lang")
    language = _language_code(declared)
    if declared and not language:
        notes.append(f"front matter 'language' {declared[:40]!r} is not a language code such as 'en'; ignored")
    date, date_text = fields.date("date")
    return Source(
        name=name, text=body, kind=MarkdownReader.kind, title=fields.text("title", limit=None), date=date,
        date_text=date_text, date_field="front matter 'date'", author=fields.text("author", names=True), url=url,
        source_name=source, language=language, feed_url=fields.text("feed", limit=2000, address=True),
        tags=fields.tags("tags"), notes=notes,
    )


MIN_MAIN_TEXT_WORDS = _LIMITS["min_main_text_words"]
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z_-]+)", re.IGNORECASE)


_LATEST_DATE = "2999-12-31"  # htmldate's default bound is today: see extract_html
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True, "max_date": _LATEST_DATE}
_MAX_BLOCK_CHARS = _LIMITS["max_recommendation_block"]


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _meta(tree: Any, *names: str) -> list[str]:
    """The content of <meta property|name=…> tags, in the order of ``names``."""
    found = []
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            if " ".join(str(value).split()):
                found.append(" ".join(str(value).split()))
    return found


def _sections(tree: Any, url: str) -> set[str]:
    """What names a section of the site on this page: article:section, the labels of its
    navigation and breadcrumbs, and the folders of its address ('/politics/uk-politics-1' ->
    'politics', 'uk politics')."""
    from urllib.parse import urlsplit

    from .cleaning import fold

    labels = _meta(tree, "article:section")
    for link in tree.xpath('//nav//a | //*[contains(@class, "breadcrumb")]//a | //*[@itemprop="itemListElement"]//a'):
        text = _text(link)
        if 0 < len(text.split()) <= 4:
            labels.append(text)
    try:
        path = urlsplit(url).path if url else ""
    except ValueError:
        path = ""
    folders = [p for p in path.split("/") if p]
    for folder in folders[:-1] + [f for f in folders[-1:] if len(re.findall(r"[^\W\d_]+", f)) <= 2]:
        words = [w for w in re.split(r"[-_.]", folder) if w and not w.isdigit() and w not in ("html", "htm", "shtml")]
        labels += [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    return {folded for folded in (fold(label) for label in labels) if folded}


def _drop_recommendations(tree: Any) -> None:
    """Leave out blocks of other articles: a recommendation heading ('You may also be
    interested in', 'Leia também', 'À lire aussi' …) and the container of links it heads, with
    the dates those links carry (which are not the article's)."""
    from .cleaning import is_recommendation_heading

    for heading in list(tree.iter("h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "header", "li")):
        if heading.getparent() is None or len(heading) > 2 or not is_recommendation_heading(_text(heading)):
            continue
        block, candidate = None, heading.getparent()
        for _ in range(3):  # the smallest container around the heading that holds its links
            if candidate is None or candidate.tag in ("body", "html", "main", "article"):
                break
            if len(candidate.xpath(".//a")) >= 2 and len(_text(candidate)) <= _MAX_BLOCK_CHARS:
                block = candidate
                break
            candidate = candidate.getparent()
        if block is not None and block.getparent() is not None:
            block.drop_tree()
            continue
        for sibling in list(heading.itersiblings()):  # a heading followed by lists of links
            if sibling.tag in ("ul", "ol") or (sibling.xpath(".//a") and len(_text(sibling)) <= 200):
                sibling.drop_tree()
            else:
                break
        heading.drop_tree()


# Where pages state their publication date, read as written (htmldate drops a year before
# 1000 without a word and reads '2020-02-30' as 2020-02-01: a date the page never stated).
_PUBLISHED_META = ("article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
                   "date", "dc.date", "dc.date.issued", "DC.date.issued", "parsely-pub-date", "sailthru.date")
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{1,40})"')
_ISO_DAY = re.compile(r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?!\d)")


def _published_as_written(tree: Any) -> list[tuple[str, dt.date | None]]:
    """Each ISO date the page's metadata states as its publication date: (as written, the
    day, or None when it names no calendar day)."""
    values = _meta(tree, *_PUBLISHED_META)  # not <time>: it may date another article's block
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        values += _JSON_LD_PUBLISHED.findall(script.text or "")
    stated: list[tuple[str, dt.date | None]] = []
    for value in dict.fromkeys(values):
        match = _ISO_DAY.match(value)
        if match:
            try:
                stated.append((value, dt.date(*(int(part) for part in match.groups()))))
            except ValueError:
                stated.append((value, None))
    return stated


def _metadata_date(tree: Any, notes: list[str]) -> tuple[dt.date | None, bool]:
    """The date the page's own metadata states (meta tags, JSON-LD, its address): as written
    when it is an ISO day, else read by htmldate from the head alone, never a date printed
    elsewhere on the page; and whether the metadata stated one at all. A stated value that is
    no calendar day is noted, and no other date stands in for it (htmldate would make one up
    from it)."""
    import copy

    import htmldate
    import lxml.html

    stated = _published_as_written(tree)
    for value, day in stated:
        if day is None:
            notes.append(f"the page's metadata {value[:40]!r} is not a calendar day; ignored")
    days = [day for _, day in stated if day]
    if stated:
        return (days[0] if days else None), True
    head = lxml.html.Element("html")
    for element in tree.xpath("//head"):
        head.append(copy.deepcopy(element))
    for script in tree.xpath('//body//script[@type="application/ld+json"]'):
        head.append(copy.deepcopy(script))
    day = _date(htmldate.find_date(head, **_DATE_PARAMS))
    return day, day is not None


def extract_html(html: str, name: str, kind: str) -> Source:
    """Main text and metadata of a web page with trafilatura: navigation, ads, cookie
    banners, related links and comments are left out. The title is what the page's og:title,
    <title> and <h1> agree on; the date is the one its metadata states, else (``page_date``)
    one in the page's markup outside blocks of other articles."""
    import trafilatura
    from trafilatura.utils import load_html

    from .cleaning import choose_title, site_names

    # No date from image or asset paths (htmldate looks at <img> even in its fast mode), none
    # from free text (dates.find_date reads the text in its language). A date after today is
    # refused later, by ingest, which reports it (and whose cache must know it), not here.
    html = _IMAGE.sub("", scrub(html))  # lxml refuses a NUL or a control character in text
    tree = load_html(html)
    if tree is None:
        raise UnreadableArticle("no main text found in the page")
    meta_titles = _meta(tree, "og:title", "twitter:title") + [_text(t) for t in tree.xpath("//head//title")[:1]]
    headings = [_text(h) for h in tree.xpath("//body//h1")[:5]]
    page = kind == "html"
    notes: list[str] = []
    stated, metadata_dated = _metadata_date(tree, notes) if page else (None, False)
    declared_url = next(iter(tree.xpath('//link[@rel="canonical"]/@href') + _meta(tree, "og:url")), "")
    declared_names = _meta(tree, "og:site_name", "application-name") if page else []
    sections = _sections(tree, str(declared_url)) if page else set()
    _drop_recommendations(tree)
    document: Any = trafilatura.bare_extraction(  # a Document, or None
        tree, with_metadata=True, date_extraction_params=_DATE_PARAMS,
        include_comments=False, include_tables=False, include_images=False,
        include_links=False, favor_precision=True,  # measured by bench/page_furniture.py: less furniture, same text
        deduplicate=False,  # its duplicate filter remembers earlier calls: not reproducible
    )
    text = (document.text or "") if document else ""
    if len(text.split()) < MIN_MAIN_TEXT_WORDS:  # what is left of a page of only menus and links
        raise UnreadableArticle("no main text found in the page")
    language_tag = _HTML_LANG.search(html[:5000])
    language = _language_code(language_tag.group(1) if language_tag else document.language)
    url, sitename = document.url or "", document.sitename or ""
    title = ""
    if page:
        names = site_names(sitename, url or str(declared_url)) + declared_names
        title = choose_title(meta_titles, headings, names, sections, language or "en")
    title = title or " ".join((document.title or "").split())
    lines = text.splitlines()
    if lines and title and lines[0].strip() == title:  # the page's <h1> repeats the title
        text = "\n".join(lines[1:])
    page_date = _date(document.date)
    return Source(
        name=name, text=text, kind=kind, title=title, date=stated, date_field="the page's metadata",
        page_date=None if metadata_dated else page_date, author=document.author or "",
        url=url, source_name=sitename, language=language, tags=tuple(document.tags or ()), notes=notes,
    )


@READERS.register
class HtmlReader(Reader):
    kind, extensions, description = "html", (".html", ".htm"), "HTML pages"
    duplicate_rank = 0

    def read(self, path: Path, name: str, max_bytes: int) -> list[Source]:
        return [extract_html(decode_text(read_bytes(path, max_bytes)), name, self.kind)]


@dataclass
class FeedEntry:
    """One entry of an RSS or Atom feed, as feedparser reads it."""

    key: str
    """Stable identity: the entry's id, else its link, else its title."""
    title: str
    url: str
    html: str
    """Its content, else its summary (HTML)."""
    summary: str
    date: dt.date | None
    """The date feedparser read (English RFC 822 and ISO dates only)."""
    date_written: str
    """The entry's 'published', else 'updated', as written."""
    date_field: str
    """Which of the two it states: 'published' or 'updated'."""
    author: str
    tags: tuple[str, ...]
    language: str
    """As the entry declares it, if it does."""


@dataclass
class FeedWalk:
    """What an RSS or Atom document holds: its channel, its entries, and what was wrong with it."""

    title: str
    language: str
    """As the feed declares it, if it does."""
    self_link: str
    entries: list[FeedEntry]
    malformed: str
    """Why the XML is not well-formed (feedparser reads what it can), else ''."""
    has_channel: bool
    """The document declares a feed (a channel or feed element with metadata)."""


def walk_feed(data: bytes) -> FeedWalk:
    """Every entry of an RSS 0.9x/2.0 or Atom document, by feedparser (HTML sanitized, links as
    written): the one walk that the feed reader and ``polydigest fetch`` share."""
    import feedparser

    feed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    entries = []
    for entry in feed.entries:
        content = entry.get("content", [{}])[0].get("value") if entry.get("content") else ""
        title = " ".join(str(entry.get("title", "")).split())
        link = str(entry.get("link", ""))
        # dict.get: feedparser's own get() maps a missing 'updated' to 'published' with a warning
        published = dict.get(entry, "published")
        entries.append(FeedEntry(
            key=str(entry.get("id") or link or title), title=title, url=link,
            html=content or str(entry.get("summary", "")), summary=str(entry.get("summary", "")),
            date=_date(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
            date_written=str(published or dict.get(entry, "updated") or ""),
            date_field="published" if published else "updated",
            author=str(entry.get("author", "")), language=str(entry.get("language") or ""),
            tags=tuple(t.get("term", "") for t in entry.get("tags", []) if t.get("term")),
        ))
    links = feed.feed.get("links", [])
    self_link = next((str(link.get("href", "")) for link in links if link.get("rel") == "self"), "")
    return FeedWalk(
        title=" ".join(str(feed.feed.get("title", "")).split()), language=str(feed.feed.get("language") or ""),
        self_link=self_link, entries=entries, has_channel=bool(feed.feed),
        malformed=str(feed.get("bozo_exception", "")) if feed.bozo else "",
    )


def _entries_language(entries: list[FeedEntry]) -> str:
    """The language a feed's entries are written in, when they say so clearly together (at
    least ``override_min_words`` words, detection ``override_confidence`` sure); else ''."""
    from .languages import detect_language, word_count

    rules = settings.section("language_detection")
    text = " ".join(f"{entry.title}. {html_to_text(entry.summary)}" for entry in entries[:50])
    if word_count(text) < rules["override_min_words"]:
        return ""
    detected, confidence = detect_language(text)
    return detected if confidence >= rules["override_confidence"] and len(detected) == 2 else ""


@READERS.register
class FeedReader(Reader):
    """Every entry of an RSS 2.0 or Atom file is one article; the feed's language is a hint.
    An entry that cannot be read comes back with ``error`` set; the others still count."""

    kind, extensions, description = "feed", (".xml", ".rss", ".atom"), "RSS/Atom feeds"
    duplicate_rank = 3  # a feed entry often holds only a teaser
    entries = True

    def read(self, path: Path, name: str, max_bytes: int) -> list[Source]:
        feed = walk_feed(read_bytes(path, max_bytes))
        if not feed.entries:
            raise UnreadableArticle(f"not an RSS or Atom feed{f' ({feed.malformed})' if feed.malformed else ''}")
        hint = _language_code(feed.language)
        evidence = "" if hint else _entries_language(feed.entries)
        return [self._source(entry, f"{name}#{number}", feed, hint, evidence)
                for number, entry in enumerate(feed.entries, 1)]

    def _source(self, entry: FeedEntry, name: str, feed: FeedWalk, hint: str, evidence: str) -> Source:
        import lxml.etree

        try:
            source = extract_html(f"<html><body><article>{entry.html}</article></body></html>", name, self.kind)
        except (UnreadableArticle, ValueError, TypeError, lxml.etree.LxmlError):
            # A short description, or a headline only: the entry is still news, with its link.
            text = html_to_text(entry.html) or entry.title
            if not text.strip():
                return Source(name=name, text="", kind=self.kind, error="no title and no text")
            source = Source(name=name, text=text, kind=self.kind)
        source.title = entry.title or source.title
        source.page_date = None  # the entry's own date is its metadata's
        source.url = entry.url or source.url
        source.date = entry.date
        source.date_field = f"the entry's '{entry.date_field}'"
        if source.date is None:  # feedparser reads English RFC 822 dates only: 'Seg, 24 Set 2018' is left
            source.date_text = " ".join(entry.date_written.split())[:200]
        source.author = entry.author or source.author
        source.source_name = feed.title or source.source_name
        source.language = _language_code(entry.language) or hint
        source.language_evidence = evidence
        source.tags = entry.tags
        source.slug_hint = entry.title
        source.feed_url = feed.self_link
        return source
