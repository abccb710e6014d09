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
from pathlib import Path

from . import settings
from .cleaning import (
    SOURCE_HEADER,
    URL_LINE,
    has_words,
    make_title,
    remove_boilerplate,
    split_paragraphs,
    take_header,
)
from .config import Config
from .dates import find_date, git_added_dates
from .dedup import deduplicate
from .errors import ConfigError, UnreadableArticle
from .languages import detect_language
from .readers import READERS, Source
from .records import Article, Problem
from .slugs import assign_slugs, slug_base, slugify

_LANGUAGE_RULES = settings.section("language")  # when a detected language is trusted


def parse_article(source: Source, *, slug: str, config: Config,
                  stand_in_date: dt.date) -> tuple[Article, list[str]]:
    """Clean one source into an Article; also returns warnings (such as an unsure language)."""
    warnings = []
    paragraphs = remove_boilerplate(split_paragraphs(source.text))
    if not paragraphs:
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    date, paragraphs = find_date(paragraphs)
    header, paragraphs = take_header(paragraphs, SOURCE_HEADER)
    url_line, paragraphs = take_header(paragraphs, URL_LINE)
    source_name = source.source_name or (header.group("value") if header else "")
    source_url = source.url or (url_line.group("value") if url_line else "")
    if source_name.startswith(("http://", "https://")):
        source_url, source_name = source_url or source_name, ""
    if not any(has_words(p) for p in paragraphs):
        raise UnreadableArticle("no article text (empty, or only boilerplate)")
    language = source.language
    if not language:
        sample = " ".join(paragraphs)
        language, confidence = detect_language(f"{source.title} {sample}")
        if (confidence < _LANGUAGE_RULES["min_confidence"] or len(sample.split()) < _LANGUAGE_RULES["min_words"]
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


def articles_from_file(path: Path, config: Config, name: str,
                       stand_in_date: dt.date | None = None) -> tuple[list[Article], list[Problem]]:
    """Every article in one file, with provisional slugs; what cannot be read becomes Problems.
    Without a stand-in date (the day it was committed), undated articles get the file's
    modification day."""
    stand_in = stand_in_date or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
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


def ingest(config: Config) -> tuple[list[Article], list[Problem]]:
    """Read every supported file in the seeds folder; unreadable ones become Problems."""
    seeds = config.path(config.seeds_dir)
    if not seeds.is_dir():
        raise ConfigError(f"seeds_dir: the seeds folder {seeds} does not exist")
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
