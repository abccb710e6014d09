"""Keep the teacher's translations that a reader could trust, so the student does not learn
the teacher's mistakes.

The Bergamot teacher turns pounds into euros ("£8m" -> "8 milhões de euros") and sometimes
drops or changes a number. Pairs that fail polydigest's own translation checks
(generator/checks.py: numbers, currencies, loops, length, copies) are left out of training;
before that, a currency the teacher lost is put back where that is unambiguous, with the
same repair the build applies (``checks.repair_currency``: "8 milhões de euros" for "£8m"
becomes "8 milhões de libras"; "(8,82 bilhões)" for "(£8.82bn)" gets its sign back).

usage: python clean_pairs.py SRC TGT SOURCES TEACHER OUT_SOURCES OUT_TARGETS
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator import checks  # noqa: E402


def main() -> None:
    source_language, target_language, sources, teacher, out_sources, out_targets = sys.argv[1:7]
    kept_sources, kept_targets, dropped, fixed, left_out = [], [], Counter(), 0, 0
    pairs = zip(Path(sources).read_text(encoding="utf-8").splitlines(),
                Path(teacher).read_text(encoding="utf-8").splitlines(), strict=True)
    for source, translation in pairs:
        better = checks.repair_currency(source, translation, source_language, target_language)
        fixed += better != translation
        reasons = checks.problems(source, better, source_language, target_language)
        if reasons:
            dropped.update({checks.reason_kind(r) for r in reasons})
            left_out += 1
            continue
        kept_sources.append(source)
        kept_targets.append(better)
    Path(out_sources).write_text("\n".join(kept_sources) + "\n", encoding="utf-8")
    Path(out_targets).write_text("\n".join(kept_targets) + "\n", encoding="utf-8")
    print(f"kept {len(kept_sources)} pairs, left out {left_out}; repaired {fixed} (currencies); "
          f"left out by check: {dict(dropped)}")


if __name__ == "__main__":
    main()
