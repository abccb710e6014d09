"""The pipeline: ingest -> summarize -> translate -> stories -> render -> publish, in that order.

Each stage is its own module and passes plain dataclasses on; this module only
orders them, times them, and keeps one build at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Collection, Iterator

from . import argos, budget, ingest, messages, paths, publish, render, stories, summarize, translate
from .cache import Cache
from .config import Config
from .errors import BuildError
from .executor import Executor, make_executor, run_forked
from .memory import large_blocks_returned
from .progress import Progress
from .records import BuildReport, Problem
from .rendered import RECORD_FILE, RenderedPages
from .state import LastBuild, inputs_fingerprint, seed_hashes

log = logging.getLogger(__name__)


@contextlib.contextmanager
def build_lock(config: Config) -> Iterator[None]:
    """One build per project at a time: a second one refuses instead of mixing files."""
    work_dir = config.path(config.work_dir)
    paths.claim(work_dir, "work_dir")
    with open(work_dir / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            owner = handle.read().strip() or "another process"
            raise BuildError(f"another build of this project is running ({owner}); try again when it ends") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[stage] = report.seconds.get(stage, 0.0) + time.perf_counter() - start


def build(config: Config, progress: Progress | None = None) -> BuildReport:
    """Turn the seeds folder into the site. Returns what was done; raises BuildError. When
    nothing changed since the last successful build, returns that build's report (with no
    work done) and touches nothing but the record of the files' hashes (filehashes.py)."""
    progress = progress or Progress()
    report = BuildReport()
    with build_lock(config):
        for name in ("docs_dir", "site_dir"):  # before any stage runs, so a refusal writes nothing
            paths.check_claimable(config.path(getattr(config, name)), name)
        with _timed(report, "ingest"):  # a no-op build's whole cost: its inputs and its outputs checked
            last = LastBuild(config.path(config.work_dir))
            fingerprint = inputs_fingerprint(config)
            unchanged = last.unchanged(fingerprint)
            current = unchanged is not None and publish.site_is_current(config, unchanged.languages)
        if unchanged and current:
            progress.say("[build] nothing changed since the last build (seeds, options, models, mkdocs.yml "
                         "and polydigest are the same): the site is up to date")
            unchanged.seconds = report.seconds
            unchanged.site = budget.site_report(config)
            return unchanged
        last.forget()  # until this build succeeds
        languages, report, valid_until = _run_stages(config, report, progress)
        with _timed(report, "mkdocs"):
            report.published = publish.publish(config, languages, progress, report.publish_seconds)
            report.site = budget.site_report(config)
            site = config.path(config.site_dir)
            if report.published:
                progress.say(f"[mkdocs] built {', '.join(report.published)} into {site}")
            else:
                progress.say(f"[mkdocs] {site} is up to date")
        last.save(fingerprint, report, valid_until)
    return report


def write_docs(config: Config, progress: Progress | None = None) -> BuildReport:
    """The first half of build(): every stage up to the Markdown in docs_dir, through the same
    code, without MkDocs or Pagefind. What a test of the Markdown needs; the report has no
    "mkdocs" time and publishes nothing."""
    with build_lock(config):
        paths.check_claimable(config.path(config.docs_dir), "docs_dir")
        LastBuild(config.path(config.work_dir)).forget()  # docs_dir may no longer be what the site shows
        return _run_stages(config, BuildReport(), progress or Progress())[1]


def _run_stages(config: Config, report: BuildReport, progress: Progress
                ) -> tuple[list[str], BuildReport, dt.date | None]:
    """_stages, in a child process on this machine: this one would keep much of what they
    allocated (~250-390 MB at 10,000 articles) next to MkDocs and Pagefind (~880 MB). Not with a
    Dask cluster, which does the heavy work elsewhere: a client made in a fork of a process
    running its own Dask threads (a LocalCluster) deadlocks."""
    return (_stages(config, report, progress) if config.scheduler
            else run_forked(_stages, config, report, progress))


def _stages(config: Config, report: BuildReport, progress: Progress
            ) -> tuple[list[str], BuildReport, dt.date | None]:
    """Every stage up to the Markdown in docs_dir: (site languages, the report, the last day
    the seeds' readings hold)."""
    cache = Cache(config.path(config.work_dir) / "cache.sqlite", stashes=True)
    executor = make_executor(config.scheduler, config.cpu_count, config.scheduler_timeout)
    try:
        executor.start()  # before ingest decodes the cached readings of every seed
        readings = ingest.ParsedFiles(cache, seed_hashes(config))
        languages = _write_docs(config, cache, executor, report, progress, readings)
    finally:
        report.cache_hits = cache.hits
        cache.close()
        executor.close()
    return languages, report, readings.valid_until


