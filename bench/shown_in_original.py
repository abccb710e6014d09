#!/usr/bin/env python3
"""Sentences and articles shown in the original language on a real build, before and after the
n-best choice (issue #26), side by side in one run.

Writes ``--articles`` articles of ../shared/corpus as seeds the way a user would
(bench/real_news.py's as_seed) — by default only the held-out articles, which the shipped models
never trained on — and builds them once per run of --runs with the real models, each in a fresh
project (the runs of bench/translation_choice.py: "previous", the retry and choice before the
retry's n-best; "after", the defaults; "before", the greedy retry alone, rules-6 currency repair,
no variety). Prints the texts (titles and summary sentences) to translate, those shown in the
original, articles with any text shown in the original, the counts of the build report and the
translate stage's seconds.

    .venv/bin/python bench/shown_in_original.py [--articles 500] [--all-articles] [--runs previous,after]
        [--show-declined]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import _real_news, make_project  # noqa: E402
from heldout_news import is_heldout  # noqa: E402
from real_news import as_seed  # noqa: E402
from translation_choice import RUNS  # noqa: E402

from generator import checks, core, translate  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.progress import SILENT  # noqa: E402


def build(rows: list[dict], folder: Path, run: str) -> dict:
    project = make_project(folder, 0)
    for row in rows:
        name, content = as_seed(row)
        (project / "seeds" / name).write_text(content, encoding="utf-8")
    stats = folder / "localized.json"  # the stages run in a forked child: it writes what it counted here
    localize, translator_class, repair = translate.localize, translate.Translator, translate.repair

    def capturing(*args, **kwargs):
        result = localize(*args, **kwargs)
        texts = shown = articles = 0
        articles_shown = set()
        declined: list[str] = []
        for items in result.values():
            for item in items:
                if item.translated_from is None or item.missing_model:
                    continue
                articles += 1
                texts += 1 + len(item.sentences)
                count = int(item.original_title) + len(item.original_sentences)
                shown += count
                declined += [f"{item.summary.article.language}->{item.language}: {text}" for text in
                             ([item.summary.article.title] if item.original_title else [])
                             + [item.summary.sentences[i] for i in item.original_sentences]]
                if count:
                    articles_shown.add((item.language, item.summary.article.slug))
        stats.write_text(json.dumps({"articles": articles, "texts": texts, "shown": shown,
                                     "articles_shown": len(articles_shown), "declined": declined}))
        return result

    def translator_of_run(*args, **kwargs):
        return translator_class(*args, **{**kwargs, **RUNS[run]})

    translate.localize = capturing
    translate.Translator = translator_of_run  # type: ignore[misc, assignment]
    if run == "before":
        translate.repair = checks.repair_currency
    try:
        start = time.perf_counter()
        report = core.build(load_config(project), SILENT)
        seconds = time.perf_counter() - start
    finally:
        translate.localize, translate.repair = localize, repair
        translate.Translator = translator_class  # type: ignore[misc]
    return {**json.loads(stats.read_text()), "report": report, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--all-articles", action="store_true", help="training articles too, not only held-out")
    parser.add_argument("--show-declined", action="store_true", help="print each text shown in the original")
    parser.add_argument("--runs", default="previous,after", help=f"of {', '.join(RUNS)} (bench/translation_choice.py)")
    args = parser.parse_args()
    rows = [r for r in _real_news() if args.all_articles or is_heldout(r["id"])]
    random.Random(26).shuffle(rows)
    rows = rows[: args.articles]
    print(f"{len(rows)} {'' if args.all_articles else 'held-out '}articles of ../shared/corpus, real models")
    print(f"{'build':7} {'texts':>6} {'shown in original':>18} {'articles':>9} {'with any original':>18} "
          f"{'retried':>7} {'chosen':>6} {'repaired':>8} {'normalized':>10} {'translate s':>11} {'build s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.runs.split(","):
            r = build(rows, Path(folder) / name, name)
            report = r["report"]
            share = 100 * r["shown"] / max(1, r["texts"])
            article_share = 100 * r["articles_shown"] / max(1, r["articles"])
            print(f"{name:7} {r['texts']:6} {r['shown']:7} ({share:5.2f} %) "
                  f"{r['articles']:9} {r['articles_shown']:7} ({article_share:5.2f} %) "
                  f"{report.retried:7} {report.chosen:6} {report.repaired:8} {report.normalized:10} "
                  f"{report.seconds.get('translate', 0):11.1f} {r['seconds']:8.1f}")
            print(f"        declined: {report.declined}; translation_fallbacks {report.translation_fallbacks}")
            for text in r["declined"] if args.show_declined else ():
                print(f"        {text}")


if __name__ == "__main__":
    main()
