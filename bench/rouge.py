#!/usr/bin/env python3
"""ROUGE of Lead-3, the stock sumy algorithms and polydigest's default, cross-validated.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/rouge.py ../shared/eval/cnndm-dev100.jsonl [--folds 5] [--stock]

DATA.jsonl holds one article per line with ``article`` and ``highlights`` (a string or a
list of strings). ROUGE F1 x 100 with rouge-score (Porter stemmer); the reference is the
highlights joined by newlines, and so is the summary for ROUGE-Lsum.

Protocol: the articles are split into K folds (article i goes to fold i mod K). For each
fold, the default's parameters (position decay, rating weight, word budget) are chosen on
the other K-1 folds by mean ROUGE-1 + ROUGE-2 + ROUGE-Lsum, then scored on the held-out
fold, for each family: ``lead`` (position order: one parameter, the budget) and
``lead-lexrank`` (LexRank ratings weighted by position: three). The table gives mean ±
standard deviation across the held-out folds, beside Lead-3 and plain lead summaries
(first whole sentences under a budget, no filters), scored on the same folds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import Config  # noqa: E402
from generator.languages import OfflineTokenizer, split_sentences  # noqa: E402
from generator.records import Article  # noqa: E402
from generator.summarize import SUMMARIZERS, SumySummarizer, candidates, choose, select_sentences  # noqa: E402

BUDGETS = (55, 65, 75, 85, 95, 105)
FAMILIES = {  # (position decay, LexRank weight, word budget) tried out of fold
    "lead": [(1.0, 0.0, b) for b in BUDGETS],  # position order: the decay does not matter
    "lead-lexrank": list(itertools.product((1.0, 4.0), (0.5, 1.0), BUDGETS)),
}


def load(path: Path) -> list[tuple[Article, str]]:
    items = []
    for n, line in enumerate(path.open(encoding="utf-8")):
        row = json.loads(line)
        highlights = row["highlights"]
        reference = "\n".join(highlights) if isinstance(highlights, list) else highlights
        article = Article(slug=str(n), source_file=row.get("id", str(n)), title="",
                          paragraphs=(" ".join(row["article"].split()),), language="en",
                          date=dt.date(2000, 1, 1), date_is_stand_in=True)
        items.append((article, reference))
    return items


def sentence_candidates(article: Article, max_input: int):
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = OfflineTokenizer(article.language)
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in
                                               tokenizer.to_sentences(article.paragraphs[0])[:max_input]])])
    return candidates(list(document.sentences), document, article.language, rated=True)


def lead_words(sentences: list[str], budget: int) -> list[str]:
    """Whole first sentences while they fit the budget (at least one)."""
    out, length = [], 0
    for sentence in sentences:
        size = len(sentence.split())
        if out and length + size > budget:
            break
        out.append(sentence)
        length += size
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--stock", action="store_true", help="also score the stock sumy algorithms (3 sentences)")
    args = parser.parse_args()

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    items = load(args.data)
    defaults = Config()
    cache: dict = {}

    def rouge(n: int, summary: list[str]) -> tuple[float, float, float]:
        key = (n, tuple(summary))
        if key not in cache:
            s = scorer.score(items[n][1], "\n".join(summary))
            cache[key] = (100 * s["rouge1"].fmeasure, 100 * s["rouge2"].fmeasure, 100 * s["rougeLsum"].fmeasure)
        return cache[key]

    found = [sentence_candidates(article, defaults.max_summary_input_sentences) for article, _ in items]
    grid = sorted({p for family in FAMILIES.values() for p in family})
    per_setting = {p: [rouge(n, [c.texts[i] for i in choose(c, p[2], 3, p[0], p[1])]) for n, c in enumerate(found)]
                   for p in grid}
    sentences = [split_sentences(article.paragraphs[0], "en") for article, _ in items]
    methods = {"Lead-3": [rouge(n, s[:3]) for n, s in enumerate(sentences)]}
    for budget in BUDGETS:
        methods[f"first sentences, {budget} words"] = [rouge(n, lead_words(s, budget)) for n, s in enumerate(sentences)]
    if args.stock:
        for algorithm in [name for name, summarizer in SUMMARIZERS.items() if isinstance(summarizer, SumySummarizer)]:
            methods[f"sumy {algorithm}, 3 sentences"] = [
                rouge(n, list(select_sentences(a, algorithm, 3, defaults.max_summary_input_sentences)))
                for n, (a, _) in enumerate(items)]

    folds = [[n for n in range(len(items)) if n % args.folds == k] for k in range(args.folds)]

    def mean(scores, indices):
        return tuple(statistics.fmean(scores[n][m] for n in indices) for m in range(3))

    print(f"{len(items)} articles from {args.data.name}, {args.folds}-fold cross-validation "
          f"(held-out folds: mean ± sd)")
    print(f"{'method':44} {'R1':>13} {'R2':>13} {'RLsum':>13}")

    def row(name: str, fold_scores: list[tuple[float, float, float]]) -> None:
        cells = [f"{statistics.fmean(f[m] for f in fold_scores):6.2f} "
                 f"±{statistics.pstdev(f[m] for f in fold_scores):5.2f}" for m in range(3)]
        print(f"{name:44} " + " ".join(cells))

    for name, scores in methods.items():
        row(name, [mean(scores, fold) for fold in folds])
    for family, settings in FAMILIES.items():
        held_out_scores, picks = [], []
        for k, held_out in enumerate(folds):
            train = [n for n in range(len(items)) if n % args.folds != k]
            best = max(settings, key=lambda p: (sum(mean(per_setting[p], train)), -p[2]))
            picks.append(best)
            held_out_scores.append(mean(per_setting[best], held_out))
        row(f"{family}, chosen out of fold", held_out_scores)
        print(f"    chosen per fold (decay, LexRank weight, words): {picks}")
    shipped = (1.0, 0.0, defaults.summary_words)  # position order: the decay does not matter
    if shipped in per_setting:
        row(f"lead as shipped ({defaults.summary_words} words; not out of fold)",
            [mean(per_setting[shipped], fold) for fold in folds])


if __name__ == "__main__":
    main()
