"""Stage 1: read every article in the seeds folder into an ``Article``.

Each file goes through the reader registered for its extension (``readers.READERS``).
Then every article is cleaned the same way: web boilerplate (comment forms, "READ MORE:"
lines, share/subscribe lines, bylines) is removed by general rules; metadata the file
declares wins over anything guessed; the date is only ever one the article states,
otherwise a reproducible stand-in (the day the file was added to git) marked as such; the
language is detected offline when not declared. The same story arriving twice (same
canonical URL, or near-identical text) is kept once. A file that cannot be read is
reported by name and skipped.

What a file yields is cached by its content (with its name, stand-in date, the options and
the code that read it), so a daily rebuild reads only the files that are new or changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import warnings
from pathlib import Path

from . import settings
from .cache import Cache, cache_key
from .cleaning import (
    SOURCE_HEADER,
    URL_LINE,
    clean_author,
    has_words,
    make_title,
    remove_boilerplate,
    site_names,
    split_paragraphs,
    strip_site_name,
    take_header,
)
from .config import Config
from .dates import (
    DATE_FLOOR,
    DateBounds,
    find_date,
    first_day_accepted,
    git_added_dates,
    opening_date,
    parse_date,
    watch_future_dates,
)
from .dedup import deduplicate
from .errors import ConfigError, UnreadableArticle
from .executor import Executor, LocalExecutor, batches_of
from .faults import contained
from .filehashes import FileHashes, file_sha256, files_by_name
from .languages import calendar_names, detect_language, word_count
from .readers import MAX_FIELD_CHARS, READERS, Source, scrub
from .records import Article, Paragraphs, Problem
from .slugs import assign_slugs, slug_base, slugify

_LANGUAGE_RULES = settings.section("language_detection")  # when a detected language is trusted


def decide_language(source: Source, paragraphs: list[str], config: Config) -> tuple[str, list[str]]:
    """The article's language and any warning. A declared language (front matter, <html lang>,
    the feed) is a hint: when the text is long enough and detection is sure it is another
    language, the text wins and the disagreement is reported."""
    sample = " ".join(paragraphs)
    words = word_count(sample)
    detected, confidence = detect_language(f"{source.title} {sample}")
    sure = (confidence >= _LANGUAGE_RULES["min_confidence"] and words >= _LANGUAGE_RULES["min_words"]
            and len(detected) == 2)  # 'zxx': no linguistic content, e.g. a list of codes
    if source.language_evidence and not source.language and (
            not sure or words < _LANGUAGE_RULES["override_min_words"]):
        return source.language_evidence, []  # too short to tell: the feed's other entries tell
    if source.language:
        if (sure and detected != source.language and confidence >= _LANGUAGE_RULES["override_confidence"]
                and words >= _LANGUAGE_RULES["override_min_words"]):
            return detected, [f"declared language {source.language!r}, but the text is {detected!r} "
                              f"(confidence {confidence:.2f}): using {detected!r}"]
        return source.language, []
    if sure:
        return detected, []
    return config.default_language, [f"language unsure ({detected}, confidence {confidence:.2f}); "
                                     f"using {config.default_language}"]


MAX_TITLE_CHARS = settings.section("reading")["max_title_chars"]
# The greeting after a day's round-up's date ("Terça-feira, 18 de abril de 2017. Boa noite! …").
_GREETING = re.compile(r"(?:bo[am] (?:dia|tarde|noite)|good (?:morning|afternoon|evening)|ol[áa]|hello)\b",
                       re.IGNORECASE)


def _opens_with_weekday(text: str, language: str) -> bool:
    """Whether ``text`` opens with a weekday's name ("Terça-feira, 21 de novembro")."""
    first = text.split(",", 1)[0].split(" ", 1)[0].lower()
    return first in calendar_names(language, ("days",))


