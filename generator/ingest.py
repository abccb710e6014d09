"""Stage 1: read every article in the seeds folder into an ``Article``.

Each file goes through the reader for its format (``readers``: plain text, Markdown with
front matter, HTML pages, RSS/Atom feeds). Then every article is cleaned the same way:
web boilerplate (comment forms, "READ MORE:" lines, share/subscribe lines, bylines) is
removed by general rules; metadata the file declares wins over anything guessed; the date
is only ever one the article states, otherwise a reproducible stand-in (the day the file
was added to git) marked as such; the language is detected offline when not declared.
The same story arriving twice (same canonical URL, or near-identical text) is kept once.
A file that cannot be read is reported by name and skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from .config import Config
from .languages import detect_language, split_sentences
from .records import Article, Problem
from .readers import READERS, Source, UnreadableArticle

# A language guess below this confidence, or from fewer words, falls back to the
# declared language or the site's default, and is reported.
MIN_LANGUAGE_CONFIDENCE = 0.6
MIN_LANGUAGE_WORDS = 8

# A comment section starts here; nothing after it is article text.
_COMMENT_SECTION = re.compile(
    r"^\s*(leave a (reply|comment)|one (thought|comment|response) on\b|\d+ (thoughts|comments|responses) on\b"
    r"|post navigation\s*$|comments are closed|add (a|your) comment\s*$|join the (discussion|conversation)"
    r"|deixe (um|uma) (comentário|resposta)|\d+ comentários?\s*$)",
    re.IGNORECASE,
)

# Single lines of page furniture. Only short lines are tested: a real paragraph that
# happens to start with "Share" is long.
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"(listen|read|watch|see|view|learn|leia|veja|ouça|saiba) (more|also|next|mais|também)\b.*"
    r"|(related|recommended|more)( stories| articles| news| coverage)?\s*:?"
    r"|your email address will not be published.*|required fields are marked.*"
    r"|(share|tweet|email|print)( (this|on|via)\b.*)?|click to (share|print|email)\b.*"
    r"|(subscribe|sign up) (to|for|now)\b.*|follow us\b.*|advertisement|publicidade"
    r"|all rights reserved.*|(tags|filed under|categories|posted in)\s*:.*|by\s+[^.!?]{2,70}|por\s+[^.!?]{2,70}"
    r"|((facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|email|print)\W*){2,}"
    r")\s*$",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_LINE = 120

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "janeiro"), ("february", "feb", "fevereiro"), ("march", "mar", "março", "marco"),
            ("april", "apr", "abril"), ("may", "maio"), ("june", "jun", "junho"), ("july", "jul", "julho"),
            ("august", "aug", "agosto"), ("september", "sep", "sept", "setembro"), ("october", "oct", "outubro"),
            ("november", "nov", "novembro"), ("december", "dec", "dezembro"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})\b", re.IGNORECASE), ("mn", "d", "y")),
    (re.compile(r"\b(\d{1,2})\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+)?(\d{4})\b", re.IGNORECASE), ("d", "mn", "y")),
)
_DATE_HEADER = re.compile(
    r"^\s*(date|dated|published|posted|updated|data|publicado( em)?)\b\s*(on\s*)?:?\s*", re.IGNORECASE
)
_SOURCE_HEADER = re.compile(r"^\s*(source|fonte|fuente|url|link)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
_URL_LINE = re.compile(r"^\s*(?P<value>https?://\S+)\s*$")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


def slugify(name: str) -> str:
    """URL-safe, stable name: ASCII letters, digits and hyphens; never a path or a reserved name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")
    if not slug:
        return "article"
    if slug.split("-")[0] in _WINDOWS_RESERVED:
        slug = "article-" + slug
    return slug


def assign_slugs(stems: Iterable[str]) -> list[str]:
    """Slugs for file stems in order; a collision gets -2, -3 … in that (sorted) order."""
    taken: set[str] = set()
    slugs = []
    for stem in stems:
        base = slug = slugify(stem)
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


_WRAP_WIDTH = 60  # hard-wrapped text breaks lines at 60-80 characters; headlines are shorter


def _paragraphs(text: str) -> list[str]:
    """Lines to paragraphs. A line joins the previous one only when that one was hard-wrapped
    (long, and not ending a sentence) and it is no header line; blank lines always separate."""
    paragraphs: list[str] = []
    previous = ""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            previous = ""
            continue
        if (previous and len(previous) >= _WRAP_WIDTH and not re.search(r"[.!?:;\"”’)\]]$", previous)
                and not any(p.match(line) for p in (_DATE_HEADER, _SOURCE_HEADER, _URL_LINE))):
            paragraphs[-1] = paragraphs[-1] + " " + line
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def remove_boilerplate(paragraphs: list[str]) -> list[str]:
    kept = []
    for paragraph in paragraphs:
        if _COMMENT_SECTION.match(paragraph):
            break
        if len(paragraph) <= _MAX_BOILERPLATE_LINE and _BOILERPLATE_LINE.match(paragraph):
            continue
        kept.append(paragraph)
    return kept


