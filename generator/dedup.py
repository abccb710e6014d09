"""One copy per story: the same canonical URL or near-identical text is kept once.

Near-identical texts are found without comparing every pair: each text's 5-word shingles
are summarized by a MinHash signature, and texts whose signatures agree on a whole band
(locality-sensitive hashing) become candidates, checked exactly. The work grows with the
number of articles, not with its square, and signatures are cached by text, so a rebuild
hashes only new texts; so are the exact checks' verdicts, by pair of texts, so a rebuild checks
only pairs it has not seen.
"""

from __future__ import annotations

import base64
import re
import zlib
from urllib.parse import urlsplit

import numpy as np

from . import settings
from .cache import Cache, cache_key
from .readers import READERS, Readers
from .records import Article, Problem
from .stash import Stash

_RULES = settings.section("dedup")
NEAR_DUPLICATE = _RULES["near_duplicate"]  # share of the shorter text's shingles found in the other
BANDS, ROWS = _RULES["bands"], _RULES["rows"]  # MinHash: BANDS bands of ROWS hashes
_RANDOM = np.random.default_rng(5_2024)  # fixed: the same signatures in every build
_MULTIPLIERS = _RANDOM.integers(1, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
_OFFSETS = _RANDOM.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
_WORD_BASE = np.uint64(1_000_003)
SHINGLING_VERSION = 1  # bump when shingles() changes: it invalidates cached signatures and verdicts
MAX_CHECKED = _RULES["max_checked"]  # candidates checked exactly per article
MIN_AGREEMENT = _RULES["min_agreement"]  # ... when their signatures agree this much


def canonical_url(url: str) -> str:
    """The same page however it was linked: no scheme, 'www.', query tracking, fragment or
    trailing slash."""
    if not url.startswith(("http://", "https://")):
        return ""
    parts = urlsplit(url.strip())
    query = "&".join(q for q in sorted(parts.query.split("&")) if q and not q.startswith("utm_"))
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def shingles(text: str) -> np.ndarray:
    """The distinct hashes of the text's 5-word shingles (sorted): each word is hashed once,
    and five word hashes combine into one (a polynomial, wrapping at 64 bits)."""
    words = np.fromiter((zlib.crc32(w.encode()) for w in re.findall(r"\w+", text.lower())), dtype=np.uint64)
    if len(words) < 5:
        words = np.concatenate([words, np.zeros(5 - len(words), dtype=np.uint64)])
    combined = np.zeros(len(words) - 4, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(5):
            combined = combined * _WORD_BASE + words[offset : len(words) - 4 + offset]
    return np.unique(combined)


def signature(own: np.ndarray) -> np.ndarray:
    """MinHash of a shingle set: per hash function (multiply-shift), the smallest value."""
    with np.errstate(over="ignore"):  # multiply-shift hashing relies on wrap-around
        hashed = (own[:, None] * _MULTIPLIERS + _OFFSETS) >> np.uint64(32)
    return hashed.min(axis=0)


def _shared_buckets(signatures: np.ndarray) -> list[list[int]]:
    """Per text (a row of ``signatures``), the LSH buckets it shares with another text: a band
    (ROWS hashes) that agrees whole, numbered across bands. A bucket of one text finds no
    candidate: at 100,000 articles 92 % of them are, and a dict of every text's 32 buckets,
    keyed by their bytes, was the peak of a day's build (~700 MB)."""
    shared: list[list[int]] = [[] for _ in range(len(signatures))]
    numbered = 0
    for band in range(BANDS):
        rows = np.ascontiguousarray(signatures[:, band * ROWS:(band + 1) * ROWS])
        _, bucket, size = np.unique(rows.view(np.dtype((np.void, rows.itemsize * ROWS))).ravel(),
                                    return_inverse=True, return_counts=True)
        bucket = bucket.ravel()
        for text in np.flatnonzero(size[bucket] > 1).tolist():
            shared[text].append(numbered + int(bucket[text]))
        numbered += len(size)
    return shared


def near_identical(own: np.ndarray, other: np.ndarray) -> bool:
    shared = len(np.intersect1d(own, other, assume_unique=True))
    return shared >= NEAR_DUPLICATE * min(len(own), len(other))


def _signatures(articles: list[Article], digests: list[str], cache: Cache | None) -> np.ndarray:
    """Each text's signature, cached as base64 of its bytes: a list of numbers took the JSON
    decoder most of the time a rebuild spent in dedup."""
    def compute(indices: list[str]) -> dict[str, str]:
        return {i: base64.b64encode(signature(shingles(articles[int(i)].text)).tobytes()).decode()
                for i in indices}

    keys = {str(i): cache_key("minhash", text=digest, bands=BANDS, rows=ROWS, shingling=SHINGLING_VERSION,
                              stored="base64") for i, digest in enumerate(digests)}
    found = cache.lookup(keys, compute) if cache else compute(list(keys))
    signatures = np.empty((len(articles), BANDS * ROWS), dtype=np.uint64)
    for i in range(len(articles)):
        signatures[i] = np.frombuffer(base64.b64decode(found.pop(str(i))), dtype=np.uint64)
    return signatures


# The exact checks' verdicts of the last build (stash.py): a day's build of 100,000 articles asked the
# cache for them in ~60,000 queries, one per article with candidates.
VERDICTS_FILE = "dedup-verdicts.npz"
_VERDICTS_VERSION = 1  # of the stash's arrays


def _pair(digest: str, other: str) -> str:
    """A pair of texts, by the first 64 bits of each text's digest."""
    return "".join(sorted((digest[:16], other[:16])))


def _read_verdicts(arrays: dict[str, np.ndarray]) -> dict[str, bool]:
    """The stashed verdicts when they were checked under these rules, else none."""
    if arrays["rules"].tolist() != [SHINGLING_VERSION, NEAR_DUPLICATE]:
        return {}
    pairs, verdicts = arrays["pairs"], arrays["verdicts"]
    if pairs.dtype != np.dtype("S32") or verdicts.dtype != bool or pairs.shape != verdicts.shape:
        raise ValueError("its pairs and verdicts do not fit together")
    return dict(zip((pair.decode() for pair in pairs.tolist()), verdicts.tolist(), strict=True))


def _keep_verdicts(store: Stash, verdicts: dict[str, bool]) -> None:
    store.save({"rules": np.array([SHINGLING_VERSION, NEAR_DUPLICATE]), "pairs": np.array(list(verdicts), "S32"),
                "verdicts": np.array(list(verdicts.values()), bool)}, _VERDICTS_VERSION)


def deduplicate(articles: list[Article], cache: Cache | None = None,
                readers: Readers = READERS) -> tuple[list[Article], list[Problem]]:
    """Keep one copy of each story: same canonical URL, or near-identical text. The copy kept
    is the longest text (the most complete), then the one whose format ranks first among
    ``readers`` (the one that carries the most metadata), then the first file name. With a
    build's cache, the verdicts of the pairs the last build checked are read from its stash
    ``VERDICTS_FILE``, which is left holding this build's."""
    ranked = sorted(articles, key=lambda a: (-a.body.characters, readers.format(a.source_format).duplicate_rank,
                                             a.source_file))
    kept: list[Article] = []
    by_url: dict[str, Article] = {}
    buckets: dict[int, list[int]] = {}  # shared bucket: the kept articles in it
    problems = []
    digests = [article.text_digest for article in ranked]
    kept_digests: list[str] = []
    kept_rows: list[int] = []  # of the kept articles: their rows in ``signatures``
    verdicts: dict[str, bool] = {}  # exact checks made in this build, cached at the end
    store = cache.stash(VERDICTS_FILE) if cache else None
    known_before = (store.load(_read_verdicts, _VERDICTS_VERSION) or {}) if store else {}
    asked: dict[str, bool] = {}  # every pair's verdict in this build, kept for the next
    signatures = _signatures(ranked, digests, cache)
    for row, (article, digest, shared_buckets) in enumerate(zip(ranked, digests, _shared_buckets(signatures),
                                                                strict=True)):
        sig = signatures[row]
        url = canonical_url(article.source_url)
        winner, why = (by_url.get(url), "same URL") if url else (None, "")
        if winner is None:
            shared: dict[int, int] = {}
            for bucket in shared_buckets:
                for index in buckets.get(bucket, ()):
                    shared[index] = shared.get(index, 0) + 1
            likely = [i for i in sorted(shared, key=lambda i: (-shared[i], i))[:MAX_CHECKED]
                      if np.count_nonzero(sig == signatures[kept_rows[i]]) >= MIN_AGREEMENT * len(sig)]
            own: np.ndarray | None = None  # the article's shingles, once a pair not seen before needs them
            pairs = [_pair(digest, kept_digests[index]) for index in likely]
            unknown = [index for index, pair in zip(likely, pairs, strict=True) if pair not in known_before]
            keys = {index: cache_key("near-identical", texts=sorted((digest, kept_digests[index])),
                                     share=NEAR_DUPLICATE, shingling=SHINGLING_VERSION) for index in unknown}
            known = cache.get_many(list(keys.values())) if cache and keys else {}  # one query an article
            for index, pair in zip(likely, pairs, strict=True):
                verdict = known_before.get(pair)
                if verdict is None:
                    verdict = known.get(keys[index])
                if verdict is None:
                    own = shingles(article.text) if own is None else own
                    verdict = verdicts[keys[index]] = near_identical(own, shingles(kept[index].text))
                asked[pair] = verdict
                if verdict:
                    winner, why = kept[index], "near-identical text"
                    break
        if winner is not None:
            problems.append(Problem(article.source_file, f"same story as {winner.source_file} ({why}); "
                                                         "kept that copy: its text is the longest"))
            continue
        for bucket in shared_buckets:
            buckets.setdefault(bucket, []).append(len(kept))
        kept.append(article)
        kept_digests.append(digest)
        kept_rows.append(row)
        if url:
            by_url[url] = article
    if cache and verdicts:
        cache.put_many(verdicts)
    if store:
        _keep_verdicts(store, asked)
    order = {a.source_file: n for n, a in enumerate(articles)}
    return sorted(kept, key=lambda a: order[a.source_file]), problems