def shorten_title(title: str) -> str:
    """``title`` cut to MAX_TITLE_CHARS at a word boundary, with an ellipsis."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] if " " in title[:MAX_TITLE_CHARS] else title[:MAX_TITLE_CHARS]
    return cut.rstrip(" ,;:-–—|") + "…"


def stated_date(source: Source, language: str, bounds: DateBounds, warnings: list[str]) -> dt.date | None:
    """The date the metadata states, when it can be the publication date; otherwise None, and
    ``warnings`` says which field held what and why it was ignored."""
    field = source.date_field or "the stated date"
    day = source.date
    if day is None and source.date_text:
        day = parse_date(source.date_text, language)
        if day is None:
            warnings.append(f"{field} {source.date_text[:80]!r} is not a full date (day, month and year); ignored")
    if day is None:
        return None
    reason = bounds.refusal(day)
    if reason:
        warnings.append(f"{field} {(source.date_text or day.isoformat())[:80]!r} ignored: "
                        f"{day.isoformat()} is {reason}")
        return None
    return day


def parse_article(source: Source, *, slug: str, config: Config, stand_in_date: dt.date,
                  today: dt.date | None = None) -> tuple[Article, list[str]]:
    """Clean one source into an Article; also returns warnings (an unsure language, metadata
    or a date that was ignored). Readers remove what is never text from the text they parse;
    the metadata they found is scrubbed here, whatever the format."""
    bounds = DateBounds(config.earliest, today or dt.date.today())
    form = READERS.format(source.kind)
    paragraphs = remove_boilerplate(split_paragraphs(source.text, hard_wrapped=form.hard_wrapped))
    # A feed entry with a title and a link is news even when its description is no text (an
    # image, "Read more", a credit, a date): the article is its headline.
    headline = scrub(" ".join(source.title.split())) if form.entries and source.url else ""
    if not any(has_words(p) for p in paragraphs) and has_words(headline):
        paragraphs = [headline]
    if not paragraphs:
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    language, warnings = decide_language(source, paragraphs, config)
    warnings = [*source.notes, *warnings]
    opening = opening_date(paragraphs, language)
    if opening:  # a date line run into the text: on a line of its own, and the text goes on
        paragraphs = [opening, paragraphs[0][len(opening):].strip(), *paragraphs[1:]]
    line_date, paragraphs, refused = find_date(paragraphs, language, bounds)
    warnings += refused
    header, paragraphs = take_header(paragraphs, SOURCE_HEADER)
    url_line, paragraphs = take_header(paragraphs, URL_LINE)
    source_name = source.source_name or (header.group("value") if header else "")
    source_url = source.url or (url_line.group("value") if url_line else "")
    if source_name.startswith(("http://", "https://")):
        source_url, source_name = source_url or source_name, ""
    if not any(has_words(p) for p in paragraphs) and has_words(headline):
        paragraphs = [headline]
    if not any(has_words(p) for p in paragraphs):
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    # Only a date the article states: its metadata's, else a date line of its text, else one
    # printed in its page's markup (blocks of other articles and their dates left out).
    stated = (stated_date(source, language, bounds, warnings) or line_date
              or stated_date(dataclasses.replace(source, date=source.page_date, date_text="",
                                                 date_field="the page's markup"), language, bounds, warnings))
    title, roundup = scrub(" ".join(source.title.split())), False
    if title:
        title = strip_site_name(title, site_names(source_name, source_url))
        body = paragraphs[1:] if len(paragraphs) > 1 and paragraphs[0] in (title, source.title) else paragraphs
        rest = body[0][len(title):].strip() if body and body[0].startswith(title + " ") else ""
        # A headline glued to the text is followed by the text's first sentence; a sentence that
        # merely starts with the headline's words ("A feira do livro de Lisboa abriu …") goes on.
        if rest[:1].isupper() and len(title.split()) >= 3:
            body = [rest, *body[1:]]
    else:
        title, body = make_title(paragraphs, language)
        if opening and _GREETING.match(title):  # after its date a greeting ('Boa noite!'): a day's round-up
            title, body, roundup = opening.rstrip(". "), paragraphs, True
        elif body and _GREETING.match(body[0]) and _opens_with_weekday(title, language):
            roundup = True  # its date without a year ('Terça-feira, 21 de novembro . Bom dia!'), no date line
    if len(title) > MAX_TITLE_CHARS:
        warnings.append(f"title of {len(title):,} characters cut to {MAX_TITLE_CHARS}")
        title = shorten_title(title)
    article = Article(
        slug=slug,
        source_file=source.name,
        title=title,
        paragraphs=tuple(body),
        language=language,
        date=stated or stand_in_date,
        date_is_stand_in=stated is None,
        source_name=scrub(source_name)[:MAX_FIELD_CHARS],
        source_url=source_url,
        author=clean_author(scrub(source.author)[:MAX_FIELD_CHARS]),
        tags=tuple(scrub(tag) for tag in source.tags),
        source_format=source.kind,
        feed_url=source.feed_url if source.feed_url.startswith(("http://", "https://")) else "",
        roundup=roundup,
    )
    return article, warnings


def articles_from_file(path: Path, config: Config, name: str,
                       stand_in_date: dt.date | None = None) -> tuple[list[Article], list[Problem]]:
    """Every article in one file, with provisional slugs; what cannot be read becomes Problems.
    Without a stand-in date (the day it was committed), undated articles get the file's
    modification day."""
    if refused := _refusal(path, name):
        return [], [refused]
    articles, problems, _ = read_file(path, config, name, _stand_in(path, stand_in_date))
    return articles, problems


def _refusal(path: Path, name: str) -> Problem | None:
    """Why a file is not read at all, or None."""
    if path.is_symlink():  # could point anywhere on the machine
        return Problem(name, "symbolic link; skipped")
    if path.suffix.lower() not in READERS:
        return Problem(name, f"unsupported file type {path.suffix or '(none)'!r}; skipped")
    return None


def _stand_in(path: Path, stand_in_date: dt.date | None) -> dt.date:
    day = stand_in_date or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    # A clock that was wrong when the file was written (1970, 2099) is not a day to show.
    return day if DATE_FLOOR <= day <= dt.date.today() else dt.date.today()


Reading = tuple[list[Article], list[Problem], dt.date | None]
"""A file's articles, its problems, and the last day that holds (None: no end)."""


