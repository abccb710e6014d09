"""Acronyms the teacher translates (US -> EUA, GDP -> PIB): the exceptions of the acronym check.

Counts, over training pairs (never the held-out split), how often each acronym of the source
appears unchanged in the teacher's translation; an acronym seen at least --min-count times
and kept less often than --keep-rate is one the target language writes differently. Prints
the list for generator/settings.toml ([checks.translated_acronyms]).

usage: python acronyms.py SRC TGT SOURCES TEACHER [--min-count 5] [--keep-rate 0.8]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator import checks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("source", "target"):
        parser.add_argument(name)
    for name in ("sources", "teacher"):
        parser.add_argument(name, type=Path)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--keep-rate", type=float, default=0.8)
    args = parser.parse_args()
    seen, kept = Counter(), Counter()
    pairs = zip(args.sources.read_text(encoding="utf-8").splitlines(),
                args.teacher.read_text(encoding="utf-8").splitlines(), strict=True)
    for source, translation in pairs:
        for acronym in set(checks.acronyms(source)):
            seen[acronym] += 1
            kept[acronym] += acronym in checks.acronyms(translation)
    translated = sorted(a for a, n in seen.items() if n >= args.min_count and kept[a] / n < args.keep_rate)
    print(f"{args.source}-{args.target} = {translated}")


if __name__ == "__main__":
    main()
