#!/usr/bin/env python3
"""What the translation checks cost: the translate stage with and without them, side by side.

Both runs translate the same news sentences with the same model and a fresh cache; "with"
is the build's path (every sentence checked, failures retried with safer decoding);
"without" publishes the first output unchecked. Runs alternate (A B A B …) so that load on
the shared machine hits both alike; the ratio of the medians is the cost of the checks.
Also prints how many sentences were retried and declined.

    .venv/bin/python bench/translation_checks.py [--corpus ../shared/corpus/news-en-bbc.jsonl.gz]
        [--model models/translate-en_pt.argosmodel] [--from en --to pt] [--sentences 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import translate  # noqa: E402
from generator.argos import Decoding, TranslationModel, import_argostranslate, install_package  # noqa: E402
from generator.cache import Cache  # noqa: E402
from generator.languages import split_sentences  # noqa: E402


def lead_sentences(corpus: Path, language: str, count: int) -> list[str]:
    """The first three sentences of articles spread evenly over the corpus (which is ordered
    by topic): what summaries are made of."""
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    stride = max(1, len(texts) // max(1, count // 3))
    found: list[str] = []
    for text in texts[::stride]:
        found += [s for s in split_sentences(" ".join(text.split()), language) if len(s.split()) >= 4][:3]
    return found[:count]


def model_and_sentences(description: str, sentences: int) -> tuple[argparse.Namespace, TranslationModel, list[str]]:
    """The command line shared by the translation benchmarks, the model opened from a scratch
    folder, and the news lead sentences to translate."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "news-en-bbc.jsonl.gz")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "translate-en_pt.argosmodel")
    parser.add_argument("--from", dest="source", default="en")
    parser.add_argument("--to", dest="target", default="pt")
    parser.add_argument("--sentences", type=int, default=sentences)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="polydigest-bench-"))
    import_argostranslate(work)
    model = TranslationModel.open(install_package(args.model, work / "packages"))
    args.work = work
    return args, model, lead_sentences(args.corpus, args.source, args.sentences)


def run(model: TranslationModel, sentences: list[str], checked: bool, work: Path) -> tuple[float, translate.Translator]:
    cache = Cache(Path(tempfile.mkdtemp(dir=work)) / "cache.sqlite")
    translator = translate.Translator({(model.from_code, model.to_code): model}, cache, Decoding(), threads=2)
    original = translate.problems
    if not checked:
        translate.problems = lambda *args: []  # the stage as it would be without checks
    try:
        start = time.perf_counter()
        translator.translate(sentences, model.from_code, model.to_code)
        return time.perf_counter() - start, translator
    finally:
        translate.problems = original
        cache.close()


def main() -> None:
    args, model, sentences = model_and_sentences(__doc__.split("\n\n")[0], 400)
    work = args.work
    run(model, sentences[:16], True, work)  # warm-up: load the model
    times: dict[bool, list[float]] = {True: [], False: []}
    last = None
    for _ in range(args.rounds):
        for checked in (False, True):
            seconds, translator = run(model, sentences, checked, work)
            times[checked].append(seconds)
            if checked:
                last = translator
    plain, checked = statistics.median(times[False]), statistics.median(times[True])
    print(f"{len(sentences)} lead sentences from {args.corpus.name}, model {args.model.name}, beam 1, "
          f"{args.rounds} rounds")
    print(f"without checks {len(sentences) / plain:7.1f} sent/s   with checks {len(sentences) / checked:7.1f} sent/s   "
          f"cost of the checks {100 * (checked / plain - 1):+.1f} %")
    assert last is not None
    print(f"repaired {last.repaired}, retried {last.retried} ({100 * last.retried / len(sentences):.1f} %), "
          f"declined {sum(last.declined.values())} ({100 * sum(last.declined.values()) / len(sentences):.1f} %): "
          f"{dict(last.declined)}")


if __name__ == "__main__":
    main()
