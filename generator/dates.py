"""Dates an article states, and the stand-in day for one that states none.

A date is taken only from what the article says: its metadata (front matter, the feed, the
page's markup, read by the readers), or a labelled ('Published:', 'Publicado em', 'Aktualisiert
am' …) or stand-alone date line among the first or last lines of its text. Dates are read by
``dateparser`` in the article's language, so numeric dates follow that language's order
(pt/es/fr/de: day first) and month and weekday names of any language it knows are read. A
year or a month alone is not a date. A stated date counts only when it can be a publication
date (``DateBounds``: a real calendar day between ``earliest_date`` and tomorrow); any other is
ignored and reported, never replaced by a guess: a wrong date is worse than none. An article
that states no date gets a reproducible stand-in (the day its file was first committed to
git), marked as such wherever it is shown.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import settings
from .languages import calendar_names

_RULES = settings.section("dates")
# Labels that introduce a date line, in several languages ("Publicado em:", "Mis à jour le").
DATE_LABEL = re.compile(r"^\W*(?:" + "|".join(_RULES["labels"]) + r")\b\W*", re.IGNORECASE)
# A time of day, which dateparser would otherwise read as "today at that time".
_TIME = re.compile(r"\b\d{1,2}\s*(?:[:h.]\s*\d{2}(?![./-]\d)|h)(?:\s*(?:min|uhr|am|pm|a\.m\.|p\.m\.))?"
                   r"(?:\s*\(?(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2})\)?)?(?=\W|$)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?!\d)")
_QUANTITY = re.compile(r"\d[.,]\d|%")  # "12.5% in 2023" is no date
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
# Absolute dates only: "yesterday" or "3 days ago" would be dated from the build, not the
# article, and a bare number is no date.
_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True, "PREFER_DATES_FROM": "past",
             "RETURN_AS_TIMEZONE_AWARE": False, "PARSERS": ["custom-formats", "absolute-time"]}
MAX_DATE_LINE = _RULES["max_date_line"]  # characters; a longer paragraph is text that may mention a date


DATE_FLOOR = dt.date(1970, 1, 2)
"""No day before this is a file's stand-in date: a file dated the Unix epoch has lost its date."""
DAYS_AHEAD = _RULES["days_ahead"]
"""A stated date may be this many days after the build's (settings.toml says why)."""


@dataclass(frozen=True)
class DateBounds:
    """The days that can be an article's publication date."""

    earliest: dt.date
    today: dt.date

    @property
    def latest(self) -> dt.date:
        return self.today + dt.timedelta(days=DAYS_AHEAD)

    def refusal(self, day: dt.date) -> str | None:
        """Why ``day`` cannot be a publication date, or None when it can. A day refused as
        too late is noted for ``watch_future_dates``: it becomes acceptable later."""
        if day < self.earliest:
            return f"before {self.earliest.isoformat()} (earliest_date)"
        if day > self.latest:
            refuse_future_date(day)
            return "after tomorrow"
        return None


def first_day_accepted(day: dt.date) -> dt.date:
    """The first build day on which ``day``, refused as too late, is accepted."""
    return day - dt.timedelta(days=DAYS_AHEAD)


# Dates refused as too late, while a caller watches (``watch_future_dates``).
_REFUSED_FUTURE_DATES: contextvars.ContextVar[list[dt.date] | None] = contextvars.ContextVar(
    "refused_future_dates", default=None)


@contextlib.contextmanager
def watch_future_dates() -> Iterator[list[dt.date]]:
    """Collects the dates refused as too late while the block runs: a result that depends on
    today (ingest's cache) is only good until the first of them is accepted."""
    refused: list[dt.date] = []
    token = _REFUSED_FUTURE_DATES.set(refused)
    try:
        yield refused
    finally:
        _REFUSED_FUTURE_DATES.reset(token)


def refuse_future_date(day: dt.date) -> None:
    """Note a date not used because it is too late (for ``watch_future_dates``)."""
    refused = _REFUSED_FUTURE_DATES.get()
    if refused is not None:
        refused.append(day)


@functools.cache
def _parser_languages() -> frozenset[str]:
    from dateparser.languages.loader import default_loader  # type: ignore[import-untyped]

    return frozenset(default_loader.get_locale_map())


