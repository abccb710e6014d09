"""Arrays a stage stashes from one build to the next, in files beside the cache.

A day's build of a large archive looked up and decoded, article by article, results the last
build already held (100,000 articles: ~25 s for the stories' features, ~60,000 queries for
dedup's verdicts). A stage stashes them as arrays instead, keyed as the cache keys them, and
asks the cache only for what is new. Only a build stashes (``Cache(stashes=True)``): a command
that reads a few files would replace the archive's stashes with its own few. A stash belongs to
the cache file it was made beside: it holds what that file held.

A stash is a convenience, never a source of truth: the cache still holds everything it holds.
So a stash that cannot be written is left as it was (a warning: it is still valid, only less
complete); one of another version or another cache file's is no stash; and one that cannot be
read whole or does not fit together is no stash either, with a warning. Nothing is synced to
disk: a file torn by a crash is read as no stash.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

log = logging.getLogger(__name__)
T = TypeVar("T")

_SEPARATOR = "\0"
_VERSION, _OWNER = "stash.version", "stash.owner"
_VALUES_VERSION = 2  # of save_values' arrays (2: keys as strings_array)


@dataclass(frozen=True)
class Stash:
    """A stash file and the cache file it belongs to (``Cache.stash``)."""
    path: Path
    owner: str
    """The identity of the cache file beside which it was made."""

    def save(self, arrays: dict[str, np.ndarray], version: int) -> None:
        """``arrays`` as the file (NumPy's .npz, uncompressed), in place of what it held."""
        contents: dict[str, Any] = {**arrays, _VERSION: np.array([version]), _OWNER: strings_array([self.owner])}
        scratch = None
        try:
            handle, scratch = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".writing")
            with os.fdopen(handle, "wb") as file:
                np.savez(file, **contents)
            os.replace(scratch, self.path)
        except OSError as exc:  # a full disk: the stash it would replace is still valid
            log.warning("%s was not written (%s): the next build reads more from the cache", self.path, exc)
            if scratch:
                Path(scratch).unlink(missing_ok=True)

    def load(self, read: Callable[[dict[str, np.ndarray]], T], version: int) -> T | None:
        """``read`` of the arrays the file holds; None when there is no such file, it is of another
        ``version`` or another cache file's, or it cannot be read whole or ``read`` of it fails
        (anything: the file's content may be anything)."""
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
            owner = arrays.pop(_OWNER, None)
            if arrays.pop(_VERSION).tolist() != [version] or owner is None or strings(owner, 1) != [self.owner]:
                return None
            return read(arrays)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or foreign file is no stash, whatever it holds
            log.warning("%s cannot be read (%s): what it kept is read from the cache", self.path, exc)
            return None

    def save_values(self, values: dict[str, Any]) -> None:
        """JSON values by their keys, in place of what the file held (left as it was when a key holds
        the separator: no cache key does)."""
        keys = strings_array(list(values))
        if keys is not None:
            listed = json.dumps(list(values.values()), ensure_ascii=False).encode()
            self.save({"keys": keys, "count": np.array([len(values)]), "values": np.frombuffer(listed, np.uint8)},
                      _VALUES_VERSION)

    def load_values(self) -> dict[str, Any] | None:
        """The values ``save_values`` left, by key; None as ``load``."""
        return self.load(_values_by_key, _VALUES_VERSION)


def _values_by_key(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    keys = strings(arrays["keys"], int(arrays["count"][0]))
    values = json.loads(arrays["values"].tobytes())
    if not (isinstance(values, list) and len(values) == len(keys) == len(set(keys))):
        raise ValueError("its keys and values do not fit together")
    return dict(zip(keys, values, strict=True))


def strings_array(strings: Sequence[str]) -> np.ndarray | None:
    """``strings`` as one array of bytes (UTF-8, NUL-separated); None when one holds a NUL."""
    joined = _SEPARATOR.join(strings)
    if joined.count(_SEPARATOR) != max(len(strings) - 1, 0):
        return None
    return np.frombuffer(joined.encode(), np.uint8)


def strings(array: np.ndarray, count: int) -> list[str]:
    """The ``count`` strings of ``strings_array``."""
    found = array.tobytes().decode().split(_SEPARATOR) if count else []
    if len(found) != count:
        raise ValueError(f"{len(found)} strings where {count} were kept")
    return found
