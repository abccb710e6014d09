"""Between translate and render: from a pile of articles to a digest of events and threads.

- **Events (stories).** Two articles are compared by the TF-IDF cosine of their whole text in
  their own language (stemmed, stop words removed; the title counts twice) when they share a
  language, and of their title and summary in one pivot language (English when it is a site
  language: every article has a summary there, original or translated) when they do not.
  A pair that shares no specific evidence — a named entity that few articles name, or a
  figure (a number that is not a year) — counts for half: generic words ("profits",
  "shares") do not make an event. An article states a date or is *undated* (unknown, not
  "today"): a pair with an undated article needs ``UNDATED_MARGIN`` more; two dated articles
  more than ``STORY_DAYS`` apart are never one event. Articles are then grouped by average
  link (agglomerative clustering: two groups merge while the mean similarity over all
  their pairs, missing pairs counting 0, stays at ``EVENT_THRESHOLD`` or more), so an article
  joins a story when it is close to the story as a whole, not to one neighbour of a chain.
- **Threads.** Events about one ongoing subject (a trial, a takeover battle) are grouped the
  same way, from the events up, with ``THREAD_THRESHOLD`` and pairs up to ``THREAD_DAYS``
  apart; dated articles a year or more apart are never in one thread.
- **Topics.** Each article's named entities (generator/entities.py): aliases merged, countries
  and languages by their CLDR name in each site language, other names as written.

Thresholds and weights were tuned on half of a labelled set of real events and checked on the
other half (bench/events.py, bench/labels/).
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .cache import Cache, cache_key
from .entities import display_name, find_entities, safe_tag, topics
from .languages import split_words, stop_words
from .records import LocalizedArticle, Problem, Summary
from .translate import Translator

EVENT_THRESHOLD = 0.60  # tuned on the labelled set's tuning half (bench/events.py)
THREAD_THRESHOLD = 0.30
CROSS_LANGUAGE_SCALE = 2.4  # a pivot cosine of 0.25 (title + summary) counts as a whole-text 0.60
RELATED_THRESHOLD = EVENT_THRESHOLD  # kept for bench/related.py
NO_EVIDENCE_FACTOR = 0.5  # a pair sharing no specific entity or figure counts for this much
UNDATED_MARGIN = 0.04  # a pair with an undated article needs this much more similarity
STORY_DAYS = 3  # dated articles further apart are never one event
THREAD_DAYS = 120  # nor one thread (pairs are compared up to this far apart)
MAX_STORY_ARTICLES = 30  # a safety valve only: average link does not chain
MAX_RELATED = 8  # links per article page
MAX_TAGS = 4
COMMON_ENTITY_SHARE = 0.05  # an entity named by more than this share of articles (and 50) is not specific
TERMS_VERSION = 2  # bump when the features change: it invalidates their cached results
PIVOT_FOR_STORIES = "en"  # every article has an English summary when English is a site language


@dataclass(frozen=True)
class Story:
    """Articles about one event; ``slugs`` newest first (the first one leads)."""

    slugs: tuple[str, ...]
    id: str = ""
    """Stable: the slug of its oldest article."""
    thread: str | None = None
    """The id of the thread it belongs to, when the thread has other events."""


@dataclass(frozen=True)
class Thread:
    id: str
    stories: tuple[str, ...]
    """Story ids, oldest event first."""


@dataclass(frozen=True)
class Digest:
    stories: list[Story]
    """Newest story first."""
    related: dict[str, tuple[str, ...]]
    """Per article: the other articles of its story, most similar first."""
    threads: list[Thread] = dataclasses.field(default_factory=list)


def _stemmer(language: str):
    from .languages import ENGLISH_NAMES

    return _stemmers.setdefault(language, _make_stemmer(ENGLISH_NAMES.get(language, language)))


_stemmers: dict[str, Callable[[str], str]] = {}


def _make_stemmer(name: str) -> Callable[[str], str]:
    import functools

    from sumy.nlp.stemmers import Stemmer

    try:
        stemmer = Stemmer(name)
    except LookupError:
        return str.lower
    return functools.lru_cache(maxsize=200_000)(stemmer)


def _terms(text: str, language: str, stem) -> Counter:
    ignored = stop_words(language)
    return Counter(stem(w.lower()) for w in split_words(text)
                   if w.lower() not in ignored and len(w) > 1 and not w.isdigit())


_FIGURE = re.compile(r"\d[\d.,]*\d|\d")


def figures(text: str) -> set[str]:
    """Numbers that can identify an event: with a decimal or of 3+ digits, not years."""
    found = set()
    for match in _FIGURE.finditer(text):
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 2 or (len(digits) == 4 and 1900 <= int(digits) <= 2039 and raw.isdigit()):
            continue
        if len(digits) >= 3 or not raw.isdigit():
            found.add(digits.lstrip("0") or "0")
    return found


def article_features(title: str, text: str, language: str) -> dict:
    """What grouping and topics read of an article (cached by its text)."""
    stem = _stemmer(language)
    terms = _terms(title + " " + title + " " + text, language, stem)
    entities = find_entities(title, text, language)
    return {"terms": dict(terms), "entities": entities.counts, "names": entities.names,
            "in_title": sorted(entities.in_title), "figures": sorted(figures(title + " " + text))}


def _features_of(items: list[LocalizedArticle], cache: Cache | None, problems: list[Problem]) -> list[dict]:
    def compute(names: list[str]) -> dict[str, dict]:
        found = {}
        for name in names:
            article = items[int(name)].article
            try:
                found[name] = article_features(article.title, article.text, article.language)
            except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the build
                problems.append(Problem(article.source_file, f"stories: {type(exc).__name__}: {exc}"))
                found[name] = {"terms": {}, "entities": {}, "names": {}, "in_title": [], "figures": [],
                               "failed": True}
        return found

    keys = {str(i): cache_key("story-features", title=item.article.title, language=item.article.language,
                              text=hashlib.sha256(item.article.text.encode()).hexdigest(), version=TERMS_VERSION)
            for i, item in enumerate(items)}
    found = cache.lookup(keys, compute) if cache else compute(list(keys))
    return [found[str(i)] for i in range(len(items))]


def _vectors(counts: list[dict]) -> tuple[list[dict[str, float]], Counter]:
    document_frequency = Counter(term for c in counts for term in c)
    n = len(counts)
    vectors = []
    for c in counts:
        weights = {t: (1 + math.log(f)) * math.log(1 + n / document_frequency[t]) for t, f in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items() if w > 0})
    return vectors, document_frequency


def _cosines(indices: list[int], counts: list[dict], days: list[int | None], max_days: int) -> dict:
    """Cosine of TF-IDF vectors of the articles ``indices`` (positions in ``counts``), for
    pairs sharing a term that are at most ``max_days`` apart (an undated article is compared
    with every article). Terms in more than a fifth of a large collection are left out."""
    vectors, document_frequency = _vectors([counts[i] for i in indices])
    too_common = max(20, len(indices) // 5)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, vector in enumerate(vectors):
        for term, weight in vector.items():
            if document_frequency[term] <= too_common:
                postings[term].append((indices[position], weight))
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        dated = sorted((e for e in entries if days[e[0]] is not None), key=lambda e: (days[e[0]], e[0]))
        undated = [e for e in entries if days[e[0]] is None]
        for a, (i, wi) in enumerate(dated):
            for b in range(a + 1, len(dated)):
                j, wj = dated[b]
                if days[j] - days[i] > max_days:  # type: ignore[operator]
                    break
                scores[(i, j) if i < j else (j, i)] += wi * wj
        for a, (i, wi) in enumerate(undated):
            for j, wj in dated + undated[a + 1:]:
                scores[(i, j) if i < j else (j, i)] += wi * wj
    return scores


def similarities(items: list[LocalizedArticle], cache: Cache | None = None,
                 problems: list[Problem] | None = None) -> dict[tuple[int, int], float]:
    """Similarity of every pair of articles that share a term and are at most THREAD_DAYS apart:
    the cosine (own language, else pivot), halved without shared specific evidence, less
    UNDATED_MARGIN for a pair with an undated article."""
    problems = problems if problems is not None else []
    features = _features_of(items, cache, problems)
    days = [None if item.article.date_is_stand_in else item.article.date.toordinal() for item in items]
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_language[item.article.language].append(index)
    cosines: dict[tuple[int, int], float] = {}
    for indices in by_language.values():
        cosines.update(_cosines(indices, [f["terms"] for f in features], days, THREAD_DAYS))
    if len(by_language) > 1:  # across languages: the pivot's title and summary
        stem = _stemmer(items[0].language)
        pivot = [dict(_terms(item.title + " " + " ".join(item.sentences), item.language, stem)) for item in items]
        for pair, score in _cosines(list(range(len(items))), pivot, days, THREAD_DAYS).items():
            if items[pair[0]].article.language != items[pair[1]].article.language:
                cosines[pair] = min(1.0, score * CROSS_LANGUAGE_SCALE)
    entity_frequency = Counter(key for f in features for key in f["entities"])
    specific_limit = max(50, COMMON_ENTITY_SHARE * len(items))
    specific = [{k for k in f["entities"] if entity_frequency[k] <= specific_limit} | set(f["figures"])
                for f in features]
    scores = {}
    for (i, j), cosine in cosines.items():
        score = cosine if specific[i] & specific[j] else cosine * NO_EVIDENCE_FACTOR
        if days[i] is None or days[j] is None:
            score -= UNDATED_MARGIN
        if score > 0:
            scores[(i, j)] = score
    return scores


def _average_link(clusters: list[list[int]], scores: dict[tuple[int, int], float], threshold: float,
                  allowed: Callable[[list[int], list[int]], bool]) -> list[list[int]]:
    """Agglomerative clustering by average link over the sparse ``scores`` (a missing pair
    counts 0): merges the closest two clusters while their mean pair score is at least
    ``threshold`` and ``allowed`` agrees."""
    owner = {member: c for c, members in enumerate(clusters) for member in members}
    members = {c: list(m) for c, m in enumerate(clusters)}
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), score in scores.items():
        a, b = owner[i], owner[j]
        if a != b:
            links[a][b] = links[a].get(b, 0.0) + score
            links[b][a] = links[b].get(a, 0.0) + score
    heap = [(-total / (len(members[a]) * len(members[b])), a, b)
            for a, others in links.items() for b, total in others.items() if a < b]
    heap = [entry for entry in heap if -entry[0] >= threshold]
    heapq.heapify(heap)
    next_id = len(clusters)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        if not allowed(members[a], members[b]):
            continue
        merged = members.pop(a) + members.pop(b)
        new = next_id
        next_id += 1
        members[new] = merged
        combined: dict[int, float] = {}
        for old in (a, b):
            for other, total in links.pop(old, {}).items():
                if other in (a, b):
                    continue
                combined[other] = combined.get(other, 0.0) + total
                links[other].pop(old, None)
        for other, total in combined.items():
            links[new][other] = total
            links[other][new] = total
            average = total / (len(merged) * len(members[other]))
            if average >= threshold:
                heapq.heappush(heap, (-average, min(new, other), max(new, other)))
    return list(members.values())


def group_stories(items: list[LocalizedArticle], threshold: float = EVENT_THRESHOLD,
                  cache: Cache | None = None, problems: list[Problem] | None = None,
                  thread_threshold: float = THREAD_THRESHOLD) -> Digest:
    """Events (newest story first), their threads, and each article's related articles.
    An article whose features could not be computed is a story of its own (and a Problem)."""
    problems = problems if problems is not None else []
    scores = similarities(items, cache, problems)
    days = [None if item.article.date_is_stand_in else item.article.date.toordinal() for item in items]

    def span_within(limit: int, size: int | None = None) -> Callable[[list[int], list[int]], bool]:
        def allowed(a: list[int], b: list[int]) -> bool:
            if size is not None and len(a) + len(b) > size:
                return False
            dated = [day for day in (days[i] for i in a + b) if day is not None]
            return not dated or max(dated) - min(dated) <= limit
        return allowed

    event_scores = {pair: s for pair, s in scores.items()
                    if days[pair[0]] is None or days[pair[1]] is None
                    or abs(days[pair[0]] - days[pair[1]]) <= STORY_DAYS}  # type: ignore[operator]
    events = _average_link([[i] for i in range(len(items))], event_scores, threshold,
                           span_within(STORY_DAYS, MAX_STORY_ARTICLES))
    threads = _average_link(events, scores, thread_threshold, span_within(THREAD_DAYS * 3))

    def newest(i: int):
        return (-items[i].article.date.toordinal(), items[i].article.slug)

    def oldest(i: int):
        return (items[i].article.date.toordinal(), items[i].article.slug)

    story_of: dict[int, Story] = {}
    thread_list = []
    event_of = {member: tuple(sorted(event)) for event in events for member in event}
    for thread in threads:
        thread_events = sorted({event_of[m] for m in thread}, key=lambda e: min(oldest(i) for i in e))
        thread_id = items[min(thread, key=oldest)].article.slug if len(thread_events) > 1 else None
        ids = []
        for event in thread_events:
            story = Story(tuple(items[i].article.slug for i in sorted(event, key=newest)),
                          items[min(event, key=oldest)].article.slug, thread_id)
            ids.append(story.id)
            for i in event:
                story_of[i] = story
        if thread_id:
            thread_list.append(Thread(thread_id, tuple(ids)))
    by_slug = {item.article.slug: index for index, item in enumerate(items)}
    stories = sorted({s.id: s for s in story_of.values()}.values(), key=lambda s: newest(by_slug[s.slugs[0]]))
    related = {}
    for story in stories:
        if len(story.slugs) < 2:
            continue
        for slug in story.slugs:
            i = by_slug[slug]
            others = [by_slug[o] for o in story.slugs if o != slug]
            others.sort(key=lambda j: (-scores.get((min(i, j), max(i, j)), 0.0), items[j].article.slug))
            related[slug] = tuple(items[j].article.slug for j in others[:MAX_RELATED])
    return Digest(stories, related, thread_list)


def tag_articles(
    summaries: list[Summary], localized: dict[str, list[LocalizedArticle]], translator: Translator | None = None,
    cache: Cache | None = None, problems: list[Problem] | None = None,
) -> dict[str, list[LocalizedArticle]]:
    """Topics of each article: its main entities, found in its own language; in each site
    language a country, territory or language is named by CLDR, any other name as written
    (never machine-translated)."""
    problems = problems if problems is not None else []
    cache = cache if cache is not None else (translator.cache if translator else None)
    articles = {s.article.slug: s.article for s in summaries}
    order = list(articles)
    first = next(iter(localized.values()), [])
    by_slug = {item.article.slug: item for item in first}
    items = [by_slug[slug] for slug in order if slug in by_slug]
    features = _features_of(items, cache, problems)
    chosen: dict[str, list[tuple[str, str]]] = {}
    for item, feature in zip(items, features, strict=True):
        entities = _entities_from(feature)
        chosen[item.article.slug] = [(key, entities.names.get(key, key)) for key in topics(entities)]
    tagged = {}
    for target, localized_items in localized.items():
        tagged[target] = [
            dataclasses.replace(item, tags=tuple(dict.fromkeys(
                t for t in (safe_tag(display_name(key, shown, target))
                            for key, shown in chosen.get(item.article.slug, []))
                if t)))
            for item in localized_items
        ]
    return tagged


def _entities_from(feature: dict):
    from .entities import Entities

    return Entities(feature["entities"], feature["names"], frozenset(feature["in_title"]))


def extract_tags(title: str, text: str, language: str, site_language: str | None = None) -> tuple[str, ...]:
    """The topics of one article as shown in ``site_language`` (its own language by default)."""
    entities = find_entities(title, text, language)
    return tuple(t for t in (safe_tag(display_name(k, entities.names.get(k, k), site_language or language))
                             for k in topics(entities)) if t)