def _parse_date(text: str) -> dt.date | None:
    for pattern, order in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _MONTHS[parts["mn"].lower()] if "mn" in parts else int(parts["m"])
        try:
            return dt.date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            continue
    return None


def _take_header(paragraphs: list[str], pattern: re.Pattern) -> tuple[re.Match | None, list[str]]:
    """Find a header line (first or last three paragraphs) and remove it from the body."""
    candidates = list(range(min(3, len(paragraphs)))) + list(range(max(3, len(paragraphs) - 3), len(paragraphs)))
    for i in candidates:
        if len(paragraphs[i]) <= 300:
            match = pattern.match(paragraphs[i])
            if match:
                return match, paragraphs[:i] + paragraphs[i + 1 :]
    return None, paragraphs


def find_date(paragraphs: list[str]) -> tuple[dt.date | None, list[str]]:
    """A date the article states: a 'Published:'-style line, or a line that is only a date."""
    for i, paragraph in enumerate(paragraphs[:4]):
        if len(paragraph) > 80:
            continue
        header = _DATE_HEADER.match(paragraph)
        date = _parse_date(paragraph)
        rest = paragraph[header.end() :] if header else paragraph
        if date and (header or len(rest.split()) <= 5):
            return date, paragraphs[:i] + paragraphs[i + 1 :]
    return None, paragraphs


def looks_like_headline(line: str) -> bool:
    return len(line) <= 150 and len(line.split()) <= 20 and not line.endswith((".", ",", ";", ":"))


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def make_title(paragraphs: list[str], language: str) -> tuple[str, list[str]]:
    """The first line when it reads as a headline; otherwise the first sentence, shortened."""
    if len(paragraphs) > 1 and looks_like_headline(paragraphs[0]) and _has_words(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    sentences = (s for p in paragraphs for s in split_sentences(p, language))
    first = next(s for s in sentences if _has_words(s)).rstrip(".")
    if len(first) > 90:
        first = first[:90].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first, paragraphs


def git_added_dates(folder: Path) -> dict[str, dt.date]:
    """Day each file under ``folder`` was first committed, by path relative to ``folder``."""
    try:
        out = subprocess.run(
            ["git", "log", "--diff-filter=A", "--format=%x00%ad", "--date=short", "--name-only",
             "--relative", "--", "."],
            cwd=folder, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    for block in out.split("\x00")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0].strip())
        for name in lines[1:]:
            dates[name] = day  # log is newest first: the last write is the first addition
    return dates


def parse_article(source: Source, *, slug: str, config: Config,
                  stand_in_date: dt.date) -> tuple[Article, list[str]]:
    """Clean one source into an Article; also returns warnings (such as an unsure language)."""
    warnings = []
    paragraphs = remove_boilerplate(_paragraphs(source.text))
    if not paragraphs:
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    date, paragraphs = find_date(paragraphs)
    header, paragraphs = _take_header(paragraphs, _SOURCE_HEADER)
    url_line, paragraphs = _take_header(paragraphs, _URL_LINE)
    source_name = source.source_name or (header.group("value") if header else "")
    source_url = source.url or (url_line.group("value") if url_line else "")
    if source_name.startswith(("http://", "https://")):
        source_url, source_name = source_url or source_name, ""
    if not any(_has_words(p) for p in paragraphs):
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    language = source.language
    if not language:
        sample = " ".join(paragraphs)
        language, confidence = detect_language(f"{source.title} {sample}")
        if (confidence < MIN_LANGUAGE_CONFIDENCE or len(sample.split()) < MIN_LANGUAGE_WORDS
                or len(language) != 2):  # 'zxx': no linguistic content, e.g. a list of codes
            warnings.append(f"language unsure ({language}, confidence {confidence:.2f}); "
                            f"using {config.default_language}")
            language = config.default_language
    if source.title:
        title = source.title
        body = paragraphs[1:] if len(paragraphs) > 1 and paragraphs[0] == title else paragraphs
    else:
        title, body = make_title(paragraphs, language)
    article = Article(
        slug=slug,
        source_file=source.name,
        title=title,
        paragraphs=tuple(body),
        language=language,
        date=source.date or date or stand_in_date,
        date_is_stand_in=not (source.date or date),
        source_name=source_name,
        source_url=source_url,
        author=" ".join(source.author.split()),
        tags=source.tags,
        source_format=source.kind,
    )
    return article, warnings


