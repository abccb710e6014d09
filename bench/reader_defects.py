#!/usr/bin/env python3
"""Defects a reader finds on real pages, counted side by side: ``--articles`` articles of
../shared/corpus (from row ``--first`` of bench/real_news.py's order, written as a user writes
them) built en + pt by this checkout and by each ``--before`` checkout, in one run.

    .venv/bin/python bench/reader_defects.py --first 3600 --articles 400 --before /tmp/old-checkout

Session 16 found these by reading a build of rows 3200-3600 and checked its fixes on rows
3600-4000 (GUIDE, "What the models read"); session 17 read rows 4000-4400 and checked on
4400-4800 (titles, spaces). Each count is a pattern on the Markdown pages, so
a count is an upper bound of what it names: read the pages it points at before trusting it.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import _real_news, make_project  # noqa: E402
from real_news import write_seeds  # noqa: E402

from generator.entities import fold  # noqa: E402
from generator.languages import stop_words  # noqa: E402

# Cities a Brazilian byline ends with ("Por Renan Ramalho, G1, Brasília"), to count bylines that
# name a place as their author: a measuring list, not the rule the build uses.
BYLINE_CITIES = {"Brasília", "Curitiba", "São Paulo", "Rio de Janeiro", "Belo Horizonte", "Porto Alegre",
                 "Salvador", "Recife", "Fortaleza", "Manaus", "Belém", "Goiânia", "Florianópolis", "Vitória"}
# An English sentence after a dateline left in capitals ("BRAZILY &#45; The Senate …").
_CAPITALS_DATELINE = re.compile(r"(?:^|\. )[A-Z]{4,}(?: [A-Z]{2,})* &#45; (?:The|A|An|In|On|At|For|According|After|"
                                r"With|This|Without|Despite|Since)\b", re.MULTILINE)
_ORDINAL_WEEKDAY = re.compile(r"\b(?:this|of this|in this|on this) (?:second|third|fourth|fifth|sixth)\b")
_MODEL_WORDS = re.compile(r"award-winning|[Dd]elusion|tuition fee")
_PT_DATELINE = re.compile(r"(?:^|\. )[A-ZÀ-Ý]{4,}(?: [A-ZÀ-Ý]{2,})* ?&#45; +(?:O|A|Os|As|Em|No|Na|Um|Uma)\b",
                          re.MULTILINE)
_SPACE_BEFORE_STOP = re.compile(r"\w [.,](?= [^.]|$)", re.MULTILINE)
_DATE_TITLE = re.compile(r"[\w ,]*\b(?:19|20)\d\d")


def count(docs: Path) -> collections.Counter:
    """The defects of a built project's ``docs``, per language."""
    found: collections.Counter = collections.Counter()
    topics: dict[str, set[str]] = collections.defaultdict(set)
    for lang in ("en", "pt"):
        small = stop_words(lang)
        for page in (docs / lang / "articles").glob("*.md"):
            text = page.read_text(encoding="utf-8")
            if not text.startswith("---"):
                continue  # a list page
            found[f"{lang} article pages"] += 1
            title = re.search(r"^# (.*)$", text, re.MULTILINE).group(1)
            body = text.split("\n# ", 1)[1]
            found[f"{lang} pages marked undated"] += "Undated" in text or "Sem data" in text
            found[f"{lang} titles that are only a date"] += bool(_DATE_TITLE.fullmatch(title.replace("&#45;", "-")))
            found[f"{lang} sentence ends written twice ('..')"] += len(re.findall(r"[^.\s(/]\.\.(?=\s)", body))
            byline = re.search(r"^\*(?:By|Por) (.*)\*$", text, re.MULTILINE)
            found[f"{lang} bylines ending with a city"] += bool(byline and byline.group(1).split(", ")[-1]
                                                                in BYLINE_CITIES)
            found[f"{lang} titles cut ('…')"] += title.endswith(("…", "..."))
            found[f"{lang} spaces before a full stop or comma"] += len(_SPACE_BEFORE_STOP.findall(body))
            lines = [line for line in body.splitlines()[1:]
                     if line.strip() and not line.startswith(("*", "!", "<", "-", "["))]
            # a whole title said again (a cut one's sentence goes on: it says more)
            found[f"{lang} summaries opening with their whole title"] += bool(
                lines and len(title) > 20 and not title.endswith(("…", "...")) and lines[0].startswith(title[:60]))
            if title.endswith("…") and title[:-1].split():
                last = title[:-1].split()[-1]
                found[f"{lang} made titles cut on a small word, currency or figure"] += (
                    last.lower() in small or last.endswith("$") or not any(c.isalpha() for c in last))
            if lang == "en":
                found["en datelines in capitals before English"] += len(_CAPITALS_DATELINE.findall(body))
                found["en weekdays read as ordinals ('this fifth')"] += len(_ORDINAL_WEEKDAY.findall(body))
                found["en pages with 'delusion', 'award-winning', 'tuition fee'"] += bool(_MODEL_WORDS.search(body))
            if lang == "pt":
                found["pt pages with 'senhor deputado' (Mr)"] += "senhor deputado" in body.lower()
                found["pt datelines in capitals in the text ('SEUL -')"] += len(_PT_DATELINE.findall(body))
            line = re.search(r"^\*\*(?:Topics|Temas):\*\* (.*)$", text, re.MULTILINE)
            for topic in line.group(1).split(" · ") if line else []:
                topics[lang].add(re.sub(r"^\[(.*)\]\(.*\)$", r"\1", topic).replace("&#45;", "-"))
    for lang, names in topics.items():
        spellings = collections.Counter(fold(name).replace("-", " ") for name in names)
        found[f"{lang} topics written two ways (hyphen, case, accents)"] = sum(n > 1 for n in spellings.values())
    return found


def build(checkout: Path, project: Path) -> str:
    """``polydigest build`` of ``project`` with ``checkout``'s code; its last line."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project), "-q"],
                          cwd=checkout, env=env, capture_output=True, text=True, check=True)
    return (done.stdout + done.stderr).strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=int, default=3600, help="first corpus row (real_news.py's order)")
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--before", type=Path, action="append", default=[], help="another checkout (repeatable)")
    args = parser.parse_args()
    rows = _real_news()[args.first:args.first + args.articles]
    print(f"{len(rows)} corpus articles (rows {args.first}-{args.first + len(rows)}), en + pt")
    checkouts = [*args.before, REPO]
    counts = []
    with tempfile.TemporaryDirectory() as folder:
        for number, checkout in enumerate(checkouts):
            project = make_project(Path(folder) / str(number), 0)
            write_seeds(project / "seeds", rows, False, 1)
            print(f"{checkout}: {build(checkout, project)}", flush=True)
            counts.append(count(project / "docs"))
    print(f"\n{'defect':62}" + "".join(f"{c.name[:12]:>14}" for c in checkouts))
    for key in sorted(set().union(*counts)):
        print(f"{key:62}" + "".join(f"{c[key]:14}" for c in counts))


if __name__ == "__main__":
    main()
