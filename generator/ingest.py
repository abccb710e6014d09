"""Stage 1: read every article in the seeds folder into an ``Article``.

Plain-text articles (``*.txt``): the first line is the title when it reads as a
headline; web boilerplate (comment forms, "READ MORE:" lines, share/subscribe lines)
is removed by general rules; the date is taken only from what the article states,
otherwise a reproducible stand-in (the day the file was added to git) is used and
marked as such. A file that cannot be read is reported by name and skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .config import Config
from .languages import detect_language, split_sentences
from .model import Article, Problem

SUPPORTED_SUFFIXES = (".txt",)

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
    r"|all rights reserved.*|(tags|filed under|categories|posted in)\s*:.*"
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


class UnreadableArticle(ValueError):
    """The file is not an article we can read; the message says why."""


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


def read_text(path: Path, max_bytes: int) -> str:
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableArticle(f"{size:,} bytes is over the {max_bytes:,}-byte limit (max_article_bytes)")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise UnreadableArticle("binary data, not text")
    text = decode_text(data)
    controls = sum(1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise UnreadableArticle("binary data, not text")
    return text


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


def _paragraphs(text: str) -> list[str]:
    """Lines to paragraphs. A line joins the previous one only when that one was hard-wrapped
    (long, and not ending a sentence); blank lines always separate."""
    paragraphs: list[str] = []
    previous = ""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            previous = ""
            continue
        if previous and len(previous) > 40 and not re.search(r"[.!?:;\"”’)\]]$", previous):
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
        parts = dict(zip(order, match.groups()))
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


def parse_article(text: str, *, slug: str, source_file: str, config: Config,
                  stand_in_date: dt.date) -> Article:
    paragraphs = remove_boilerplate(_paragraphs(text))
    if not paragraphs:
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    date, paragraphs = find_date(paragraphs)
    source, paragraphs = _take_header(paragraphs, _SOURCE_HEADER)
    url_line, paragraphs = _take_header(paragraphs, _URL_LINE)
    source_value = source.group("value") if source else ""
    source_url = url_line.group("value") if url_line else ""
    if source_value.startswith(("http://", "https://")):
        source_url, source_value = source_url or source_value, ""
    if not any(_has_words(p) for p in paragraphs):
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    language, _ = detect_language(" ".join(paragraphs), config.languages, config.default_language)
    title, body = make_title(paragraphs, language)
    return Article(
        slug=slug,
        source_file=source_file,
        title=title,
        paragraphs=tuple(body),
        language=language,
        date=date or stand_in_date,
        date_is_stand_in=date is None,
        source_name=source_value,
        source_url=source_url,
    )


def ingest(config: Config) -> tuple[list[Article], list[Problem]]:
    """Read every supported file in the seeds folder; unreadable ones become Problems."""
    seeds = config.path(config.seeds_dir)
    if not seeds.is_dir():
        raise FileNotFoundError(f"seeds folder {seeds} does not exist")
    entries = sorted(p for p in seeds.rglob("*") if not p.name.startswith(".") and (p.is_symlink() or p.is_file()))
    problems = []
    files = []
    for path in entries:
        name = str(path.relative_to(seeds))
        if path.is_symlink():  # could point anywhere on the machine
            problems.append(Problem(name, "symbolic link; skipped"))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            problems.append(Problem(name, f"unsupported file type {path.suffix or '(none)'!r}; skipped"))
        else:
            files.append(path)
    added = git_added_dates(seeds)
    articles = []
    for path, slug in zip(files, assign_slugs(str(p.relative_to(seeds).with_suffix("")) for p in files)):
        name = str(path.relative_to(seeds))
        try:
            articles.append(read_article(path, config, name=name, slug=slug, stand_in_date=added.get(name)))
        except (OSError, UnreadableArticle) as exc:
            problems.append(Problem(name, f"{exc}; skipped"))
    return articles, problems


def read_article(path: Path, config: Config, *, name: str | None = None, slug: str | None = None,
                 stand_in_date: dt.date | None = None) -> Article:
    """One article file; raises UnreadableArticle or OSError. Without a stand-in date
    (the day it was committed), an undated article gets its file's modification day."""
    stand_in = stand_in_date or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date()
    text = read_text(path, config.max_article_bytes)
    return parse_article(text, slug=slug or slugify(path.stem), source_file=name or str(path), config=config,
                         stand_in_date=stand_in)
