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


def is_reported(article_id: str) -> bool:
    """The half of the articles headline figures are reported on (the SHA-1 of the id ends in an
    even hex digit: the held-out articles, whose digit is 0, among them); the other half is for
    tuning. No BBC headline is in the students' training data (tools/distill/prepare_data.py reads
    only the text); a Brazilian headline is the first line of its text, so one of a training
    article may be."""
    return int(hashlib.sha1(article_id.encode()).hexdigest()[-1], 16) % 2 == 0


def headline_articles(language: str, half: str, count: int, seed: int = 26) -> list[tuple[str, tuple[str, ...], bool]]:
    """Up to ``count`` distinct (headline, the article's paragraphs, whether the headline is the
    article's own) of one half ("report" or "tune") of the corpus, drawn with a fixed seed. English:
    the BBC's titles. Brazilian news has no title: the build's own (cleaning.make_title), its first
    line where that reads as a headline (all of the half's come first), else its first sentence, shortened."""
    from generator.cleaning import make_title

    with gzip.open(CORPUS / FILES[language], "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    rows = [r for r in rows if is_reported(r["id"]) == (half == "report")]
    random.Random(seed).shuffle(rows)
    found: dict[str, tuple[tuple[str, ...], bool]] = {}
    for row in rows:
        paragraphs = [p.strip() for p in row["text"].replace("\r", "").split("\n") if p.strip()]
        if not paragraphs:
            continue
        if row.get("title"):
            found.setdefault(row["title"], (tuple(paragraphs), True))
        else:
            title, body = make_title(paragraphs, language)
            found.setdefault(title, (tuple(body), len(body) < len(paragraphs)))
    ordered = sorted(found.items(), key=lambda item: not item[1][1])  # stable: the seed's order within each kind
    return [(title, body, own) for title, (body, own) in ordered][:count]