def read_file(path: Path, config: Config, name: str, stand_in: dt.date) -> Reading:
    """One file read, with the warnings libraries gave while reading it as its problems.
    A date refused as too late makes the result today's: good until the day it is accepted."""
    with watch_future_dates() as refused, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # a library's warning names this file
        warnings.simplefilter("ignore", DeprecationWarning)  # for the library's developers, not ours
        # Emitted when the garbage collector happens to free something unclosed (a socket
        # another part of the process left open) while this file is read: never about the file.
        warnings.simplefilter("ignore", ResourceWarning)
        articles, problems = _read_file(path, config, name, stand_in)
    for message in dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught):
        problems.append(Problem(name, f"while reading: {message}"))
    return articles, problems, first_day_accepted(min(refused)) - dt.timedelta(days=1) if refused else None


def read_batch(jobs: list[tuple[Path, str, dt.date]], config: Config) -> list[Reading]:
    """``read_file`` for each (path, name, stand-in day): one task of a parallel ingest."""
    return [read_file(path, config, name, stand_in) for path, name, stand_in in jobs]


class ParsedFiles:
    """The articles and problems each file yielded, in the build cache, by content."""

    _CODE = ("readers.py", "cleaning.py", "dates.py", "languages.py", "ingest.py", "slugs.py", "names.py", "records.py")
    SETTINGS = ("reading", "language_detection", "cleaning", "dates", "language", "sentences")
    """The sections of settings.toml that reading a file follows: a change to another one (a
    story's threshold, a page size, what the models read) does not read every seed again."""

    def __init__(self, cache: Cache, hashes: FileHashes | None = None):
        self.cache = cache
        self.hashes = hashes
        """The seeds' content hashes kept between builds (state.seed_hashes); without, files are hashed."""
        self.pending: dict[str, dict] = {}
        self.valid_until: dt.date | None = None
        """The last day every reading handed out holds (None: no end)."""
        digest = hashlib.sha256()
        for module in self._CODE:  # a change to how files are read must not reuse old readings
            digest.update((Path(__file__).parent / module).read_bytes())
        digest.update(settings.digest(*self.SETTINGS).encode())
        self.code = digest.hexdigest()

    def key(self, path: Path, name: str, stand_in: dt.date, config: Config) -> str | None:
        stat = path.stat()
        if stat.st_size > config.max_article_bytes:
            return None  # not hashed: the reader refuses it without reading it
        content = self.hashes.sha256(name, path, stat) if self.hashes else file_sha256(path)
        return cache_key("parsed-file", content=content, name=name,
                         stand_in=stand_in.isoformat(), code=self.code, default_language=config.default_language,
                         max_article_bytes=config.max_article_bytes, earliest_date=config.earliest_date)

    def get_many(self, keys: list[str]) -> dict[str, tuple[list[Article], list[Problem]]]:
        """The readings of ``keys`` that are cached and still hold today."""
        found = {}
        for key, (until, reading) in self.cache.get_many(keys, decode=self._reading).items():
            if until and until < dt.date.today():
                continue
            self._holds_until(until)
            found[key] = reading
        return found

    @staticmethod
    def _reading(entry: dict) -> tuple[dt.date | None, tuple[list[Article], list[Problem]]]:
        """A cached reading as (the last day it holds, its articles and problems)."""
        until = dt.date.fromisoformat(entry["until"]) if entry["until"] else None
        articles = [Article(**{**a, "paragraphs": Paragraphs.from_json(a["paragraphs"]), "tags": tuple(a["tags"]),
                               "date": dt.date.fromisoformat(a["date"])}) for a in entry["articles"]]
        return until, (articles, [Problem(*problem) for problem in entry["problems"]])

    def _holds_until(self, until: dt.date | None) -> None:
        if until and (self.valid_until is None or until < self.valid_until):
            self.valid_until = until

    def put(self, key: str, articles: list[Article], problems: list[Problem], until: dt.date | None) -> None:
        self._holds_until(until)
        self.pending[key] = {
            "articles": [{**{f.name: getattr(a, f.name) for f in dataclasses.fields(a)}, "paragraphs": a.body.to_json(),
                          "date": a.date.isoformat()} for a in articles],
            "problems": [[p.subject, p.reason] for p in problems],
            "until": until.isoformat() if until else None,
        }

    def save(self) -> None:
        """Store what was read, in one transaction."""
        self.cache.put_many(self.pending)
        self.pending.clear()


