#!/usr/bin/env python3
"""Precision and recall of story grouping for a range of thresholds, on a labelled set.

    .venv/bin/python bench/related.py [--seeds tests/fixtures/related]

The labelled set is a folder of articles whose file names start with their story
("storm-gazette.txt", "storm-pt.txt" …: one story). Articles are summarized, translated
into English with the real models in models/ (as in a build), grouped with
``stories.group_stories`` at each threshold, and judged by pairs: a pair is predicted
related when both articles land in one story.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import stories  # noqa: E402
from generator.argos import Decoding, load_models  # noqa: E402
from generator.cache import Cache  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.ingest import ingest  # noqa: E402
from generator.progress import SILENT  # noqa: E402
from generator.summarize import summarize_all  # noqa: E402
from generator.translate import Translator, localize  # noqa: E402


def english_items(seeds: Path, work: Path):
    shutil.copy(REPO / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(REPO / "models", work / "models")
    config = load_config(work, {"seeds_dir": str(seeds), "languages": "en,pt"})
    articles, _ = ingest(config)
    cache = Cache(work / "cache.sqlite")
    summaries, _, _ = summarize_all(articles, config, cache)
    translator = Translator(load_models(config), cache, Decoding(beam_size=config.beam_size), config.cpu_count)
    return localize(summaries, ["en"], translator, SILENT, [])["en"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=REPO / "tests" / "fixtures" / "related")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        items = english_items(args.seeds.resolve(), Path(work))
    label = {item.article.slug: item.article.slug.split("-")[0] for item in items}
    truth = {frozenset(p) for p in itertools.combinations(label, 2) if label[p[0]] == label[p[1]]}
    print(f"{len(items)} articles, {len(set(label.values()))} stories, {len(truth)} related pairs")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'stories':>7}")
    for threshold in (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
        groups = stories.group_stories(items, threshold).stories
        predicted = {frozenset(p) for g in groups for p in itertools.combinations(g.slugs, 2)}
        hits = len(predicted & truth)
        precision = hits / len(predicted) if predicted else 1.0
        recall = hits / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        mark = "  <- default" if threshold == stories.RELATED_THRESHOLD else ""
        print(f"{threshold:9.2f} {precision:9.2f} {recall:7.2f} {f1:6.2f} {len(groups):7}{mark}")


if __name__ == "__main__":
    main()
