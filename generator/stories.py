"""Between translate and render: from a pile of articles to a digest of events.

- **Events (stories).** Two articles are compared by the TF-IDF cosine of their texts and by
  the named entities and figures of their own text (generator/entities.py: aliases merged,
  countries by CLDR code, so a Portuguese and an English article name "EUA" and "US" alike). The
  texts are the articles' own whole texts (every word but the commonest: an event's reports share
  its details, a thread's other events only its background) when the two are in one language,
  else their title and summary in one pivot language (English when it is a site language, else
  the default one: every article has a summary there, original or translated).
  The pair's score is ``(1 - ENTITY_WEIGHT) * text + ENTITY_WEIGHT * entities``; a pair that
  shares no specific evidence (an entity few articles name, or a figure) scores 0: generic words
  ("profits", "shares") do not make an event. Only articles at most ``STORY_DAYS`` apart are
  compared (by stated date; an undated article by its stand-in day, the day its file was
  added, and, when it names its event's day by weekday and day of the month, with the dated
  articles of such a day whatever their year that share a specific entity with it: its own day
  is unknown; such an article never leads a story with a dated one), from postings lists, so
  the cost is that of the days, not of the archive; a pair with
  an undated article needs ``UNDATED_MARGIN`` more, since its day is not known to be the event's,
  or only ``STATED_DAY_MARGIN`` more when the day one of them names first by weekday and day of the
  month ("nesta quarta-feira (14)": news leads with its event's day) is among the days the other
  names: their texts say they are about one day; ``DAY_CONFLICT_MARGIN`` more when the weekday
  each names first is not among the other's ("on Tuesday" / "on Friday"), as a thread's next
  event's report does.
  Articles are placed oldest first: an article joins the story whose centroid it is closest
  to, at least ``EVENT_THRESHOLD`` (the pair scores standing for dot products, missing pairs
  count 0: close to the story as a whole, not to one neighbour of a chain), if the story's
  stated dates then still span at most ``STORY_DAYS``; else it starts a story. Then stories
  whose centroids are that close merge, closest first (the order of placing cannot split an
  event). ``MAX_STORY_ARTICLES`` is a safety valve only.
- **Topics.** Each article's main entities, with the names used across the collection merged
  ("Lula" -> "Luiz Inácio Lula da Silva"); countries, territories and languages shown by
  their CLDR name in each site language, other names as written (never machine-translated);
  weekdays, months, generic words and outlets are never topics.

Weights and thresholds were tuned on half of a labelled set of real events and checked on the
other half (bench/events.py, bench/labels/).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import heapq
import json
import math
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from . import settings, stash
from .cache import Cache, cache_key
from .entities import (
    MAX_TAGS,
    Entities,
    cldr_version,
    collection_aliases,
    display_name,
    find_entities,
    fold,
    is_place,
    safe_tag,
    topics,
)
from .faults import failed, result_or_failure
from .languages import PIVOT, split_words, stemmer, stop_words
from .names import OUTLETS
from .outlets import outlet_key
from .records import LocalizedArticle, Problem, Summary
from .stash import Stash
from .translate import Translator

# The tunables are settings.toml [stories], where each is explained.
_RULES = settings.section("stories")
EVENT_THRESHOLD: float = _RULES["event_threshold"]
RELATED_THRESHOLD = EVENT_THRESHOLD  # bench/related.py's name for it
ENTITY_WEIGHT: float = _RULES["entity_weight"]
UNDATED_MARGIN: float = _RULES["undated_margin"]
STATED_DAY_MARGIN: float = _RULES["stated_day_margin"]
DAY_CONFLICT_MARGIN: float = _RULES["day_conflict_margin"]
COMMON_ENTITY_SHARE: float = _RULES["common_entity_share"]
MAX_RELATED: int = _RULES["max_related"]
STORY_DAYS: int = _RULES["story_days"]
MAX_STORY_ARTICLES: int = _RULES["max_story_articles"]
THREAD_DAYS: int = _RULES["thread_days"]
THREAD_THRESHOLD: float = _RULES["thread_threshold"]
THREAD_ENTITIES: int = _RULES["thread_entities"]
THREAD_SHARED: int = _RULES["thread_shared"]
SUMMARY_SENTENCES: int = _RULES["summary_sentences"]
SUMMARY_PER_ARTICLE: int = _RULES["summary_per_article"]
REDUNDANT_OVERLAP: float = _RULES["redundant_overlap"]
# bump when _terms, the features or extract_tags change: it invalidates their cached results
TERMS_VERSION = 33  # 12, 13: taken back; 14: "Turma do | TRF-4" is the court, TRF4 = TRF-4; 15: names joined by
# "e" that an acronym spells ("Comissão de Constituição e Justiça"), "Brasília" not "Universidade de Brasília";
# 16: a hyphen between words is a space ("Procuradoria-Geral"); 17: more outlets (names.py), a joined name
# after a capitalized word ("Na Comissão de Constituição e Justiça"); 18: the hyphen rule for acronyms too;
# 19: taken back; 20: the weekdays a text names; 21: a name run into the person named after it, split;
# 22: country names as the article's language and the pivot write them; 23: a three-word name before a person;
# 24: a surname is the full name the article names most; 25: CLDR names with accents need them ("Franca");
# 26: a sentence's first word the text writes in lower case, before a name it writes without it ("Diz Sérgio Moro")
# 27: in English a middle initial is part of the name ("George W Bush"), a series' letter is not ("Group B England")
# 28: a main city is one key in every language (CLDR: "London" = "Londres"), after the person it may name;
# "Leader" / "Líder" is a role before a name ("Leader Michael Howard said"); 29: cities by exonyms only, the same
# zones in every language; "Líder" is a company's name too ("Líder Aviação"); 30: a short function word ending a
# name (not in English), a heading in capitals, an honorific inside a run ("Harrogate | Mr Kennedy"); 31: the
# first two in Portuguese only, "Santa Sé" whole, a city in capitals is no heading; 32: nor a name the text
# also writes in small letters ("RIO DE JANEIRO -"), "Às" ends no name; 33: South African = ZA, Man Utd


@dataclass(frozen=True)
class Story:
    """Articles about one event; ``slugs`` newest first, dated ones before undated ones (the
    first one leads)."""

    slugs: tuple[str, ...]
    id: str = ""
    """Stable: the slug of its oldest article."""
    thread: str | None = None
    """The id of the thread it belongs to, when that thread has other stories too."""


@dataclass(frozen=True)
class Thread:
    """Stories (events) about one ongoing subject."""

    id: str
    """Stable: the id of its oldest story."""
    stories: tuple[str, ...]
    """Story ids in date order, oldest first (at least two)."""


@dataclass(frozen=True)
class Digest:
    stories: list[Story]
    """Newest day first, in reading order (_in_reading_order)."""
    related: dict[str, tuple[str, ...]]
    """Per article: the other articles of its story, most similar first."""
    threads: list[Thread] = dataclasses.field(default_factory=list)
    """Threads of two stories or more, newest first (by their newest story)."""
    summaries: dict[str, tuple[tuple[str, int], ...]] = dataclasses.field(default_factory=dict)
    """Per story of two articles or more: its summary, as (article slug, index of one of that
    article's summary sentences), in the order shown. The same in every language: each site
    shows that article's sentence as localized (translated by the translate stage)."""


def _terms(text: str, language: str, stem, words: Callable[[str], list[str]] = split_words) -> Counter:
    ignored = stop_words(language)
    terms: Counter = Counter()
    for word, count in Counter(w.lower() for w in words(text)).items():
        if word not in ignored and len(word) > 1:
            terms[stem(word)] += count
    return terms


# A whole text's words for comparing texts: letters, with inner apostrophes and hyphens. A regular
# expression, since sumy's tokenizer (split_words) costs ten times as much on whole articles.
_TEXT_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


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


@functools.cache
def _day_patterns(language: str) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, int]]:
    """In the language's words (Babel): a weekday name followed by its day of the month ("nesta
    quarta-feira (14)", "no sábado, 3,", "Tuesday 15 March"), a weekday name alone, and the
    weekday of each name. In lower case: the text is lowered once (a third faster than matching
    regardless of case)."""
    from babel import Locale

    try:
        locale = Locale.parse(language)
    except (ValueError, LookupError):
        return None, None, {}
    weekdays = {name.lower(): index for context in ("format", "stand-alone")
                for index, name in locale.days[context]["wide"].items()}
    months = {name.lower() for context in ("format", "stand-alone") for name in locale.months[context]["wide"].values()}
    if not weekdays or not months:
        return None, None, {}
    alternatives = "|".join(re.escape(name) for name in sorted(weekdays, key=len, reverse=True))
    month = "|".join(re.escape(name) for name in sorted(months, key=len, reverse=True))
    weekday = rf"(?<!\w)({alternatives})(?![\w-])"
    return (re.compile(rf"{weekday}(?:\s*\((\d{{1,2}})[ºo°ª]?(?:/\d{{1,2}})?\)"
                       rf"|,?\s+(\d{{1,2}})[ºo°ª]?(?=\s*[,.;)]|\s+(?:de\s+)?(?:{month})(?!\w)))"),
            re.compile(weekday), weekdays)


