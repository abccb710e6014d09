#!/usr/bin/env python3
"""Threads as a reader meets them: how many of the events a build puts in one timeline belong
to one ongoing subject, judged by people on a real build (bench/labels/thread-pairs.tsv).

The labelled events of bench/events.py are chosen from clusters, so joins of a labelled article
with the rest of the collection are invisible there (thread B-cubed precision 0.99-1.00 while a
real build threaded "Yahoo moves into desktop search" with "Cristiano Araújo's death involves at
least four lawsuits"). Here, 1,243 corpus articles (bench/labels/thread-pairs-articles.txt) are
grouped as the build does (``polydigest stories``, its cache in --dir), and each judged pair of
stories (by their first articles) counts as joined when both are in one story or one thread.
Verdicts: event, thread (one ongoing subject: right to join), different (wrong to join).

The 584 pairs were judged blind to the rule: every pair of stories in one thread of the rule of
2026-12-05 (thread_threshold 0.4, thread_shared 2) and 160 random other pairs sharing two main
entities; split by pair number (even: tune, odd: report). A rule that joins pairs outside that
pool is scored on the judged ones only: compare the pairs of stories it threads (the first line)
with the judged pairs it joins.

    .venv/bin/python bench/thread_pairs.py [--dir /tmp/polydigest-bench-threads] [--wrong tune]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
LABELS = REPO / "bench" / "labels"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from real_news import as_seed  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.story_cli import story_lines  # noqa: E402

RIGHT = {"event", "thread"}


def write_project(project: Path) -> Path:
    """The project of the judged build: its articles as seeds, the shipped models."""
    wanted = set((LABELS / "thread-pairs-articles.txt").read_text().split())
    seeds = project / "seeds"
    if seeds.is_dir() and len(list(seeds.iterdir())) == len(wanted):
        return project
    seeds.mkdir(parents=True, exist_ok=True)
    for name in ("news-en-bbc.jsonl.gz", "news-pt-fakebr.jsonl.gz"):
        with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row["id"] in wanted:
                    file, content = as_seed(row)
                    (seeds / file).write_text(content, encoding="utf-8")
    shutil.copytree(REPO / "models", project / "models", dirs_exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/polydigest-bench-threads"))
    parser.add_argument("--wrong", choices=("tune", "report"), help="list the split's pairs joined wrongly")
    args = parser.parse_args()
    project = write_project(args.dir)
    lines, _ = story_lines(load_config(project), [project / "seeds"])
    place = {}
    for line in lines:
        for article in line["articles"]:
            place[Path(article["file"]).stem] = (line["story"], line["thread"] or line["story"])
    members = Counter(thread for _, thread in {line["story"]: place[Path(line["articles"][0]["file"]).stem]
                                                for line in lines}.values())
    thread_pairs = sum(n * (n - 1) // 2 for n in members.values())
    with (LABELS / "thread-pairs.tsv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader((line.lstrip("# ") for line in handle), delimiter="\t")
                if row["verdict"] != "unsure"]
    print(f"{len(place)} articles, {len(lines)} stories, {sum(n > 1 for n in members.values())} threads "
          f"({thread_pairs} pairs of stories in one thread); {len(rows)} judged pairs")
    print(f"{'split':7} {'judged':>6} {'joined':>6} {'right':>6} {'precision':>9} {'right pairs joined':>18}")
    for split in ("tune", "report"):
        judged = [row for row in rows if row["split"] == split]
        joined = [row for row in judged
                  if place.get(row["articles_a"].split(",")[0], (None, 1))[1]
                  == place.get(row["articles_b"].split(",")[0], (None, 2))[1]]
        right = sum(row["verdict"] in RIGHT for row in joined)
        all_right = sum(row["verdict"] in RIGHT for row in judged)
        print(f"{split:7} {len(judged):6} {len(joined):6} {right:6} {right / max(1, len(joined)):9.2f} "
              f"{right:>9} of {all_right}")
        if split == args.wrong:
            for row in joined:
                if row["verdict"] not in RIGHT:
                    print(f"    wrong: {row['articles_a']} / {row['articles_b']}: {row['reason']}")


if __name__ == "__main__":
    main()
