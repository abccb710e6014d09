"""Stage 2: extractive summaries with sumy, in the article's own language.

The document is built from the cleaned paragraphs with an offline tokenizer (see
``languages``), so sumy never asks NLTK for data. Summaries keep source order and
are cached by content: an unchanged article is never summarized twice.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar, overload

import numpy
from threadpoolctl import threadpool_limits

from . import settings
from .cache import Cache, cache_key
from .executor import Executor, LocalExecutor, batches_of
from .faults import failed, result_or_failure
from .languages import ENGLISH_NAMES, LANGUAGES, OfflineTokenizer, stemmer, stop_words, word_count
from .progress import SILENT, Progress
from .records import Article, Problem, Summary

log = logging.getLogger(__name__)
T = TypeVar("T")

# Bump when a change here changes which sentences are chosen: it invalidates cached summaries.
SUMMARIZER_VERSION = 9  # 9: parts that are no news taken out of sentences (NOT_NEWS)


def sumy_knows(language: str) -> bool:
    """Whether sumy has a stemmer and stop words for the language (else words are compared
    as written and the summary is the lead sentences: see ``select_sentences``)."""
    return language in ENGLISH_NAMES and bool(stop_words(language))


# The default summarizer, "lead": news puts what matters first, so the first sentences
# (Lead-3) are a baseline that no stock sumy algorithm reaches (GUIDE.md). It takes the
# article's usable sentences in order until the next would pass a word budget, skipping
# fragments, captions, pieces of longer quotations, near-repeats, and sentences that point
# back ("He", "But") without the sentence before them. "lead-lexrank" orders sentences by
# sumy's LexRank rating weighted by position instead. Both were cross-validated on a news dev
# set (bench/rouge.py); the budget is the one parameter of "lead".
_RULES = settings.section("summarize")
POSITION_DECAY = _RULES["position_decay"]  # lead-lexrank: the weight of a sentence by its position
LEXRANK_WEIGHT = _RULES["lexrank_weight"]  # lead-lexrank: what its LexRank percentile adds
MIN_WORDS = _RULES["min_words"]  # shorter "sentences" are bylines, datelines and fragments
MAX_OVERLAP = _RULES["max_overlap"]  # content-stem similarity above which a sentence repeats another
# Photo credits, captions and bylines that extraction can leave among the sentences.
CAPTION = settings.pattern(_RULES["caption"]["patterns"])
NOT_NEWS = settings.pattern(_RULES["not_news"])
_WORD = re.compile(r"\w")
_POINTS_BACK = {code: re.compile(r"^[\"'“‘]?(?:" + "|".join(language.points_back) + r")\b", re.IGNORECASE)
                for code, language in LANGUAGES.items() if language.points_back}


_CLOSED = re.compile(r"[.!?…。！？؟:;][\"'”’»)\]]*\s*$")


def dangling_start(text: str, language: str) -> bool:
    """True when ``text`` opens with a pronoun or connective that points at an earlier sentence."""
    opening = _POINTS_BACK.get(language)
    return opening is not None and opening.match(text) is not None


def unbalanced_quote(text: str) -> bool:
    """True when a quotation opens or closes in ``text`` but not both: a sentence cut out of a
    longer quote. Straight and curly double quotes count alike: pages mix them ("… ”)."""
    return sum(text.count(mark) for mark in '"“”«»') % 2 == 1


def faithfulness_problems(summary: list[str], sentences: list[str], language: str) -> set[str]:
    """What is wrong with a summary (chosen from ``sentences``, the article's, in order), by kind:
    'dangling' (a pronoun or connective start whose preceding sentence is not in the summary),
    'quote' (a sentence cut out of a longer quotation), 'caption' (a photo credit or byline)."""
    chosen = set(summary)
    problems = set()
    for index, text in enumerate(sentences):
        if text not in chosen:
            continue
        if dangling_start(text, language) and (index == 0 or sentences[index - 1] not in chosen):
            problems.add("dangling")
        if unbalanced_quote(text):
            problems.add("quote")
        if CAPTION.search(text):
            problems.add("caption")
    return problems


def sentence_ratings(summarizer, document) -> dict:
    """Every sentence's rating from any sumy summarizer: sumy summarizers all pass their
    ratings (a mapping or a rating function) to ``_get_best_sentences``; capture them there."""
    captured = {}

    def capture(sentences, count, rating, *args, **kwargs):
        for sentence in sentences:
            captured[sentence] = rating(sentence, *args, **kwargs) if callable(rating) else rating[sentence]
        return ()

    summarizer._get_best_sentences = capture
    with numpy.errstate(invalid="ignore", divide="ignore"):  # LexRank on 1-2 sentences divides by 0
        summarizer(document, len(document.sentences))
    return {s: float(r) if math.isfinite(r) else 0.0 for s, r in captured.items()}


def _percentiles(values: list[float]) -> list[float]:
    """Rank of each value scaled to 0..1; equal values share their average rank."""
    counts = Counter(values)
    last = max(1, len(values) - 1)
    below, first_rank = 0, {}
    for value in sorted(counts):
        first_rank[value] = below
        below += counts[value]
    return [(first_rank[v] + (counts[v] - 1) / 2) / last for v in values]


def _inside_quotation(sentences: list[str]) -> list[bool]:
    """Sentences that leave a quotation open or lie inside one that spans sentences: out
    of their quotation they read as the writer's words, or leave a dangling quote mark."""
    flags, open_quote = [], False
    for text in sentences:
        opens = unbalanced_quote(text)
        flags.append(open_quote or opens)
        if opens:
            open_quote = not open_quote
    return flags


class OnDemand(Sequence[T]):
    """A list whose items are computed when first read. The lead summary reads only an
    article's first sentences: stemming every sentence up front was ~85 % of its time."""

    def __init__(self, size: int, compute: Callable[[int], T]):
        self._positions = range(size)
        self._compute = compute
        self._known: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in self._positions[index]]
        position = self._positions[index]  # IndexError past the end, as a list
        if position not in self._known:
            self._known[position] = self._compute(position)
        return self._known[position]