def stated_days(text: str, language: str) -> list[str]:
    """The days an article names by weekday and day of the month ("quarta-feira (14)" ->
    "2:14", Monday being 0), in the order first named: what it states of its event's date
    when it states no date."""
    pattern, _, weekdays = _day_patterns(language)
    if pattern is None:
        return []
    found: dict[str, None] = {}
    for match in pattern.finditer(text.lower()):
        day = int(match.group(2) or match.group(3))
        if 1 <= day <= 31:
            found.setdefault(f"{weekdays[match.group(1)]}:{day}")
    return list(found)


def named_weekdays(text: str, language: str) -> list[int]:
    """The weekdays an article names, with or without their day of the month ("on Tuesday"),
    in the order first named, Monday being 0."""
    _, pattern, weekdays = _day_patterns(language)
    if pattern is None:
        return []
    return list(dict.fromkeys(weekdays[match.group(1)] for match in pattern.finditer(text.lower())))


def _one_day(first: tuple, second: tuple) -> bool:
    """Whether the day one article states first (its event's: news leads with it) is among the
    days the other states. A day named later is often background (an arrest days before the
    hearing reported), which the next event of a thread names too."""
    return bool(first and second) and (first[0] in second or second[0] in first)


def _undated_margin(days: tuple[tuple[str, ...], tuple[str, ...]], weekdays: tuple[tuple[int, ...], tuple[int, ...]],
                    named_date: bool = False) -> float:
    """What a pair with an undated article needs above EVENT_THRESHOLD, by the days their texts
    name: less when they name one day (``days``: weekday and day of the month), more when each
    names weekdays and neither's first is among the other's (a thread's next event is told on
    its own day: of such labelled pairs, 17 of 453 Portuguese and 2 of 90 English are one event),
    else UNDATED_MARGIN. A ``named_date`` (the undated article names first the dated one's date)
    is one day too."""
    if named_date or _one_day(*days):
        return STATED_DAY_MARGIN
    if all(weekdays) and not _one_day(*weekdays):
        return DAY_CONFLICT_MARGIN
    return UNDATED_MARGIN


def _report(item: LocalizedArticle, error: str, problems: list[Problem]) -> None:
    problems.append(Problem(item.article.source_file, failed("stories", error, "a story of its own, with no topics")))


def _pivot_text(item: LocalizedArticle) -> str:
    return item.title + " " + " ".join(item.sentences)


# Topics and grouping both read an article's entities: found once per build (per process). Topics
# come first and leave here what grouping reads of them (mentions and definitions; the names as
# written are for topics alone), which grouping takes out as it goes. Unbounded: both stages read
# every article in turn, so a bounded cache smaller than the collection kept none (30,000 articles:
# found twice, 116 s). Keyed by a digest of the text: keyed by the text (joined anew from its
# paragraphs at each call), it held a second copy of every article's text (30,000 articles: ~200 MB).
_FOR_GROUPING: dict[bytes, tuple[dict[str, int], dict[str, str]]] = {}


def _text_key(title: str, text: str, language: str) -> bytes:
    return hashlib.blake2b(f"{language}\n{len(title)}\n{title}{text}".encode(), digest_size=16).digest()


def _topic_entities(title: str, text: str, language: str) -> Entities:
    """An article's entities, for its topics; what grouping reads of them is kept for it."""
    found = find_entities(title, text, language)
    _FOR_GROUPING[_text_key(title, text, language)] = found.counts, found.defined
    return found


def _grouping_entities(title: str, text: str, language: str) -> tuple[dict[str, int], dict[str, str]]:
    """An article's entity mentions and the acronyms it defines: as its topics left them, or found."""
    kept = _FOR_GROUPING.pop(_text_key(title, text, language), None)
    if kept is None:
        found = find_entities(title, text, language)
        kept = found.counts, found.defined
    return kept


def _evidence(mentions: dict[str, int], title: str, text: str, source_name: str) -> dict[str, int]:
    """Entity keys (and 'figure:N') of an article's own text, with their ``mentions``; its own
    outlet is not evidence."""
    own = fold(" ".join(source_name.split()))
    counts = {key: count for key, count in mentions.items() if key[5:] != own and key[5:] not in OUTLETS}
    counts.update({f"figure:{f}": 1 for f in figures(title + " " + text)})
    return counts


def _features(item: LocalizedArticle) -> dict[str, dict[str, int] | list[str] | list[int] | dict[str, str]]:
    article = item.article
    text = article.text  # held compressed (records.Paragraphs): read once
    headed = f"{article.title}\n{text}"
    mentions, defined = _grouping_entities(article.title, text, article.language)
    return {"terms": dict(_terms(_pivot_text(item), item.language, stemmer(item.language))),
            "words": dict(_terms(f"{article.title} {text}", article.language, stemmer(article.language),
                                 _TEXT_WORD.findall)),
            "evidence": _evidence(mentions, article.title, text, article.source_name),
            "days": stated_days(headed, article.language),
            "weekdays": named_weekdays(headed, article.language),
            "defined": defined}


# Features are looked up and computed this many articles at a time, so that only one block's
# whole-text word counts are held as dictionaries (a few KB an article; the collection's are kept
# as arrays of word numbers: 30,000 articles' dictionaries were ~1 GB).
FEATURES_BLOCK = 1000


