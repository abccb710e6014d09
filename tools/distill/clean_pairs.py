"""Keep the teacher's translations that a reader could trust, so the student does not learn
the teacher's mistakes.

The Bergamot teacher turns pounds into euros ("£8m" -> "8 milhões de euros") and sometimes
drops or changes a number. Pairs that fail polydigest's own translation checks
(generator/checks.py: numbers, currencies, loops, length, copies) are left out of training;
before that, the teacher's two most frequent mistakes are repaired where that is unambiguous:
a source that names pounds and no euros, translated with euros and no pounds, gets "libras"
for "euros"; a source with one bracketed pound amount ("$16.6bn (£8.82bn)") whose
translation has one bracketed bare amount gets the pound sign back.

usage: python clean_pairs.py SRC TGT SOURCES TEACHER OUT_SOURCES OUT_TARGETS
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator import checks  # noqa: E402

_EUROS_IN_PORTUGUESE = ((re.compile(r"\beuros\b"), "libras"), (re.compile(r"\beuro\b"), "libra"))
# "$16.6bn (£8.82bn)" -> "US$ 16,6 bilhões (8,82 bilhões)": the pound sign of the bracket is lost.
_POUNDS_IN_BRACKETS = re.compile(r"\(£\d")
_BARE_AMOUNT_IN_BRACKETS = re.compile(r"\((\d[\d.,]*) (mil|milhão|milhões|bilhão|bilhões)\)")


def repaired(source: str, translation: str, source_language: str, target_language: str) -> str:
    if (source_language, target_language) != ("en", "pt"):
        return translation
    named = checks.currencies(source, source_language, by_name=True)
    written = checks.currencies(translation, target_language, by_name=True)
    if "GBP" in named and "GBP" not in written:
        if "EUR" not in named and "EUR" in written:
            for pattern, pounds in _EUROS_IN_PORTUGUESE:
                translation = pattern.sub(pounds, translation)
        elif len(_POUNDS_IN_BRACKETS.findall(source)) == 1 and len(_BARE_AMOUNT_IN_BRACKETS.findall(translation)) == 1:
            translation = _BARE_AMOUNT_IN_BRACKETS.sub(r"(£ \1 \2)", translation)
    return translation


def main() -> None:
    source_language, target_language, sources, teacher, out_sources, out_targets = sys.argv[1:7]
    kept_sources, kept_targets, dropped, fixed, left_out = [], [], Counter(), 0, 0
    pairs = zip(Path(sources).read_text(encoding="utf-8").splitlines(),
                Path(teacher).read_text(encoding="utf-8").splitlines(), strict=True)
    for source, translation in pairs:
        better = repaired(source, translation, source_language, target_language)
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
    print(f"kept {len(kept_sources)} pairs, left out {left_out}; repaired {fixed} (pounds); "
          f"left out by check: {dict(dropped)}")


if __name__ == "__main__":
    main()