@dataclass(frozen=True)
class Candidates:
    """What the default summarizer knows of each sentence of one article, computed once."""

    texts: list[str]
    percentile: list[float]
    """LexRank rating, as a percentile (0..1) among the article's sentences."""
    content: Sequence[set[str]]
    """Stems of the content words, to recognize a sentence that repeats another."""
    usable: Sequence[bool]
    """Neither a fragment, a caption or byline, nor a piece of a longer quotation."""
    dangling: list[bool]
    """Opens with a pronoun or connective: usable only after the sentence before it."""


def candidates(body: list, document, language: str, rated: bool, title: str = "") -> Candidates:
    """``rated``: compute LexRank ratings (quadratic in sentences), else every percentile is 0.
    A sentence that repeats the ``title`` (the page shows it as the heading) is not usable."""
    summarizer = LEXRANK.build(language)
    ratings = sentence_ratings(summarizer, document) if rated else {}
    texts = [str(s) for s in body]
    ignored = stop_words(language)

    def content(words) -> set[str]:
        return {summarizer.stem_word(w.lower()) for w in words if w.lower() not in ignored}

    stems = OnDemand(len(body), lambda i: content(body[i].words))
    # a title cut short ("…") says less than the sentence it was cut from: that one stays usable
    heading = content(OfflineTokenizer(language).to_words(title)) if title and not title.endswith("…") else set()
    quoted = _inside_quotation(texts)
    # A line without a closing stop in text whose sentences mostly have one is a subhead or
    # a caption ("Trains run again from Monday"); in scripts written without stops, no rule.
    closed = [bool(_CLOSED.search(t)) for t in texts]
    subhead = [not c and sum(closed) * 2 >= len(texts) for c in closed]
    return Candidates(
        texts=texts,
        percentile=_percentiles([ratings.get(s, 0.0) for s in body]),
        content=stems,
        usable=OnDemand(len(texts), lambda i: word_count(texts[i]) >= MIN_WORDS and not quoted[i]
                        and not subhead[i] and not CAPTION.search(texts[i]) and not _repeats(stems[i], heading)),
        dangling=[dangling_start(t, language) for t in texts],
    )


