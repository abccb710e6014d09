"""Stable URL names for articles: the same in every language, never a path or a reserved name."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from .readers import Source

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


@functools.lru_cache(maxsize=65536)  # pages ask for the same topics' and sources' names again and again
def slugify(name: str) -> str:
    """URL-safe, stable name: ASCII letters, digits and hyphens; never a path or a reserved name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")
    if not slug:
        return "article"
    if slug.split("-")[0] in _WINDOWS_RESERVED or slug == "index":  # index: the page listing the others
        slug = "article-" + slug
    return slug


def assign_slugs(stems: Iterable[str]) -> list[str]:
    """Slugs for file stems in order; a collision gets -2, -3 … in that (sorted) order."""
    taken: set[str] = set()
    slugs = []
    for stem in stems:
        base = slug = slugify(stem)
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def slug_base(source: Source) -> str:
    """What a slug is made from: a feed entry's title, else the file name without suffix."""
    stem = source.name.split("#")[0].rsplit(".", 1)[0]
    return f"{stem}-{source.slug_hint}" if source.slug_hint else stem
