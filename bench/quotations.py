#!/usr/bin/env python3
"""Summary sentences that quote a short phrase ("denied he was 'gloating'"), translated as written
and the build's way (translate.model_texts: the phrase read without its marks, and alone, and
marked again), side by side, both directions; with ``--judge`` the pairs that differ go to a sheet
for a blind reader (chrF against the teacher cannot tell: it garbles a quotation as its students
do, bench/headlines.py).

    .venv/bin/python bench/quotations.py [--sentences 100] [--judge SHEET.tsv] [--examples 5]

Sentences: the lead sentences of articles spread over ../shared/corpus (bench/translation_checks.py's
``lead_sentences``, what summaries are made of) that quote a phrase of at most
translate.SENTENCE_QUOTATION_WORDS words, the first ``--sentences`` of each language.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from headlines import verdicts_of, write_judge_sheet  # noqa: E402
from translation_checks import lead_sentences  # noqa: E402

from generator import translate  # noqa: E402
from generator.argos import TranslationModel, import_argostranslate, install_package  # noqa: E402

CORPORA = {"en": "news-en-bbc.jsonl.gz", "pt": "news-pt-fakebr.jsonl.gz"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=100, help="per direction")
    parser.add_argument("--judge", type=Path, help="write the sentences whose two translations differ, in random "
                        "order, to this TSV for a blind reader (and the key to FILE.key)")
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    if args.judge:  # a sheet of this run only
        for stale in (args.judge, Path(f"{args.judge}.key")):
            stale.unlink(missing_ok=True)
    work = Path(tempfile.mkdtemp(prefix="polydigest-quotations-"))
    import_argostranslate(work)
    longest = translate.SENTENCE_QUOTATION_WORDS
    for source, target in (("en", "pt"), ("pt", "en")):
        model = TranslationModel.open(install_package(REPO / "models" / f"translate-{source}_{target}.argosmodel",
                                                      work / "packages"))
        found = [s for s in lead_sentences(REPO.parent / "shared" / "corpus" / CORPORA[source], source, 6000)
                 if translate.quoted_phrases(s, longest)][:args.sentences]
        as_written = verdicts_of(model, found, work)
        reads = [translate.model_texts(s, longest) for s in found]
        verdicts = verdicts_of(model, [t for read in reads for t in read], work)
        built = [translate.translated_text(s, [verdicts[t] for t in read], source, target, longest)
                 for s, read in zip(found, reads, strict=True)]
        kept = [as_written[s].translation for s in found]
        changed = sum((a or s) != (b or s) for s, a, b in zip(found, kept, built, strict=True))
        print(f"{source}-{target}: {len(found)} sentences quoting a phrase of at most {longest} words; {changed} "
              f"translated otherwise; declined {sum(k is None for k in kept)} as written, "
              f"{sum(b is None for b in built)} the build's way")
        if args.judge:
            write_judge_sheet(args.judge, f"{source}-{target} sentence", found, kept, built, ("quotes-kept", "after"))
        for s, a, b in [(s, a, b) for s, a, b in zip(found, kept, built, strict=True) if a != b][:args.examples]:
            print(f"    {s}\n      quotes-kept: {a}\n      after: {b}")


if __name__ == "__main__":
    main()
