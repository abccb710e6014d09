"""Shared by the build benchmarks: a generated news corpus and a throw-away project.

Articles are made from the CNN/DailyMail dev articles (../shared/eval, research data:
read at run time, never copied into the project) or, without them, from the sample
seeds. Each generated article gets a unique marker in every sentence, so no
translation is shared between articles through the cache, as with real news.
"""

from __future__ import annotations

import functools
import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_SET = REPO.parent / "shared" / "eval" / "cnndm-dev100.jsonl"
sys.path.insert(0, str(REPO))

from generator.config import load_config  # noqa: E402
from generator.core import build  # noqa: E402
from generator.languages import split_sentences  # noqa: E402
from generator.progress import SILENT  # noqa: E402


@functools.lru_cache(maxsize=1)
def _source_texts() -> list[str]:
    if DEV_SET.exists():
        return [json.loads(line)["article"] for line in DEV_SET.open(encoding="utf-8")]
    return [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]


def write_article(seeds: Path, number: int, texts: list[str]) -> None:
    """Article ``number``: five runs of five sentences from five source articles, chosen by a
    generator seeded with the number, so that no two articles are near-duplicates."""
    picker = random.Random(number)
    sentences = []
    for source in picker.sample(range(len(texts)), min(5, len(texts))):
        pool = split_sentences(" ".join(texts[source].split()), "en")
        start = picker.randrange(max(1, len(pool) - 5))
        sentences += pool[start : start + 5]
    marked = [s.rstrip(".") + f", report {number}." if s.endswith(".") else s for s in sentences]
    day = 1 + number % 28
    body = "\n".join(" ".join(marked[i : i + 3]) for i in range(0, len(marked), 3))
    (seeds / f"article-{number:05d}.txt").write_text(
        f"Report {number}: {sentences[0][:60].rsplit(' ', 1)[0]}\nPublished: 2024-03-{day:02d}\n\n{body}\n",
        encoding="utf-8")


def make_project(root: Path, articles: int) -> Path:
    """A project with ``articles`` generated articles, the real models and mkdocs.yml."""
    if root.exists():
        shutil.rmtree(root)
    (root / "seeds").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "models", root / "models")
    texts = _source_texts()
    for number in range(articles):
        write_article(root / "seeds", number, texts)
    return root


def timed_build(project: Path, **options):
    return build(load_config(project, options or None), SILENT)


STAGES = ("ingest", "summarize", "translate", "stories", "render", "mkdocs")


def table_row(name: str, report) -> str:
    total = sum(report.seconds.values())
    stages = " ".join(f"{report.seconds.get(s, 0):9.1f}" for s in STAGES)
    return (f"{name:24} {report.articles:6} {report.summarized:6} {report.translated:7} {stages} {total:9.1f}")


def table_header() -> str:
    stages = " ".join(f"{s:>9}" for s in STAGES)
    return f"{'build':24} {'arts':>6} {'summ':>6} {'transl':>7} {stages} {'total s':>9}"
