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
from collections.abc import Callable

import numpy

from .cache import Cache, cache_key
from .config import DEFAULT_ALGORITHM, Config
from .errors import UnsupportedLanguage
from .languages import ENGLISH_NAMES, OfflineTokenizer, stop_words
from .model import Article, Summary

log = logging.getLogger(__name__)

# Bump when a change here changes which sentences are chosen: it invalidates cached summaries.
SUMMARIZER_VERSION = 3


def _summarizer_class(name: str):
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    return {
        "lexrank": LexRankSummarizer, "lsa": LsaSummarizer, "luhn": LuhnSummarizer,
        "textrank": TextRankSummarizer, "edmundson": EdmundsonSummarizer,
        "sumbasic": SumBasicSummarizer, "kl": KLSummarizer,
    }[name]


def build_summarizer(algorithm: str, language: str):
    """A configured sumy summarizer for the language: its stemmer and stop words."""
    from sumy.nlp.stemmers import Stemmer, null_stemmer

    if language not in ENGLISH_NAMES:
        raise UnsupportedLanguage(
            f"sumy cannot summarize language {language!r} (supported: {', '.join(sorted(ENGLISH_NAMES))})"
        )
    try:
        stemmer = Stemmer(ENGLISH_NAMES[language])
    except LookupError:
        stemmer = null_stemmer  # sumy has no stemmer for it: words are compared as written
    cls = _summarizer_class(algorithm)
    if algorithm == "edmundson":
        # Title and location methods need no hand-made cue-word lists.
        summarizer = cls(stemmer, cue_weight=0.0, key_weight=0.0, title_weight=1.0, location_weight=1.0)
        summarizer.null_words = stop_words(language)
    else:
        summarizer = cls(stemmer)
        summarizer.stop_words = stop_words(language)
    return summarizer


# The default summarizer, "lead-lexrank": news puts what matters first, so the first
# sentences (Lead-3) are a strong baseline that no stock sumy algorithm reaches. It rates
# sentences with sumy's LexRank, weights them by position, and fills a word budget with
# the best-scoring sentences, skipping near-duplicates, fragments, unbalanced quotes and
# pronoun-led sentences whose antecedent is not in the summary. Parameters were chosen on
# half of a 100-article news dev set and checked on the other half (README).
POSITION_DECAY = 4.0  # weight 1 / (1 + index / decay): the 5th sentence counts half the 1st
RATING_WEIGHT = 1.0  # LexRank percentile (0..1) can double a sentence's weight
MIN_WORDS = 5  # shorter "sentences" are bylines, datelines and fragments
MAX_OVERLAP = 0.6  # Jaccard similarity of content stems above which a sentence repeats another
_PRONOUN_START = {
    "en": r"(he|she|they|it|this|these|those|his|her|their|its|him|them)",
    "pt": r"(ele|ela|eles|elas|isso|isto|este|esta|esse|essa|estes|estas|esses|essas|seu|sua|seus|suas)",
}


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
        opens = text.count("“") != text.count("”") or text.count('"') % 2 == 1
        flags.append(open_quote or opens)
        if opens:
            open_quote = not open_quote
    return flags


def lead_lexrank(body: list, document, language: str, words: int, count: int) -> set[int]:
    """Positions in ``body`` of the sentences the default summarizer chooses."""
    summarizer = build_summarizer("lexrank", language)
    ratings = sentence_ratings(summarizer, document)
    percentile = _percentiles([ratings.get(s, 0.0) for s in body])
    score = [(1 + RATING_WEIGHT * percentile[i]) / (1 + i / POSITION_DECAY) for i in range(len(body))]
    ignored = stop_words(language)
    content = [{summarizer.stem_word(w.lower()) for w in s.words if w.lower() not in ignored} for s in body]
    pronoun = re.compile(r"^[\"'“‘]?" + _PRONOUN_START.get(language, r"(?!)") + r"\b", re.IGNORECASE)
    quoted = _inside_quotation([str(s) for s in body])
    chosen: list[int] = []
    length = 0
    for i in sorted(range(len(body)), key=lambda i: (-score[i], i)):
        text = str(body[i])
        size = len(text.split())
        if size < MIN_WORDS or quoted[i]:
            continue
        if i > 0 and pronoun.match(text) and i - 1 not in chosen:
            continue
        if any(len(content[i] & content[j]) > MAX_OVERLAP * max(1, len(content[i] | content[j])) for j in chosen):
            continue
        if words:
            if chosen and length + size > words:
                continue
            chosen.append(i)
            length += size
            if length >= 0.9 * words:
                break
        else:
            chosen.append(i)
            if len(chosen) >= count:
                break
    return set(chosen) or {0}