def _repeats(content: set[str], other: set[str]) -> bool:
    """Two sentences say the same: their content stems overlap by more than MAX_OVERLAP."""
    return len(content & other) > MAX_OVERLAP * max(1, len(content | other))


def choose(c: Candidates, words: int, count: int, decay: float = POSITION_DECAY,
           rating_weight: float = 0.0) -> list[int]:
    """Positions of the chosen sentences, in source order: usable sentences by score (position,
    optionally weighted by LexRank), until the next one would pass the word budget (or until
    ``count`` sentences when ``words`` is 0). A sentence that points back ("He", "But") is
    taken only with the sentence before it; one that repeats a chosen one is skipped."""
    score = [(1 + rating_weight * c.percentile[i]) / (1 + i / decay) for i in range(len(c.texts))]
    chosen: list[int] = []
    length = 0
    for i in sorted(range(len(c.texts)), key=lambda i: (-score[i], i)):
        size = word_count(c.texts[i])
        if not c.usable[i] or (c.dangling[i] and (i == 0 or i - 1 not in chosen)):
            continue
        if any(_repeats(c.content[i], c.content[j]) for j in chosen):
            continue
        if words and chosen and length + size > words:
            break  # a later, shorter sentence that would still fit is less central: stop here
        chosen.append(i)
        length += size
        if not words and len(chosen) >= count:
            break
    chosen.sort()
    if chosen:
        return chosen
    # nothing fits the rules: the first usable sentence, one that does not point back if possible
    fallback = [i for i, ok in enumerate(c.usable) if ok]
    return [next((i for i in fallback if not c.dangling[i]), fallback[0] if fallback else 0)]


@dataclass(frozen=True)
class Summarizer:
    """One choice of ``summary_algorithm``: how a document's sentences are chosen. Registered
    by name in ``SUMMARIZERS``, where the option's choices and help come from."""

    name: str
    description: str = ""
    """For the help of summary_algorithm; '' for a stock sumy algorithm (listed by name)."""
    reads_title: ClassVar[bool] = False
    """The document starts with the title as a heading (Edmundson's title method reads it)."""

    def select(self, document: Any, article: Article, count: int, words: int) -> tuple[str, ...]:
        """The chosen sentences, in source order."""
        raise NotImplementedError


@dataclass(frozen=True)
class LeadSummarizer(Summarizer):
    """Usable sentences by position (optionally weighted by LexRank) under the word budget."""

    rating_weight: float = 0.0

    def select(self, document: Any, article: Article, count: int, words: int) -> tuple[str, ...]:
        found = candidates(list(document.sentences), document, article.language, rated=self.rating_weight > 0,
                           title=article.title)
        return tuple(found.texts[i] for i in choose(found, words, count, POSITION_DECAY, self.rating_weight))


@dataclass(frozen=True)
class SumySummarizer(Summarizer):
    """A stock sumy summarizer (``sumy.summarizers.<module>.<class>``), with the language's
    stemmer and stop words; it takes ``count`` sentences."""

    sumy_class: str = ""
    """'<module>.<class>' under sumy.summarizers."""

    def build(self, language: str) -> Any:
        import importlib

        module, name = self.sumy_class.rsplit(".", 1)
        summarizer = getattr(importlib.import_module(f"sumy.summarizers.{module}"), name)(stemmer(language))
        summarizer.stop_words = stop_words(language)
        return summarizer

    def select(self, document: Any, article: Article, count: int, words: int) -> tuple[str, ...]:
        body = list(document.sentences)
        if len(body) <= count:
            return tuple(str(s) for s in body)
        # sumy's Sentence compares by text: pick by identity, or a repeated line would come back twice
        chosen = {id(s) for s in self.build(article.language)(document, count)}
        return tuple(str(s) for s in body if id(s) in chosen)


