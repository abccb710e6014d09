"""The one typed configuration that every stage reads.

Values come from, in rising order of precedence: the defaults below, the
``[polydigest]`` table of ``polydigest.toml`` in the project folder, and the command line.
Each option is declared once, here: its type, default, check, documentation and, where it
has one, its command-line flag. ``polydigest config`` prints the documentation and the CLI
builds its options from the same declarations, so neither can drift from the code.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .errors import ConfigError
from .languages import is_language_code
from .paths import check_layout
from .readers import READERS
from .summarize import DEFAULT_SUMMARIZER, SUMMARIZERS, describe_summarizers
from .variety import VARIETIES

CONFIG_FILE = "polydigest.toml"
OUTPUT_OPTIONS = ("docs_dir", "site_dir", "work_dir")
"""Folders polydigest writes and deletes in; see paths.py for the rules."""
INPUT_OPTIONS = ("seeds_dir", "models_dir", "mkdocs_config")

def language_code(value: str) -> str:
    """``value`` when it is a language code; else a ConfigError that says so."""
    if not is_language_code(value):
        raise ConfigError(f"{value!r} is not an ISO 639 language code such as 'en' or 'pt'")
    return value


def _languages(values: list[str]) -> None:
    if not values:
        raise ConfigError("at least one site language is needed")
    for value in values:
        language_code(value)
    if len(set(values)) != len(values):
        raise ConfigError("a language is listed twice")


def _iso_date(value: str) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{value!r} is not a date such as 1990-01-01") from None


def _at_least(minimum: int) -> Callable[[int], None]:
    def check(value: int) -> None:
        if value < minimum:
            raise ConfigError(f"must be at least {minimum}")
    return check


def _one_of(choices: Collection[str]) -> Callable[[str], None]:
    def check(value: str) -> None:
        if value not in choices:
            raise ConfigError(f"{value!r} is not one of {', '.join(choices)}")
    return check


def _option(default: Any, doc: str, *, flag: str | None = None, metavar: str | None = None,
            check: Callable[[Any], None] | None = None, choices: Collection[str] | None = None) -> Any:
    """One option: its default, documentation, command-line flag (if any) and check. ``choices``
    may be a registry (a dict by name): what is registered when a value is checked counts."""
    metadata = {"doc": doc, "flag": flag, "metavar": metavar, "choices": choices,
                "check": check or (_one_of(choices) if choices else None)}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass
class Config:
    """Settings for one build. Paths are relative to ``project_dir`` unless absolute."""

    project_dir: Path = _option(Path("."), "Folder holding mkdocs.yml, seeds/ and models/.")
    seeds_dir: Path = _option(Path("seeds"), f"Folder of input articles: {READERS.describe()}.",
                              flag="--seeds", metavar="DIR")
    docs_dir: Path = _option(Path("docs"), "Where the generated Markdown goes, one sub-folder per language.",
                             flag="--docs", metavar="DIR")
    site_dir: Path = _option(Path("site"), "Where the built static site goes (site/<lang>/ and site/index.html).",
                             flag="--out", metavar="DIR")
    work_dir: Path = _option(
        Path(".polydigest"),
        "Private state: the summary/translation cache, installed Argos packages, derived MkDocs configs.",
    )
    mkdocs_config: Path = _option(
        Path("mkdocs.yml"), "The MkDocs config a maintainer edits; per-language configs inherit it."
    )
    models_dir: Path = _option(Path("models"), "Folder of .argosmodel files installed (offline) before translating.",
                               flag="--models", metavar="DIR")
    languages: list[str] = _option(
        ["en", "pt"], "Site languages (ISO 639 codes, comma-separated on the command line). Every article gets "
        "a page in each; the first is the default.", flag="--languages", metavar="en,pt", check=_languages,
    )
    model_index_url: str = _option(
        "", "Argos package index used by 'polydigest models add LANG' (empty: the official index)."
    )
    skip_missing_languages: bool = _option(
        False, "When no model covers a language pair: leave that language out with a warning instead of failing.",
        flag="--skip-missing-languages",
    )
    summary_algorithm: str = _option(
        DEFAULT_SUMMARIZER, f"Summarizer: {describe_summarizers()}.", flag="--algorithm", choices=SUMMARIZERS,
    )
    summary_words: int = _option(
        95, "Word budget of a lead or lead-lexrank summary; 0 uses summary_sentences instead.",
        flag="--words", metavar="N", check=_at_least(0),
    )
    summary_sentences: int = _option(
        3, "Sentences per summary for the stock sumy algorithms (and lead, lead-lexrank when summary_words is 0).",
        flag="--sentences", metavar="N", check=_at_least(1),
    )
    max_summary_input_sentences: int = _option(
        400, "Only the first N sentences of an article reach the summarizer (LexRank/TextRank are quadratic, "
        "KL cubic).", check=_at_least(1),
    )
    max_article_bytes: int = _option(5_000_000, "Articles larger than this are reported and skipped.",
                                     check=_at_least(1))
    earliest_date: str = _option(
        "1990-01-01", "A date an article states counts only from this day to tomorrow (YYYY-MM-DD); an earlier or "
        "later one is reported and ignored, and the article gets its stand-in date.", check=_iso_date,
    )
    beam_size: int = _option(
        1, "Beam size for translation: 1 (greedy) is fastest; a sentence failing the checks is retried greedily "
        "with penalties against repetition.",
        flag="--beam-size", metavar="N", check=_at_least(1),
    )
    translate_threads: int = _option(0, "CPU threads for translation (0: all cores).", check=_at_least(0))
    portuguese: str = _option(
        "pt-BR", "The one Portuguese of the site: machine-translated Portuguese is written in pt-BR (the shipped "
        "models' variety) or pt-PT, words of the other variety replaced (generator/variety.py).",
        choices=VARIETIES,
    )
    scheduler: str = _option(
        "", "Dask scheduler (tcp://HOST:PORT) to summarize and translate on a cluster; empty: on this machine.",
        flag="--scheduler", metavar="tcp://HOST:PORT",
    )
    scheduler_timeout: int = _option(20, "Seconds to wait for the Dask scheduler before giving up.",
                                     check=_at_least(1))
    subscriptions: str = _option(
        "", "Subscriptions that 'polydigest fetch' reads when given no sources: a feeds file (one URL a line) or an "
        "OPML file (.opml), relative to the project folder. Builds never download.",
    )
    fetch_timeout: int = _option(20, "'polydigest fetch': seconds allowed for one request, redirects included.",
                                 check=_at_least(1))
    allow_private_networks: bool = _option(
        False, "'polydigest fetch' and 'models add': also connect to this machine and private networks: loopback "
        "(127.0.0.1, ::1), RFC 1918 and fc00::/7 addresses, link-local ones including 169.254.169.254 (a cloud "
        "machine's metadata service, which hands out its credentials), CGNAT, NAT64 and reserved addresses. Off, a "
        "feed, redirect, page, package index or package at such an address is refused: a feed could otherwise "
        "redirect fetch to an internal page and the next build would publish it. Turn on only when your feeds or "
        "package index live on your own network and you trust them.",
        flag="--allow-private-networks",
    )
    max_feed_bytes: int = _option(10_000_000, "'polydigest fetch': a larger feed is reported as failed.",
                                  check=_at_least(1))
    build_jobs: int = _option(0, "MkDocs builds run in parallel, one process per language (0: one per core).",
                              check=_at_least(0))
    site_budget_bytes: int = _option(
        0, "Keep the published site within this many bytes (0: no budget), e.g. 1000000000 for GitHub Pages' 1 GB: "
        "the newest articles keep their pages and the oldest fold into their month's archive page (title, date, "
        "source and a link to the original), estimated from the last site published (generator/budget.py). "
        "The build report says how close the site is.", check=_at_least(0),
    )
    site_budget_files: int = _option(
        0, "Keep the published site within this many files (0: no budget), e.g. 20000 for Cloudflare Pages; the "
        "same retention rule as site_budget_bytes.", check=_at_least(0),
    )
    search_shard_articles: int = _option(
        10_000, "A language's search index is cut by date into shards of about this many article pages (the "
        "newest one, growing, up to 1.5 times as many before its oldest days become a shard of their own): a "
        "search covers the newest shard and offers the older ones on request, so Pagefind's memory and a "
        "first search's download stay bounded as the archive grows, and a daily build indexes only the "
        "shards whose articles changed (a site of up to 1.5 times this many articles has one index).",
        check=_at_least(1),
    )

    def path(self, value: Path) -> Path:
        """Resolve one of the path options against the project folder (symbolic links too)."""
        return (self.project_dir / value).resolve()

    def validate(self) -> None:
        for option in dataclasses.fields(self):
            check = option.metadata["check"]
            if check is not None:
                try:
                    check(getattr(self, option.name))
                except ConfigError as exc:
                    raise ConfigError(f"{option.name}: {exc}") from None
        check_layout(
            self.project_dir.resolve(),
            outputs={name: self.path(getattr(self, name)) for name in OUTPUT_OPTIONS},
            inputs={name: self.path(getattr(self, name)) for name in INPUT_OPTIONS},
        )

    def check_output_file(self, path: Path, name: str) -> Path:
        """``path`` (relative to the current folder) resolved, when polydigest may write a file
        there: not over an input (seeds, models, mkdocs.yml, polydigest.toml) nor inside a
        folder a build rewrites (docs, site, work)."""
        protected = {option: self.path(getattr(self, option)) for option in (*INPUT_OPTIONS, *OUTPUT_OPTIONS)}
        protected[CONFIG_FILE] = self.project_dir.resolve() / CONFIG_FILE
        return paths.check_output_file(path, name, protected)

    @property
    def earliest(self) -> dt.date:
        return dt.date.fromisoformat(self.earliest_date)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def cpu_count(self) -> int:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _default(option: dataclasses.Field) -> Any:
    return option.default_factory() if option.default_factory is not dataclasses.MISSING else option.default


def option_docs() -> list[tuple[str, str, Any]]:
    """(name, documentation, default) for every option, in declaration order."""
    return [(f.name, f.metadata["doc"], _default(f)) for f in dataclasses.fields(Config)]


DOWNLOAD_ONLY_OPTIONS = ("allow_private_networks",)
"""Options with a flag that only the commands that download ('fetch', 'models add') read: no build command
shows them."""


def add_options(parser: argparse.ArgumentParser, names: tuple[str, ...] | None = None) -> None:
    """Add the command-line flags of the options ``names`` (default: every option that has a
    flag and that a build reads), each with its documentation and default as help. Values left
    out stay None, so polydigest.toml and the defaults apply."""
    for option in dataclasses.fields(Config):
        meta = option.metadata
        if meta["flag"] is None or (option.name not in names if names is not None
                                    else option.name in DOWNLOAD_ONLY_OPTIONS):
            continue
        default = _default(option)
        shown = ",".join(default) if isinstance(default, list) else (default if default != "" else "none")
        extra: dict[str, Any] = {"dest": option.name, "default": None,
                                 "help": f"{meta['doc']} (default: {shown})".replace("%", "%%")}
        if isinstance(default, bool):
            extra["action"] = "store_true"
        else:
            extra["metavar"] = meta["metavar"]
            extra["type"] = type(default) if isinstance(default, (int, Path)) else str
            if meta["choices"]:
                extra["choices"] = meta["choices"]
        parser.add_argument(meta["flag"], **extra)


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """The config options given on the command line."""
    return {f.name: getattr(args, f.name) for f in dataclasses.fields(Config)
            if getattr(args, f.name, None) is not None}


def _coerce(name: str, value: Any, template: Any) -> Any:
    if isinstance(template, Path):
        return Path(value)
    if isinstance(template, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{name}: expected true or false, got {value!r}")
        return value
    if isinstance(template, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{name}: expected a whole number, got {value!r}")
        return value
    if isinstance(template, list):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name}: expected a list of strings, got {value!r}")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{name}: expected text, got {value!r}")
    return value


def load_config(project_dir: Path | str = ".", overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then ``polydigest.toml``, then ``overrides`` (None values are ignored)."""
    project_dir = Path(project_dir).resolve()
    config = Config(project_dir=project_dir)
    values: dict[str, Any] = {}
    toml_path = project_dir / CONFIG_FILE
    if toml_path.exists():
        try:
            values.update(tomllib.loads(toml_path.read_text(encoding="utf-8")).get("polydigest", {}))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{toml_path}: {exc}") from exc
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    known = {f.name for f in dataclasses.fields(Config)} - {"project_dir"}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(f"unknown option {name!r} (known: {', '.join(sorted(known))})")
        setattr(config, name, _coerce(name, value, getattr(config, name)))
    config.validate()
    return config
