"""``polydigest stories --json PATH...``: the build's events and threads, one JSON object a line.

PATHs are read the way the build reads seeds/ (the same cache: files the build read are not
read again), summarized and translated into the pivot language through the build's cache and
models, then grouped by ``stories.group_stories``. Every article is in exactly one story (an
article alone is a story of one); ``thread`` is the id of the story's thread (the id of its
oldest story) when that thread holds other stories too, else null."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import paths as paths_
from . import stories
from .argos import Decoding, load_models
from .cache import Cache
from .config import Config
from .ingest import ParsedFiles, read_paths
from .memory import large_blocks_returned
from .outlets import outlet_name
from .progress import SILENT
from .records import Problem
from .summarize import summarize_all
from .translate import Translator, localize


def story_lines(config: Config, paths: list[Path]) -> tuple[list[dict], list[Problem]]:
    paths_.claim(config.path(config.work_dir), "work_dir")
    cache = Cache(config.path(config.work_dir) / "cache.sqlite")
    try:
        readings = ParsedFiles(cache)
        found, problems, _ = read_paths(paths, config, cache, readings)
        articles = [article for article, _, _ in found]
        where = {article.slug: (file, entry) for article, file, entry in found}
        readings.save()
        summaries, _, trouble = summarize_all(articles, config, cache)
        problems += trouble
        pivot = stories.PIVOT_FOR_STORIES if stories.PIVOT_FOR_STORIES in config.languages else config.languages[0]
        translator = Translator(load_models(config), cache, Decoding(beam_size=config.beam_size), config.cpu_count)
        localized = localize(summaries, [pivot], translator, SILENT, [])
        with large_blocks_returned():
            localized = stories.tag_articles(summaries, localized, None, problems, cache=cache)
            digest = stories.group_stories(localized[pivot], cache=cache, problems=problems)
    finally:
        cache.close()
    by_slug = {item.article.slug: item for item in localized[pivot]}
    lines = []
    for story in digest.stories:
        lead = by_slug[story.slugs[0]]
        lines.append({
            "story": story.id, "title": lead.title,
            "articles": [{"file": where[slug][0], "entry": where[slug][1],
                          "outlet": outlet_name(by_slug[slug].article) or None,
                          "date": None if by_slug[slug].article.date_is_stand_in
                          else by_slug[slug].article.date.isoformat()} for slug in story.slugs],
            "thread": story.thread, "topics": list(dict.fromkeys(t for slug in story.slugs
                                                                 for t in by_slug[slug].tags))[:stories.MAX_TAGS],
        })
    return lines, problems


def print_stories(config: Config, paths: list[Path]) -> int:
    lines, problems = story_lines(config, paths)
    for problem in problems:
        print(f"polydigest: {problem}", file=sys.stderr)
    for line in lines:
        print(json.dumps(line, ensure_ascii=False))
    return 0 if lines or not paths else 1
