"""Plain data passed between the stages: ingest -> summarize -> translate -> stories -> render -> publish."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload


class Paragraphs(Sequence[str]):
    """An article's paragraphs, held compressed (zlib, fastest level: a third of the text's
    size), with the SHA-256 of their text and its length. Every stage holds every article to
    the end of a build, and their text was the largest part of its memory (~0.7 GB at 100,000
    articles); the stages read it whole only for articles they compute anew (the caches' keys
    take the digest), so it is decompressed a few times a build, ~0.4 s per 10,000 articles."""

    __slots__ = ("_compressed", "_lengths", "digest")

    def __init__(self, paragraphs: Iterable[str]) -> None:
        items = tuple(paragraphs)
        text = "\n\n".join(items).encode()
        self._compressed = zlib.compress(text, 1)
        self._lengths = tuple(len(item) for item in items)
        self.digest = hashlib.sha256(text).hexdigest()
        """SHA-256 (hex) of the text, UTF-8."""

    @property
    def characters(self) -> int:
        """The length of the text (paragraphs joined by blank lines), without reading it."""
        return sum(self._lengths) + 2 * max(0, len(self._lengths) - 1)

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return zlib.decompress(self._compressed).decode()

    def _items(self) -> tuple[str, ...]:
        text, items, start = self.text, [], 0
        for length in self._lengths:
            items.append(text[start:start + length])
            start += length + 2
        return tuple(items)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._lengths)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Paragraphs):
            return self.digest == other.digest and self._lengths == other._lengths
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.digest, self._lengths))

    def __repr__(self) -> str:
        # what the text is, without reading it: pages' fingerprints take an article's repr
        return f"Paragraphs(sha256={self.digest!r}, lengths={self._lengths!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return Paragraphs._held, (self._compressed, self._lengths, self.digest)

    def to_json(self) -> dict[str, Any]:
        """As the ingest cache stores it: compressed, not read again at every build."""
        return {"z": base64.b64encode(self._compressed).decode(), "lengths": list(self._lengths), "sha256": self.digest}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Paragraphs:
        return cls._held(base64.b64decode(value["z"]), tuple(value["lengths"]), value["sha256"])

    @classmethod
    def _held(cls, compressed: bytes, lengths: tuple[int, ...], digest: str) -> Paragraphs:
        held = cls.__new__(cls)
        held._compressed, held._lengths, held.digest = compressed, lengths, digest
        return held


@dataclass(frozen=True)
class Article:
    """One input article after ingest: cleaned text and what we know about it."""

    slug: str
    """Stable URL name, the same in every language."""
    source_file: str
    """Path of the input file relative to the seeds folder."""
    title: str
    paragraphs: Sequence[str]
    """Cleaned body, boilerplate removed: given as any sequence, held as ``Paragraphs``."""
    language: str
    date: dt.date
    date_is_stand_in: bool
    """True when the article states no date and ``date`` is a reproducible stand-in."""
    source_name: str = ""
    source_url: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()
    source_format: str = "txt"
    """The kind of the reader that found it (``readers.READERS``: txt, md, html, feed …)."""
    feed_url: str = ""
    """The feed it came from, when known (a feed file's own address, or 'polydigest fetch')."""
    roundup: bool = False
    """A day's round-up of many stories (its date and a greeting open it: "Terça-feira, 18 de
    abril de 2017. Boa noite! …"): a story of its own, in no thread."""

    def __post_init__(self) -> None:
        if not isinstance(self.paragraphs, Paragraphs):
            object.__setattr__(self, "paragraphs", Paragraphs(self.paragraphs))

    @property
    def body(self) -> Paragraphs:
        assert isinstance(self.paragraphs, Paragraphs)  # __post_init__
        return self.paragraphs

    @property
    def text(self) -> str:
        return self.body.text

    @property
    def text_digest(self) -> str:
        """SHA-256 (hex) of ``text``, without reading it."""
        return self.body.digest


@dataclass(frozen=True)
class Summary:
    article: Article
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class LocalizedArticle:
    """An article as it appears on one language's site."""

    summary: Summary
    language: str
    title: str
    sentences: tuple[str, ...]
    translated_from: str | None
    """Original language when this version is machine-translated, else None."""
    original_title: bool = False
    """The title's translation failed the checks, or the model gave it back untranslated: the
    original title is shown."""
    original_sentences: tuple[int, ...] = ()
    """Indices of sentences whose translation failed the checks: shown in the original, marked."""
    missing_model: bool = False
    """No installed model translates the article's language into this one: shown as is."""
    tags: tuple[str, ...] = ()
    """Topics in this language."""
    tag_pages: tuple[str, ...] = ()
    """The name of each topic's page, as ``tags``: the topic's name in the site's reference
    language (stories.tag_articles), so that a topic's page has the same path on every
    language site ("Brasil" and "Brazil" are both tags/brazil/) and the language switcher
    keeps a reader on it. Empty: each topic's page is named by its name here."""

    @property
    def article(self) -> Article:
        return self.summary.article

    @property
    def untranslated(self) -> int:
        """Texts (title or sentences) shown in the original language because their translation failed."""
        return self.original_title + len(self.original_sentences)


@dataclass
class Problem:
    """An input that was skipped or a part of the build that was degraded."""

    subject: str
    reason: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}"


@dataclass
class BuildReport:
    articles: int = 0
    summarized: int = 0
    translated: int = 0
    cache_hits: int = 0
    translation_fallbacks: int = 0
    """Texts shown in the original on a page of another language because their translation failed."""
    retried: int = 0
    """Sentences translated again with safer decoding because the first attempt failed the checks."""
    chosen: int = 0
    """Sentences published from the n-best choice after both attempts failed the checks."""
    repaired: int = 0
    """Published translations whose currency was put back or corrected before they were checked."""
    normalized: int = 0
    """Portuguese translations with a word of the other variety rewritten (the site's one Portuguese)."""
    declined: dict[str, dict[str, int]] = field(default_factory=dict)
    """Sentences shown in the original, by language pair and by the check that failed."""
    languages: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    """Languages MkDocs rebuilt; the others had not changed."""
    seconds: dict[str, float] = field(default_factory=dict)
    publish_seconds: dict[str, float] = field(default_factory=dict)
    """The "mkdocs" stage's parts: "mkdocs" (every language's MkDocs build, several at once),
    "search" (Pagefind, one language at a time) and "measure" (the site's weight)."""
    problems: list[Problem] = field(default_factory=list)
    site: dict = field(default_factory=dict)
    """The published site's weight and the share of its size budget used (budget.site_report);
    its 'summary' is the one line the report shows."""

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "summarized": self.summarized,
            "translated": self.translated,
            "cache_hits": self.cache_hits,
            "translation_fallbacks": self.translation_fallbacks,
            "retried": self.retried,
            "chosen": self.chosen,
            "repaired": self.repaired,
            "normalized": self.normalized,
            "declined": self.declined,
            "languages": self.languages,
            "published": self.published,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "publish_seconds": {k: round(v, 3) for k, v in self.publish_seconds.items()},
            "problems": [str(p) for p in self.problems],
            "site": self.site,
        }

    def one_line(self) -> str:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        return (
            f"{self.articles} articles, {self.summarized} summarized, {self.translated} sentences translated "
            f"({self.retried} retried, {self.chosen} chosen among candidates, "
            f"{sum(sum(k.values()) for k in self.declined.values())} declined), "
            f"{self.cache_hits} cache hits, {len(self.problems)} problems; {stages}"
            + (f"; site {self.site['summary']}" if self.site else "")
        )
