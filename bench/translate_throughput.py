#!/usr/bin/env python3
"""Translation throughput, measured side by side in one run on the same model and sentences:

1. polydigest's translate stage (TranslationModel.translate: length-sorted batches queued at once),
   and the whole stage as a build runs it (Translator, a fresh cache: checks, repairs, the retry's
   n-best, the n-best choice for the few sentences the retry does not rescue, the Portuguese
   variety), with and without the choice;
2. raw CTranslate2 ``translate_batch``, 2 jobs x 1 thread (the reference ceiling), without and
   (when the package has one) with its vocabulary shortlist (``use_vmap``), the stage's setting;
3. argostranslate's own ``translate()`` called once per summary (3 sentences), as a naive
   integration would, with argostranslate's default beam size (4) unless --argos-beam.

The stage and raw runs are timed in --rounds rounds, each running every method back to back;
a method's best round counts (the machine is shared: the best round is the least disturbed),
and every round's seconds are printed, and the process's CPU seconds (which barely depend on
the machine's other work) beside them. Prints sentences/second and the ratios the performance
issue asks for: compare the ratios, not the absolute numbers.

    .venv/bin/python bench/translate_throughput.py [--data ../shared/eval/cnndm-dev100.jsonl]
        [--model models/translate-en_pt.argosmodel] [--sentences 200] [--beam 1] [--argos-beam 4]
        [--rounds 3] [--skip-argostranslate]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def news_sentences(data: Path, count: int) -> list[str]:
    from generator.languages import split_sentences

    sentences = []
    if data.exists():
        texts = (json.loads(line)["article"] for line in data.open(encoding="utf-8"))
    else:  # the sample seeds, repeated: enough to measure, if less varied
        texts = (p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt")) for _ in range(50))
    for text in texts:
        sentences += [s for s in split_sentences(text, "en") if 20 <= len(s) <= 400][:6]
        if len(sentences) >= count:
            break
    return sentences[:count]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "cnndm-dev100.jsonl")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "translate-en_pt.argosmodel")
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--beam", type=int, default=1, help="beam of the stage and raw runs (polydigest's default)")
    parser.add_argument("--argos-beam", type=int, default=4, help="beam of the argostranslate run (its default)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the stage and raw runs (the best counts)")
    parser.add_argument("--skip-argostranslate", action="store_true", help="leave out the slow argostranslate run")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="polydigest-bench-"))
    from generator.argos import Decoding, TranslationModel, import_argostranslate, install_package

    import_argostranslate(work)
    os.environ["ARGOS_BEAM_SIZE"] = str(args.argos_beam)  # argostranslate reads it at import
    model = TranslationModel.open(install_package(args.model, work / "packages"))
    sentences = news_sentences(args.data, args.sentences)
    cores = os.cpu_count() or 1
    print(f"{len(sentences)} sentences, model {args.model.name}, beam {args.beam} "
          f"(argostranslate: {args.argos_beam}), {cores} cores")

    # warm-up: load each engine once so model loading is not timed
    decoding = Decoding(beam_size=args.beam)
    model.translate(sentences[:4], decoding, cores)
    model.unload = lambda: None  # type: ignore[method-assign]  # the build reloads per pair: not timed here

    from generator.cache import Cache
    from generator.translate import Translator

    def whole_stage(name: str, **options):
        """The stage as a build runs it, with a fresh cache (nothing is reused between runs)."""
        translator = Translator({(model.from_code, model.to_code): model},
                                Cache(Path(tempfile.mkdtemp(dir=work)) / f"{name}.sqlite"), decoding, cores, **options)
        translator.translate(sentences, model.from_code, model.to_code)
        return translator

    import ctranslate2

    raw = ctranslate2.Translator(str(model.path / "model"), device="cpu", compute_type="int8",
                                 inter_threads=2, intra_threads=1)
    tokenizer = model._package.tokenizer
    tokens = [tokenizer.encode(s) for s in sentences]
    half = (len(tokens) + 1) // 2

    def raw_two_jobs(shortlist: bool = False):
        def raw_batch(chunk):
            return raw.translate_batch(chunk, max_batch_size=32, beam_size=args.beam, use_vmap=shortlist)

        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(raw_batch, [tokens[:half], tokens[half:]]))

    raw_two_jobs()
    # Rounds, each timing every method back to back: the machine is shared, so a method's best
    # round is its least disturbed one, and the ratios are taken from those.
    methods = {
        "raw translate_batch (2 jobs x 1 thread)": raw_two_jobs,
        **({"raw translate_batch with the shortlist": lambda: raw_two_jobs(True)} if model.shortlist else {}),
        "polydigest translate stage": lambda: model.translate(sentences, decoding, cores),
        "stage with checks, retry, n-best choice": lambda: whole_stage("full"),
        "stage with checks and retry, no choice": lambda: whole_stage("no-choice", choice_decodings=()),
    }
    seconds: dict[str, list[float]] = {name: [] for name in methods}
    cpu: dict[str, list[float]] = {name: [] for name in methods}
    outcome = {}
    for _ in range(args.rounds):
        for name, method in methods.items():
            started = time.process_time()  # this process's threads: CTranslate2's workers too
            outcome[name], spent = timed(method)
            seconds[name].append(spent)
            cpu[name].append(time.process_time() - started)
    translator, without_choice = outcome["stage with checks, retry, n-best choice"], \
        outcome["stage with checks and retry, no choice"]
    raw_seconds, stage_seconds, checked_seconds, no_choice_seconds = (
        min(seconds[name]) for name in methods if name != "raw translate_batch with the shortlist")

    argos_seconds = 0.0
    if not args.skip_argostranslate:
        import argostranslate.translate as argos

        translation = argos.PackageTranslation(argos.Language("en", "English"), argos.Language("pt", "Portuguese"),
                                               model._package)
        summaries = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        translation.translate(summaries[0])
        _, argos_seconds = timed(lambda: [translation.translate(s) for s in summaries])

    n = len(sentences)
    rows = [(name, min(spent)) for name, spent in seconds.items()]
    rows += [("argostranslate translate() per summary", argos_seconds)] if argos_seconds else []
    print(f"{'method':42} {'seconds':>8} {'sent/s':>8} {'CPU s':>6}   each round's seconds")
    for name, best in rows:
        print(f"{name:42} {best:8.2f} {n / best:8.1f} {min(cpu.get(name, [0])):6.2f}   "
              + " ".join(f"{t:.2f}" for t in seconds.get(name, [])))
    # CPU seconds barely depend on what else the machine runs: the ratio to trust on a busy machine.
    raw_cpu = min(cpu["raw translate_batch (2 jobs x 1 thread)"])
    print("CPU ratios (raw / method): " + ", ".join(f"{name.split(' (')[0]} {raw_cpu / min(spent):.2f}x"
                                                  for name, spent in cpu.items()))
    print(f"stage / raw translate_batch     = {raw_seconds / stage_seconds:.2f}x  (goal >= 0.9)")
    if model.shortlist:  # what the checks and retries cost on top of the same decoding
        shortlist_cpu = min(cpu["raw translate_batch with the shortlist"])
        whole = min(cpu["stage with checks, retry, n-best choice"])
        print(f"raw with the shortlist / raw = {raw_cpu / shortlist_cpu:.2f}x; "
              f"the whole stage / raw with the shortlist = {shortlist_cpu / whole:.2f}x (CPU)")
    print(f"stage with checks and choice / raw = {raw_seconds / checked_seconds:.2f}x  (goal >= 0.9; "
          f"{translator.retried} retried, {translator.chosen} chosen, {sum(translator.declined.values())} declined)")
    print(f"stage with checks and retry, no choice / raw = {raw_seconds / no_choice_seconds:.2f}x  "
          f"({sum(without_choice.declined.values())} declined)")
    if argos_seconds:
        print(f"stage / argostranslate per summary = {argos_seconds / stage_seconds:.2f}x  (goal >= 5)")


if __name__ == "__main__":
    main()
