"""Stage 2: extractive summaries with sumy, in the article's own language.

The document is built from the cleaned paragraphs with an offline tokenizer (see
``languages``), so sumy never asks NLTK for data. Summaries keep source order and
are cached by content: an unchanged article is never summarized twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .cache import Cache, cache_key
from .config import Config
from .languages import ENGLISH_NAMES, OfflineTokenizer, stop_words
from .model import Article, Summary

log = logging.getLogger(__name__)

# Bump when a change here changes which sentences are chosen: it invalidates cached summaries.
SUMMARIZER_VERSION = 1


class UnsupportedLanguage(ValueError):
    pass


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


def select_sentences(article: Article, algorithm: str, count: int, max_input_sentences: int) -> tuple[str, ...]:
    """The summary sentences of one article, in source order."""
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
    heading = Paragraph([Sentence(article.title, tokenizer, is_heading=True)])
    document = ObjectDocumentModel([heading, *paragraphs])
    body = [s for p in paragraphs for s in p.sentences]
    if len(body) <= count:
        return tuple(str(s) for s in body)
    chosen = set(build_summarizer(algorithm, article.language)(document, count))
    return tuple(str(s) for s in body if s in chosen)


def summarize_all(
    articles: list[Article], config: Config, cache: Cache, progress: Callable[[int, int, str], None]
) -> tuple[list[Summary], int, list[tuple[Article, str]]]:
    """Summaries for all articles: (summaries, number computed, failures as (article, reason))."""
    summaries, failures, computed = [], [], 0
    for done, article in enumerate(articles, 1):
        progress(done, len(articles), article.source_file)
        key = cache_key(
            "summary", version=SUMMARIZER_VERSION, text=article.text, title=article.title,
            language=article.language, algorithm=config.summary_algorithm, sentences=config.summary_sentences,
            max_input=config.max_summary_input_sentences,
        )
        sentences = cache.get(key)
        if sentences is None:
            try:
                sentences = list(select_sentences(
                    article, config.summary_algorithm, config.summary_sentences, config.max_summary_input_sentences
                ))
            except UnsupportedLanguage as exc:
                failures.append((article, str(exc)))
                continue
            cache.put_many({key: sentences})
            computed += 1
        if not sentences:
            failures.append((article, "no sentences to summarize"))
            continue
        summaries.append(Summary(article, tuple(sentences)))
    return summaries, computed, failures
