"""One copy per story: the same canonical URL or near-identical text is kept once."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from urllib.parse import urlsplit

from .records import Article, Problem

# Which copy of a story wins: the longest text (the most complete), then the format
# that carries the most metadata, then the file name.
_FORMAT_RANK = {"html": 0, "md": 1, "txt": 2, "feed": 3}


def canonical_url(url: str) -> str:
    """The same page however it was linked: no scheme, 'www.', query tracking, fragment or
    trailing slash."""
    if not url.startswith(("http://", "https://")):
        return ""
    parts = urlsplit(url.strip())
    query = "&".join(q for q in sorted(parts.query.split("&")) if q and not q.startswith("utm_"))
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def _shingles(article: Article) -> set[int]:
    words = re.findall(r"\w+", article.text.lower())
    return {zlib.crc32(" ".join(words[i : i + 5]).encode()) for i in range(max(1, len(words) - 4))}


NEAR_DUPLICATE = 0.8  # share of the shorter text's 5-word shingles found in the other


def deduplicate(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Keep one copy of each story: same canonical URL, or near-identical text."""
    ranked = sorted(articles, key=lambda a: (-len(a.text), _FORMAT_RANK.get(a.source_format, 9), a.source_file))
    kept: list[Article] = []
    by_url: dict[str, Article] = {}
    postings: dict[int, list[int]] = {}
    shingles: list[set[int]] = []
    problems = []
    for article in ranked:
        own = _shingles(article)
        url = canonical_url(article.source_url)
        winner, why = (by_url.get(url), "same URL") if url else (None, "")
        if winner is None:
            shared = Counter(k for h in own for k in postings.get(h, ()))
            for index, count in shared.most_common(1):
                if count >= NEAR_DUPLICATE * min(len(own), len(shingles[index])):
                    winner, why = kept[index], "near-identical text"
        if winner is not None:
            problems.append(Problem(article.source_file, f"same story as {winner.source_file} ({why}); "
                                                         "kept that copy: its text is the longest"))
            continue
        for h in own:
            postings.setdefault(h, []).append(len(kept))
        shingles.append(own)
        kept.append(article)
        if url:
            by_url[url] = article
    order = {a.source_file: n for n, a in enumerate(articles)}
    return sorted(kept, key=lambda a: order[a.source_file]), problems