@dataclass(frozen=True)
class EdmundsonSummarizer(SumySummarizer):
    reads_title = True

    def build(self, language: str) -> Any:
        from sumy.summarizers.edmundson import EdmundsonSummarizer as Edmundson

        # Title and location methods need no hand-made cue-word lists.
        summarizer = Edmundson(stemmer(language), cue_weight=0.0, key_weight=0.0, title_weight=1.0,
                               location_weight=1.0)
        summarizer.null_words = stop_words(language)
        return summarizer


LEXRANK = SumySummarizer("lexrank", sumy_class="lex_rank.LexRankSummarizer")  # also rates sentences for the lead
SUMMARIZERS: dict[str, Summarizer] = {summarizer.name: summarizer for summarizer in (
    LeadSummarizer("lead", "the article's first usable sentences under a word budget; beats Lead-3 out of fold"),
    LeadSummarizer("lead-lexrank", "sumy LexRank ratings weighted by position, same budget", LEXRANK_WEIGHT),
    LEXRANK,
    SumySummarizer("lsa", sumy_class="lsa.LsaSummarizer"),
    SumySummarizer("luhn", sumy_class="luhn.LuhnSummarizer"),
    SumySummarizer("textrank", sumy_class="text_rank.TextRankSummarizer"),
    EdmundsonSummarizer("edmundson"),
    SumySummarizer("sumbasic", sumy_class="sum_basic.SumBasicSummarizer"),
    SumySummarizer("kl", sumy_class="kl.KLSummarizer"),
)}
"""Every summary_algorithm, by name: a new one is one entry here (and its test)."""
DEFAULT_SUMMARIZER = "lead"
UNKNOWN_LANGUAGE_SUMMARIZER = "lead"  # sumy's ratings need stems and stop words; the lead needs neither


def describe_summarizers() -> str:
    """The choices of summary_algorithm, for its help."""
    described = [f"{s.name} ({s.description})" for s in SUMMARIZERS.values() if s.description]
    stock = [s.name for s in SUMMARIZERS.values() if not s.description]
    return ", ".join(described) + (f" or a stock sumy algorithm ({', '.join(stock)})" if stock else "")


def _news_only(sentence: str) -> str:
    """``sentence`` without the parts that are no news (NOT_NEWS: "(veja vídeo acima)")."""
    return NOT_NEWS.sub("", sentence).strip()


