"""A new user's daily build on real news (issue #24): ``--articles`` articles of ../shared/corpus
written as seeds the way a user would (.txt and .md, their stated date and source in front
matter, typos included: one Brazilian article says 'date: 0201-01-06'), or with ``--damaged``
every kind of damaged metadata and impossible date (tests/damaged_corpus.py) in Markdown, HTML
and RSS. Builds cold, with nothing changed, and with 20 more articles, with the real models;
prints per build the articles in and published, problems, impossible dates on pages and times.

    python bench/real_news.py --articles 1000
    python bench/real_news.py --articles 2000
    python bench/real_news.py --articles 600 --damaged --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import _real_news, make_project  # noqa: E402
from damaged_corpus import write_damaged  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.core import build  # noqa: E402
from generator.progress import SILENT  # noqa: E402


def as_seed(row: dict) -> tuple[str, str]:
    """(file name, content) of a corpus article as a user writes it: Markdown with front matter
    when it has metadata, plain text otherwise."""
    text = "\n\n".join(p.strip() for p in row["text"].replace("\r", "").split("\n") if p.strip())
    meta = {key: row[key] for key in ("title", "date", "url", "author") if row.get(key)}
    outlet = (row.get("source") or "").split(" (")[0]
    if outlet and not outlet.endswith("corpus"):  # "Fake.br corpus" names a dataset: its addresses name the outlets
        meta["source"] = outlet
    if not meta:
        return f"{row['id']}.txt", text + "\n"
    # the date as the corpus states it, unquoted: 'date: 0201-01-06' as a user would type it
    front = yaml.safe_dump({k: v for k, v in meta.items() if k != "date"}, allow_unicode=True, width=1000)
    if row.get("date"):
        front += f"date: {row['date']}\n"
    return f"{row['id']}.md", f"---\n{front}---\n\n{text}\n"


def write_seeds(seeds: Path, rows: list[dict], damaged: bool, seed: int, first: int = 0) -> int:
    """Writes the articles (numbered from ``first``); returns how many should be published."""
    if damaged:
        articles = [(row.get("title") or row["text"].split(".")[0][:80], row["text"].replace("\r", "")) for row in rows]
        return len(write_damaged(seeds, articles, seed, first))
    for row in rows:
        name, content = as_seed(row)
        (seeds / name).write_text(content, encoding="utf-8")
    return len(rows)


def impossible_dates(docs: Path) -> int:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    count = 0
    for page in docs.glob("*/articles/*.md"):
        match = re.search(r"^date: (\S+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
        if match and not dt.date(1990, 1, 1) <= dt.date.fromisoformat(match.group(1)) <= tomorrow:
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--damaged", action="store_true", help="damaged metadata, in Markdown, HTML and RSS")
    parser.add_argument("--seed", type=int, default=1, help="which damage (with --damaged)")
    args = parser.parse_args()
    rows = _real_news()
    if len(rows) < args.articles + 20:
        sys.exit(f"../shared/corpus holds {len(rows)} articles: fewer than {args.articles} + 20")
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "project", 0)
        expected = write_seeds(project / "seeds", rows[: args.articles], args.damaged, args.seed)
        print(f"{'build':10} {'expected':>8} {'published':>9} {'duplicates':>10} {'problems':>8} "
              f"{'impossible dates':>16} {'seconds':>8}")
        for name in ("cold", "no-op", "+20"):
            if name == "+20":
                expected += write_seeds(project / "seeds", rows[args.articles: args.articles + 20], args.damaged,
                                        args.seed + 1, first=args.articles)
            start = time.perf_counter()
            report = build(load_config(project), SILENT)
            seconds = time.perf_counter() - start
            duplicates = sum(p.reason.startswith("same story as") for p in report.problems)
            print(f"{name:10} {expected:8} {report.articles:9} {duplicates:10} {len(report.problems):8} "
                  f"{impossible_dates(project / 'docs'):16} {seconds:8.1f}")
        kinds: dict[str, int] = {}
        for problem in report.problems:
            kind = re.sub(r"'[^']*'|\d[\d,.-]*|\([^)]*\)", "…", problem.reason)[:70]
            kinds[kind] = kinds.get(kind, 0) + 1
        print("\nproblems by kind (last build):")
        for kind, count in sorted(kinds.items(), key=lambda pair: -pair[1])[:15]:
            print(f"{count:6}  {kind}")


if __name__ == "__main__":
    main()