@dataclass(frozen=True)
class _Rows:
    """One sparse row per article (feature counts or weights) as CSR arrays: article ``i``'s
    features are ``names[ids[k]]`` with ``values[k]`` for ``k`` in ``starts[i]:starts[i + 1]``,
    in the order the article gave them. As dictionaries, an article's took ~10 KB (the stage's
    memory at 100,000 articles)."""
    starts: np.ndarray
    ids: np.ndarray
    values: np.ndarray
    names: list[str]

    def __len__(self) -> int:
        return len(self.starts) - 1

    @classmethod
    def none(cls, size: int) -> _Rows:
        return cls(np.zeros(size + 1, np.int64), np.zeros(0, np.int32), np.zeros(0), [])

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        return self.ids[self.starts[i]:self.starts[i + 1]], self.values[self.starts[i]:self.starts[i + 1]]

    def row_of_entries(self) -> np.ndarray:
        return np.repeat(np.arange(len(self)), np.diff(self.starts))

    def where(self, kept: np.ndarray, values: np.ndarray | None = None) -> _Rows:
        """The entries ``kept`` allows (with ``values`` for them, else their own)."""
        lengths = np.bincount(self.row_of_entries()[kept], minlength=len(self))
        return _Rows(np.concatenate([[0], np.cumsum(lengths)]), self.ids[kept],
                     self.values[kept] if values is None else values, self.names)

    def document_frequency(self) -> np.ndarray:
        """Per feature number, how many rows hold it (a row holds a feature once)."""
        return np.bincount(self.ids, minlength=len(self.names))

    @staticmethod
    def picked(sources: list[_Rows], picks: list[tuple[int, int]]) -> _Rows:
        """The rows ``(source, row)`` of ``sources`` in the order of ``picks``, with the last
        source's names (every source numbers its features as that one does). A run of
        consecutive rows of one source is copied as one slice: a day's build picks most of an
        archive's rows in the order it stored them."""
        source_of = np.array([source for source, _ in picks], np.int64).reshape(-1)
        row_of = np.array([row for _, row in picks], np.int64).reshape(-1)
        runs = np.flatnonzero((np.diff(source_of) != 0) | (np.diff(row_of) != 1)) + 1
        if picks and not len(runs) and row_of[0] == 0 and len(sources[int(source_of[0])]) == len(picks):
            whole = sources[int(source_of[0])]  # every row of one source, in order (no stash): not copied
            return _Rows(whole.starts, whole.ids, whole.values, sources[-1].names)
        lengths = np.zeros(len(picks), np.int64)
        for number, rows in enumerate(sources):
            mine = source_of == number
            lengths[mine] = np.diff(rows.starts)[row_of[mine]]
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        ids, values = np.empty(starts[-1], np.int32), np.empty(starts[-1], sources[-1].values.dtype)
        for begin, end in zip([0, *runs.tolist()], [*runs.tolist(), len(picks)], strict=True):
            if begin == end:
                continue
            rows = sources[int(source_of[begin])]
            first, last = int(rows.starts[row_of[begin]]), int(rows.starts[row_of[end - 1] + 1])
            ids[starts[begin]:starts[end]] = rows.ids[first:last]
            values[starts[begin]:starts[end]] = rows.values[first:last]
        return _Rows(starts, ids, values, sources[-1].names)

    def used(self) -> _Rows:
        """The same rows, numbering only the features they hold (in their numbers' order)."""
        held = self.document_frequency() > 0
        if held.all():
            return self
        number = np.cumsum(held) - 1
        return _Rows(self.starts, number[self.ids].astype(np.int32),
                     self.values, [name for name, kept in zip(self.names, held.tolist(), strict=True) if kept])


class _RowsBuilder:
    """Rows added one dictionary at a time, their keys numbered in first-seen order."""

    def __init__(self, dtype: str = "i", names: Iterable[str] = ()) -> None:
        self.names: list[str] = list(names)
        self.numbers: dict[str, int] = {name: number for number, name in enumerate(self.names)}
        self.lengths, self.ids = array("q"), array("i")
        self.values: array[Any] = array(dtype)

    def add(self, counts: Mapping[str, float]) -> None:
        for key, value in counts.items():
            number = self.numbers.get(key)
            if number is None:
                number = self.numbers[key] = len(self.names)
                self.names.append(sys.intern(key))
            self.ids.append(number)
            self.values.append(value)
        self.lengths.append(len(counts))

    def rows(self) -> _Rows:
        starts = np.concatenate([[0], np.cumsum(np.frombuffer(self.lengths, np.int64), dtype=np.int64)])
        return _Rows(starts, np.frombuffer(self.ids, np.int32), np.frombuffer(self.values, self.values.typecode),
                     self.names)


@dataclass
class _Features:
    """The collection's features (``_features``), article by article."""
    terms: _Rows
    """The pivot text's terms, with counts."""
    evidence: _Rows
    """Entity keys and figures, with mentions."""
    words: _Rows
    """The whole text's words, with counts."""
    days: list[tuple[str, ...]]
    weekdays: list[tuple[int, ...]]
    defined: list[dict[str, str]]

    @staticmethod
    def picked(sources: list[_Features], picks: list[tuple[int, int]]) -> _Features:
        """``_Rows.picked`` of each part."""
        def rows(part: str) -> _Rows:
            return _Rows.picked([getattr(source, part) for source in sources], picks)

        def each(part: str) -> list:
            return [getattr(sources[source], part)[row] for source, row in picks]
        return _Features(rows("terms"), rows("evidence"), rows("words"), each("days"), each("weekdays"),
                         each("defined"))


# The collection's features as the last build left them (stash.py): a day's build of a large archive
# looked up and decoded every article's (100,000 articles: ~25 s); it reads these arrays, and looks up
# or finds only the new articles'.
FEATURES_FILE = "story-features.npz"
TOPICS_FILE = "topics.npz"  # each article's topic candidates (tag_articles), kept as the cache keys them
_FEATURES_VERSION = 1  # of the stash's arrays
_PARTS = ("terms", "evidence", "words")


@dataclass(frozen=True)
class _KeptFeatures:
    """Features with the cache key of each row ("" for a row not to be used again)."""
    keys: list[str]
    features: _Features

    def save(self, store: Stash) -> None:
        """The stash left as it was when a name holds the separator (no text rule makes one)."""
        lists = json.dumps([self.features.days, self.features.weekdays, self.features.defined])
        arrays = {"keys": np.array(self.keys, "S64"), "lists": np.frombuffer(lists.encode(), np.uint8)}
        counts = []
        for part in _PARTS:
            rows = getattr(self.features, part).used()
            names = stash.strings_array(rows.names)
            if names is None:
                return
            arrays |= {f"{part}.starts": rows.starts, f"{part}.ids": rows.ids, f"{part}.values": rows.values,
                       f"{part}.names": names}
            counts.append(len(rows.names))
        arrays["counts"] = np.array(counts, np.int64)
        store.save(arrays, _FEATURES_VERSION)

    @classmethod
    def read(cls, arrays: dict[str, np.ndarray]) -> _KeptFeatures:
        keys = [key.decode() for key in arrays["keys"].tolist()]
        days, weekdays, defined = json.loads(arrays["lists"].tobytes())
        parts = {}
        for part, count in zip(_PARTS, arrays["counts"].tolist(), strict=True):
            rows = _Rows(arrays[f"{part}.starts"], arrays[f"{part}.ids"], arrays[f"{part}.values"],
                         stash.strings(arrays[f"{part}.names"], count))
            if not (len(rows) == len(keys) == len(days) == len(weekdays) == len(defined)
                    and (rows.starts.dtype, rows.ids.dtype, rows.values.dtype) == (np.int64, np.int32, np.int32)
                    and len(set(rows.names)) == len(rows.names)
                    and rows.starts[0] == 0 and rows.starts[-1] == len(rows.ids) == len(rows.values)
                    and (np.diff(rows.starts) >= 0).all()
                    and (rows.ids.size == 0 or 0 <= rows.ids.min() <= rows.ids.max() < len(rows.names))):
                raise ValueError(f"its {part} do not fit together")
            parts[part] = rows
        return cls(keys, _Features(parts["terms"], parts["evidence"], parts["words"], [tuple(d) for d in days],
                                   [tuple(w) for w in weekdays], defined))


_NO_FEATURES: dict[str, Any] = {"terms": {}, "words": {}, "evidence": {}, "days": [], "weekdays": [], "defined": {}}


def _features_key(item: LocalizedArticle) -> str:
    return cache_key("story-features", text=_pivot_text(item), language=item.language, title=item.article.title,
                     original=item.article.text_digest, source=item.article.source_name, version=TERMS_VERSION,
                     rules=settings.digest("stories", "language"), cldr=cldr_version())


