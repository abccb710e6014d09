"""What the render stage last wrote into docs_dir, so that an article page, a list page (topic,
source, month, category) or a day's edition made from the same inputs is not made again: per
page, a digest of everything the page is made from, and the size and modification time its file
had then (issue #29: at 30,000 articles, a day of news made ~96,000 article pages again to change
~1,000 of them; at 100,000, its lists wrote ~640,000 entries a language to change a few hundred
pages).

A page is kept as it is only when its inputs digest the same, the render code is the same
(``state.code_fingerprint``: polydigest's files, the versions of Python and of the libraries
that shape the output) and
its file is still the one written (same size and time), so a hand-edited or deleted file is
made again. The record is saved after the pages are written; a build that stops before that
leaves the previous record, whose files no longer match what changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .records import Article, LocalizedArticle, Summary
from .state import code_fingerprint

RECORD_FILE = "rendered-pages.json"  # in the work folder
# The fields an item's digest reads, found once (not dataclasses.fields() per item).
_ITEM_FIELDS = tuple(f.name for f in dataclasses.fields(LocalizedArticle) if f.name != "summary")
_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(Summary) if f.name != "article")


class RenderedPages:
    """The record of ``root``'s pages (paths relative to it), read from ``record``."""

    def __init__(self, record: Path, root: Path) -> None:
        self.record, self.root = record, root
        self.code = code_fingerprint()
        try:
            saved = json.loads(record.read_text())
        except (OSError, ValueError):
            saved = {}
        self.pages: dict[str, list] = saved.get("pages", {}) if isinstance(saved, dict) and \
            saved.get("code") == self.code else {}
        self.expected: dict[str, str] = {}
        # id() of an Article or a LocalizedArticle -> (it, its digest): each made once, as a page and
        # as another page's related article; held, so that no other object takes its id.
        self._digests: dict[int, tuple[object, bytes]] = {}

    def _digest(self, thing: Article | LocalizedArticle, parts: Callable[[], bytes]) -> bytes:
        found = self._digests.get(id(thing))
        if found is None:
            found = self._digests[id(thing)] = (thing, hashlib.sha256(parts()).digest())
        return found[1]

    def item_digest(self, item: LocalizedArticle) -> bytes:
        """Everything shown of ``item``: its article (digested once for every language) and its
        fields in its language."""
        def parts() -> bytes:
            fields = [getattr(item, name) for name in _ITEM_FIELDS]
            fields += [getattr(item.summary, name) for name in _SUMMARY_FIELDS]
            return self._digest(item.article, lambda: repr(item.article).encode()) + repr(fields).encode()
        return self._digest(item, parts)

    def page_key(self, items: Iterable[LocalizedArticle], *parameters: object) -> str:
        """The key of a page made from ``items`` and ``parameters`` (plain values)."""
        digest = hashlib.sha256(repr(parameters).encode())
        for item in items:
            digest.update(self.item_digest(item))
        return digest.hexdigest()

    def holds(self, path: str, key: str) -> bool:
        """Whether the file at ``path`` is the page made from ``key``'s inputs; expects it either way."""
        self.expected[path] = key
        entry = self.pages.get(path)
        if not entry or entry[0] != key:
            return False
        try:
            status = os.stat(os.path.join(self.root, path))
        except OSError:
            return False
        return [status.st_size, status.st_mtime_ns] == entry[1:]

    def save(self) -> None:
        """Record the expected pages as their files are now (after they were written), one
        entry at a time: the record read and a new one whole, in dictionaries and then in one
        JSON string, took +169 MB at the end of a day's render at 100,000 articles (370,000
        pages). After, it holds no page as kept (``holds`` is False): it has been saved."""
        self.pages, self._digests = {}, {}
        temporary = self.record.with_name(self.record.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(f'{{"code":{json.dumps(self.code)},"pages":{{')
            separator = ""
            for path, key in self.expected.items():
                try:
                    status = os.stat(os.path.join(self.root, path))
                except OSError:
                    continue
                entry = json.dumps([key, status.st_size, status.st_mtime_ns], separators=(",", ":"))
                out.write(f"{separator}{json.dumps(path)}:{entry}")
                separator = ","
            out.write("}}")
        temporary.replace(self.record)