def untranslated_page_texts(languages: list[str]) -> list[Problem]:
    """Site languages whose page texts (labels, notes) are partly or wholly shown in English."""
    problems = []
    for lang in languages:
        missing = messages.missing_messages(lang)
        if missing:
            problems.append(Problem(
                f"language {lang}", f"{len(missing)} of {len(messages.MESSAGES)} page texts have no translation and "
                f"are shown in English ({', '.join(missing[:4])}{', …' if len(missing) > 4 else ''}); translate them "
                f"in {messages.LOCALE_DIR / lang / 'LC_MESSAGES' / (messages.DOMAIN + '.po')}"))
    return problems


def _write_docs(config: Config, cache: Cache, executor: Executor, report: BuildReport, progress: Progress,
                readings: ingest.ParsedFiles) -> list[str]:
    """Every stage up to the Markdown in docs_dir; returns the site languages."""
    with _timed(report, "ingest"):
        # The seeds are files on this machine: a Dask cluster's workers cannot read them.
        articles, problems = ingest.ingest(config, cache, readings, None if executor.remote else executor)
        report.problems += problems  # the CLI prints every problem once, at the end
        report.articles = len(articles)
        progress.say(f"[ingest] {len(articles)} articles from {config.path(config.seeds_dir)}")

    with _timed(report, "summarize"):
        summaries, report.summarized, problems = summarize.summarize_all(articles, config, cache, progress, executor)
        report.problems += problems
        executor.pause()  # its worker processes held ~180 MB each through translation and rendering

    with _timed(report, "translate"):
        models = argos.load_models(config)
        languages = translate.plan_languages(models, summaries, config, report)
        translator = translate.Translator(
            models, cache, argos.Decoding(beam_size=config.beam_size), config.translate_threads or config.cpu_count,
            executor, progress=progress, portuguese=config.portuguese,
        )
        shown_in_original: list[Problem] = []
        localized = translate.localize(summaries, languages, translator, progress, shown_in_original)
        report.problems += shown_in_original
        report.translated = translator.translated
        report.retried = translator.retried
        report.chosen = translator.chosen
        report.repaired = translator.repaired
        report.normalized = translator.normalized
        for (pair, kind), count in sorted(translator.declined.items()):
            report.declined.setdefault(pair, {})[kind] = count
        report.translation_fallbacks = sum(i.untranslated for items in localized.values() for i in items)
        report.languages = languages
        report.problems += untranslated_page_texts(languages)

    with _timed(report, "stories"), large_blocks_returned():
        localized = stories.tag_articles(summaries, localized, translator, report.problems)
        comparison = stories.PIVOT_FOR_STORIES if stories.PIVOT_FOR_STORIES in languages else languages[0]
        digest = stories.group_stories(localized[comparison], cache=cache, problems=report.problems,
                                       features_stash=cache.stash(stories.FEATURES_FILE))
        progress.say(f"[stories] {len(summaries)} articles in {len(digest.stories)} stories")

    with _timed(report, "render"):
        docs_dir = config.path(config.docs_dir)
        paths.claim(docs_dir, "docs_dir")
        own_pages = budget.own_pages(config)  # None without a size budget: every article keeps its page
        rendered = RenderedPages(config.path(config.work_dir) / RECORD_FILE, docs_dir)
        originals_left_out: set[str] = set()
        addresses = publish.site_addresses(config, languages)

        def pages(originals_missing: Collection[str], problems: list[Problem]) -> Iterator[tuple[str, str | None]]:
            # One language's pages in memory at a time: at 10,000 articles each is ~100 MB of Markdown.
            return ((f"{lang}/{path}", content) for lang in languages
                    for path, content in render.render_language(localized[lang], lang, digest, problems, own_pages,
                                                                languages, rendered, originals_left_out,
                                                                originals_missing, addresses[lang]).items())
        count, written = render.write_tree(docs_dir, pages((), report.problems))
        if originals_left_out:  # rare: other languages' pages link to an original page that is not there
            second: list[Problem] = []
            count, again = render.write_tree(docs_dir, pages(frozenset(originals_left_out), second))
            written += again
            # the first pass's again, and any page that fails now that it shows the whole original
            report.problems += [problem for problem in second if problem not in report.problems]
        rendered.save()
        progress.say(f"[render] {count} pages, {written} changed")
    return languages