def _features_of(items: list[LocalizedArticle], cache: Cache | None, problems: list[Problem],
                 store: Stash | None = None) -> _Features:
    """Each article's features, cached by its texts; an article whose features cannot be
    found has none (and is in ``problems``). With a ``store``, the features of the articles it
    holds are read from it, and it is left holding this collection's."""
    keys = [_features_key(item) for item in items]
    stored = store.load(_KeptFeatures.read, _FEATURES_VERSION) if store else None
    row_of = {key: row for row, key in enumerate(stored.keys) if key} if stored else {}
    names = (stored.features.terms.names, stored.features.evidence.names, stored.features.words.names) \
        if stored else ([], [], [])
    terms, evidence, words = (_RowsBuilder(names=n) for n in names)
    days: list[tuple[str, ...]] = []
    weekdays: list[tuple[int, ...]] = []
    defined: list[dict[str, str]] = []
    fresh = [i for i, key in enumerate(keys) if key not in row_of]
    failed: list[bool] = []

    def compute(indices: list[str]) -> dict[str, dict | str]:
        return {i: result_or_failure(_features, items[int(i)]) for i in indices}

    for start in range(0, len(fresh), FEATURES_BLOCK):
        block = {str(i): keys[i] for i in fresh[start:start + FEATURES_BLOCK]}
        found = cache.lookup(block, compute) if cache else compute(list(block))
        for name in block:
            value = found[name]
            failed.append(isinstance(value, str))
            if isinstance(value, str):
                _report(items[int(name)], value, problems)
                value = _NO_FEATURES
            words.add(value["words"])
            terms.add(value["terms"])
            evidence.add(value["evidence"])
            days.append(tuple(value["days"]))
            weekdays.append(tuple(value["weekdays"]))
            defined.append(value["defined"])
    computed = _Features(terms.rows(), evidence.rows(), words.rows(), days, weekdays, defined)
    # each article's row: the store's (source 0) or one just found (source 1, numbered as the store's)
    fresh_row = {i: row for row, i in enumerate(fresh)}
    picks = [(1, fresh_row[i]) if i in fresh_row else (0, row_of[key]) for i, key in enumerate(keys)]
    features = _Features.picked([stored.features if stored else computed, computed], picks)  # no stash: all source 1
    if store:  # a failure is not stored: the next build reports it again (from the cache)
        _KeptFeatures(["" if source == 1 and failed[row] else key
                         for (source, row), key in zip(picks, keys, strict=True)], features).save(store)
    return features


def _each(values: np.ndarray, function: Callable[[int], float]) -> np.ndarray:
    """``function`` of each of the integers ``values``, called once a distinct value: Python's
    logarithm, as the scores were first computed (numpy's can differ in the last bit, and pair
    scores meet thresholds)."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([function(value) for value in distinct.tolist()], np.float64)[inverse]


def _unit_tf_idf(counts: _Rows, frequency: np.ndarray, n: np.ndarray | int, kept: np.ndarray) -> _Rows:
    """Unit TF-IDF rows of ``counts`` over the entries ``kept`` allows, given per entry the
    number of articles that hold its feature (``frequency``) among how many (``n``, per entry or
    one for all)."""
    frequency = frequency[kept]
    articles = np.broadcast_to(np.asarray(n, np.int64), kept.shape)[kept]
    scale = int(frequency.max(initial=0)) + 1
    weights = _each(counts.values[kept], lambda count: 1 + math.log(count)) \
        * _each(articles * scale + frequency, lambda key: math.log(1 + (key // scale) / (key % scale)))
    rows = counts.row_of_entries()[kept]
    # summed in order, as a loop would (the scores' first code did; Python 3.12's sum() compensates)
    norms = np.sqrt(np.bincount(rows, weights * weights, len(counts)))
    norms[norms == 0] = 1.0
    return counts.where(kept, weights / norms[rows])


def _specific(n: np.ndarray | int) -> Callable[[np.ndarray], np.ndarray]:
    """Among ``n`` articles: named by two at least, and by at most COMMON_ENTITY_SHARE of them (and 50)."""
    most = np.maximum(50, COMMON_ENTITY_SHARE * n)
    return lambda frequency: (frequency >= 2) & (frequency <= most)


def _weighted(counts: _Rows, keep: Callable[[np.ndarray], np.ndarray]) -> tuple[_Rows, np.ndarray]:
    """Unit TF-IDF rows of ``counts`` over the features whose document frequency ``keep``
    allows, and each feature's document frequency."""
    document_frequency = counts.document_frequency()
    frequency = document_frequency[counts.ids]
    return _unit_tf_idf(counts, frequency, len(counts), keep(frequency)), document_frequency


def _weights_of_their_time(counts: _Rows, days: list[int], window: int) -> _Rows:
    """Unit TF-IDF rows of ``counts`` over their ``_specific`` features, each article's
    frequencies counted among the articles at most ``window`` days from its own: the weights
    of its time. Articles added later than that leave them as they are, so a daily build does
    not move old stories in or out of threads (with the whole collection's frequencies, a day
    of 300 articles moved ~1 % of a 10,000-article archive's old stories, and their pages
    changed)."""
    order = sorted(range(len(counts)), key=lambda i: days[i])
    frequency = np.zeros(len(counts.names), np.int64)
    # per entry: its feature's frequency among the articles of its article's window, and their number
    entry_frequency, entry_n = np.zeros(len(counts.ids), np.int64), np.zeros(len(counts.ids), np.int64)
    starts = counts.starts.tolist()
    # positions in ``order``: the window's oldest article, the day's first, the window's end
    oldest = first = end = 0
    while first < len(order):
        day = days[order[first]]
        while end < len(order) and days[order[end]] <= day + window:
            frequency[counts.row(order[end])[0]] += 1  # an article holds a feature once
            end += 1
        while days[order[oldest]] < day - window:
            frequency[counts.row(order[oldest])[0]] -= 1
            oldest += 1
        last = first
        while last < len(order) and days[order[last]] == day:
            start, stop = starts[order[last]], starts[order[last] + 1]
            entry_frequency[start:stop] = frequency[counts.ids[start:stop]]
            entry_n[start:stop] = end - oldest
            last += 1
        first = last
    return _unit_tf_idf(counts, entry_frequency, entry_n, _specific(entry_n)(entry_frequency))


def _text_vectors(words: _Rows, too_common: int) -> _Rows:
    """Unit TF-IDF rows of whole texts' word counts over the words at most ``too_common`` of
    them use. Takes over ``words``' array of word numbers: its rows are left unusable."""
    frequency = words.document_frequency()
    inverse = np.log(1 + len(words) / np.maximum(frequency, 1))
    # Filled a row at a time (whole-collection temporaries were this stage's peak), the word numbers
    # in place: a row's kept words never start after its counted ones (30,000 articles: ~30 MB).
    starts, ids, values = np.zeros(len(words) + 1, np.int64), words.ids, np.empty(len(words.ids))
    for i in range(len(words)):
        numbers, counts = words.row(i)
        kept = frequency[numbers] <= too_common
        numbers = numbers[kept]
        weights = (1 + np.log(counts[kept])) * inverse[numbers]
        starts[i + 1] = starts[i] + len(numbers)
        ids[starts[i]:starts[i + 1]] = numbers
        values[starts[i]:starts[i + 1]] = weights / (math.sqrt(weights @ weights) or 1.0)
    return _Rows(starts, ids[:starts[-1]], values[:starts[-1]], words.names)


@dataclass(frozen=True)
class _Pairs:
    """Pairs of articles (or stories) with a value each, as arrays sorted by pair: a pair
    ``(i, j)``, ``i < j``, is the number ``i * size + j``. A dictionary keyed by tuples takes
    ~170 bytes a pair, and 100,000 articles score millions of pairs (the stage's peak memory)."""
    keys: np.ndarray
    values: np.ndarray
    size: int

    @property
    def first(self) -> np.ndarray:
        return self.keys // self.size

    @property
    def second(self) -> np.ndarray:
        return self.keys % self.size

    def lookup(self, keys: np.ndarray, default: np.ndarray | float = 0.0) -> np.ndarray:
        """The values of ``keys``, ``default`` where a key is not a pair of these."""
        result = np.broadcast_to(default, keys.shape).astype(np.float64)
        position = np.searchsorted(self.keys, keys)
        found = position < len(self.keys)
        found[found] = self.keys[position[found]] == keys[found]
        result[found] = self.values[position[found]]
        return result

    @classmethod
    def none(cls, size: int) -> _Pairs:
        return cls(np.zeros(0, np.int64), np.zeros(0), size)

    def as_dict(self) -> dict[tuple[int, int], float]:
        return dict(zip(zip(self.first.tolist(), self.second.tolist(), strict=True), self.values.tolist(),
                        strict=True))