def select_sentences(article: Article, algorithm: str, count: int, max_input_sentences: int,
                     words: int = 0) -> tuple[str, ...]:
    """The summary sentences of one article, in source order: ``words`` is the budget of the
    default algorithm (0: ``count`` sentences instead); stock sumy algorithms take ``count``."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = OfflineTokenizer(article.language)
    paragraphs, budget = [], max_input_sentences
    for text in article.paragraphs:
        sentences = [Sentence(s, tokenizer) for s in tokenizer.to_sentences(text)[:budget]]
        budget -= len(sentences)
        if sentences:
            paragraphs.append(Paragraph(sentences))
        if budget <= 0:
            break
    if algorithm == "edmundson":  # the only one that reads headings (its title method)
        paragraphs.insert(0, Paragraph([Sentence(article.title, tokenizer, is_heading=True)]))
    document = ObjectDocumentModel(paragraphs)
    body = list(document.sentences)
    if algorithm == DEFAULT_ALGORITHM:
        if words and sum(len(str(s).split()) for s in body) <= words:
            return tuple(str(s) for s in body)
        return tuple(str(body[i]) for i in sorted(lead_lexrank(body, document, article.language, words, count)))
    if len(body) <= count:
        return tuple(str(s) for s in body)
    # sumy's Sentence compares by text: pick by identity, or a repeated line would come back twice
    chosen = {id(s) for s in build_summarizer(algorithm, article.language)(document, count)}
    return tuple(str(s) for s in body if id(s) in chosen)


def summarize_all(
    articles: list[Article], config: Config, cache: Cache, progress: Callable[[int, int, str], None],
    executor=None,
) -> tuple[list[Summary], int, list[tuple[Article, str]]]:
    """Summaries for all articles: (summaries, number computed, failures as (article, reason)).
    Articles not in the cache are summarized by ``executor`` (default: here), in chunks."""
    from .executor import LocalExecutor

    executor = executor or LocalExecutor()
    options = {"algorithm": config.summary_algorithm, "count": config.summary_sentences,
               "max_input_sentences": config.max_summary_input_sentences, "words": config.summary_words}
    keys = {
        article.slug: cache_key(
            "summary", version=SUMMARIZER_VERSION, text=article.text, title=article.title,
            language=article.language, algorithm=config.summary_algorithm, sentences=config.summary_sentences,
            words=config.summary_words, max_input=config.max_summary_input_sentences,
        )
        for article in articles
    }
    results = {article.slug: cache.get(keys[article.slug]) for article in articles}
    missing = [article for article in articles if results[article.slug] is None]
    done = len(articles) - len(missing)
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        outcomes = executor.summarize(chunk, options)
        cache.put_many({keys[a.slug]: o for a, o in zip(chunk, outcomes, strict=True) if isinstance(o, list)})
        results.update((a.slug, o) for a, o in zip(chunk, outcomes, strict=True))
        done += len(chunk)
        progress(done, len(articles), chunk[-1].source_file)
    summaries, failures = [], []
    for article in articles:
        outcome = results[article.slug]
        if isinstance(outcome, str):
            failures.append((article, outcome))
        elif not outcome:
            failures.append((article, "no sentences to summarize"))
        else:
            summaries.append(Summary(article, tuple(outcome)))
    return summaries, sum(isinstance(results[a.slug], list) for a in missing), failures


_CHUNK = 256  # articles between progress reports (and cache commits)
