"""The one typed configuration that every stage reads.

Values come from, in rising order of precedence: the defaults below, the
``[polydigest]`` table of ``polydigest.toml`` in the project folder, and the
command line. Every option carries its own documentation (``doc`` metadata), which
``polydigest config`` prints, so the docs cannot drift from the code.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .paths import check_layout

CONFIG_FILE = "polydigest.toml"
OUTPUT_OPTIONS = ("docs_dir", "site_dir", "work_dir")
"""Folders polydigest writes and deletes in; see paths.py for the rules."""
INPUT_OPTIONS = ("seeds_dir", "models_dir", "mkdocs_config")

DEFAULT_ALGORITHM = "lead-lexrank"
SUMMARY_ALGORITHMS = (DEFAULT_ALGORITHM, "lexrank", "lsa", "luhn", "textrank", "edmundson", "sumbasic", "kl")


def _option(default: Any, doc: str) -> Any:
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"doc": doc})
    return field(default=default, metadata={"doc": doc})


@dataclass
class Config:
    """Settings for one build. Paths are relative to ``project_dir`` unless absolute."""

    project_dir: Path = _option(Path("."), "Folder holding mkdocs.yml, seeds/ and models/.")
    seeds_dir: Path = _option(Path("seeds"), "Folder of input articles (*.txt).")
    docs_dir: Path = _option(Path("docs"), "Where the generated Markdown goes, one sub-folder per language.")
    site_dir: Path = _option(Path("site"), "Where the built static site goes (site/<lang>/ and site/index.html).")
    work_dir: Path = _option(
        Path(".polydigest"),
        "Private state: the summary/translation cache, installed Argos packages, derived MkDocs configs.",
    )
    mkdocs_config: Path = _option(
        Path("mkdocs.yml"), "The MkDocs config a maintainer edits; per-language configs inherit it."
    )
    models_dir: Path = _option(Path("models"), "Folder of .argosmodel files installed (offline) before translating.")
    languages: list[str] = _option(
        ["en", "pt"], "Site languages (ISO 639-1). Every article gets a page in each; the first is the default."
    )
    model_index_url: str = _option(
        "", "Argos package index used by 'polydigest models add LANG' (empty: the official index)."
    )
    skip_missing_languages: bool = _option(
        False, "When no model covers a language pair: skip that language with a warning instead of failing."
    )
    summary_algorithm: str = _option(
        DEFAULT_ALGORITHM,
        "Summarizer: lead-lexrank (sumy LexRank ratings weighted by position, under a word budget; beats "
        "Lead-3 on news) or a stock sumy algorithm: " + ", ".join(SUMMARY_ALGORITHMS[1:]) + ".",
    )
    summary_words: int = _option(
        75, "Word budget of a lead-lexrank summary; 0 uses summary_sentences instead."
    )
    summary_sentences: int = _option(
        3, "Sentences per summary for the stock sumy algorithms (and lead-lexrank when summary_words is 0)."
    )
    max_summary_input_sentences: int = _option(
        400,
        "Only the first N sentences of an article reach the summarizer (LexRank/TextRank are quadratic, KL cubic).",
    )
    max_article_bytes: int = _option(5_000_000, "Articles larger than this are reported and skipped.")
    beam_size: int = _option(
        1, "Beam size for translation: 1 is ~2.5x faster than 4 at equal measured quality (README)."
    )
    translate_threads: int = _option(0, "CPU threads for translation (0: all cores).")
    scheduler: str = _option(
        "", "Dask scheduler (tcp://HOST:PORT) to summarize and translate on a cluster; empty: on this machine."
    )
    build_jobs: int = _option(0, "MkDocs builds run in parallel, one process per language (0: one per core).")

    def path(self, value: Path) -> Path:
        """Resolve one of the path options against the project folder (symbolic links too)."""
        return (self.project_dir / value).resolve()

    def validate(self) -> None:
        if not self.languages:
            raise ConfigError("languages: at least one site language is needed")
        for lang in self.languages:
            if not (lang.isascii() and lang.isalpha() and 2 <= len(lang) <= 3 and lang.islower()):
                raise ConfigError(f"languages: {lang!r} is not an ISO 639 code such as 'en' or 'pt'")
        if len(set(self.languages)) != len(self.languages):
            raise ConfigError("languages: a language is listed twice")
        if self.summary_algorithm not in SUMMARY_ALGORITHMS:
            raise ConfigError(
                f"summary_algorithm: {self.summary_algorithm!r} is not one of {', '.join(SUMMARY_ALGORITHMS)}"
            )
        for name in ("summary_sentences", "max_summary_input_sentences", "max_article_bytes", "beam_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name}: must be at least 1")
        if self.summary_words < 0:
            raise ConfigError("summary_words: must be 0 or more")
        check_layout(
            self.project_dir.resolve(),
            outputs={name: self.path(getattr(self, name)) for name in OUTPUT_OPTIONS},
            inputs={name: self.path(getattr(self, name)) for name in INPUT_OPTIONS},
        )

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def cpu_count(self) -> int:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def option_docs() -> list[tuple[str, str, Any]]:
    """(name, documentation, default) for every option, in declaration order."""
    rows = []
    for f in dataclasses.fields(Config):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        rows.append((f.name, f.metadata["doc"], default))
    return rows


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