@functools.lru_cache(maxsize=10_000)  # the same windows recur ("de 2017", "abril de 2017"): ~30 ms each in dateparser
def parse_date(text: str, language: str) -> dt.date | None:
    """The full date (day, month and year) ``text`` states in ``language``; None for a partial
    date or no date. Whether it can be a publication date is ``DateBounds``' to say."""
    import dateparser  # type: ignore[import-untyped]

    text = " ".join(text.split())
    if not text or len(text) > MAX_DATE_LINE:
        return None
    # Numeric dates are read in the article's language's order; month and weekday names are
    # read in any language (a Portuguese date line in an English article is still a date).
    attempts = [[language] if language in _parser_languages() else None]
    if attempts[0] and _LETTER.search(text):
        attempts.append(None)
    parsed = None
    for languages in attempts:
        try:
            parsed = dateparser.parse(text, languages=languages, settings=_SETTINGS)
        except (ValueError, OverflowError, TypeError):  # dateparser's answer to some hostile strings
            return None
        if parsed:
            break
    return parsed.date() if parsed else None


def _spans(line: str) -> list[tuple[int, int]]:
    """Where a date may be: numeric dates, and each year with up to four words before it."""
    spans = [m.span() for m in _NUMERIC_DATE.finditer(line)]
    for year in _YEAR.finditer(line):
        if any(start <= year.start() < end for start, end in spans):
            continue
        starts = [m.start() for m in _WORD.finditer(line[: year.start()])][-4:]
        spans += [(start, year.end()) for start in reversed(starts)  # shortest window first
                  if not _QUANTITY.search(line[start: year.start()])]
    return spans


def date_in_line(line: str, language: str) -> tuple[dt.date | None, str]:
    """The first full date stated in a short line, and what the line says besides the date,
    its label and any time of day (for a stand-alone date line that is almost nothing)."""
    body = DATE_LABEL.sub("", line, count=1)
    for start, end in _spans(body):
        day = parse_date(_TIME.sub(" ", body[start:end]), language)
        if day:
            rest = _TIME.sub(" ", body[:start] + " " + body[end:])
            return day, " ".join(_WORD.findall(rest))
    return None, " ".join(_WORD.findall(_TIME.sub(" ", body)))


def is_date_line(line: str, language: str) -> bool:
    """A line that is only a date or a time, or a date label ('Aktualisiert am'), read or not:
    never a title, never article text."""
    labelled = bool(DATE_LABEL.match(line))
    datelike = bool(_NUMERIC_DATE.search(line) or _TIME.search(line) or _YEAR.search(line))
    if len(line) > MAX_DATE_LINE or not (labelled or datelike):
        return False
    day, rest = date_in_line(line, language)
    words = rest.split()
    if labelled:
        return len(words) <= _RULES["max_other_words_labelled"]
    if day:
        return len(words) <= _RULES["max_other_words"]
    # a partial date ("2017", "March 2017", "10h17") is no date, but the line is no text either
    return len(_WORD.findall(_YEAR.sub(" ", _NUMERIC_DATE.sub(" ", rest)))) <= 1


# The text's first sentence, when it is short enough to be a date line.
_FIRST_SENTENCE = re.compile(rf"(.{{1,{MAX_DATE_LINE}}}?[.!?])\s+(?=\S)")


def opening_date(paragraphs: list[str], language: str) -> str | None:
    """The first paragraph's first sentence when it is a whole date run into the text
    ("Terça-feira, 18 de abril de 2017. Boa noite! …", 111 of the corpus's 5,213 articles)."""
    match = _FIRST_SENTENCE.match(paragraphs[0]) if paragraphs else None
    if not match:
        return None
    # A date and at most a few words, with a month's name or a numeric date ('Paraná, sexta-feira,
    # 9 de março de 2018.'): any other sentence is not given to dateparser (~3.6 ms an article).
    sentence = match.group(1)
    words = sentence.lower().replace(",", " ").split()
    if len(words) <= 8 and (_NUMERIC_DATE.search(sentence) or calendar_names(language, ("months",)) & set(words)) \
            and is_date_line(sentence, language) and date_in_line(sentence, language)[0]:
        return sentence
    return None


def find_date(paragraphs: list[str], language: str, bounds: DateBounds,
              ) -> tuple[dt.date | None, list[str], list[str]]:
    """A date the article states on a line of its own: labelled, or a line that is only a date,
    among the first four or last three paragraphs; the text without its date lines (every date
    line leaves the text, 'Aktualisiert am …' anywhere, a refused date too: it is not article
    text); and why each date line that states an impossible publication date was ignored."""
    candidates = {*range(min(4, len(paragraphs))), *range(max(4, len(paragraphs) - 3), len(paragraphs))}
    found, kept, refused = None, [], []
    for i, paragraph in enumerate(paragraphs):
        if not is_date_line(paragraph, language):
            kept.append(paragraph)
        elif i in candidates and found is None:
            day = date_in_line(paragraph, language)[0]
            reason = bounds.refusal(day) if day else None
            if reason:
                refused.append(f"date line {paragraph[:80]!r} ignored: {day} is {reason}")
            else:
                found = day
    return found, kept, refused


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