def _text_cosines(first: np.ndarray, second: np.ndarray, vectors: _Rows) -> np.ndarray:
    """The dot products of the pairs ``first[k], second[k]`` (sorted by ``first``) of ``vectors``
    (from _text_vectors): each first article's vector spread over all the words once, the
    others' weights gathered from it."""
    cosines = np.zeros(len(first))
    if not len(first):
        return cosines
    spread = np.zeros(len(vectors.names))
    starts = np.flatnonzero(np.r_[True, first[1:] != first[:-1]])
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(first)], strict=True):
        ids, weights = vectors.row(int(first[start]))
        spread[ids] = weights
        for k in range(start, end):
            other_ids, other_weights = vectors.row(int(second[k]))
            cosines[k] = spread[other_ids] @ other_weights
        spread[ids] = 0.0
    return cosines


def _runs(begin: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The integers ``begin[k] .. begin[k] + count[k] - 1`` for each ``k``, in order: the
    partners of each posting."""
    return np.repeat(begin, count) + np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)


# Pair products are summed this many at a time (~100 bytes each in temporary arrays while they are).
PRODUCTS_BLOCK = 1_000_000


def _dot_products(vectors: _Rows, days: list[int], kept: np.ndarray | None = None, window: int = STORY_DAYS) -> _Pairs:
    """Dot products of the pairs at most ``window`` days apart that share a feature of their
    entries ``kept`` allows (from postings lists sorted by day: the cost is that of each day's
    articles)."""
    size = len(vectors)
    kept = np.ones(len(vectors.ids), bool) if kept is None else kept
    ids, articles, weights = vectors.ids[kept], vectors.row_of_entries()[kept], vectors.values[kept]
    if not len(ids):
        return _Pairs.none(size)
    # features numbered in first-seen order: a pair's products are summed in their order
    distinct, first_seen = np.unique(ids, return_index=True)
    rank = np.empty(len(distinct), np.int64)
    rank[np.argsort(first_seen)] = np.arange(len(distinct))
    features = rank[np.searchsorted(distinct, ids)]
    day = np.asarray(days, np.int64)[articles]
    order = np.lexsort((articles, day, features))  # each feature's postings, by day
    features, articles, weights, day = features[order], articles[order], weights[order], day[order] - day.min()
    position = features * (int(day.max()) + window + 1) + day
    del ids, features, day  # the loop below needs only the postings' articles, weights and partners
    # each posting's partners: the later postings of its feature at most ``window`` days later
    partners = np.searchsorted(position, position + window, side="right") - np.arange(len(position)) - 1
    del position
    ends = np.cumsum(partners)
    total = _Pairs.none(size)
    start = 0
    while start < len(partners):  # postings whose products number at most PRODUCTS_BLOCK (or one posting's)
        stop = max(int(np.searchsorted(ends, ends[start] - partners[start] + PRODUCTS_BLOCK, side="right")),
                   start + 1)
        count = partners[start:stop]
        left = np.repeat(np.arange(start, stop), count)
        right = _runs(np.arange(start, stop) + 1, count)
        a, b = articles[left], articles[right]
        # bincount adds each pair's sum so far, then its products in the postings' order: the sums
        # of a loop over the postings, to the last bit (whatever the blocks)
        keys, inverse = np.unique(np.concatenate([total.keys, np.minimum(a, b) * size + np.maximum(a, b)]),
                                  return_inverse=True)
        total = _Pairs(keys, np.bincount(inverse, np.concatenate([total.values, weights[left] * weights[right]]),
                                         len(keys)), size)
        start = stop
    return total


def similarities(items: list[LocalizedArticle], cache: Cache | None = None,
                 problems: list[Problem] | None = None) -> dict[tuple[int, int], float]:
    """The score of every pair of articles at most STORY_DAYS apart (or of an undated article and
    a dated one of the day it names) that shares a term or a specific entity (see the module's
    documentation); other pairs are left out."""
    return _compare(items, cache, problems)[0].as_dict()


def _date_code(day: date) -> str:
    """A date as ``stated_days`` writes a day: "weekday:day of the month"."""
    return f"{day.weekday()}:{day.day}"


def _named_day_pairs(vectors: _Rows, codes: list[str | None], undated: np.ndarray) -> _Pairs:
    """Dot products of the pairs of an undated article and a dated one that share a feature of
    ``vectors``, where the day the undated one names first is the dated one's date (``codes``:
    each article's first named day, or date, as ``stated_days`` writes it; None when it names
    none). An undated article's day is unknown, not the day its file came: named by its weekday
    and day of the month ("nesta quinta-feira (15)"), it is compared with the reports of such a
    day, whatever their year."""
    size = len(vectors)
    numbers = {code: number for number, code in enumerate(dict.fromkeys(c for c in codes if c is not None))}
    code_of = np.array([-1 if code is None else numbers[code] for code in codes], np.int64)
    articles = vectors.row_of_entries()
    keep = code_of[articles] >= 0
    ids, articles, weights = vectors.ids[keep], articles[keep], vectors.values[keep]
    key = ids.astype(np.int64) * max(len(numbers), 1) + code_of[articles]
    late = undated[articles]
    dated = np.flatnonzero(~late)[np.argsort(key[~late], kind="stable")]  # entries of dated articles, by key
    undated_entries = np.flatnonzero(late)
    begin = np.searchsorted(key[dated], key[undated_entries], side="left")
    count = np.searchsorted(key[dated], key[undated_entries], side="right") - begin
    left, right = np.repeat(undated_entries, count), dated[_runs(begin, count)]
    a, b = articles[left], articles[right]
    keys, inverse = np.unique(np.minimum(a, b) * size + np.maximum(a, b), return_inverse=True)
    return _Pairs(keys, np.bincount(inverse, weights[left] * weights[right], len(keys)), size)


def _union(first: _Pairs, second: _Pairs) -> _Pairs:
    """The pairs of both, a pair of both with ``first``'s value."""
    extra = ~np.isin(second.keys, first.keys)
    keys = np.concatenate([first.keys, second.keys[extra]])
    order = np.argsort(keys, kind="stable")
    return _Pairs(keys[order], np.concatenate([first.values, second.values[extra]])[order], first.size)