def slug_base(source: Source) -> str:
    """What a slug is made from: a feed entry's title, else the file name without suffix."""
    stem = source.name.split("#")[0].rsplit(".", 1)[0]
    return f"{stem}-{source.slug_hint}" if source.slug_hint else stem


def articles_from_file(path: Path, config: Config, name: str,
                       stand_in_date: dt.date | None = None) -> tuple[list[Article], list[Problem]]:
    """Every article in one file, with provisional slugs; what cannot be read becomes Problems.
    Without a stand-in date (the day it was committed), undated articles get the file's
    modification day."""
    stand_in = stand_in_date or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date()
    try:
        sources = READERS[path.suffix.lower()](path, name, config.max_article_bytes)
    except (OSError, UnreadableArticle) as exc:
        return [], [Problem(name, f"{exc}; skipped")]
    articles, problems = [], []
    for source in sources:
        try:
            if source.error:
                raise UnreadableArticle(source.error)
            article, warnings = parse_article(source, slug=slugify(slug_base(source)), config=config,
                                              stand_in_date=stand_in)
        except UnreadableArticle as exc:
            problems.append(Problem(source.name, f"{exc}; skipped"))
            continue
        articles.append(article)
        problems += [Problem(source.name, warning) for warning in warnings]
    return articles, problems


# Which copy of a story wins: the longest text (the most complete), then the format
# that carries the most metadata, then the file name.
_FORMAT_RANK = {"html": 0, "md": 1, "txt": 2, "feed": 3}


def canonical_url(url: str) -> str:
    """The same page however it was linked: no scheme, 'www.', query tracking, fragment or
    trailing slash."""
    if not url.startswith(("http://", "https://")):
        return ""
    parts = urlsplit(url.strip())
    query = "&".join(q for q in sorted(parts.query.split("&")) if q and not q.startswith("utm_"))
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def _shingles(article: Article) -> set[int]:
    words = re.findall(r"\w+", article.text.lower())
    return {zlib.crc32(" ".join(words[i : i + 5]).encode()) for i in range(max(1, len(words) - 4))}


NEAR_DUPLICATE = 0.8  # share of the shorter text's 5-word shingles found in the other


def deduplicate(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Keep one copy of each story: same canonical URL, or near-identical text."""
    ranked = sorted(articles, key=lambda a: (-len(a.text), _FORMAT_RANK.get(a.source_format, 9), a.source_file))
    kept: list[Article] = []
    by_url: dict[str, Article] = {}
    postings: dict[int, list[int]] = {}
    shingles: list[set[int]] = []
    problems = []
    for article in ranked:
        own = _shingles(article)
        url = canonical_url(article.source_url)
        winner, why = (by_url.get(url), "same URL") if url else (None, "")
        if winner is None:
            shared = Counter(k for h in own for k in postings.get(h, ()))
            for index, count in shared.most_common(1):
                if count >= NEAR_DUPLICATE * min(len(own), len(shingles[index])):
                    winner, why = kept[index], "near-identical text"
        if winner is not None:
            problems.append(Problem(article.source_file, f"same story as {winner.source_file} ({why}); "
                                                         "kept that copy: its text is the longest"))
            continue
        for h in own:
            postings.setdefault(h, []).append(len(kept))
        shingles.append(own)
        kept.append(article)
        if url:
            by_url[url] = article
    order = {a.source_file: n for n, a in enumerate(articles)}
    return sorted(kept, key=lambda a: order[a.source_file]), problems


def ingest(config: Config) -> tuple[list[Article], list[Problem]]:
    """Read every supported file in the seeds folder; unreadable ones become Problems."""
    seeds = config.path(config.seeds_dir)
    if not seeds.is_dir():
        raise FileNotFoundError(f"seeds folder {seeds} does not exist")
    entries = sorted(p for p in seeds.rglob("*") if not p.name.startswith(".") and (p.is_symlink() or p.is_file()))
    problems = []
    added = git_added_dates(seeds)
    articles: list[Article] = []
    for path in entries:
        name = str(path.relative_to(seeds))
        if path.is_symlink():  # could point anywhere on the machine
            problems.append(Problem(name, "symbolic link; skipped"))
        elif path.suffix.lower() not in READERS:
            problems.append(Problem(name, f"unsupported file type {path.suffix or '(none)'!r}; skipped"))
        else:
            found, trouble = articles_from_file(path, config, name, added.get(name))
            articles += found
            problems += trouble
    slugs = assign_slugs(a.slug for a in articles)
    articles = [dataclasses.replace(a, slug=slug) for a, slug in zip(articles, slugs, strict=True)]
    articles, duplicates = deduplicate(articles)
    return articles, problems + duplicates
