#!/usr/bin/env python3
"""The quality gate: what the README's "Quality and performance" table claims, measured on
small committed fixtures and held to floors (tests/quality/floors.json), in the manner of
trafilatura's eval gate. `make test` runs it (tests/test_quality_gate.py).

    .venv/bin/python bench/quality_gate.py            # measure and check: exit 1 past a limit
    .venv/bin/python bench/quality_gate.py --update   # pin what was measured, less the margin
    .venv/bin/python bench/quality_gate.py --update --allow-lower summary_rouge2,pages_title

Measured, each through the build's own code (tests/quality/README.md says where the fixtures
come from; none is ../shared data):
- summaries of tests/quality/articles.jsonl (written for the project, with reference
  highlights): ROUGE-1/2/Lsum of the default summary, and how far it is above Lead-3;
- the same articles in news-site furniture (bench/extraction_precision.py's page), read as
  HTML pages: share of the kept words that are furniture, share of the article's words kept;
- tests/fixtures/realworld (pages and feeds written to mimic real ones) and those pages:
  dates, titles and languages right, against tests/quality/pages.json;
- every sentence of the articles through the shipped models (models/): share declined per
  direction, published translations that lose a number or loop.

The sha256 of the fixture set (fixtures, labels, models) is pinned with the limits: a changed
set fails the gate until --update pins it, and says so. --update never loosens a limit (lowers
a floor, raises a ceiling) unless that limit is named in --allow-lower; it lists the ones it
refused and the ones it loosened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extraction_precision import page, words  # noqa: E402

from generator import checks, translate  # noqa: E402
from generator.argos import Decoding, TranslationModel, import_argostranslate, install_package  # noqa: E402
from generator.cache import Cache  # noqa: E402
from generator.config import Config, load_config  # noqa: E402
from generator.ingest import parse_article, read_folder  # noqa: E402
from generator.languages import split_sentences  # noqa: E402
from generator.readers import Source  # noqa: E402
from generator.records import Article  # noqa: E402
from generator.summarize import summarize_all  # noqa: E402

QUALITY = REPO / "tests" / "quality"
ARTICLES = QUALITY / "articles.jsonl"
PAGE_LABELS = QUALITY / "pages.json"
REALWORLD = REPO / "tests" / "fixtures" / "realworld"
MODELS = REPO / "models"
LIMITS = QUALITY / "floors.json"
DIRECTIONS = (("en", "pt"), ("pt", "en"))

# How far a figure may move before the gate notices: the measures are deterministic on these
# fixtures; what moves them without a change of polydigest is a new sumy, trafilatura or
# CTranslate2 version. ROUGE in points x 100; shares and accuracies as fractions (one page
# of 33 wrong is a change to look at); counts of published mistakes stay at what they are.
MARGINS = {"summary": 0.5, "pages": 0.0, "furniture": 0.005, "text": 0.005, "translation": 0.01,
           "translation_numbers_lost": 0, "translation_loops": 0}


@dataclass(frozen=True)
class Figure:
    value: float
    higher_is_better: bool
    says: str


def fixture_files() -> list[Path]:
    return sorted([ARTICLES, PAGE_LABELS, *REALWORLD.iterdir(), *MODELS.glob("*.argosmodel")])


def fixtures_sha256() -> str:
    digest = hashlib.sha256()
    for path in fixture_files():
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_articles() -> list[dict]:
    return [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_article(row: dict, config: Config) -> Article:
    """The article as the build reads a plain-text seed: its title line, then its text."""
    article, _ = parse_article(Source(name=f"{row['id']}.txt", text=f"{row['title']}\n\n{row['text']}", kind="txt"),
                               slug=row["id"], config=config, stand_in_date=dt.date(2024, 1, 1))
    return article


def summaries(rows: list[dict], config: Config, work: Path) -> dict[str, Figure]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    english = [row for row in rows if row["language"] == "en"]  # the Porter stemmer is English
    articles = [as_article(row, config) for row in english]
    made, _, _ = summarize_all(articles, config, Cache(work / "summaries.sqlite"))
    totals: dict[str, Counter] = {"summary": Counter(), "lead3": Counter()}
    for row, article, summary in zip(english, articles, made, strict=True):
        reference = "\n".join(row["highlights"])
        lead3 = [s for p in article.paragraphs for s in split_sentences(p, "en")][:3]
        for name, sentences in (("summary", summary.sentences), ("lead3", lead3)):
            for kind, score in scorer.score(reference, "\n".join(sentences)).items():
                totals[name][kind] += 100 * score.fmeasure / len(english)
    figures = {f"summary_{kind}": Figure(round(value, 2), True, f"default summary {kind} (x100)")
               for kind, value in totals["summary"].items()}
    for kind in ("rouge1", "rouge2", "rougeLsum"):
        figures[f"summary_above_lead3_{kind}"] = Figure(
            round(totals["summary"][kind] - totals["lead3"][kind], 2), True,
            f"default summary minus Lead-3, {kind} (Lead-3: {totals['lead3'][kind]:.2f})")
    return figures


def pages(rows: list[dict], config: Config, work: Path) -> dict[str, Figure]:
    """The articles as news-site pages, read with the labelled real-world pages and feeds."""
    folder = work / "pages"
    folder.mkdir()
    for row in rows:
        (folder / f"{row['id']}.html").write_text(page(row, row["language"]), encoding="utf-8")
    labels = json.loads(PAGE_LABELS.read_text(encoding="utf-8"))
    labels |= {f"{row['id']}.html": {"title": row["title"], "language": row["language"]} for row in rows}
    found = {a.source_file: a for a in read_folder(REALWORLD, config)[0] + read_folder(folder, config)[0]}
    right: Counter = Counter()
    counted: Counter = Counter()
    for name, label in labels.items():
        article = found.get(name)
        for field in ("title", "language", "date"):
            if field not in label:
                continue
            counted[field] += 1
            if article is None:
                continue
            value = (None if article.date_is_stand_in else article.date.isoformat()) if field == "date" \
                else getattr(article, field)
            right[field] += value == label[field]
    figures = {f"pages_{field}": Figure(round(right[field] / counted[field], 4), True,
                                        f"{field}s right, of {counted[field]} pages and feed entries")
               for field in ("date", "title", "language")}
    kept = extracted = relevant = 0
    for row in rows:
        truth = words(row["text"])
        article = found.get(f"{row['id']}.html")
        got = words("\n".join(article.paragraphs)) if article else Counter()
        kept += sum((got & truth).values())
        extracted += sum(got.values())
        relevant += sum(truth.values())
    figures["furniture_left"] = Figure(round(1 - kept / max(1, extracted), 4), False,
                                       f"share of the words kept that are page furniture ({len(rows)} pages)")
    figures["text_kept"] = Figure(round(kept / relevant, 4), True, "share of the article's words kept")
    return figures


def translations(rows: list[dict], config: Config, work: Path) -> dict[str, Figure]:
    work = work / "argos"  # a folder of its own: Argos claims it
    import_argostranslate(work)
    figures = {}
    lost = loops = 0
    for source, target in DIRECTIONS:
        sentences = list(dict.fromkeys(s for row in rows if row["language"] == source
                                       for text in (row["title"], *row["text"].split("\n\n"))
                                       for s in split_sentences(text, source)))
        model = TranslationModel.open(install_package(MODELS / f"translate-{source}_{target}.argosmodel",
                                                      work / "packages"))
        translator = translate.Translator({(source, target): model}, Cache(work / f"{source}-{target}.sqlite"),
                                          Decoding(beam_size=config.beam_size),
                                          config.translate_threads or config.cpu_count, portuguese=config.portuguese)
        verdicts = translator.verdicts(sentences, source, target)
        published = [(s, verdicts[s].translation) for s in sentences if verdicts[s].translation is not None]
        lost += sum(bool(checks.missing_numbers(s, t)) for s, t in published)
        loops += sum(any(checks.reason_kind(r) == "loop" for r in checks.problems(s, t, source, target))
                     for s, t in published)
        figures[f"translation_declined_{source}_{target}"] = Figure(
            round(1 - len(published) / len(sentences), 4), False, f"{source} -> {target} sentences shown in the "
            f"original (of {len(sentences)}; {dict(translator.declined)})")
    figures["translation_numbers_lost"] = Figure(lost, False, "published translations that lose a number")
    figures["translation_loops"] = Figure(loops, False, "published translations that loop")
    return figures


def measure() -> dict[str, Figure]:
    rows = load_articles()
    with tempfile.TemporaryDirectory(prefix="polydigest-gate-") as scratch:
        work = Path(scratch)
        config = load_config(work)
        return summaries(rows, config, work) | pages(rows, config, work) | translations(rows, config, work)


def margin(name: str) -> float:
    return MARGINS.get(name, MARGINS[name.split("_")[0]])


def limit_for(name: str, figure: Figure) -> dict:
    if figure.higher_is_better:
        return {"at_least": round(figure.value - margin(name), 4)}
    return {"at_most": round(figure.value + margin(name), 4)}


def failures(figures: dict[str, Figure], pinned: dict) -> list[str]:
    """What the gate fails on: a changed fixture set, a figure past its limit, a figure or a
    limit without the other."""
    found = []
    if pinned.get("fixtures_sha256") != fixtures_sha256():
        found.append(f"the fixture set changed (sha256 {fixtures_sha256()}, pinned {pinned.get('fixtures_sha256')}): "
                     "review the change, then pin it with --update")
    limits = pinned.get("limits", {})
    for name in sorted(set(figures) | set(limits)):
        if name not in limits or name not in figures:
            found.append(f"{name}: {'no limit pinned' if name in figures else 'pinned but no longer measured'}")
            continue
        value, limit = figures[name].value, limits[name]
        if "at_least" in limit and value < limit["at_least"]:
            found.append(f"{name} = {value} is below its floor {limit['at_least']} ({figures[name].says})")
        if "at_most" in limit and value > limit["at_most"]:
            found.append(f"{name} = {value} is above its ceiling {limit['at_most']} ({figures[name].says})")
    return found


def updated(pinned: dict, figures: dict[str, Figure], allow_lower: set[str]) -> tuple[dict, list[str], list[str]]:
    """(the new limits file, the limits it would have loosened but kept, the ones it loosened).
    A limit is loosened only when named in ``allow_lower``."""
    old = pinned.get("limits", {})
    limits, refused, loosened = {}, [], []
    for name, figure in sorted(figures.items()):
        new = limit_for(name, figure)
        (kind, bound), = new.items()
        before = old.get(name, {}).get(kind)
        looser = before is not None and (bound < before if kind == "at_least" else bound > before)
        if looser and name not in allow_lower:
            refused.append(f"{name}: measured {figure.value}, {kind} {before} kept (would be {bound})")
            new = {kind: before}
        elif looser:
            loosened.append(f"{name}: {kind} {before} -> {bound}")
        limits[name] = {**new, "measured": figure.value, "says": figure.says}
    return {"fixtures_sha256": fixtures_sha256(), "limits": limits}, refused, loosened


def read_pinned() -> dict:
    return json.loads(LIMITS.read_text(encoding="utf-8")) if LIMITS.is_file() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="pin what is measured now (less the margin)")
    parser.add_argument("--allow-lower", default="", metavar="NAME,…",
                        help="with --update: limits that may be loosened (lowered floor, raised ceiling)")
    args = parser.parse_args()
    start = time.perf_counter()
    figures = measure()
    pinned = read_pinned()
    for name, figure in figures.items():
        print(f"{name:36} {figure.value:>9}  {pinned.get('limits', {}).get(name, {})}  {figure.says}")
    print(f"measured in {time.perf_counter() - start:.1f} s")
    if args.update:
        new, refused, loosened = updated(pinned, figures, {n for n in args.allow_lower.split(",") if n})
        if pinned.get("fixtures_sha256") != new["fixtures_sha256"]:
            print(f"fixture set pinned anew: {pinned.get('fixtures_sha256')} -> {new['fixtures_sha256']}")
        for line in loosened:
            print(f"loosened, as asked: {line}")
        for line in refused:
            print(f"NOT loosened (name it in --allow-lower to): {line}")
        LIMITS.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {LIMITS.relative_to(REPO)}")
        return 1 if refused else 0
    found = failures(figures, pinned)
    for line in found:
        print(f"FAIL {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
