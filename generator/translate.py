"""Stage 3: translate titles and summaries offline, checked sentence by sentence.

A pair with no direct model pivots through English. Batches of sentences run on the
executor through the Argos packages (argos.py); every output is checked (checks.py),
retried once with safer decoding when it fails, and its verdict cached by (model,
decoding, rules, text); the retry and the n-best choice after it publish the best-scored
of several candidates that passes every check before a sentence is declined. Portuguese
outputs are written in the site's one variety (variety.py).
``localize`` turns summaries into the articles each language's site shows.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from . import settings, stash
from .argos import (
    LONG_SENTENCE_WORDS,
    Decoding,
    ShippedModel,
    TranslationModel,
    candidates_batch,
    load_models,
    package_name,
    translate_batch,
)
from .cache import Cache, cache_keys
from .checks import CHECK_FAILED, MODEL_FAILED, RULES_VERSION, country_case, fold_accents, problems, reason_kind, repair
from .config import Config
from .errors import BuildError, MissingTranslation, ModelFailure, PolydigestError
from .executor import Executor, LocalExecutor, batches_of
from .faults import describe, is_whole_build_failure
from .languages import PIVOT, READING_VERSION, as_read, headline_case, is_styled_headline
from .memory import release_memory
from .progress import SILENT, Progress
from .records import Article, BuildReport, LocalizedArticle, Problem, Summary
from .stash import Stash
from .variety import normalize

PIVOT_LANGUAGE = PIVOT  # settings.toml: the [language.<code>] block with pivot = true
SAFER_DECODING = Decoding(beam_size=4, num_hypotheses=4, repetition_penalty=1.2, no_repeat_ngram_size=4)
"""The retry for a sentence whose translation failed the checks: the 4 best of a beam of 4 with
penalties against repetition (loops), the best-scored that passes every check. One batched call
rescues more than greedy decoding with the penalties followed by a plain beam's 4 best did, for
the same decoding work (bench/translation_choice.py, GUIDE.md)."""
CHOICE_DECODINGS = (Decoding(num_hypotheses=4, sampling_topk=10, sampling_temperature=0.8),)
"""The n-best choice for a sentence the retry did not rescue, in turn until a candidate passes:
4 samples among the 10 likeliest tokens; the best-scored candidate that passes every check is
published (8 samples rescued a sentence more in 1,000 at twice the cost: bench/translation_choice.py)."""


def find_route(
    models: dict[tuple[str, str], TranslationModel], source: str, target: str
) -> list[TranslationModel] | None:
    """Models to apply in turn: the direct pair, else source -> English -> target."""
    if (source, target) in models:
        return [models[(source, target)]]
    if PIVOT_LANGUAGE not in (source, target):
        first, second = models.get((source, PIVOT_LANGUAGE)), models.get((PIVOT_LANGUAGE, target))
        if first and second:
            return [first, second]
    return None


def missing_pair_message(source: str, target: str) -> str:
    language = source if target == PIVOT_LANGUAGE else target
    return (
        f"no Argos model translates {source} -> {target}, directly or through English. "
        f"Run 'polydigest models add {language}' (downloads from the Argos index) or "
        f"'polydigest models add {package_name(source, target)}.argosmodel' (a file you have; or "
        f"{package_name(source, PIVOT_LANGUAGE)} and {package_name(PIVOT_LANGUAGE, target)}), "
        f"or build with --skip-missing-languages to leave {target} out."
    )


TRANSLATION_BATCH = 256  # sentences per task: seconds of work, against milliseconds of scheduling
CACHED_EVERY = 4096  # sentences: their verdicts are cached together, so a killed build loses at most this many


@dataclass(frozen=True)
class Verdict:
    """What became of one text: its translation, or None where the checks declined every
    attempt (the reader then sees the original); why; and whether safer decoding was needed."""

    translation: str | None
    reasons: tuple[str, ...] = ()
    retried: bool = False
    chosen: bool = False
    """The translation is a candidate of the n-best choice, not the retry's best-scored one."""
    declined_by: tuple[str, str] | None = None
    """Where the translation is None: the pair whose step declined it and the text its model read."""

    def as_cached(self) -> dict:
        return {"translation": self.translation, "reasons": list(self.reasons), "retried": self.retried,
                "chosen": self.chosen}

    @classmethod
    def from_cached(cls, value: dict) -> Verdict:
        return cls(value["translation"], tuple(value["reasons"]), value["retried"], value.get("chosen", False))

    def then(self, step: Verdict) -> Verdict:
        """This verdict followed by the next step of a pivot route."""
        return Verdict(step.translation, self.reasons + step.reasons, self.retried or step.retried,
                       self.chosen or step.chosen, step.declined_by)


