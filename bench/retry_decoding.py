#!/usr/bin/env python3
"""Which retry decoding rescues the most failing translations, and at what cost.

Translates news lead sentences at beam 1 (the build's first pass), keeps those that fail the
translation checks, and translates those again with each candidate retry decoding, side by
side: how many now pass (by the check that failed first) and how long each retry took.

    .venv/bin/python bench/retry_decoding.py [--model models/translate-en_pt.argosmodel] [--from en --to pt]
        [--corpus ../shared/corpus/news-en-bbc.jsonl.gz] [--sentences 1500]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from translation_checks import model_and_sentences  # noqa: E402

from generator import checks  # noqa: E402
from generator.argos import Decoding  # noqa: E402

CANDIDATES = {
    "beam 2": Decoding(beam_size=2),
    "beam 4": Decoding(beam_size=4),
    "beam 4, repetition penalty 1.2": Decoding(beam_size=4, repetition_penalty=1.2),
    "beam 4, penalty 1.2, no repeated 4-grams": Decoding(beam_size=4, repetition_penalty=1.2, no_repeat_ngram_size=4),
    "beam 2, penalty 1.2, no repeated 4-grams": Decoding(beam_size=2, repetition_penalty=1.2, no_repeat_ngram_size=4),
    "beam 1, penalty 1.2, no repeated 4-grams": Decoding(beam_size=1, repetition_penalty=1.2, no_repeat_ngram_size=4),
}


def main() -> None:
    args, model, sentences = model_and_sentences(__doc__.split("\n\n")[0], 1500)
    start = time.perf_counter()
    first = model.translate(sentences, Decoding(), 2)
    first_seconds = time.perf_counter() - start
    pair = (args.source, args.target)
    failing = {s: checks.problems(s, checks.repair_currency(s, t, *pair), *pair)  # as the build judges
               for s, t in zip(sentences, first, strict=True)}
    failing = {s: r for s, r in failing.items() if r}
    kinds = Counter(checks.reason_kind(r[0]) for r in failing.values())
    print(f"{len(sentences)} sentences, first pass (beam 1) {first_seconds:.1f} s; failing {len(failing)} "
          f"({100 * len(failing) / len(sentences):.1f} %): {dict(kinds)}")
    texts = list(failing)
    for name, decoding in CANDIDATES.items():
        start = time.perf_counter()
        again = model.translate(texts, decoding, 2)
        seconds = time.perf_counter() - start
        rescued = Counter(checks.reason_kind(failing[s][0]) for s, t in zip(texts, again, strict=True)
                          if not checks.problems(s, checks.repair_currency(s, t, *pair), *pair))
        print(f"{name:44} rescued {sum(rescued.values()):3}/{len(texts)} {dict(rescued)}  "
              f"{seconds:5.1f} s = {100 * seconds / first_seconds:5.1f} % of the first pass")


if __name__ == "__main__":
    main()