def _read_file(path: Path, config: Config, name: str, stand_in: dt.date) -> tuple[list[Article], list[Problem]]:
    problems: list[Problem] = []
    try:
        with contained("reading", name, problems) as reading:
            sources = READERS[path.suffix.lower()](path, name, config.max_article_bytes)
    except UnreadableArticle as exc:
        return [], [Problem(name, f"{exc}; skipped")]
    if reading.failed:
        return [], problems
    articles = []
    for source in sources:
        try:
            with contained("reading", READERS.label(source), problems) as parsing:
                if source.error:
                    raise UnreadableArticle(source.error)
                article, warnings = parse_article(source, slug=slugify(slug_base(source)), config=config,
                                                  stand_in_date=stand_in)
        except UnreadableArticle as exc:
            problems.append(Problem(READERS.label(source), f"{exc}; skipped"))
            continue
        if not parsing.failed:
            articles.append(article)
            problems += [Problem(READERS.label(source), warning) for warning in warnings]
    return articles, problems


def ingest(config: Config, cache: Cache | None = None, readings: ParsedFiles | None = None,
           executor: Executor | None = None) -> tuple[list[Article], list[Problem]]:
    """Read every supported file in the seeds folder; unreadable ones become Problems. With
    a cache, files read before are not read again (through ``readings`` when given); the
    others are read in ``executor``'s local processes when given."""
    seeds = config.path(config.seeds_dir)
    if not seeds.is_dir():
        raise ConfigError(f"seeds_dir: the seeds folder {seeds} does not exist")
    return read_folder(seeds, config, cache, readings, executor)


