"""The pipeline: ingest -> summarize -> translate -> render -> publish, in that order.

Each stage is its own module and passes plain dataclasses on; this module only
orders them, times them, and keeps one build at a time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterator

from . import ingest, paths, publish, render, stories, summarize, translate
from .cache import Cache
from .config import Config
from .errors import BuildError
from .executor import Executor, make_executor
from .model import BuildReport, LocalizedArticle, Problem, Summary
from .progress import Progress

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


def plan_languages(
    models: dict, summaries: list[Summary], config: Config, report: BuildReport
) -> list[str]:
    """Site languages that every article can reach; a missing pair fails the build
    unless ``skip_missing_languages`` is set, then that language is left out."""
    # Pairs between site languages must exist; an article in another language that no
    # model covers is shown in its own language instead (see localize).
    sources = sorted({s.article.language for s in summaries} & set(config.languages))
    languages = []
    for target in config.languages:
        missing = [src for src in sources if src != target and translate.find_route(models, src, target) is None]
        if not missing:
            languages.append(target)
            continue
        message = translate.missing_pair_message(missing[0], target)
        if not config.skip_missing_languages:
            raise BuildError(message)
        report.problems.append(Problem(f"language {target}", "skipped: " + message))
    if not languages:
        raise BuildError("no site language is left to build")
    return languages


def localize(
    summaries: list[Summary], languages: list[str], translator: translate.Translator, progress: Progress,
    missing: dict[tuple[str, str], str],
) -> dict[str, list[LocalizedArticle]]:
    """Every article in every language: its own text where the language is its own, else
    the translation of its title and summary, else (no model) its own text with a note;
    such pairs are added to ``missing``."""
    by_source: dict[str, list[Summary]] = defaultdict(list)
    for summary in summaries:
        by_source[summary.article.language].append(summary)
    localized: dict[str, list[LocalizedArticle]] = {lang: [] for lang in languages}
    for n, target in enumerate(languages, 1):
        for source, group in sorted(by_source.items()):
            if source == target:
                localized[target] += [
                    LocalizedArticle(s, target, s.article.title, s.sentences, None) for s in group
                ]
                continue
            texts = [s.article.title for s in group] + [sentence for s in group for sentence in s.sentences]
            try:
                mapping = translator.translate(texts, source, target)
            except translate.MissingTranslation as exc:
                missing[(source, target)] = str(exc)
                localized[target] += [
                    LocalizedArticle(s, target, s.article.title, s.sentences, None, missing_model=True) for s in group
                ]
                continue
            for s in group:
                title = mapping[s.article.title]
                localized[target].append(LocalizedArticle(
                    s, target, title or s.article.title,
                    tuple(mapping[t] or t for t in s.sentences),  # the original where the checks declined
                    source, original_title=title is None,
                    original_sentences=tuple(i for i, t in enumerate(s.sentences) if mapping[t] is None),
                ))
        progress.say(f"[translate] {n}/{len(languages)} languages ({target} done)")
    return localized


PIVOT_FOR_STORIES = "en"  # every article has an English summary when English is a site language


def tag_articles(
    summaries: list[Summary], localized: dict[str, list[LocalizedArticle]], translator: translate.Translator
) -> dict[str, list[LocalizedArticle]]:
    """Topics of each article, found in its own language and shown in each site language
    (translated once and cached like any sentence; kept as they are where no model helps)."""
    found = {s.article.slug: stories.extract_tags(s.article.title, s.article.text, s.article.language)
             for s in summaries}
    tagged = {}
    for target, items in localized.items():
        by_source: dict[str, set[str]] = defaultdict(set)
        for item in items:
            by_source[item.article.language].update(found[item.article.slug])
        names: dict[str, str] = {}
        for source, tags in by_source.items():
            mapping: dict = {}
            if source != target and tags:
                try:
                    mapping = translator.translate(sorted(tags), source, target)
                except translate.MissingTranslation:
                    pass
            names.update({(source, tag): mapping.get(tag) or tag for tag in tags})
        tagged[target] = [
            dataclasses.replace(item, tags=tuple(dict.fromkeys(
                t for t in (stories.safe_tag(names[(item.article.language, tag)], tag)
                            for tag in found[item.article.slug])
                if t)))
            for item in items
        ]
    return tagged


def build(config: Config, progress: Progress | None = None) -> BuildReport:
    """Turn the seeds folder into the site. Returns what was done; raises BuildError."""
    progress = progress or Progress()
    report = BuildReport()
    with build_lock(config):
        for name in ("docs_dir", "site_dir"):  # before any stage runs, so a refusal writes nothing
            paths.check_claimable(config.path(getattr(config, name)), name)
        cache = Cache(config.path(config.work_dir) / "cache.sqlite")
        executor = make_executor(config.scheduler, config.cpu_count)
        try:
            _run_stages(config, cache, executor, report, progress)
        finally:
            report.cache_hits = cache.hits
            cache.close()
            executor.close()
    return report


def _run_stages(config: Config, cache: Cache, executor: Executor, report: BuildReport, progress: Progress) -> None:
    with _timed(report, "ingest"):
        articles, problems = ingest.ingest(config)
        report.problems += problems  # the CLI prints every problem once, at the end
        report.articles = len(articles)
        progress.say(f"[ingest] {len(articles)} articles from {config.path(config.seeds_dir)}")

    with _timed(report, "summarize"):
        summaries, report.summarized, failures = summarize.summarize_all(
            articles, config, cache, lambda done, total, name: progress.step("summarize", done, total, name),
            executor,
        )
        report.problems += [Problem(article.source_file, f"{reason}; skipped") for article, reason in failures]

    with _timed(report, "translate"):
        models = translate.load_models(config)
        languages = plan_languages(models, summaries, config, report)
        translator = translate.Translator(
            models, cache, translate.Decoding(beam_size=config.beam_size), config.translate_threads or config.cpu_count,
            executor,
            progress=lambda pair, done, total: progress.step("translate", done, total, f"sentences {pair}"),
        )
        missing: dict[tuple[str, str], str] = {}
        localized = localize(summaries, languages, translator, progress, missing)
        for (source, target), message in sorted(missing.items()):
            report.problems.append(Problem(f"translation {source} -> {target}", f"{message.split('. ')[0]}; "
                                           f"those articles are shown in {source} on the {target} site"))
        report.translated = translator.translated
        report.retried = translator.retried
        for (pair, kind), count in sorted(translator.declined.items()):
            report.declined.setdefault(pair, {})[kind] = count
        fallbacks = list(dict.fromkeys(translator.fallbacks))  # a pivot step is shared by several targets
        report.translation_fallbacks = len(fallbacks)
        for line in fallbacks:
            report.problems.append(Problem("translation", f"{line}; the original is shown"))
        report.languages = languages

    with _timed(report, "stories"):
        localized = tag_articles(summaries, localized, translator)
        comparison = PIVOT_FOR_STORIES if PIVOT_FOR_STORIES in languages else languages[0]
        digest = stories.group_stories(localized[comparison])
        progress.say(f"[stories] {len(summaries)} articles in {len(digest.stories)} stories")
        report.translated = translator.translated  # tags are translated here too

    with _timed(report, "render"):
        files = {
            f"{lang}/{path}": content
            for lang in languages
            for path, content in render.render_language(localized[lang], lang, digest).items()
        }
        docs_dir = config.path(config.docs_dir)
        paths.claim(docs_dir, "docs_dir")
        written = render.write_tree(docs_dir, files)
        progress.say(f"[render] {len(files)} pages, {written} changed")

    with _timed(report, "mkdocs"):
        report.published = publish.publish(
            config, languages, lambda lang, done, total: progress.step("mkdocs", done, total, f"languages ({lang})")
        )
        site = config.path(config.site_dir)
        if report.published:
            progress.say(f"[mkdocs] built {', '.join(report.published)} into {site}")
        else:
            progress.say(f"[mkdocs] {site} is up to date")
