#!/usr/bin/env python3
"""ROUGE of Lead-3, every stock sumy algorithm and polydigest's default, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/rouge.py ../shared/eval/cnndm-dev100.jsonl [--half 0|1]

DATA.jsonl holds one article per line with ``article`` and ``highlights`` (a string or a
list of strings). ROUGE F1 x 100 with rouge-score (Porter stemmer); the reference is the
highlights joined by newlines, and so is the summary for ROUGE-Lsum. ``--half`` scores
only the even (0) or odd (1) articles: the default's parameters were chosen on half 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import DEFAULT_ALGORITHM, SUMMARY_ALGORITHMS, Config  # noqa: E402
from generator.languages import split_sentences  # noqa: E402
from generator.model import Article  # noqa: E402
from generator.summarize import select_sentences  # noqa: E402


def load(path: Path, half: int | None) -> list[tuple[Article, str]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if half is not None:
        rows = rows[half::2]
    items = []
    for n, row in enumerate(rows):
        highlights = row["highlights"]
        reference = "\n".join(highlights) if isinstance(highlights, list) else highlights
        text = " ".join(row["article"].split())
        article = Article(slug=str(n), source_file=row.get("id", str(n)), title="", paragraphs=(text,),
                          language="en", date=dt.date(2000, 1, 1), date_is_stand_in=True)
        items.append((article, reference))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--half", type=int, choices=(0, 1))
    args = parser.parse_args()

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    items = load(args.data, args.half)
    defaults = Config()
    methods = {"Lead-3": lambda a: split_sentences(a.paragraphs[0], "en")[:3]}
    for algorithm in SUMMARY_ALGORITHMS[1:]:
        methods[f"sumy {algorithm} (3 sentences)"] = (
            lambda a, alg=algorithm: select_sentences(a, alg, 3, defaults.max_summary_input_sentences))
    methods[f"polydigest default ({DEFAULT_ALGORITHM}, {defaults.summary_words} words)"] = (
        lambda a: select_sentences(a, DEFAULT_ALGORITHM, defaults.summary_sentences,
                                   defaults.max_summary_input_sentences, defaults.summary_words))

    print(f"{len(items)} articles from {args.data.name}" + (f" (half {args.half})" if args.half is not None else ""))
    print(f"{'method':48} {'R1':>6} {'R2':>6} {'RLsum':>6} {'words':>6} {'ms/art':>7}")
    for name, method in methods.items():
        totals = [0.0, 0.0, 0.0]
        words = 0
        start = time.perf_counter()
        summaries = [method(article) for article, _ in items]
        elapsed = time.perf_counter() - start
        for summary, (_, reference) in zip(summaries, items):
            score = scorer.score(reference, "\n".join(summary))
            totals[0] += score["rouge1"].fmeasure
            totals[1] += score["rouge2"].fmeasure
            totals[2] += score["rougeLsum"].fmeasure
            words += len(" ".join(summary).split())
        n = len(items)
        r1, r2, rl = (100 * t / n for t in totals)
        print(f"{name:48} {r1:6.2f} {r2:6.2f} {rl:6.2f} {words / n:6.1f} {1000 * elapsed / n:7.1f}")


if __name__ == "__main__":
    main()
