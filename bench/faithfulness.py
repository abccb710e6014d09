"""How often summaries read wrong, by kind, for Lead-3 and polydigest's default, side by side.

Kinds (generator/summarize.py ``faithfulness_problems``): 'dangling', a sentence opening
with a pronoun or connective ("He", "But", "Mas") whose preceding sentence is not in the
summary; 'quote', a sentence cut out of a longer quotation; 'caption', a photo credit or
byline. Figures are the share of summaries with at least one such problem.

usage: .venv/bin/python bench/faithfulness.py ../shared/eval/cnndm-dev100.jsonl \\
           ../shared/corpus/news-en-bbc.jsonl.gz ../shared/corpus/news-pt-fakebr.jsonl.gz [--limit 500]
Each file: JSON lines with ``article`` (CNN/DM) or ``text`` and ``language`` (the corpora).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import Config  # noqa: E402
from generator.languages import split_sentences  # noqa: E402
from generator.records import Article  # noqa: E402
from generator.summarize import faithfulness_problems, select_sentences  # noqa: E402

KINDS = ("dangling", "quote", "caption")


def articles(path: Path, limit: int) -> list[Article]:
    opener = gzip.open if path.suffix == ".gz" else open
    found = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if len(found) >= limit:
                break
            row = json.loads(line)
            text = row.get("article") or row.get("text") or ""
            paragraphs = tuple(p for p in (" ".join(p.split()) for p in text.split("\n")) if p)
            found.append(Article(slug=str(n), source_file=str(n), title=row.get("title") or "", paragraphs=paragraphs,
                                 language=row.get("language", "en"), date=dt.date(2000, 1, 1), date_is_stand_in=True))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--limit", type=int, default=500, help="articles per file")
    args = parser.parse_args()
    defaults = Config()
    print(f"{'data':28} {'method':22} {'n':>5} " + " ".join(f"{k:>9}" for k in KINDS) + f" {'any':>6}")
    for path in args.files:
        items = articles(path, args.limit)
        for method in ("Lead-3", "default"):
            counts: Counter = Counter()
            for article in items:
                sentences = [s for p in article.paragraphs for s in split_sentences(p, article.language)]
                if method == "Lead-3":
                    summary = sentences[:3]
                else:
                    summary = list(select_sentences(article, defaults.summary_algorithm, defaults.summary_sentences,
                                                    defaults.max_summary_input_sentences, defaults.summary_words))
                found = faithfulness_problems(summary, sentences, article.language)
                counts.update(found)
                counts["any"] += bool(found)
            n = len(items)
            print(f"{path.name[:28]:28} {method:22} {n:5} " +
                  " ".join(f"{100 * counts[k] / n:8.1f}%" for k in KINDS) + f" {100 * counts['any'] / n:5.1f}%")


if __name__ == "__main__":
    main()
