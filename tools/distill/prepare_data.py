"""Split the shared news corpora into sentences for distillation, with a held-out split.

An article goes to the held-out split when the SHA-1 of its id ends in 0 (about 10 %), so the
split is the same on every machine and never depends on file order. Nothing from a held-out
article is ever written to the training files.

Writes into OUT_DIR, for each language L of the corpora:
  train.L    training source sentences (shuffled with a fixed seed, deduplicated)
  heldout.L  evaluation sentences: the first three sentences (summary-like leads) of held-out articles

usage: python prepare_data.py CORPUS_DIR OUT_DIR [--max-train 60000] [--max-heldout 500]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
from pathlib import Path

import punkt

PUNKT_NAMES = {"en": "english", "pt": "portuguese"}
MIN_WORDS, MAX_WORDS = 4, 80
LEAD_SENTENCES = 3


def is_heldout(article_id: str) -> bool:
    return hashlib.sha1(article_id.encode()).hexdigest().endswith("0")


def sentences(text: str, splitter) -> list[str]:
    out = []
    for paragraph in re.split(r"\s*\n\s*", text):
        for sentence in splitter.tokenize(paragraph):
            sentence = " ".join(sentence.split())
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
                out.append(sentence)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--max-train", type=int, default=60000)
    parser.add_argument("--max-heldout", type=int, default=500)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    train: dict[str, list[str]] = {}
    heldout: dict[str, list[str]] = {}
    splitters = {lang: punkt.PunktSentenceTokenizer(punkt.load_model(name)) for lang, name in PUNKT_NAMES.items()}
    for corpus in sorted(args.corpus_dir.glob("*.jsonl.gz")):
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            for line in lines:
                article = json.loads(line)
                lang = article["language"]
                found = sentences(article["text"], splitters[lang])
                if is_heldout(article["id"]):
                    heldout.setdefault(lang, []).extend(found[:LEAD_SENTENCES])
                else:
                    train.setdefault(lang, []).extend(found)
    rng = random.Random(0)
    for lang in sorted(train):
        unseen = set(heldout.get(lang, ()))
        pool = [s for s in dict.fromkeys(train[lang]) if s not in unseen]
        rng.shuffle(pool)
        (args.out_dir / f"train.{lang}").write_text("\n".join(pool[: args.max_train]) + "\n", encoding="utf-8")
        leads = list(dict.fromkeys(heldout.get(lang, ())))
        rng.shuffle(leads)
        (args.out_dir / f"heldout.{lang}").write_text("\n".join(leads[: args.max_heldout]) + "\n", encoding="utf-8")
        print(f"{lang}: {min(len(pool), args.max_train)} training sentences (of {len(pool)}), "
              f"{min(len(leads), args.max_heldout)} held-out")


if __name__ == "__main__":
    main()
