"""Between translate and render: from a pile of articles to a digest of stories.

- **Related stories.** Articles about the same event, from different sources and in
  different languages, are compared in one language (English when it is a site
  language, else the default one: every article has a summary there, original or
  translated) by TF-IDF cosine similarity of title + summary; pairs at or above
  ``RELATED_THRESHOLD`` are linked, and linked articles form one story. Only articles
  dated within ``STORY_DAYS`` of each other are compared (an event is news for days, and
  an archive of years then costs what its days cost), and a story stops growing at
  ``MAX_STORY_ARTICLES`` (the strongest links are taken first), so a chain of loosely
  similar articles cannot swallow the archive.
- **Topics.** A few tags per article: the names (runs of capitalized words: people,
  places, organizations) that recur in its text or appear in its title.

Both methods are plain and inspectable; the threshold was measured (README, bench/related.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .cache import Cache, cache_key
from .errors import MissingTranslation
from .faults import describe, failed, is_whole_build_failure
from .languages import ENGLISH_NAMES, split_words, stop_words
from .records import LocalizedArticle, Problem, Summary
from .translate import Translator

T = TypeVar("T")

RELATED_THRESHOLD = 0.25  # inside the range (0.15-0.40) that separates the labelled set perfectly
MAX_TAGS = 4


MAX_RELATED = 8  # links per article page: a long-running story must not make pages quadratic
STORY_DAYS = 3  # articles further apart than this are not compared
MAX_STORY_ARTICLES = 30
TERMS_VERSION = 1  # bump when _terms or extract_tags change: it invalidates their cached results


@dataclass(frozen=True)
class Story:
    """Articles about one event; ``slugs`` newest first (the first one leads)."""

    slugs: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    stories: list[Story]
    """Newest story first."""
    related: dict[str, tuple[str, ...]]
    """Per article: the most similar articles of its story, most similar first."""


@functools.cache
def _stemmer(language: str):
    """The language's stemmer, remembering each word's stem (news reuses its vocabulary)."""
    from sumy.nlp.stemmers import Stemmer

    try:
        stemmer = Stemmer(ENGLISH_NAMES.get(language, language))
    except LookupError:
        return str.lower
    return functools.lru_cache(maxsize=200_000)(stemmer)


def _terms(text: str, language: str, stem) -> Counter:
    ignored = stop_words(language)
    return Counter(stem(w.lower()) for w in split_words(text) if w.lower() not in ignored and len(w) > 1)


def _or_failure(compute: Callable[..., T], *args: Any) -> T | str:
    """``compute(*args)``, or why it failed on this article (cached like a result, so that
    every build reports it, until the article or the code changes)."""
    try:
        return compute(*args)
    except Exception as exc:  # one article's failure stays that article's
        if is_whole_build_failure(exc):
            raise
        return describe(exc)


def _report(item: LocalizedArticle, error: str, problems: list[Problem]) -> None:
    problems.append(Problem(item.article.source_file, failed("stories", error, "a story of its own, with no topics")))


def similarities(items: list[LocalizedArticle], cache: Cache | None = None,
                 problems: list[Problem] | None = None) -> dict[tuple[int, int], float]:
    """Cosine similarity of TF-IDF vectors (title + summary) for every pair dated at most
    STORY_DAYS apart that shares a term; other pairs are left out. Each text's terms are
    cached by the text. An article whose terms cannot be found has none (and is in
    ``problems``)."""
    if not items:
        return {}
    language = items[0].language
    stem = _stemmer(language)
    texts = [item.title + " " + " ".join(item.sentences) for item in items]

    def compute(indices: list[str]) -> dict[str, dict[str, int] | str]:
        return {i: _or_failure(_terms, texts[int(i)], language, stem) for i in indices}

    keys = {str(i): cache_key("story-terms", text=text, language=language, version=TERMS_VERSION)
            for i, text in enumerate(texts)}
    found = cache.lookup(keys, compute) if cache else compute(list(keys))
    counts = []
    for i, item in enumerate(items):
        terms = found[str(i)]
        if isinstance(terms, str):
            _report(item, terms, problems if problems is not None else [])
            terms = {}
        counts.append(Counter(terms))
    document_frequency = Counter(term for c in counts for term in c)
    n = len(items)
    vectors = []
    for c in counts:
        weights = {t: (1 + math.log(f)) * math.log(1 + n / document_frequency[t]) for t, f in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items() if w > 0})
    # A term in more than a fifth of a large collection says little about which articles
    # belong together, and its pairs would make this quadratic: it is left out.
    too_common = max(20, n // 5)
    postings = defaultdict(list)
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            if document_frequency[term] <= too_common:
                postings[term].append((index, weight))
    days = [item.article.date.toordinal() for item in items]
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        entries.sort(key=lambda entry: (days[entry[0]], entry[0]))
        for a, (i, wi) in enumerate(entries):
            for b in range(a + 1, len(entries)):
                j, wj = entries[b]
                if days[j] - days[i] > STORY_DAYS:
                    break
                scores[(i, j) if i < j else (j, i)] += wi * wj
    return dict(scores)


def group_stories(items: list[LocalizedArticle], threshold: float = RELATED_THRESHOLD,
                  cache: Cache | None = None, problems: list[Problem] | None = None) -> Digest:
    """Stories (groups of similar articles, linked strongest first, up to
    MAX_STORY_ARTICLES), newest story first, and each article's closest related articles."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    size = [1] * len(items)
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    linked = sorted(((score, pair) for pair, score in similarities(items, cache, problems).items()
                     if score >= threshold),
                    key=lambda link: (-link[0], link[1]))
    for score, (i, j) in linked:
        neighbours[i].append((score, j))
        neighbours[j].append((score, i))
        a, b = root(i), root(j)
        if a != b and size[a] + size[b] <= MAX_STORY_ARTICLES:
            parent[a] = b
            size[b] += size[a]
    groups: dict[int, list[LocalizedArticle]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[root(index)].append(item)

    def newest(item: LocalizedArticle):
        return (-item.article.date.toordinal(), item.article.slug)

    stories = [Story(tuple(i.article.slug for i in sorted(group, key=newest))) for group in groups.values()]
    by_slug = {item.article.slug: item for item in items}
    related = {
        items[i].article.slug: tuple(items[j].article.slug for _, j in sorted(pairs, key=lambda p: (-p[0], p[1]))
                                     [:MAX_RELATED])
        for i, pairs in neighbours.items()
    }
    return Digest(sorted(stories, key=lambda s: newest(by_slug[s.slugs[0]])), related)


# A name: capitalized words, possibly joined by short lower-case particles ("Bank of England").
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of|de|da|do|dos|das|del|la|van|von|al|el|bin)?\s*[A-Z][\w'’-]+)*")
_SAFE_TAG = re.compile(r"^[^\W_][\w .'’-]{0,40}$")


def extract_tags(title: str, text: str, language: str) -> tuple[str, ...]:
    """Up to MAX_TAGS names, most frequent first: a name counts when the text uses it twice,
    or once and the title too (title-case headlines make every title word look like one).
    A name inside a longer chosen one ("Islamic" in "Islamic State") is left out."""
    body = _name_counts(text, language)
    in_title = set(_name_counts(title, language))
    ranked = sorted(body, key=lambda n: (-(body[n] + (2 if n in in_title else 0)), n))
    chosen: list[str] = []
    for name in ranked:
        if (body[name] >= 2 or name in in_title) and not any(name in other or other in name for other in chosen):
            chosen.append(name)
    return tuple(chosen[:MAX_TAGS])


def _name_counts(text: str, language: str) -> Counter:
    ignored = stop_words(language)
    counts: Counter = Counter()
    for sentence_start, chunk in _chunks(text):
        for match in _NAME.finditer(chunk):
            name = " ".join(match.group(0).split())
            first = name.split()[0]
            if first.lower() in ignored:
                if " " not in name:
                    continue  # an ordinary word, capitalized because it starts a sentence
                name = name.split(" ", 1)[1]
            elif match.start() == sentence_start and " " not in name:
                continue  # a sentence's first word: not known to be a name
            if len(name) > 2 and _SAFE_TAG.match(name):
                counts[name] += 1
    return counts


def _chunks(text: str):
    """(offset of the sentence start, sentence) pieces, by terminal punctuation."""
    for match in re.finditer(r"[^.!?]+[.!?]*", text):
        chunk = match.group(0)
        yield len(chunk) - len(chunk.lstrip()), chunk


def safe_tag(tag: str, original: str) -> str | None:
    """A tag as shown: only letters, digits, spaces and - . ' (it becomes a page name and a
    URL); a translation much longer than the name (short inputs make models ramble) or with
    fewer words (a model dropped part of it: "Port Harbor" -> "Port") falls back to the name."""
    tag = " ".join(tag.split())
    if not len(original.split()) <= len(tag.split()) <= len(original.split()) + 1:
        tag = original
    return tag if _SAFE_TAG.match(tag) else None


PIVOT_FOR_STORIES = "en"  # every article has an English summary when English is a site language


def tag_articles(
    summaries: list[Summary], localized: dict[str, list[LocalizedArticle]], translator: Translator,
    problems: list[Problem],
) -> dict[str, list[LocalizedArticle]]:
    """Topics of each article, found in its own language and shown in each site language
    (translated once and cached like any sentence; kept as they are where no model helps).
    An article whose topics cannot be found has none, and is in ``problems``."""
    by_slug = {s.article.slug: s.article for s in summaries}

    def compute(slugs: list[str]) -> dict[str, tuple[str, ...] | str]:
        return {slug: _or_failure(extract_tags, by_slug[slug].title, by_slug[slug].text, by_slug[slug].language)
                for slug in slugs}

    keys = {slug: cache_key("topics", title=a.title, text=hashlib.sha256(a.text.encode()).hexdigest(),
                            language=a.language, version=TERMS_VERSION) for slug, a in by_slug.items()}
    found = translator.cache.lookup(keys, compute)
    for summary in summaries:
        if isinstance(found[summary.article.slug], str):
            problems.append(Problem(summary.article.source_file,
                                    failed("stories", found[summary.article.slug], "published with no topics")))
            found[summary.article.slug] = []
    tagged = {}
    for target, items in localized.items():
        by_source: dict[str, set[str]] = defaultdict(set)
        for item in items:
            by_source[item.article.language].update(found[item.article.slug])
        names: dict[tuple[str, str], str] = {}
        for source, tags in by_source.items():
            mapping: dict = {}
            if source != target and tags:
                with contextlib.suppress(MissingTranslation):
                    mapping = translator.translate(sorted(tags), source, target)
            names.update({(source, tag): mapping.get(tag) or tag for tag in tags})
        tagged[target] = [
            dataclasses.replace(item, tags=tuple(dict.fromkeys(
                t for t in (safe_tag(names[(item.article.language, tag)], tag)
                            for tag in found[item.article.slug])
                if t)))
            for item in items
        ]
    return tagged