def _compare(items: list[LocalizedArticle], cache: Cache | None, problems: list[Problem] | None,
             store: Stash | None = None) -> tuple[_Pairs, _Rows]:
    """``similarities``, and each article's unit vector of specific evidence weighed in its time
    (``_weights_of_their_time``), which threads compare."""
    if not items:
        return _Pairs.none(0), _Rows.none(0)
    problems = problems if problems is not None else []
    features = _features_of(items, cache, problems, store)
    _FOR_GROUPING.clear()  # what topics left for articles whose features were cached
    n = len(items)
    days = [item.article.date.toordinal() for item in items]
    specific = _specific(n)
    languages = [item.article.language for item in items]
    raw = features.evidence
    aliases = _aliases_by_language((map(raw.names.__getitem__, raw.row(i)[0].tolist()) for i in range(n)),
                                   languages, features.defined)
    evidence = _canonical(raw, languages, aliases)
    entity_vectors, _ = _weighted(evidence, specific)
    undated = np.array([item.article.date_is_stand_in for item in items])
    stated, weekdays = features.days, features.weekdays
    codes = [(days_named[0] if days_named else None) if late else _date_code(item.article.date)
             for item, late, days_named in zip(items, undated.tolist(), stated, strict=True)]
    # its entries are specific ones (_weighted)
    entity = _union(_dot_products(entity_vectors, days), _named_day_pairs(entity_vectors, codes, undated))
    # Only pairs that share specific evidence are scored (from the entities' postings): scoring
    # every pair of a day that shares a word would be quadratic in the day's articles.
    # A term in more than a fifth of a large collection says little about which articles
    # belong together: left out of the dot product (it still weighs in the vector's norm).
    too_common = max(20, n // 5)
    term_vectors, term_frequency = _weighted(features.terms, lambda df: np.ones(len(df), bool))
    term_vectors = term_vectors.where(term_frequency[term_vectors.ids] <= too_common)
    # Rare terms are evidence too: for an article that names no specific entity (a short
    # notice, a fixture), a pair's text stands in for the entities it cannot share.
    rare = max(3, n // 200)
    frequency = term_frequency[term_vectors.ids]
    candidates = np.union1d(entity.keys, _dot_products(term_vectors, days, (frequency >= 2) & (frequency <= rare)).keys)
    first, second = candidates // n, candidates % n
    # Two articles in one language are compared by their whole texts (an event's reports share its
    # details throughout, a thread's other events share only its background: all of a text's words
    # told the labelled events apart better than its 20, 50 or 100 heaviest); across languages, by
    # their summaries in the pivot language.
    word_vectors = _text_vectors(features.words, too_common)
    del features, raw  # the whole texts' counts: only their vectors are needed now
    language_numbers = {language: number for number, language in enumerate(dict.fromkeys(languages))}
    language_of = np.array([language_numbers[language] for language in languages])
    same = language_of[first] == language_of[second]
    text = np.zeros(len(candidates))
    text[same] = _text_cosines(first[same], second[same], word_vectors)
    del word_vectors
    for k in np.flatnonzero(~same).tolist():
        a, b = term_vectors.row(first[k]), term_vectors.row(second[k])
        a, b = (a, b) if len(a[0]) <= len(b[0]) else (b, a)
        other = dict(zip(b[0].tolist(), b[1].tolist(), strict=True))
        text[k] = sum(w * other[t] for t, w in zip(a[0].tolist(), a[1].tolist(), strict=True) if t in other)
    no_evidence = np.diff(entity_vectors.starts) == 0
    shared = entity.lookup(candidates, np.where(no_evidence[first] | no_evidence[second], text, 0.0))
    score = (1 - ENTITY_WEIGHT) * text + ENTITY_WEIGHT * shared
    for k in np.flatnonzero(undated[first] | undated[second]).tolist():
        i, j = first[k], second[k]
        score[k] -= _undated_margin((stated[i], stated[j]), (weekdays[i], weekdays[j]),
                                    undated[i] != undated[j] and codes[i] == codes[j])
    # A day's round-up tells many events: no story or thread of one of them is its own.
    roundup = np.array([item.article.roundup for item in items])
    kept = (score > 0) & ~roundup[first] & ~roundup[second]
    threads = _weights_of_their_time(evidence, days, THREAD_DAYS)
    return _Pairs(candidates[kept], score[kept], n), threads.where(~roundup[threads.row_of_entries()])


def _aliases_by_language(keys: Iterable[Iterable[str]], languages: list[str],
                         defined: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """``collection_aliases`` among the articles of each language: a short name stands for the
    longer one its own language's articles use ("MG" in Portuguese news is Minas Gerais, not the
    English news' "MG Rover"; "GM" is not "Gilmar Mendes" in English), an acronym for the name
    they define it as (``defined``: each article's acronym key -> name key)."""
    frequency: dict[str, Counter] = defaultdict(Counter)
    definitions: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for article_keys, language, article_defined in zip(keys, languages, defined, strict=True):
        frequency[language].update(key for key in set(article_keys) if key.startswith("name:"))
        for acronym, name in article_defined.items():
            definitions[language][acronym][name] += 1
    return defaultdict(dict, {language: collection_aliases(counts, definitions[language])
                              for language, counts in frequency.items()})


def _canonical(counts: _Rows, languages: list[str], aliases: dict[str, dict[str, str]]) -> _Rows:
    """Each article's ``counts`` with its keys replaced by the names its language's ``aliases``
    give them (merged: "Lula" and "Luiz Inácio Lula da Silva" are one)."""
    canonical = _RowsBuilder()
    for i, language in enumerate(languages):
        merged: Counter = Counter()
        table = aliases[language]
        for number, count in zip(*(part.tolist() for part in counts.row(i)), strict=True):
            key = counts.names[number]
            merged[table.get(key, key)] += count
        canonical.add(merged)
    return canonical.rows()


def _summed_by_group(scores: dict[int, float], group_of: dict[int, int]) -> dict[int, float]:
    """An item's pair ``scores`` summed over the groups (stories, threads) of the items already
    placed: what placing it compares."""
    totals: dict[int, float] = defaultdict(float)
    for other, score in scores.items():
        if other in group_of:
            totals[group_of[other]] += score
    return totals


def group_stories(items: list[LocalizedArticle], threshold: float = EVENT_THRESHOLD,
                  cache: Cache | None = None, problems: list[Problem] | None = None,
                  features_stash: Stash | None = None) -> Digest:
    """Stories (events), newest story first, and each article's related articles (the others
    of its story, most similar first). Every article is in exactly one story. ``features_stash``
    keeps the articles' features from one build to the next (``FEATURES_FILE``)."""
    scores, thread_vectors = _compare(items, cache, problems, features_stash)
    neighbours = _Neighbours(scores)
    dated = [None if item.article.date_is_stand_in else item.article.date.toordinal() for item in items]
    order = sorted(range(len(items)), key=lambda i: (items[i].article.date.toordinal(), items[i].article.slug))
    members: list[list[int]] = []
    spans: list[tuple[int, int] | None] = []
    cohesion: list[float] = []  # per story: the sum of its pairs' scores
    story_of: dict[int, int] = {}
    for i in order:
        day = dated[i]
        totals = _summed_by_group(neighbours.of(i), story_of)
        best, best_score = None, threshold
        for story, total in sorted(totals.items()):
            # The cosine with the story's centroid, the pair scores standing for dot products:
            # an article that agrees with what the story's articles share joins it even when
            # each of them also tells details of its own.
            centroid = total / math.sqrt(len(members[story]) + 2 * cohesion[story])
            if centroid < best_score or len(members[story]) >= MAX_STORY_ARTICLES:
                continue
            span = spans[story]
            if day is not None and span is not None and max(span[1], day) - min(span[0], day) > STORY_DAYS:
                continue
            best, best_score = story, centroid
        if best is None:
            best = len(members)
            members.append([])
            spans.append(None)
            cohesion.append(0.0)
        else:
            cohesion[best] += totals[best]
        members[best].append(i)
        story_of[i] = best
        if day is not None:
            span = spans[best]
            spans[best] = (day, day) if span is None else (min(span[0], day), max(span[1], day))

    members = _merge_close_stories(members, cohesion, spans, story_of, scores, threshold)
    del scores

    def newest(i: int):
        return (-items[i].article.date.toordinal(), items[i].article.slug)

    def lead_first(i: int):
        # A stated date says when the story happened; an undated article's day is the day its file
        # came, and it may have joined a story of any year (_named_day_pairs): it never leads one
        # that has a dated article, so the story stays on its own day and in its place on lists.
        return (items[i].article.date_is_stand_in, *newest(i))

    stories = []
    related = {}
    summaries = {}
    for group in members:
        ordered = sorted(group, key=lead_first)
        oldest = min(group, key=lambda i: (items[i].article.date.toordinal(), items[i].article.slug))
        stories.append(Story(tuple(items[i].article.slug for i in ordered), items[oldest].article.slug))
        if len(group) > 1:
            for i in group:
                row = neighbours.of(i)
                others = sorted((j for j in group if j != i), key=lambda j: (-row.get(j, 0.0), newest(j)))
                related[items[i].article.slug] = tuple(items[j].article.slug for j in others[:MAX_RELATED])
            summaries[stories[-1].id] = story_summary([items[i] for i in ordered])
    threads = group_threads(members, stories, items, thread_vectors)
    thread_of = {story_id: thread.id for thread in threads for story_id in thread.stories}
    stories = [dataclasses.replace(story, thread=thread_of.get(story.id)) for story in stories]
    return Digest(_in_reading_order(stories, items), related, threads, summaries)


def _in_reading_order(stories: list[Story], items: list[LocalizedArticle]) -> list[Story]:
    """Newest day first; within a day, the stories more outlets covered first (then more
    articles), and among equals each outlet's stories in turn: every outlet's first, then every
    outlet's second… A day's stories were in the order of their lead articles' names: a real
    build's home page showed 50 undated BBC business articles of 50, in the order of their files."""
    by_slug = {item.article.slug: item.article for item in items}
    keyed = []
    for story in stories:
        lead = by_slug[story.slugs[0]]
        outlets = [outlet_key(by_slug[slug]) for slug in story.slugs]  # each article's once (count_outlets')
        keyed.append(((-lead.date.toordinal(), -len(set(outlets)), -len(story.slugs)), outlets[0], lead.slug, story))
    keyed.sort(key=lambda entry: entry[:3])
    turn: Counter = Counter()  # per tier of a day and outlet: its stories so far
    ordered = []
    for tier, outlet, slug, story in keyed:
        ordered.append((tier, turn[tier, outlet], slug, story))
        turn[tier, outlet] += 1
    ordered.sort(key=lambda entry: entry[:3])
    return [story for *_, story in ordered]


class _Neighbours:
    """Each item's scored pairs (articles', stories'), one item at a time (CSR arrays: a
    dictionary of every item's neighbours held each pair twice, ~340 bytes)."""

    def __init__(self, pairs: _Pairs) -> None:
        rows = np.concatenate([pairs.first, pairs.second])
        order = np.argsort(rows, kind="stable")
        self.others = np.concatenate([pairs.second, pairs.first])[order]
        self.scores = np.concatenate([pairs.values, pairs.values])[order]
        self.starts = np.searchsorted(rows[order], np.arange(pairs.size + 1))

    def of(self, i: int) -> dict[int, float]:
        start, end = self.starts[i], self.starts[i + 1]
        return dict(zip(self.others[start:end].tolist(), self.scores[start:end].tolist(), strict=True))


def _merge_close_stories(members: list[list[int]], cohesion: list[float], spans: list[tuple[int, int] | None],
                         story_of: dict[int, int], pairs: _Pairs, threshold: float) -> list[list[int]]:
    """Stories whose centroids are at least ``threshold`` close merged, closest first (centroid
    link between stories, as between an article and a story): placing articles one by one
    depends on their order, and two halves of one event may each have started a story before
    either could join the other. ``story_of`` holds every article's story."""
    story = np.array([story_of[i] for i in range(pairs.size)], np.int64)
    first, second = story[pairs.first], story[pairs.second]
    across = first != second
    first, second = np.minimum(first[across], second[across]), np.maximum(first[across], second[across])
    # each pair of stories' summed scores, added in the pairs' order (bincount adds in order, as a loop)
    keys, inverse = np.unique(first * len(members) + second, return_inverse=True)
    summed = _Pairs(keys, np.bincount(inverse.ravel(), pairs.values[across], len(keys)), len(members))
    # Each story's links, made a dictionary when a merge needs them: most stories merge with none,
    # and a dictionary of every story's (1.7 million pairs at 100,000 articles) was ~600 MB.
    stored = _Neighbours(summed)
    links: dict[int, dict[int, float]] = {}

    def linked(a: int) -> dict[int, float]:
        if a not in links:
            links[a] = defaultdict(float, stored.of(a))
        return links[a]

    def closeness(a: int, b: int) -> float:
        return linked(a)[b] / math.sqrt((len(members[a]) + 2 * cohesion[a]) * (len(members[b]) + 2 * cohesion[b]))

    def spans_at_most(a: int, b: int) -> bool:
        first, second = spans[a], spans[b]
        return first is None or second is None or max(first[1], second[1]) - min(first[0], second[0]) <= STORY_DAYS

    # Only pairs at the threshold can merge (the loop stops at the first below it); others enter
    # the heap when a merge makes them close. The same arithmetic as closeness(), element-wise.
    weight = np.array([len(group) + 2 * total for group, total in zip(members, cohesion, strict=True)])
    close = summed.values / np.sqrt(weight[summed.first] * weight[summed.second])
    at_threshold = close >= threshold
    heap = list(zip((-close[at_threshold]).tolist(), summed.first[at_threshold].tolist(),
                    summed.second[at_threshold].tolist(), strict=True))
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if not members[a] or not members[b] or abs(closeness(a, b) + negative) > 1e-12:
            continue  # a stale entry: one of them was merged or grew since
        if len(members[a]) + len(members[b]) > MAX_STORY_ARTICLES or not spans_at_most(a, b):
            continue
        cohesion[a] += cohesion[b] + linked(a)[b]
        members[a] += members[b]
        members[b] = []
        first, second = spans[a], spans[b]
        spans[a] = first or second if first is None or second is None else \
            (min(first[0], second[0]), max(first[1], second[1]))
        merged = linked(b)
        del links[b]
        for other, total in merged.items():
            if other != a:
                linked(other).pop(b, None)
                linked(a)[other] += total
                linked(other)[a] += total
        linked(a).pop(b, None)
        for other in linked(a):
            heapq.heappush(heap, (-closeness(a, other), min(a, other), max(a, other)))
    return [group for group in members if group]


def _story_day(group: list[int], items: list[LocalizedArticle]) -> int:
    """A story's day: its earliest stated date, else the earliest day its articles were added."""
    stated = [items[i].article.date.toordinal() for i in group if not items[i].article.date_is_stand_in]
    return min(stated or [items[i].article.date.toordinal() for i in group])


def group_threads(members: list[list[int]], stories: list[Story], items: list[LocalizedArticle],
                  entity_vectors: _Rows) -> list[Thread]:
    """Threads of two stories or more, newest first. A story's main entities are the
    ``THREAD_ENTITIES`` heaviest of its articles' specific entities (figures left out: they
    name an event, not a subject); two stories at most ``THREAD_DAYS`` apart score the cosine of
    their main entities when they share ``THREAD_SHARED`` of them that are no places. Stories
    are placed oldest first: one joins the thread whose average score over its stories of the
    last THREAD_DAYS (missing pairs count 0) is the highest and at least ``THREAD_THRESHOLD``
    (average link again: close to the thread's recent events as a whole, not to one of them),
    else starts one. A thread can go on as long as its subject
    does: each new event is compared with its recent ones."""
    names = entity_vectors.names
    main_entities, subjects = _RowsBuilder("d"), _RowsBuilder("d")
    for group in members:
        total: dict[str, float] = defaultdict(float)
        for i in group:
            for number, weight in zip(*(part.tolist() for part in entity_vectors.row(i)), strict=True):
                if not names[number].startswith("figure:"):
                    total[names[number]] += weight
        main = sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))[:THREAD_ENTITIES]
        norm = math.sqrt(sum(w * w for _, w in main)) or 1.0
        main_entities.add({key: w / norm for key, w in main})
        # places (London, the US, New York) say where, not what: a real build threaded "Weak dollar hits
        # Reuters" with "Crossrail link 'to get go-ahead'" on London alone. Each story's once, not each pair's.
        subjects.add({key: 1.0 for key, _ in main if not is_place(key)})
    days = [_story_day(group, items) for group in members]
    scores = _dot_products(main_entities.rows(), days, window=THREAD_DAYS)
    # how many subjects each pair shares (dot products of ones), as arrays: 100,000 stories have
    # ~4 million pairs, and Python's objects for each were this stage's peak (~450 MB)
    enough = _dot_products(subjects.rows(), days, window=THREAD_DAYS).lookup(scores.keys) >= THREAD_SHARED
    neighbours = _Neighbours(_Pairs(scores.keys[enough], scores.values[enough], len(members)))
    threads: list[list[int]] = []
    thread_of: dict[int, int] = {}
    for s in sorted(range(len(stories)), key=lambda s: (days[s], stories[s].id)):
        # in the order of the other stories' numbers: a thread's scores are summed in that order
        totals = _summed_by_group(dict(sorted(neighbours.of(s).items())), thread_of)
        best, best_score = None, THREAD_THRESHOLD
        for thread, summed in sorted(totals.items()):
            recent = sum(1 for t in threads[thread] if days[s] - days[t] <= THREAD_DAYS)
            if summed / recent >= best_score:
                best, best_score = thread, summed / recent
        if best is None:
            best = len(threads)
            threads.append([])
        threads[best].append(s)
        thread_of[s] = best
    several = sorted((group for group in threads if len(group) > 1),
                     key=lambda group: (-max(days[s] for s in group), stories[group[0]].id))
    return [Thread(stories[group[0]].id, tuple(stories[s].id for s in group)) for group in several]


def _content_words(sentence: str, language: str) -> Counter:
    return _terms(sentence, language, stemmer(language))


def story_summary(items: list[LocalizedArticle]) -> tuple[tuple[str, int], ...]:
    """A story's summary across its articles (``items``, newest first, in one language):
    (article slug, sentence index) of at most ``SUMMARY_SENTENCES`` of their summary sentences.
    Each sentence is ranked by its centrality among the other articles' sentences (the sum of
    its TF-IDF cosines with them: what the coverage agrees on), the first sentences of an
    article a little ahead; chosen best first, leaving out a sentence whose content words are
    ``REDUNDANT_OVERLAP`` or more in a chosen one (it says the same again), one sentence of
    each article that shares anything with the others before a second one, and at most
    ``SUMMARY_PER_ARTICLE`` from one article; shown best first."""
    candidates = []
    for order, item in enumerate(items):
        for index, sentence in enumerate(item.sentences):
            words = _content_words(sentence, item.language)
            if words:
                candidates.append((order, index, words))
    if not candidates:
        return ()
    frequency = Counter(word for _, _, words in candidates for word in words)
    n = len(candidates)
    vectors = []
    for _, _, words in candidates:
        weights = {w: (1 + math.log(c)) * math.log(1 + n / frequency[w]) for w, c in words.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors.append({w: x / norm for w, x in weights.items()})
    ranked = []
    for a, (order, index, _) in enumerate(candidates):
        support = sum(sum(weight * vectors[b].get(word, 0.0) for word, weight in vectors[a].items())
                      for b, (other, _, _) in enumerate(candidates) if other != order)
        ranked.append((-(support + 0.1 / (1 + index)), order, index, a, support))
    ranked.sort()
    chosen: list[int] = []
    per_article: Counter = Counter()
    for cap in range(1, SUMMARY_PER_ARTICLE + 1):  # one sentence of each article first: more outlets heard
        for _, order, _index, a, support in ranked:
            mine = candidates[a][2].keys()
            if len(chosen) == SUMMARY_SENTENCES or a in chosen or per_article[order] >= cap \
                    or (cap == 1 and not support) \
                    or any(len(mine & candidates[c][2].keys()) >= REDUNDANT_OVERLAP * len(mine) for c in chosen):
                continue
            chosen.append(a)
            per_article[order] += 1
    chosen.sort(key=lambda a: next(n for n, entry in enumerate(ranked) if entry[3] == a))
    return tuple((items[candidates[a][0]].article.slug, candidates[a][1]) for a in chosen)


PIVOT_FOR_STORIES = PIVOT  # every article has a summary in the pivot when it is a site language
CANDIDATE_TAGS = 2 * MAX_TAGS  # kept per article, so that merging names across articles still leaves MAX_TAGS


def extract_tags(title: str, text: str, language: str) -> dict[str, Any]:
    """An article's topic candidates, most mentioned first: "tags", (entity key, name as
    written); and "defined", the acronyms it spells out (acronym key -> name key)."""
    entities = _topic_entities(title, text, language)
    entities = dataclasses.replace(entities, counts={k: c for k, c in entities.counts.items() if k[5:] not in OUTLETS})
    return {"tags": [(key, entities.names.get(key, key)) for key in topics(entities, CANDIDATE_TAGS)],
            "defined": entities.defined}


def tag_articles(
    summaries: list[Summary], localized: dict[str, list[LocalizedArticle]], translator: Translator | None,
    problems: list[Problem], cache: Cache | None = None,
) -> dict[str, list[LocalizedArticle]]:
    """Topics of each article: its main entities, found in its own language, one name for one
    entity across the collection; in each site language a country, territory or language is
    named by CLDR, any other name as written (never machine-translated). A topic's page is
    named by its name in the pivot language when that is a site language (else the first):
    the same on every language site. An article whose topics cannot be found has none, and is
    in ``problems``."""
    by_slug = {s.article.slug: s.article for s in summaries}
    cache = cache if cache is not None else (translator.cache if translator else None)

    def compute(slugs: list[str]) -> dict[str, Any]:
        return {slug: result_or_failure(extract_tags, by_slug[slug].title, by_slug[slug].text, by_slug[slug].language)
                for slug in slugs}

    keys = {slug: cache_key("topics", title=a.title, text=a.text_digest,
                            language=a.language, source=a.source_name, version=TERMS_VERSION,
                            rules=settings.digest("stories", "language"), cldr=cldr_version())
            for slug, a in by_slug.items()}
    found = cache.lookup(keys, compute, kept=TOPICS_FILE) if cache else compute(list(keys))
    candidates: dict[str, list[tuple[str, str]]] = {}
    defined: dict[str, dict[str, str]] = {}
    for summary in summaries:
        slug = summary.article.slug
        if isinstance(found[slug], str):
            problems.append(Problem(summary.article.source_file,
                                    failed("stories", found[slug], "published with no topics")))
            candidates[slug], defined[slug] = [], {}
            continue
        own = fold(" ".join(summary.article.source_name.split()))
        candidates[slug] = [(key, shown) for key, shown in found[slug]["tags"] if key[5:] != own]
        defined[slug] = found[slug]["defined"]
    language_of = {slug: article.language for slug, article in by_slug.items()}
    slugs = list(candidates)
    aliases_in = _aliases_by_language([[key for key, _ in candidates[slug]] for slug in slugs],
                                      [language_of[slug] for slug in slugs], [defined[slug] for slug in slugs])
    shown_as: dict[str, Counter] = defaultdict(Counter)  # the spellings of each entity, most used first
    chosen: dict[str, list[str]] = {}
    for slug, pairs in candidates.items():
        keys_of: list[str] = []
        aliases = aliases_in[language_of[slug]]
        for key, shown in pairs:
            canonical = aliases.get(key, key)
            if canonical not in keys_of:
                keys_of.append(canonical)
            if canonical == key:
                shown_as[key][shown] += 1
        chosen[slug] = keys_of[:MAX_TAGS]
    names = {key: min(counter, key=lambda name: (-counter[name], name)) for key, counter in shown_as.items()}
    reference = PIVOT_FOR_STORIES if PIVOT_FOR_STORIES in localized else next(iter(localized), PIVOT_FOR_STORIES)
    chosen_keys = dict.fromkeys(key for keys in chosen.values() for key in keys)

    def shown_in(language: str) -> dict[str, str | None]:
        # one string per topic and language, shared by its articles (not one per article: ~20 MB at 30,000)
        return {key: safe_tag(display_name(key, names.get(key, key), language)) for key in chosen_keys}

    page_names = shown_in(reference)
    tagged: dict[str, list[LocalizedArticle]] = {}
    for target, items in localized.items():
        tagged[target] = []
        shown_here = page_names if target == reference else shown_in(target)
        for item in items:
            pages: dict[str, str] = {}  # topic as shown here -> its name in the reference language
            for key in chosen.get(item.article.slug, []):
                tag = shown_here[key]
                if tag and tag not in pages:
                    pages[tag] = page_names[key] or tag
            tagged[target].append(dataclasses.replace(item, tags=tuple(pages), tag_pages=tuple(pages.values())))
    return tagged

