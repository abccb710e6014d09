"""News sentences for translation measurements, from ../shared/corpus, never committed.

``summary_sentences`` summarizes articles with the build's own summarizer (lead, 95 words) and
returns their sentences, and ``titles`` their headlines. ``split`` chooses the articles:
"heldout" — those the shipped models never trained on (tools/distill/prepare_data.py: the
SHA-1 of the id ends in 0), for figures; "tune" — a sample of the training articles, for
trying settings. The sample is drawn with a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
FILES = {"en": "news-en-bbc.jsonl.gz", "pt": "news-pt-fakebr.jsonl.gz"}
sys.path.insert(0, str(REPO))


def is_heldout(article_id: str) -> bool:
    return hashlib.sha1(article_id.encode()).hexdigest().endswith("0")


def articles(language: str, split: str, count: int, seed: int = 26) -> list[dict]:
    with gzip.open(CORPUS / FILES[language], "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    rows = [r for r in rows if is_heldout(r["id"]) == (split == "heldout")]
    random.Random(seed).shuffle(rows)
    return rows[:count]


def summary_sentences(language: str, split: str, count: int, seed: int = 26) -> list[str]:
    """Up to ``count`` distinct summary sentences, article by article."""
    from generator.records import Article
    from generator.summarize import select_sentences

    found: dict[str, None] = {}
    for row in articles(language, split, 10 ** 6, seed):
        paragraphs = tuple(p.strip() for p in row["text"].replace("\r", "").split("\n") if p.strip())
        if not paragraphs:
            continue
        article = Article(row["id"], row["id"], row.get("title") or "", paragraphs, language,
                          dt.date(2024, 1, 1), False)
        found.update(dict.fromkeys(select_sentences(article, "lead", 3, 400, 95)))
        if len(found) >= count:
            break
    return list(found)[:count]


def titles(language: str, split: str, count: int, seed: int = 26) -> list[str]:
    return list(dict.fromkeys(r["title"] for r in articles(language, split, 10 ** 6, seed) if r.get("title")))[:count]