def select_sentences(article: Article, algorithm: str, count: int, max_input_sentences: int,
                     words: int = 0) -> tuple[str, ...]:
    """The summary sentences of one article, in source order: ``words`` is the budget of the
    default algorithm (0: ``count`` sentences instead); stock sumy algorithms take ``count``."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    summarizer = SUMMARIZERS[algorithm if sumy_knows(article.language) else UNKNOWN_LANGUAGE_SUMMARIZER]
    tokenizer = OfflineTokenizer(article.language)
    paragraphs, budget = [], max_input_sentences
    for text in article.paragraphs:
        texts = [_news_only(s) for s in tokenizer.to_sentences(text)[:budget]]
        sentences = [Sentence(s, tokenizer) for s in texts if _WORD.search(s)]  # "(Veja o vídeo acima)." leaves "."
        budget -= len(texts)
        if sentences:
            paragraphs.append(Paragraph(sentences))
        if budget <= 0:
            break
    if summarizer.reads_title:
        paragraphs.insert(0, Paragraph([Sentence(article.title, tokenizer, is_heading=True)]))
    return summarizer.select(ObjectDocumentModel(paragraphs), article, count, words)


def summarize_batch(articles: list[Article], options: dict) -> list[tuple[str, ...] | str]:
    """Summaries of a batch of articles (run by an executor, maybe in another process); for an
    article the summarizer fails on, why, as text."""
    # sumy's LSA and LexRank do many small matrix operations: threaded BLAS makes them ~10x slower
    with threadpool_limits(limits=1, user_api="blas"):
        return [result_or_failure(select_sentences, article, **options) for article in articles]


def opening_words(article: Article, words: int) -> tuple[str, ...]:
    """The article's first paragraph, cut to ``words`` words: the summary of an article the
    summarizer failed on."""
    tokens = article.paragraphs[0].split() if article.paragraphs else []
    return (" ".join(tokens[:words]) + ("…" if len(tokens) > words else ""),) if tokens else ()


class SummaryOptions(Protocol):
    """What the stage reads of the build's Config (a Protocol: config imports this module for
    summary_algorithm's choices, so this module does not import config)."""

    summary_algorithm: str
    summary_sentences: int
    summary_words: int
    max_summary_input_sentences: int


def summarize_all(
    articles: list[Article], config: SummaryOptions, cache: Cache, progress: Progress = SILENT,
    executor: Executor | None = None,
) -> tuple[list[Summary], int, list[Problem]]:
    """Summaries for all articles: (summaries, number computed, problems: articles without a
    sentence to summarize, and those in a language sumy does not know, which are summarized by
    their lead sentences). Articles not in the cache are summarized by ``executor`` (default:
    here), in chunks."""
    executor = executor or LocalExecutor()
    options = {"algorithm": config.summary_algorithm, "count": config.summary_sentences,
               "max_input_sentences": config.max_summary_input_sentences, "words": config.summary_words}
    keys = {
        article.slug: cache_key(
            "summary", version=SUMMARIZER_VERSION, text=article.text_digest, title=article.title,
            language=article.language, algorithm=config.summary_algorithm, sentences=config.summary_sentences,
            words=config.summary_words, max_input=config.max_summary_input_sentences,
            rules=settings.digest("summarize", "sentences", "language"),
        )
        for article in articles
    }
    found = cache.get_many(list(keys.values()))
    results = {article.slug: found.get(keys[article.slug]) for article in articles}
    missing = [article for article in articles if results[article.slug] is None]
    done = len(articles) - len(missing)
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        outcomes = [outcome for batch in executor.map(summarize_batch, batches_of(chunk, SUMMARY_BATCH),
                                                      processes=True, options=options)
                    for outcome in batch]
        cache.put_many({keys[a.slug]: o for a, o in zip(chunk, outcomes, strict=True) if not isinstance(o, str)})
        results.update((a.slug, o) for a, o in zip(chunk, outcomes, strict=True))
        done += len(chunk)
        progress.step("summarize", done, len(articles), chunk[-1].source_file)
    summaries, problems = [], []
    for article in articles:
        outcome = results[article.slug]
        if isinstance(outcome, str):
            problems.append(Problem(article.source_file, failed("summarize", outcome, "its opening words are shown")))
            outcome = opening_words(article, config.summary_words or FALLBACK_WORDS)
        if not outcome:
            problems.append(Problem(article.source_file, "no sentences to summarize; skipped"))
            continue
        summaries.append(Summary(article, tuple(outcome)))
        if not sumy_knows(article.language):
            problems.append(Problem(article.source_file, f"sumy has no stemmer or stop words for "
                                    f"{article.language!r}: summarized by its lead sentences"))
    return summaries, len(missing), problems


_CHUNK = 256  # articles between progress reports (and cache commits)
FALLBACK_WORDS = _RULES["fallback_words"]  # opening words shown when the summarizer failed, with no word budget
SUMMARY_BATCH = 16  # articles per task: enough to hide the cost of a task
