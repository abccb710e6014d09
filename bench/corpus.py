"""Shared by the build benchmarks: a generated news corpus and a throw-away project.

Articles are made from the CNN/DailyMail dev articles (../shared/eval, research data:
read at run time, never copied into the project) or, without them, from the sample
seeds. Each generated article gets a unique marker in every sentence, so no
translation is shared between articles through the cache, as with real news.

``make_archive`` is a growing digest instead: the real news of ../shared/corpus (2,002 BBC
articles in English, 3,211 Brazilian articles in Portuguese) with their sources and
addresses, topped up with generated articles, 20 a day, oldest first.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_SET = REPO.parent / "shared" / "eval" / "cnndm-dev100.jsonl"
CORPUS = REPO.parent / "shared" / "corpus"
# 100,000 articles at PER_DAY a day end in 2025: an archive running past the build day would be
# read as partly undated (a date in the future is not trusted), as the 30,000-article runs were
# until 2026-12-05 (their last 8,580 articles, dated 2026-12-06 to 2028, all on the build day).
ARCHIVE_START = dt.date(2012, 1, 1)
PER_DAY = 20
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


def write_article(seeds: Path, number: int, texts: list[str], day: dt.date | None = None) -> None:
    """Article ``number``: five runs of five sentences from five source articles, chosen by a
    generator seeded with the number, so that no two articles are near-duplicates."""
    picker = random.Random(number)
    sentences = []
    for source in picker.sample(range(len(texts)), min(5, len(texts))):
        pool = split_sentences(" ".join(texts[source].split()), "en")
        start = picker.randrange(max(1, len(pool) - 5))
        sentences += pool[start : start + 5]
    marked = [s.rstrip(".") + f", report {number}." if s.endswith(".") else s for s in sentences]
    day = day or dt.date(2024, 3, 1 + number % 28)
    body = "\n".join(" ".join(marked[i : i + 3]) for i in range(0, len(marked), 3))
    (seeds / f"article-{number:05d}.txt").write_text(
        f"Report {number}: {sentences[0][:60].rsplit(' ', 1)[0]}\nPublished: {day.isoformat()}\n\n{body}\n",
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


def add_stand_in_models(project: Path, language: str) -> None:
    """Models for ``language`` that are copies of the en<->pt ones under its code: its pages
    then hold Portuguese labelled as ``language``, but a build translates into it (pivoting
    through English from Portuguese) at a real model's cost. For timing a third site
    language where no third model exists here; never for reading."""
    import zipfile

    for source, target, code_from, code_to in (("en", "pt", "en", language), ("pt", "en", language, "en")):
        original = project / "models" / f"translate-{source}_{target}.argosmodel"
        stand_in = project / "models" / f"translate-{code_from}_{code_to}.argosmodel"
        with zipfile.ZipFile(original) as zin, zipfile.ZipFile(stand_in, "w", zipfile.ZIP_STORED) as zout:
            for item in zin.infolist():
                name = item.filename.replace(f"{source}_{target}", f"{code_from}_{code_to}")
                data = zin.read(item)
                if name.endswith("metadata.json"):
                    meta = json.loads(data)
                    meta.update(from_code=code_from, to_code=code_to)
                    data = json.dumps(meta).encode()
                zout.writestr(name, data)


def _real_news() -> list[dict]:
    rows = []
    for name in ("news-en-bbc.jsonl.gz", "news-pt-fakebr.jsonl.gz"):
        if (CORPUS / name).exists():
            with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
                rows += [json.loads(line) for line in handle]
    random.Random(1).shuffle(rows)  # English and Portuguese on every day
    return rows


def _front_matter_article(row: dict, number: int) -> str:
    """Markdown with front matter; without a title the build makes one from the text."""
    import yaml

    paragraphs = [p.strip() for p in row["text"].replace("\r", "").split("\n") if p.strip()]
    meta = {"date": ARCHIVE_START + dt.timedelta(days=number // PER_DAY),
            "url": row.get("url") or f"https://www.bbc.co.uk/news/{row['id']}", "language": row["language"]}
    if row["language"] == "en":
        meta["source"] = "BBC News"  # the Brazilian articles' source is their address's site
    if row.get("title"):
        meta["title"] = row["title"]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + "\n\n".join(paragraphs) + "\n"


def write_archive_day(seeds: Path, first: int, count: int) -> None:
    """Articles ``first`` .. ``first + count - 1`` of the archive: real news while it lasts."""
    real, texts = _real_news(), _source_texts()
    for number in range(first, first + count):
        if number < len(real):
            (seeds / f"news-{number:05d}.md").write_text(_front_matter_article(real[number], number), encoding="utf-8")
        else:
            write_article(seeds, number, texts, ARCHIVE_START + dt.timedelta(days=number // PER_DAY))


def make_archive(root: Path, articles: int) -> Path:
    """A project holding the first ``articles`` articles of the archive, the real models and mkdocs.yml."""
    project = make_project(root, 0)
    write_archive_day(project / "seeds", 0, articles)
    return project


def timed_build(project: Path, **options):
    return build(load_config(project, options or None), SILENT)


STAGES = ("ingest", "summarize", "translate", "stories", "render", "mkdocs")


PUBLISH_PARTS = ("mkdocs", "search", "measure")  # the mkdocs stage's parts (BuildReport.publish_seconds)


def table_row(name: str, report) -> str:
    total = sum(report.seconds.values())
    stages = " ".join(f"{report.seconds.get(s, 0):9.1f}" for s in STAGES)
    parts = "/".join(f"{report.publish_seconds.get(s, 0):.0f}" for s in PUBLISH_PARTS)
    return (f"{name:24} {report.articles:6} {report.summarized:6} {report.translated:7} {stages} {total:9.1f}"
            f"  {parts}")


def table_header() -> str:
    stages = " ".join(f"{s:>9}" for s in STAGES)
    return f"{'build':24} {'arts':>6} {'summ':>6} {'transl':>7} {stages} {'total s':>9}  {'/'.join(PUBLISH_PARTS)}"