def seed_entries(folder: Path) -> list[tuple[str, os.DirEntry]]:
    """(name relative to ``folder``, directory entry) of every file (or symbolic link) a build
    considers, in the order of their names' folder parts."""
    return files_by_name(folder, lambda entry: not entry.name.startswith(".")
                         and (entry.is_symlink() or entry.is_file()))


def seed_files(folder: Path) -> list[tuple[Path, str]]:
    """(path, name relative to ``folder``) of every file a build considers (``seed_entries``)."""
    return [(Path(entry.path), name) for name, entry in seed_entries(folder)]


def read_folder(folder: Path, config: Config, cache: Cache | None = None, readings: ParsedFiles | None = None,
                executor: Executor | None = None) -> tuple[list[Article], list[Problem]]:
    """Every article of the files under ``folder``, named relative to it."""
    return read_files(seed_files(folder), config, git_added_dates(folder), cache, readings, executor)


def read_paths(paths: list[Path], config: Config, cache: Cache | None = None, readings: ParsedFiles | None = None,
               ) -> tuple[list[tuple[Article, str, int | None]], list[Problem], int]:
    """Every article of ``paths`` (files, or folders of them) as a build reads its seeds, each
    with the file it came from and its entry number in a feed (None for other files); the
    problems; and how many paths do not exist (the commands that show what a build reads)."""
    found: list[tuple[Article, str, int | None]] = []
    problems: list[Problem] = []
    missing = 0
    for path in paths:
        if path.is_dir():
            articles, trouble = read_folder(path, config, cache, readings)
            prefix = path
        elif path.is_file():
            articles, trouble = read_files([(path, path.name)], config, {}, cache, readings)
            prefix = path.parent
        else:
            articles, trouble, prefix = [], [Problem(str(path), "no such file or folder")], path
            missing += 1
        problems += trouble
        for article in articles:
            name, _, entry = article.source_file.partition("#")
            found.append((article, str(prefix / name), int(entry) if entry else None))
    return found, problems, missing


READ_BATCH = 32  # files per task: tens of milliseconds each, against a millisecond to send a task


def read_files(entries: list[tuple[Path, str]], config: Config, added: dict[str, dt.date],
               cache: Cache | None = None, readings: ParsedFiles | None = None,
               executor: Executor | None = None) -> tuple[list[Article], list[Problem]]:
    """Articles of (path, name) files, with final slugs and duplicates removed; ``added`` holds
    the stand-in date of files by name (the day git first saw them). Files not in the cache
    are read by ``executor`` (default: here), in batches, in their order."""
    parsed = readings or (ParsedFiles(cache) if cache else None)
    found: list[tuple[list[Article], list[Problem]] | None] = []
    readable: list[tuple[int, str | None, tuple[Path, str, dt.date]]] = []
    for path, name in entries:
        if refused := _refusal(path, name):
            found.append(([], [refused]))
        else:
            stand_in = _stand_in(path, added.get(name))
            readable.append((len(found), parsed.key(path, name, stand_in, config) if parsed else None,
                             (path, name, stand_in)))
            found.append(None)
    known = parsed.get_many([key for _, key, _ in readable if key]) if parsed else {}
    to_read = []
    for position, key, job in readable:
        if key in known:
            found[position] = known[key]
        else:
            to_read.append((position, key, job))
    jobs = [job for _, _, job in to_read]
    readings_done = [reading for batch in (executor or LocalExecutor()).map(
        read_batch, batches_of(jobs, READ_BATCH), processes=True, config=config) for reading in batch]
    for (position, key, _), (articles, problems, until) in zip(to_read, readings_done, strict=True):
        found[position] = (articles, problems)
        if parsed and key:
            parsed.put(key, articles, problems, until)
    if parsed:
        parsed.save()
    articles = [article for result in found if result for article in result[0]]
    problems = [problem for result in found if result for problem in result[1]]
    slugs = assign_slugs(a.slug for a in articles)
    articles = [dataclasses.replace(a, slug=slug) for a, slug in zip(articles, slugs, strict=True)]
    articles, duplicates = deduplicate(articles, cache, READERS)
    return articles, problems + duplicates
