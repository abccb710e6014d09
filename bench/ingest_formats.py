"""Extraction time per input format on the test fixtures (ms per article), side by side.

usage: .venv/bin/python bench/ingest_formats.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.config import load_config  # noqa: E402
from generator.ingest import articles_from_file  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    config = load_config(FIXTURES)
    rows = []
    for name in ("cluttered-page.html", "newsfeed.xml", "council-notes.md", "noticia-portuguesa.txt"):
        articles_from_file(FIXTURES / name, config, name)  # warm up: language model, parsers
        start = time.perf_counter()
        for _ in range(args.repeat):
            articles, _ = articles_from_file(FIXTURES / name, config, name)
        rows.append((name, (time.perf_counter() - start) / args.repeat / len(articles) * 1000,
                     [a.language for a in articles]))
    fastest = min(ms for _, ms, _ in rows)
    for name, ms, languages in rows:
        print(f"{name:26} {ms:7.2f} ms/article  {ms / fastest:5.1f}x  languages {languages}")


if __name__ == "__main__":
    main()
