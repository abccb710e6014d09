"""Ingest on real news text (../shared/corpus: BBC English, Brazilian Portuguese; research data,
read at run time, never copied into the project): how often dates, titles and languages
come out right when the same real articles arrive the way the web delivers them.

Each article is written out as a page or text file in one of several real-world shapes: a
date line in a format news sites use (numeric in the language's order, with labels, times
and weekdays; or no date at all), a title carrying the site's name, an `<html lang>` that
lies about the language. Measured:

- dates: stated dates read right / read wrong / missed; undated articles given a date;
- titles: site name left in the title, date line taken as the title;
- languages: right, with the declared language true and with it false;
- time per article.

usage: .venv/bin/python bench/ingest_realworld.py [--articles 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from babel.dates import format_datetime  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.ingest import read_folder  # noqa: E402

# Date lines as sites print them (Babel patterns), per language; None: the article states no date.
DATE_LINES = {
    "pt": ["'Publicado em:' d/M/y HH'h'mm", "dd/MM/y HH'h'mm", "EEEE, d 'de' MMMM 'de' y", "'Atualizado em' dd/MM/y",
           None],
    "en": ["'Published:' EEE d MMM y HH.mm 'GMT'", "MMMM d, y", "d MMMM y", "'Updated' MMM d, y", None],
}
SITES = {"pt": ("Folha de S.Paulo", "https://www1.folha.uol.com.br/poder/"),
         "en": ("BBC News", "https://www.bbc.co.uk/news/")}


def load(name: str) -> list[dict]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def page(row: dict, title: str, date_line: str | None, declared: str, site: str, url: str) -> str:
    paragraphs = [p for p in row["text"].replace("\r", "").split("\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    dated = f"<p>{html.escape(date_line)}</p>\n" if date_line else ""
    return (f'<!doctype html><html lang="{declared}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} - {html.escape(site)}</title>"
            f'<meta property="og:site_name" content="{html.escape(site)}">'
            f'<link rel="canonical" href="{url}{row["id"]}"></head><body><article>'
            f"<h1>{html.escape(title)}</h1>\n{dated}{body}</article></body></html>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200, help="per language")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    picker = random.Random(args.seed)
    expected = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "seeds"
        folder.mkdir()
        for language, corpus in (("en", "news-en-bbc.jsonl.gz"), ("pt", "news-pt-fakebr.jsonl.gz")):
            rows = [r for r in load(corpus) if len(r["text"].split()) >= 60]
            for row in picker.sample(rows, args.articles):
                title = row.get("title") or " ".join(row["text"].split()[:8])
                day = dt.date(picker.randint(2005, 2025), picker.randint(1, 12), picker.randint(1, 28))
                pattern = picker.choice(DATE_LINES[language])
                moment = dt.datetime(day.year, day.month, day.day, picker.randint(6, 22), picker.randint(0, 59))
                line = format_datetime(moment, pattern, locale=language) if pattern else None
                lying = picker.random() < 0.25
                declared = ("pt" if language == "en" else "en") if lying else language
                site, url = SITES[language]
                name = f"{row['id']}.html"
                (folder / name).write_text(page(row, title, line, declared, site, url), encoding="utf-8")
                expected[name] = (language, day if line else None, " ".join(title.split()), lying)
        config = load_config(Path(tmp))
        start = time.perf_counter()
        articles, problems = read_folder(folder, config)
        seconds = time.perf_counter() - start
    found = {a.source_file: a for a in articles}
    counts: Counter = Counter()
    for name, (language, day, title, lying) in expected.items():
        article = found.get(name)
        if article is None:
            counts["merged with a duplicate" if any(name in str(p) for p in problems) else "LOST"] += 1
            continue
        stated = None if article.date_is_stand_in else article.date
        if day is None:
            counts["undated: given a date" if stated else "undated: kept undated"] += 1
        else:
            counts["dated: right" if stated == day else ("dated: missed" if stated is None else "dated: WRONG")] += 1
        left = article.title.endswith(("Folha de S.Paulo", "BBC News"))
        counts["title: site name left" if left else "title: clean"] += 1
        if left:
            print("site name left:", article.title)
        if article.title != title:
            counts["title: differs from the headline"] += 1
        counts[f"language {'(html lang lying)' if lying else '(html lang true)'}: "
               f"{'right' if article.language == language else 'WRONG'}"] += 1
    merged = sum("same story as" in str(p) for p in problems)
    print(f"{len(expected)} articles ({args.articles} per language), {len(found)} read, {merged} merged as "
          f"the same story (the corpora hold duplicates), "
          f"{seconds / max(1, len(expected)) * 1000:.1f} ms per article")
    dated = counts["dated: right"] + counts["dated: missed"] + counts["dated: WRONG"]
    for key in sorted(counts):
        print(f"  {key:40} {counts[key]}")
    print(f"dates right: {counts['dated: right'] / max(1, dated):.1%} of {dated} dated articles; "
          f"wrong: {counts['dated: WRONG'] + counts['undated: given a date']}")


if __name__ == "__main__":
    main()