@dataclass
class Translator:
    """Translates texts along routes; every sentence is checked (checks.py), retried once
    with safer decoding when it fails, and the verdict is cached.

    Model failures (CTranslate2 rejecting an input) are verdicts too and are cached; errors
    of the machinery (out of memory, a lost cluster) are not: they propagate."""

    models: dict[tuple[str, str], TranslationModel]
    cache: Cache
    decoding: Decoding
    threads: int
    executor: Executor = field(default_factory=LocalExecutor)
    """Where batches run; default: this process."""
    safer_decoding: Decoding = SAFER_DECODING
    """The retry for a sentence that fails the checks."""
    choice_decodings: tuple[Decoding, ...] = CHOICE_DECODINGS
    """The n-best choice after the retry, in turn; () declines what the retry did not rescue."""
    portuguese: str | None = "pt-BR"
    """The variety Portuguese outputs are written in (variety.py); None leaves them as the model wrote."""
    translated: int = 0
    retried: int = 0
    chosen: int = 0
    """Sentences published from the n-best choice: not the retry's best-scored candidate."""
    repaired: int = 0
    """Published outputs whose currency was put back or corrected, or a quotation's closing mark
    (checks.repair), before the checks."""
    normalized: int = 0
    """Portuguese outputs with a word of the other variety rewritten (variety.py)."""
    progress: Progress = SILENT
    _declined: set[tuple[str, str, str]] = field(default_factory=set)
    """(pair, check that failed, text its model read) of every text declined."""

    @property
    def declined(self) -> Counter:
        """Texts shown in the original, by (pair, check that failed): each text once however
        often it was asked for (in each site language's route, cached or translated)."""
        return Counter((pair, kind) for pair, kind, _ in self._declined)

    @staticmethod
    def declined_entries(verdict: Verdict) -> list[tuple[str, str, str]]:
        """What ``declined`` counts of a verdict: (pair, check that failed, text) per reason."""
        if verdict.declined_by is None:
            return []
        pair, text = verdict.declined_by
        return [(pair, reason_kind(reason), text) for reason in verdict.reasons]

    def count_declined(self, entries: Iterable[tuple[str, str, str]]) -> None:
        self._declined.update(entries)

    def uncount_declined(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """Takes ``declined_entries`` of texts translated only to find their words again (a quoted
        phrase alone) out of ``declined``: declined, such a text is not shown in the original, its
        quotation is just left unmarked."""
        self._declined.difference_update(entries)

    def route_options(self, source: str, target: str) -> list[dict]:
        """What a cached verdict of each model of the route depends on besides its text."""
        return [self._cache_options(model) for model in self._route(source, target)]

    def _cache_options(self, model: TranslationModel) -> dict:
        """What a cached verdict of ``model`` depends on besides its text."""
        return {"model": model.identity, "decoding": self.decoding.options(), "clauses": LONG_SENTENCE_WORDS,
                "retry": self.safer_decoding.options(), "checks": RULES_VERSION,
                "rules": settings.digest("checks", "language"),
                "choice": [d.options() for d in self.choice_decodings],
                "variety": self.portuguese if model.to_code == "pt" else None}

    def _run(self, model: TranslationModel, texts: list[str], decoding: Decoding, pair: str,
             function=translate_batch, span: tuple[int, int] | None = None) -> list:
        """Outputs in order; None for a text the model itself fails on. A failing batch is
        split in halves until the failing texts are found. ``span``: (texts before these, texts
        in all) for the progress shown, when these are a part of a pair's texts."""
        remote = self.executor.remote
        handle = self.executor.share(model.identity, lambda: ShippedModel.of(model)) if remote else model
        batches = batches_of(texts, TRANSLATION_BATCH)
        before, total = span or (0, len(texts))

        def report(done: int, _: int) -> None:
            self.progress.step("translate", before + min(done * TRANSLATION_BATCH, len(texts)), total,
                               f"sentences {pair}")

        try:
            return [output for batch in self.executor.map(function, batches, model=handle, decoding=decoding,
                                                          threads=1 if remote else self.threads, progress=report)
                    for output in batch]
        except Exception as exc:  # the model (or its tokenizer) failed on a text: find which
            if is_whole_build_failure(exc) or isinstance(exc, PolydigestError) and not isinstance(exc, ModelFailure):
                raise
            if len(texts) == 1:
                return [None]
            middle = len(texts) // 2
            return (self._run(model, texts[:middle], decoding, pair, function)
                    + self._run(model, texts[middle:], decoding, pair, function))

    def _judge(self, model: TranslationModel, texts: list[str], source: dict[str, str], pair: str,
               span: tuple[int, int] | None = None) -> dict[str, Verdict]:
        """Translate, write Portuguese in the site's variety, repair currencies, check; retry
        the failures once with safer decoding (its n-best), then choose among further candidates;
        what still fails is declined. ``source``: what the model reads of each text (and the checks
        compare with: languages.as_read). ``span``: as ``_run``'s."""
        variety = self.portuguese if model.to_code == "pt" else None
        counts = Counter[str]()

        def judged(text: str, output: str | None, retried: bool, chosen: bool = False) -> tuple[Verdict, bool, bool]:
            """(verdict, whether it was repaired, whether it was normalized); the verdict's
            translation is None when it failed."""
            if output is None:
                return Verdict(None, (MODEL_FAILED,), retried), False, False
            try:
                normalized = normalize(output, variety) if variety else output
                repaired = repair(source[text], normalized, model.from_code, model.to_code)
                failed = tuple(problems(source[text], repaired, model.from_code, model.to_code))
            except Exception as exc:  # a check that fails on a text declines it: the original is shown
                if is_whole_build_failure(exc):
                    raise
                return Verdict(None, (f"{CHECK_FAILED}{describe(exc)}",), retried), False, False
            return (Verdict(None if failed else repaired, failed, retried, chosen and not failed),
                    repaired != normalized, normalized != output)

        def keep(text: str, result: tuple[Verdict, bool, bool]) -> None:
            verdict, was_repaired, was_normalized = result
            verdicts[text] = verdict
            if verdict.translation is not None:  # count on the attempt that is kept
                counts["repaired"] += was_repaired
                counts["normalized"] += was_normalized

        verdicts: dict[str, Verdict] = {}
        for text, output in zip(texts, self._run(model, [source[t] for t in texts], self.decoding, pair, span=span),
                                strict=True):
            keep(text, judged(text, output, False))
        for step, decoding in enumerate((self.safer_decoding, *self.choice_decodings)):
            # Only the retry tries again a text the model failed on.
            again = [text for text, verdict in verdicts.items() if verdict.translation is None
                     and (step == 0 or verdict.reasons != (MODEL_FAILED,))]
            if not again:
                break
            outputs = self._run(model, [source[t] for t in again], decoding, pair, candidates_batch)
            for text, hypotheses in zip(again, outputs, strict=True):
                # the best-scored candidate that passes every check; after the retry, only a passing one
                ranked = sorted(dict(hypotheses or []).items(), key=lambda pair: -pair[1])
                results = (judged(text, candidate, True, chosen=step > 0 or rank > 0)
                           for rank, (candidate, _) in enumerate(ranked))
                passing = next((result for result in results if result[0].translation is not None), None)
                if passing:
                    keep(text, passing)
                elif step == 0:  # the retry's own reasons
                    keep(text, judged(text, ranked[0][0] if ranked else None, True))
        self.repaired += counts["repaired"]
        self.normalized += counts["normalized"]
        return verdicts

    def _step(self, model: TranslationModel, texts: Iterable[str]) -> dict[str, Verdict]:
        texts = sorted(set(texts))
        pair = f"{model.from_code}->{model.to_code}"
        # by what the model reads (languages.as_read): a change to that is a new text to translate
        read = {text: as_read(text, model.from_code, self.portuguese) for text in texts}
        keys = dict(zip(texts, cache_keys("translation", "text", list(read.values()), **self._cache_options(model)),
                        strict=True))
        found = self.cache.get_many(list(keys.values()))
        cached = {t: found.get(k) for t, k in keys.items()}
        # one text of each reading: texts the model reads alike are translated once
        todo = list({keys[t]: t for t, v in cached.items() if v is None}.values())
        verdicts = {t: Verdict.from_cached(v) for t, v in cached.items() if v is not None}
        try:
            # In parts, each cached when done: a cold build of a large archive translates for an
            # hour, and one killed at its end kept nothing when all was cached at once.
            for start in range(0, len(todo), CACHED_EVERY):
                part = todo[start:start + CACHED_EVERY]
                fresh = self._judge(model, part, read, pair, (start, len(todo)))
                self.cache.put_many({keys[t]: v.as_cached() for t, v in fresh.items()})
                self.translated += len(part)
                self.retried += sum(v.retried for v in fresh.values())
                self.chosen += sum(v.chosen for v in fresh.values())
                verdicts.update(fresh)
        finally:
            if todo:
                # One model in memory at a time (each is ~60 MB loaded, four were held together
                # to the end of the build); loading one again takes a fraction of a second.
                model.unload()
                release_memory()
        alike = {keys[t]: verdicts[t] for t in todo}
        verdicts.update({t: alike[keys[t]] for t in texts if t not in verdicts})
        for text in texts:
            if verdicts[text].translation is None:
                verdicts[text] = dataclasses.replace(verdicts[text], declined_by=(pair, text))
                self.count_declined(self.declined_entries(verdicts[text]))
        return verdicts

    def _route(self, source: str, target: str) -> list[TranslationModel]:
        route = find_route(self.models, source, target)
        if route is None:
            raise MissingTranslation(missing_pair_message(source, target))
        return route

    def verdicts(self, texts: Iterable[str], source: str, target: str) -> dict[str, Verdict]:
        """{text: Verdict} from ``source`` into ``target``, through English where needed."""
        route = self._route(source, target)
        current = {t: Verdict(t) for t in texts}
        for model in route:
            step = self._step(model, [v.translation for v in current.values() if v.translation is not None])
            current = {original: verdict if verdict.translation is None else verdict.then(step[verdict.translation])
                       for original, verdict in current.items()}
        return current

    def article_verdicts(self, articles: list[tuple[str, ...]], source: str, target: str
                         ) -> list[tuple[Verdict, ...]]:
        """``verdicts`` of each article's texts (its headline and sentences), in order. What an
        article's texts became is cached as one entry besides each sentence's: a day's build of a
        large archive looked up each sentence of every article (1.2 million keys at 100,000)."""
        options = self.route_options(source, target)
        # what each model reads of them is as_read's (its version and rules): not each text read
        # again, ~12 µs each in every build of the archive
        keys = cache_keys("localized-texts", "texts", articles, route=options,
                          reading=[READING_VERSION, settings.digest("model_input"), self.portuguese])
        found = self.cache.get_many(list(dict.fromkeys(keys)))
        missing = {key: texts for texts, key in zip(articles, keys, strict=True) if key not in found}
        fresh = self.verdicts([text for texts in missing.values() for text in texts], source, target) \
            if missing else {}
        self.cache.put_many({key: _as_cached_texts([fresh[text] for text in texts]) for key, texts in missing.items()})
        results = []
        for texts, key in zip(articles, keys, strict=True):
            if key in missing:
                results.append(tuple(fresh[text] for text in texts))
                continue
            verdicts = _from_cached_texts(found[key])
            for verdict in verdicts:
                self.count_declined(self.declined_entries(verdict))
            results.append(verdicts)
        return results

    def translate(self, texts: Iterable[str], source: str, target: str) -> dict[str, str | None]:
        """{text: translation, or None where the checks declined it} from ``source`` into ``target``."""
        return {text: verdict.translation for text, verdict in self.verdicts(texts, source, target).items()}


def _as_cached_texts(verdicts: list[Verdict]) -> dict:
    """An article's verdicts as cached: the translations, and for each declined text why, by
    position (what was retried or chosen is counted when translated, not again)."""
    return {"translations": [v.translation for v in verdicts],
            "declined": {str(i): [list(v.reasons), list(v.declined_by or ())] for i, v in enumerate(verdicts)
                         if v.translation is None}}


def _from_cached_texts(value: dict) -> tuple[Verdict, ...]:
    declined = value["declined"]
    return tuple(Verdict(translation) if str(i) not in declined else
                 Verdict(None, tuple(declined[str(i)][0]), declined_by=tuple(declined[str(i)][1]) or None)
                 for i, translation in enumerate(value["translations"]))


def headline_source(article: Article) -> str:
    """What the models read of an article's headline: one in capitals or title case in the case
    its own text writes each word (languages.headline_case; 'Dollar Gains On Greenspan Speech'
    -> 'Dollar gains on Greenspan speech'), any other as written. Measured by bench/headlines.py."""
    if not is_styled_headline(article.title):
        return article.title  # as headline_case would, without reading the article's text
    return headline_case(article.title, article.text, article.language)


# A phrase in a pair of quotation marks ('…', ‘…’, "…", “…”, «…»), the marks not inside or next to a
# word, so that apostrophes ("Jones' medals", "O'Neill", "Macy's") are not marks; an apostrophe that
# starts a word ('90s, 'Tis, 'til, 'em, 'cause) opens nothing.
_QUOTED_PHRASE = re.compile(
    r"(?<![\w'’‘\"“”«»])(?:(['‘])(?!(?i:\d0s|tis|til|em|cause)\b)([^'‘’\"“”]{2,}?)(['’])"
    r"|([\"“])([^\"“”]{2,}?)([\"”])|(«)([^«»]{2,}?)(»))(?![\w'’‘\"“”«»])")
_SPAN_EDGE = " \t.,;:!?…()[]"
REQUOTE_SIMILARITY = 0.7
"""How alike (difflib's ratio, accents and case aside) a quoted phrase's own translation and a run
of the text's translation must be for the run to be marked as the quotation: its translation
in context often differs in a word ("para lançar a oferta" alone, "vai lançar oferta" in the
headline). Chosen by reading bench/headlines.py --quoted's tune half."""


@dataclass(frozen=True)
class Quotation:
    """A phrase a text quotes, its marks, and whether it opens or ends the text."""

    opening: str
    phrase: str
    closing: str
    opens: bool
    ends: bool


def quoted_phrases(text: str, longest: int | None = None) -> list[Quotation]:
    """Each phrase a text quotes (of at most ``longest`` words), in order: "Tories urge 'change at
    the top'" -> 'change at the top' in "'" and "'", ending the headline."""
    found = []
    for match in _QUOTED_PHRASE.finditer(text):
        opening, phrase, closing = (group for group in match.groups() if group is not None)
        if longest is None or len(phrase.split()) <= longest:
            found.append(Quotation(opening, phrase, closing, not text[:match.start()].strip(_SPAN_EDGE),
                                   not text[match.end():].strip(_SPAN_EDGE)))
    return found


def unquoted(text: str, longest: int | None = None) -> str:
    """What the models read of a text that quotes a phrase (of at most ``longest`` words): the text
    without the marks. With them the models garble or copy the quotation (the teacher too):
    "Tories urge 'change at the top'" -> "Tories pede 'm no topo'", "Parties warned over 'grey vote'"
    -> "… sobre 'vocança'", "Venezuela identifies 'idle' farms" -> "… fazendas 'idle'"; without,
    "Tories urge mudança no topo", "… voto cinzento", "… fazendas ociosas" (bench/headlines.py
    --quoted)."""
    def lifted(match: re.Match) -> str:
        phrase = next(group for group in match.groups()[1::3] if group is not None)
        return phrase if longest is None or len(phrase.split()) <= longest else match.group(0)

    return _QUOTED_PHRASE.sub(lifted, text)


def _exact_run(bare: list[str], wanted: list[str], marked: list[bool], quotation: Quotation
               ) -> tuple[int, int] | None:
    """Where the words ``wanted`` are, as they are, in ``bare`` (the translation's words folded,
    edge punctuation aside), unmarked, at the start or end when the quotation opened or ended the
    text: the usual case, and cheap."""
    size = len(wanted)
    for start in [0] if quotation.opens else [len(bare) - size] if quotation.ends else range(len(bare) - size + 1):
        end = start + size
        if start >= 0 and (end == len(bare) or not quotation.ends) and bare[start:end] == wanted \
                and not any(marked[start:end]):
            return start, end
    return None


def _likest_run(folded: list[str], bare: list[str], wanted: str, size: int, marked: list[bool],
                quotation: Quotation, matcher: difflib.SequenceMatcher) -> tuple[int, int] | None:
    """The first of the runs of about ``size`` words most like ``wanted``, if at least
    REQUOTE_SIMILARITY alike (from the start or to the end when the quotation opened or ended
    the text)."""
    # a run as alike holds a word starting as one of the wanted words (of three letters or more, if
    # any: not "a", "da"): only runs through one are tried
    stripped = [word.strip(_SPAN_EDGE) for word in wanted.split()]
    beginnings = {word[:3] for word in stripped if len(word) >= 3} or {word[:3] for word in stripped}
    anchors = [n for n, word in enumerate(bare) if word[:3] in beginnings]
    if not anchors:
        return None
    starts = [0] if quotation.opens else sorted({start for anchor in anchors
                                                  for start in range(max(0, anchor - size - 1), anchor + 1)})
    matcher.set_seq2(wanted)
    best, where = REQUOTE_SIMILARITY - 1e-9, None
    for start in starts:
        shortest, longest = start + max(1, size - 2), min(len(folded), start + size + 2)
        for end in [len(folded)] if quotation.ends else range(shortest, longest + 1):
            if any(marked[start:end]):
                break
            run = " ".join(folded[start:end]).strip(_SPAN_EDGE)
            if not run:
                continue
            matcher.set_seq1(run)
            # the cheap upper bounds spare most full comparisons
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                similarity = matcher.ratio()
                if similarity > best:
                    best, where = similarity, (start, end)
    return where


def requoted(translation: str, quotations: list[tuple[Quotation, str | None]]) -> str:
    """``translation`` of an ``unquoted`` text with each quotation marked again where its phrase's
    own translation (given with it) is found: the run of words most like it, at least
    REQUOTE_SIMILARITY alike, from the first word when the quotation opened the text and to the
    last when it ended it. A quotation found nowhere is left unmarked: plain words rather than
    marks around the wrong ones."""
    if not quotations:
        return translation
    words = translation.split()
    folded = [fold_accents(word) for word in words]
    bare = [word.strip(_SPAN_EDGE) for word in folded]
    marked = [False] * len(words)
    matcher = difflib.SequenceMatcher(autojunk=False)
    for quotation, phrase in quotations:
        wanted = fold_accents(phrase.strip(_SPAN_EDGE)) if phrase else ""
        if not phrase or not wanted:
            continue
        size = len(phrase.split())  # a run of about as many words
        where = _exact_run(bare, [word.strip(_SPAN_EDGE) for word in wanted.split()], marked, quotation)
        if where is None:
            where = _likest_run(folded, bare, wanted, size, marked, quotation, matcher)
        if where is None:
            continue
        start, end = where
        last_mark = quotation.phrase.rstrip()[-1:]  # the source's "?" or "!" stays inside: 'Why now?'
        edge = _SPAN_EDGE.replace(last_mark, "") if last_mark in "?!…" else _SPAN_EDGE
        first = words[start]
        lead = len(first) - len(first.lstrip(_SPAN_EDGE))
        words[start] = first[:lead] + quotation.opening + first[lead:]
        last = words[end - 1]
        trail = len(last) - len(last.rstrip(edge))
        words[end - 1] = last[:len(last) - trail] + quotation.closing + last[len(last) - trail:]
        marked[start:end] = [True] * (end - start)
    return " ".join(words)


def translate_texts(config: Config, texts: list[str], source: str, target: str) -> tuple[list[Verdict], Translator]:
    """Verdicts for ``texts`` in order, along the same path as a build: the project's models,
    routing through English, the cache and the checks (``polydigest translate``)."""
    models = load_models(config)  # claims the work folder the cache lives in
    cache = Cache(config.path(config.work_dir) / "cache.sqlite")
    try:
        translator = Translator(models, cache, Decoding(beam_size=config.beam_size),
                                config.translate_threads or config.cpu_count, portuguese=config.portuguese)
        verdicts = translator.verdicts([t for t in texts if t.strip()], source, target)
    finally:
        cache.close()
    return [verdicts.get(t, Verdict(t)) for t in texts], translator


def plan_languages(
    models: dict, summaries: list[Summary], config: Config, report: BuildReport
) -> list[str]:
    """Site languages that every article can reach; a missing pair fails the build
    unless ``skip_missing_languages`` is set, then that language is left out."""
    # Pairs between site languages must exist; an article in another language that no
    # model covers is shown in its own language instead (see localize).
    sources = sorted({s.article.language for s in summaries} & set(config.languages))
    languages = []
    for target in config.languages:
        missing = [src for src in sources if src != target and find_route(models, src, target) is None]
        if not missing:
            languages.append(target)
            continue
        message = missing_pair_message(missing[0], target)
        if not config.skip_missing_languages:
            raise BuildError(message)
        report.problems.append(Problem(f"language {target}", "skipped: " + message))
    if not languages:
        raise BuildError("no site language is left to build")
    return languages


_WORD = re.compile(r"[^\W\d_]{3,}")
# Lower-case words of names: "Osama bin Laden", "Robin van Persie" are no words to translate.
_NAME_PARTICLES = frozenset({"bin", "ibn", "van", "von", "der", "den", "del", "della", "dos", "das"})


SENTENCE_QUOTATION_WORDS = 4
"""A sentence's quotation of at most this many words is read as a headline's is (a claim, a name
for something: 'tax amnesty', 'carta branca'); a longer one is speech, read with its marks."""


_OPENING_MARK = re.compile(r"['‘\"“«]")


def model_texts(text: str, longest: int | None = None) -> tuple[str, ...]:
    """What the models translate of a text: the text ``unquoted`` (its quotations of at most
    ``longest`` words, every one when None: a headline's), then each of those phrases alone."""
    if not _OPENING_MARK.search(text):  # most texts: told apart in a fraction of a µs, every build
        return (text,)
    return (unquoted(text, longest), *(quotation.phrase for quotation in quoted_phrases(text, longest)))


RequoteJob = tuple[str, int | None, str, tuple[str | None, ...]]
"""What ``requoted`` makes a shown text of: the text, the longest quotation read unquoted, its
translation unquoted, and its quoted phrases' translations."""

REQUOTING_VERSION = 1
"""Raised when ``requoted`` would mark other words (it, ``_exact_run``, ``_likest_run``,
``quoted_phrases``, ``_QUOTED_PHRASE``, ``_SPAN_EDGE``, checks.fold_accents): its results are kept
in the cache."""


def requote_job(text: str, verdicts: Sequence[Verdict], longest: int | None = None) -> RequoteJob | None:
    """The ``requoted`` call that ``translated_text`` makes of a text's ``verdicts``, if any."""
    whole, *phrases = verdicts
    if whole.translation is None or not phrases:
        return None
    return text, longest, whole.translation, tuple(phrase.translation for phrase in phrases)


def _requote(job: RequoteJob) -> str:
    text, longest, translation, phrases = job
    return requoted(translation, list(zip(quoted_phrases(text, longest), phrases, strict=True)))


def requotings(jobs: Iterable[RequoteJob], cache: Cache | None) -> dict[RequoteJob, str]:
    """Each job's ``requoted`` translation, kept in ``cache``: searching for the quotations' words
    again in every build cost ~7 s of ``localize`` at 100,000 articles (~46,000 quoted texts;
    36-38 s without the cache, 30-32 s with it)."""
    jobs = list(dict.fromkeys(jobs))
    if cache is None or not jobs:
        return {job: _requote(job) for job in jobs}
    keys = dict(zip(map(str, range(len(jobs))), cache_keys(
        "requoted", "job", jobs, version=REQUOTING_VERSION, similarity=REQUOTE_SIMILARITY), strict=True))
    found = cache.lookup(keys, lambda names: {name: _requote(jobs[int(name)]) for name in names})
    return {job: found[str(n)] for n, job in enumerate(jobs)}


def translated_text(text: str, verdicts: Sequence[Verdict], source: str, target: str,
                    longest: int | None = None, requoted_before: dict[RequoteJob, str] | None = None
                    ) -> str | None:
    """What is shown for ``text`` from the ``verdicts`` of its ``model_texts``: its translation with
    its quotations marked again (as ``requoted_before`` holds it, when it does) and its countries'
    capitals (checks.country_case); None where the checks declined it."""
    whole = verdicts[0]
    if whole.translation is None:
        return None
    job = requote_job(text, verdicts, longest)
    shown = whole.translation if job is None else \
        requoted_before[job] if requoted_before and job in requoted_before else _requote(job)
    return country_case(text, shown, source, target)


def left_untranslated(source: str, translation: str) -> bool:
    """Whether the model gave a short text (a headline) back as it was though it has words to
    translate, two lower-case words of three letters or more (not name particles, not "iPod"):
    "Card fraudsters 'targeting web'" on a Portuguese page, not "Mansfield 0-1 Leyton Orient",
    "Osama bin Laden" or "Apple iPod nano". The checks' copy rule is for prose of five words or
    more (checks.RULES); a headline copied is shown as the original it is, its language marked,
    rather than passed for a translation (and no cached verdict changes: this is read from
    them). A script without case (Arabic, Chinese) is not told apart this way."""
    if translation.strip() != source.strip():  # every title passes here: the cheap test first
        return False
    return sum(1 for w in _WORD.findall(source) if w.islower() and w not in _NAME_PARTICLES) >= 2


def marked_cut(headline: str, title: str) -> str:
    """A translated ``title`` marked cut ("…") when its ``headline`` was cut: the pt -> en model
    writes "..." for it, but dropped it on 1 of 44 cut titles of a real build ("… against the")."""
    if headline.endswith("…") and not title.endswith(("…", "...")):
        return title.rstrip(" .,;:") + "…"
    return title


@dataclass(frozen=True)
class _Shown:
    """What an article shows in a site language it was not written in, and what showing it
    counted: a localize stash entry."""
    title: str | None
    """The translated title, None where the checks declined it."""
    title_left_as_is: bool
    """The model gave the title back untranslated: the original is shown."""
    sentences: tuple[str | None, ...]
    """Each sentence's translation, None where the checks declined it."""
    problems: tuple[str, ...]
    """Why texts are shown in the original (the reasons of ``shown_in_original``'s problems)."""
    declined: tuple[tuple[str, str, str], ...]
    """What its verdicts add to ``Translator.declined``."""
    uncounted: tuple[tuple[str, str, str], ...]
    """What its quoted phrases' verdicts take out of it again (``Translator.uncount_declined``)."""


def _shown_anew(group: list[Summary], headlines: list[str], source: str, target: str,
                translator: Translator) -> list[_Shown]:
    """What each article of ``group`` shows in ``target``, from its verdicts (cached or translated
    now); raises MissingTranslation when no route leads there."""
    # what the models read of each title and sentence: a text, then its quoted phrases alone
    reads = [(model_texts(headline), *(model_texts(t, SENTENCE_QUOTATION_WORDS) for t in s.sentences))
             for headline, s in zip(headlines, group, strict=True)]
    verdicts = translator.article_verdicts(
        [tuple(text for read in texts for text in read) for texts in reads], source, target)
    # each text's verdicts: its own, then its quoted phrases'
    parts_of = [[flat[begin:end] for begin, end in itertools.pairwise(
        [0, *itertools.accumulate(len(read) for read in texts)])]
        for texts, flat in zip(reads, verdicts, strict=True)]
    jobs = [job for s, headline, parts in zip(group, headlines, parts_of, strict=True)
            for job in [requote_job(headline, parts[0]),
                        *(requote_job(t, part, SENTENCE_QUOTATION_WORDS)
                          for t, part in zip(s.sentences, parts[1:], strict=True))]
            if job]
    requoted_before = requotings(jobs, translator.cache)
    shown = []
    for s, headline, texts, parts, flat in zip(group, headlines, reads, parts_of, verdicts, strict=True):
        title = translated_text(headline, parts[0], source, target, requoted_before=requoted_before)
        title = title and marked_cut(headline, title)
        left_as_is = title is not None and left_untranslated(texts[0][0], unquoted(title))
        problems = []
        declined = [part[0] for part in parts if part[0].translation is None]
        if declined:
            reasons = "; ".join(dict.fromkeys(r for v in declined for r in v.reasons))
            problems.append(f"{len(declined)} text(s) shown in {source} on the {target} site: "
                            f"the translation failed the checks ({reasons})")
        if left_as_is:
            problems.append(f"its title is shown in {source} on the {target} site: the model gave it back untranslated")
        shown.append(_Shown(
            title, left_as_is,
            tuple(translated_text(t, part, source, target, SENTENCE_QUOTATION_WORDS, requoted_before)
                  for t, part in zip(s.sentences, parts[1:], strict=True)),
            tuple(problems),
            tuple(entry for verdict in flat for entry in translator.declined_entries(verdict)),
            tuple(entry for part in parts for phrase in part[1:] for entry in translator.declined_entries(phrase))))
    return shown


# What the last build's articles showed in each site language (stash.py): a day's build of
# 100,000 articles derived it again from every article's cached verdicts (~30 s: the entries
# decoded, quotations marked again, countries' capitals, declines counted).
LOCALIZED_FILE = "localized.npz"
_LOCALIZED_VERSION = 1
# what makes the shown texts of the verdicts: a change to them derives every article's again
_DERIVING_CODE = ("translate.py", "checks.py", "variety.py", "languages.py")


@functools.cache
def _deriving_code() -> str:
    """These modules, Python (its Unicode data) and the libraries they read words and names with
    (sumy's stop words and stemmers, nltk's, Babel's CLDR)."""
    digest = hashlib.sha256(sys.version.encode())
    for module in _DERIVING_CODE:
        digest.update((Path(__file__).parent / module).read_bytes())
    for library in ("sumy", "nltk", "babel"):
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=?\0".encode())
    return digest.hexdigest()


def _shown_keys(group: list[Summary], source: str, target: str, translator: Translator) -> list[str]:
    """Each article's stash key: its title and text (what its headline is read from, headline_source),
    its sentences, the route's models and options, and what derives the shown texts from their
    verdicts."""
    articles = [[s.article.title, s.article.text_digest, list(s.sentences)] for s in group]
    return cache_keys("shown", "article", articles, source=source, target=target, code=_deriving_code(),
                      route=translator.route_options(source, target), variety=translator.portuguese,
                      reading=[READING_VERSION, REQUOTING_VERSION, settings.digest("model_input")])


def _save_shown(store: Stash, shown: dict[str, _Shown]) -> None:
    """The stash left as it was when a text holds the separator."""
    entries = list(shown.values())
    titles = stash.strings_array([entry.title or "" for entry in entries])  # None: told by "translated"
    sentences = stash.strings_array([text or "" for entry in entries for text in entry.sentences])
    if titles is None or sentences is None:
        return
    extras = {row: [entry.problems, entry.declined, entry.uncounted] for row, entry in enumerate(entries)
              if entry.problems or entry.declined or entry.uncounted}
    store.save({
        "keys": np.array(list(shown), "S64"), "titles": titles, "sentences": sentences,
        "translated": np.array([entry.title is not None for entry in entries] +
                               [text is not None for entry in entries for text in entry.sentences], bool),
        "left_as_is": np.array([entry.title_left_as_is for entry in entries], bool),
        "counts": np.array([len(entry.sentences) for entry in entries], np.int64),
        "extras": np.frombuffer(json.dumps(extras).encode(), np.uint8)}, _LOCALIZED_VERSION)


def _read_shown(arrays: dict[str, np.ndarray]) -> dict[str, _Shown]:
    """What ``_save_shown`` stashed, by key; ValueError when its parts do not fit together."""
    keys = [key.decode() for key in arrays["keys"].tolist()]
    counts = arrays["counts"].tolist()
    titles = stash.strings(arrays["titles"], len(keys))
    texts = stash.strings(arrays["sentences"], sum(counts))
    translated, left_as_is = arrays["translated"].tolist(), arrays["left_as_is"].tolist()
    if not len(counts) == len(left_as_is) == len(keys) or len(translated) != len(keys) + len(texts) \
            or min(counts, default=0) < 0:
        raise ValueError("its texts do not fit together")
    extras = {int(row): value for row, value in json.loads(arrays["extras"].tobytes()).items()}
    found, start = {}, 0
    for row, (key, title, count) in enumerate(zip(keys, titles, counts, strict=True)):
        sentences = tuple(text if translated[len(keys) + start + n] else None
                          for n, text in enumerate(texts[start:start + count]))
        problems, declined, uncounted = extras.get(row, [[], [], []])
        found[key] = _Shown(title if translated[row] else None, left_as_is[row], sentences, tuple(problems),
                            tuple(map(tuple, declined)), tuple(map(tuple, uncounted)))
        start += count
    return found


def localize(
    summaries: list[Summary], languages: list[str], translator: Translator, progress: Progress,
    shown_in_original: list[Problem],
) -> dict[str, list[LocalizedArticle]]:
    """Every article in every language: its own text where the language is its own, else
    the translation of its title and summary, else (no model) its own text with a note.
    What is shown in the original is added to ``shown_in_original``, by article. With a
    build's cache, what each article showed in the last build is read from its stash
    ``LOCALIZED_FILE`` (which is left holding this build's), and only the rest derived."""
    by_source: dict[str, list[Summary]] = defaultdict(list)
    for summary in summaries:
        by_source[summary.article.language].append(summary)
    store = translator.cache.stash(LOCALIZED_FILE) if translator.cache else None
    stashed = (store.load(_read_shown, _LOCALIZED_VERSION) or {}) if store else {}
    kept: dict[str, _Shown] = {}
    localized: dict[str, list[LocalizedArticle]] = {lang: [] for lang in languages}
    for n, target in enumerate(languages, 1):
        for source, group in sorted(by_source.items()):
            if source == target:
                localized[target] += [
                    LocalizedArticle(s, target, s.article.title, s.sentences, None) for s in group
                ]
                continue
            try:
                keys = _shown_keys(group, source, target, translator) if store else [""] * len(group)
                missing = [i for i, key in enumerate(keys) if key not in stashed]
                for key in keys:  # every text a verdict declined is counted before any is taken out
                    if key in stashed:
                        translator.count_declined(stashed[key].declined)
                anew = [group[i] for i in missing]
                fresh = dict(zip(missing, _shown_anew(anew, [headline_source(s.article) for s in anew], source,
                                                      target, translator), strict=True)) if missing else {}
            except MissingTranslation as exc:
                names = [s.article.source_file for s in group]
                shown_in_original.append(Problem(
                    f"translation {source} -> {target}",
                    f"{str(exc).split('. ')[0]}; {len(names)} article(s) shown in {source} on the {target} site: "
                    + ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")))
                localized[target] += [
                    LocalizedArticle(s, target, s.article.title, s.sentences, None, missing_model=True) for s in group
                ]
                continue
            for number, (s, key) in enumerate(zip(group, keys, strict=True)):
                shown = fresh[number] if number in fresh else stashed[key]
                if store:
                    kept[key] = shown
                translator.uncount_declined(shown.uncounted)
                title = shown.title if shown.title and not shown.title_left_as_is else s.article.title  # as written
                localized[target].append(LocalizedArticle(
                    s, target, title, tuple(text or t for t, text in zip(s.sentences, shown.sentences, strict=True)),
                    source, original_title=shown.title is None or shown.title_left_as_is,  # the original where declined
                    original_sentences=tuple(i for i, text in enumerate(shown.sentences) if text is None),
                ))
                shown_in_original += [Problem(s.article.source_file, reason) for reason in shown.problems]
        progress.say(f"[translate] {n}/{len(languages)} languages ({target} done)")
    if store:
        _save_shown(store, kept)
    return localized
