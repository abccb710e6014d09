#!/usr/bin/env python3
"""Event-level story grouping measured on a labelled set of real news: B-cubed precision and
recall, and the share of near misses merged, on the tuning half and the held-out half.

    .venv/bin/python bench/events.py [--background 600] [--grid] [--before]

The labels are bench/labels/events.tsv (how they were judged: bench/labels/README.md): corpus
records of ../shared/corpus (read at run time, never copied into the project) named by file,
line, id and a hash of their text, each with its event and thread. Near misses are labelled
pairs of different events in one thread, or naming one labelled entity. The labelled articles
are grouped among ``--background`` other articles of the same corpus (seeded sample), as in a
build; scores count the labelled articles only. Without translation: every article's pivot
text is its own title and lead (the labelled events are within one language; grouping across
languages is checked by tests/test_stories.py with the real models). ``--before`` also scores
the grouping of the commit before event-level stories (TF-IDF links of title + lead at 0.25,
undated articles on the build's day).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import itertools
import json
import random
import subprocess
import sys
import types
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
LABELS = REPO / "bench" / "labels" / "events.tsv"
sys.path.insert(0, str(REPO))

from generator import stories  # noqa: E402
from generator.cleaning import make_title  # noqa: E402
from generator.languages import split_sentences  # noqa: E402
from generator.records import Article, LocalizedArticle, Summary  # noqa: E402

BUILD_DAY = dt.date(2024, 6, 1)
BEFORE_COMMIT = "33d0910"


def read_labels() -> list[dict]:
    rows = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        corpus, number, ident, digest, event, thread, entities, split = line.split("\t")
        rows.append({"corpus": corpus, "line": int(number), "id": ident, "sha": digest, "event": event,
                     "thread": thread, "entities": {e for e in entities.split(",") if e}, "split": split})
    return rows


def read_corpus() -> dict[str, list[dict]]:
    return {name.name: [json.loads(line) for line in gzip.open(name, "rt", encoding="utf-8")]
            for name in sorted(CORPUS.glob("news-*.jsonl.gz"))}


def localized(row: dict) -> LocalizedArticle:
    paragraphs = [p.strip() for p in row["text"].replace("\r", "").split("\n") if p.strip()]
    title = row.get("title")
    if not title:
        title, paragraphs = make_title(paragraphs, row["language"])
    date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
    article = Article(slug=row["id"], source_file=f"{row['id']}.md", title=title, paragraphs=tuple(paragraphs),
                      language=row["language"], date=date or BUILD_DAY, date_is_stand_in=date is None,
                      source_url=row.get("url") or "", source_name="BBC News" if row["language"] == "en" else "")
    lead = tuple(split_sentences(" ".join(" ".join(paragraphs).split()), row["language"])[:3])
    return LocalizedArticle(Summary(article, lead), row["language"], title, lead, None)


def scores(groups: list[list[str]], labels: list[dict]) -> dict:
    """B-cubed precision and recall over the labelled articles, and near misses merged."""
    cluster = {}
    for number, group in enumerate(groups):
        for slug in group:
            cluster[slug] = number
    event = {row["id"]: row["event"] for row in labels}
    ids = list(event)
    predicted = defaultdict(set)
    truth = defaultdict(set)
    for i in ids:
        predicted[cluster[i]].add(i)
        truth[event[i]].add(i)
    precision = recall = 0.0
    for i in ids:
        mine = predicted[cluster[i]]
        real = truth[event[i]]
        precision += len(mine & real) / len(mine)
        recall += len(mine & real) / len(real)
    by_id = {row["id"]: row for row in labels}
    near = [(a, b) for a, b in itertools.combinations(ids, 2) if event[a] != event[b] and (
        by_id[a]["thread"] == by_id[b]["thread"] or by_id[a]["entities"] & by_id[b]["entities"])]
    merged = sum(cluster[a] == cluster[b] for a, b in near)
    return {"precision": precision / len(ids), "recall": recall / len(ids), "near": len(near),
            "near_merged": merged / len(near) if near else 0.0, "articles": len(ids),
            "events": len(truth)}


def old_grouping():
    """The grouping of BEFORE_COMMIT, loaded from git."""
    source = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:generator/stories.py"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("generator.stories_before")
    module.__package__ = "generator"
    sys.modules[module.__name__] = module
    exec(compile(source, "stories_before.py", "exec"), module.__dict__)  # noqa: S102 - our own file
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--background", type=int, default=600, help="unlabelled articles added (default 600)")
    parser.add_argument("--grid", action="store_true", help="also score a grid of thresholds")
    parser.add_argument("--before", action="store_true", help="also score the grouping before event stories")
    args = parser.parse_args()

    labels = read_labels()
    corpus = read_corpus()
    rows = []
    for label in labels:
        row = corpus[label["corpus"]][label["line"] - 1]
        assert row["id"] == label["id"] and hashlib.sha256(row["text"].encode()).hexdigest()[:10] == label["sha"], \
            f"{label['id']}: the corpus changed"
        rows.append(row)
    labelled = {row["id"] for row in rows}
    others = [row for records in corpus.values() for row in records if row["id"] not in labelled]
    rows += random.Random(7).sample(others, min(args.background, len(others)))
    items = [localized(row) for row in rows]
    halves = {split: [label for label in labels if label["split"] == split] for split in ("tune", "test")}
    print(f"{len(labels)} labelled articles ({len(halves['tune'])} tuning, {len(halves['test'])} held out) "
          f"among {len(items)}; languages: "
          + ", ".join(f"{lang} {sum(1 for r in rows[:len(labels)] if r['language'] == lang)}" for lang in ("en", "pt")))
    print(f"{'grouping':34} {'half':5} {'arts':>4} {'events':>6} {'B3 P':>5} {'B3 R':>5} {'near':>5} {'merged':>6}")

    def report(name: str, groups: list[list[str]]) -> None:
        for split in ("tune", "test"):
            s = scores(groups, halves[split])
            print(f"{name:34} {split:5} {s['articles']:4} {s['events']:6} {s['precision']:5.2f} {s['recall']:5.2f} "
                  f"{s['near']:5} {s['near_merged']:6.1%}")

    if args.before:
        old = old_grouping()
        stand_in = [dataclasses_replace_date(item) for item in items]
        report("before (TF-IDF links 0.25)", [list(s.slugs) for s in old.group_stories(stand_in).stories])
    thresholds = [(stories.EVENT_THRESHOLD, stories.THREAD_THRESHOLD)]
    if args.grid:
        thresholds = [(t, stories.THREAD_THRESHOLD) for t in (0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.70)]
    for event_threshold, thread_threshold in thresholds:
        digest = stories.group_stories(items, event_threshold, thread_threshold=thread_threshold)
        mark = " (default)" if event_threshold == stories.EVENT_THRESHOLD else ""
        report(f"events {event_threshold:.2f}{mark}", [list(s.slugs) for s in digest.stories])


def dataclasses_replace_date(item: LocalizedArticle) -> LocalizedArticle:
    """Before: an undated article had the build's day (its stand-in date) like every other."""
    return item


if __name__ == "__main__":
    main()
